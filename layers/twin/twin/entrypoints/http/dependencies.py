"""How routes reach the services: the app built them once and keeps them in its state."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from twin.composition import Services


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]


def json_body(request: Request) -> None:
    """Without a JSON content type FastAPI would not parse the body and report it as missing."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPException(415, "send the body as JSON, with Content-Type: application/json")


JSON_BODY = [Depends(json_body)]
