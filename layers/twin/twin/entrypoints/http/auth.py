"""Authentication and route authorisation in front of the API, the same decision as the authorizer.

Locally the identity comes from the `Authorization` header; in Lambda from the context the API
Gateway authorizer attached to the event. Either way the route policy is checked here too.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Protocol

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.error_body import error_response
from twin.errors import AuthenticationError
from twin.security.audit import audit
from twin.security.authenticator import Authenticator
from twin.security.identity import Identity
from twin.security.identity import Scope as TwinScope
from twin.security.policy import Resources, find_route, is_public, is_routed, refusal

_caller: ContextVar[Identity | None] = ContextVar("twin_caller", default=None)


def current_caller() -> Identity | None:
    """Who is making the current request, once AuthMiddleware has let it through.

    A context variable, like the MCP SDK's own auth context, so it reaches route handlers, worker
    threads and the tasks the MCP session manager starts for the request.
    """
    return _caller.get()


class IdentitySource(Protocol):
    def __call__(self, scope: Scope) -> Identity:
        """The caller's identity; raises AuthenticationError when there is none."""
        ...


class HeaderIdentity:
    """`twin serve`: verify the bearer token or API key in the `Authorization` header."""

    def __init__(self, authenticator: Authenticator, resources: Resources) -> None:
        self._authenticator = authenticator
        self._resources = resources

    def __call__(self, scope: Scope) -> Identity:
        authorization = Headers(scope=scope).get("authorization")
        return self._authenticator.authenticate(authorization, self._resources.audiences)


class AuthorizerContextIdentity:
    """Lambda: API Gateway already ran the authorizer; read the identity it attached to the event."""

    def __call__(self, scope: Scope) -> Identity:
        try:
            return Identity.from_context(scope["aws.event"]["requestContext"]["authorizer"])
        except (KeyError, TypeError, ValueError):
            raise AuthenticationError("no_authorizer_context") from None


class AuthMiddleware:
    def __init__(
        self, app: ASGIApp, *, identify: IdentitySource, resources: Callable[[Scope], Resources], offload: bool
    ) -> None:
        """`offload`: verifying may wait on the network (a JWKS fetch, a key store in Redis)."""
        self._app = app
        self._identify = identify
        self._resources = resources
        self._offload = offload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]):
            await self._app(scope, receive, send)
            return
        if not is_routed(scope["path"]):
            # Nothing is served here (a browser's /favicon.ico, a typo): say so without asking who is calling.
            await error_response(404, "not_found", "no route serves this path")(scope, receive, send)
            return
        resources = self._resources(scope)
        action = f"{scope['method']} {scope['path']}"
        route = find_route(scope["method"], scope["path"])
        try:
            identity = await run_sync(self._offload, self._identify, scope)
        except AuthenticationError as error:
            audit("authenticate", actor="anonymous", resource=action, outcome="denied", reason=error.reason)
            presented = error.reason != "missing_credentials"
            scopes = route.scopes if route is not None else frozenset(TwinScope)
            await unauthorized(resources, presented=presented, scopes=scopes)(scope, receive, send)
            return
        if route is not None and (reason := refusal(identity, route, resources)) is not None:
            audit("authorize", actor=identity.principal.key, resource=action, outcome="denied", reason=reason)
            if reason == "wrong_audience":
                await wrong_audience(resources, resources.audience_of(route), route.scopes)(scope, receive, send)
            else:
                await insufficient_scope(resources, route.scopes)(scope, receive, send)
            return
        token = _caller.set(identity)
        try:
            await self._app(scope, receive, send)
        finally:
            _caller.reset(token)


def unauthorized(resources: Resources, *, presented: bool, scopes: frozenset[TwinScope]) -> ASGIApp:
    """`scopes` are the route's: what an OAuth client then asks for (for `/mcp`, what the twin's own authorization
    server can grant)."""
    error = AuthenticationError("")
    challenge = _challenge(resources, "invalid_token" if presented else None, scopes)
    return error_response(401, error.code, error.message, headers={"WWW-Authenticate": challenge})


def wrong_audience(resources: Resources, audience: str, scopes: frozenset[TwinScope]) -> ASGIApp:
    """403, as API Gateway answers a route the authorizer's policy leaves out; the challenge says the token is
    the problem, so an MCP client asks for one naming this resource."""
    return error_response(
        403,
        "wrong_audience",
        f"this token was not issued for {audience}",
        headers={"WWW-Authenticate": _challenge(resources, "invalid_token", scopes)},
    )


def insufficient_scope(resources: Resources, needed: frozenset[TwinScope]) -> ASGIApp:
    scopes = " ".join(sorted(needed))
    return error_response(
        403,
        "insufficient_scope",
        f"this needs one of the scopes: {scopes}",
        headers={"WWW-Authenticate": _challenge(resources, "insufficient_scope", needed)},
    )


def _challenge(resources: Resources, error: str | None, scopes: frozenset[TwinScope]) -> str:
    """RFC 6750 §3 with the RFC 9728 `resource_metadata` parameter MCP clients follow."""
    parts = [f'error="{error}"'] if error else []
    parts += [f'resource_metadata="{resources.metadata_url}"', f'scope="{" ".join(sorted(scopes))}"']
    return "Bearer " + ", ".join(parts)
