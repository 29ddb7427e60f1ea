"""How routes reach the services and the caller's identity.

The dependencies are `async` because they never block: FastAPI would run a plain function in its thread
pool, one thread hop per dependency per request.
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from twin.composition import Services
from twin.entrypoints.http.auth import current_caller
from twin.errors import AuthenticationError
from twin.security.identity import Identity


async def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def _identity() -> Identity:
    identity = current_caller()
    if identity is None:
        raise AuthenticationError("no_identity")
    return identity


ServicesDep = Annotated[Services, Depends(_services)]
IdentityDep = Annotated[Identity, Depends(_identity)]


async def json_body(request: Request) -> None:
    """Without a JSON content type FastAPI would not parse the body and report it as missing."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPException(415, "send the body as JSON, with Content-Type: application/json")


JSON_BODY = [Depends(json_body)]
