"""How routes reach the services, the caller's identity and their JSON body.

The services and the caller are plain calls on the request, not FastAPI dependencies: FastAPI solves each
dependency on every request, a cost of its own for what is one attribute or context variable read.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from twin.composition import Services
from twin.entrypoints.http.auth import current_caller
from twin.entrypoints.json_body import parse_json_body
from twin.errors import AuthenticationError
from twin.security.identity import Identity


def services_of(request: Request) -> Services:
    """The services the app was built with (`create_app` keeps them on the app)."""
    services: Services = request.app.state.services
    return services


def caller() -> Identity:
    """Who is calling: AuthMiddleware lets a request through to a guarded route only with an identity."""
    identity = current_caller()
    if identity is None:
        raise AuthenticationError("no_identity")
    return identity


class JsonBodyRoute(APIRoute):
    """A route whose body is JSON: 415 unless it is sent as JSON, 400 unless it parses with `parse_json_body`.

    FastAPI would parse with `json.loads`, and answer its RecursionError or ValueError (deep nesting, an
    over-long integer) with a generic 400: parsing first, here, gives every entry point the same parser.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if self.body_field is None:
            return handle

        async def handle_json(request: Request) -> Response:
            if not sent_as_json(request):
                # Without a JSON content type FastAPI would not parse the body and report it as missing.
                raise HTTPException(415, "send the body as JSON, with Content-Type: application/json")
            parsed = _ParsedJsonRequest(request.scope, request.receive)
            if await parsed.body():  # an empty one is left to FastAPI, which reports the body as missing (422)
                await parsed.json()
            return await handle(parsed)

        return handle_json


def sent_as_json(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class _ParsedJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json_body(await self.body())
        return self._json
