"""How routes reach the services, the caller's identity and their JSON body.

The dependencies are `async` because they never block: FastAPI would run a plain function in its thread
pool, one thread hop per dependency per request.
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRoute

from twin.composition import Services
from twin.entrypoints.http.auth import current_caller
from twin.entrypoints.json_body import parse_json_body
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
