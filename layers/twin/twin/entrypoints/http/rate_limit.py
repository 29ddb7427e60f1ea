"""Counts each API request against its caller's allowance (by tier); over it, 429 with `Retry-After`.

Every counted response carries `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and
`RateLimit-Policy` (IETF draft "RateLimit header fields for HTTP"), so clients can pace themselves.
"""

from collections.abc import Callable, Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twin.domain.rate_limits import RateDecision, RateLimit
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.error_body import error_response
from twin.entrypoints.http.auth import current_caller
from twin.ports import RateLimiter, Telemetry
from twin.security.audit import audit
from twin.settings import PUBLIC_TIER

LIMITED_PATHS = ("/v1/", "/mcp")
RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy")


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: Callable[[], RateLimiter],
        limit_for: Callable[[str], RateLimit],
        telemetry: Telemetry,
        offload: bool,
        limited_paths: Sequence[str] = LIMITED_PATHS,
    ) -> None:
        """`offload`: the limiter is a network service (Upstash Redis in AWS)."""
        self._app = app
        self._offload = offload
        self._limiter = limiter
        self._limit_for = limit_for
        self._telemetry = telemetry
        self._limited_paths = tuple(limited_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self._limited_paths):
            await self._app(scope, receive, send)
            return
        identity = current_caller()
        key = f"client:{identity.client_id}" if identity else client_key(scope)
        limit = self._limit_for(identity.tier if identity else PUBLIC_TIER)
        decision = await run_sync(self._offload, self._limiter().hit, key, limit)
        headers = rate_limit_headers(decision, limit)
        if not decision.allowed:
            audit("rate_limit", actor=key, resource=f"{scope['method']} {scope['path']}", outcome="denied")
            self._telemetry.count("RateLimited")
            headers["Retry-After"] = str(decision.retry_after_seconds)
            message = f"too many requests; try again in {decision.retry_after_seconds} s"
            await error_response(429, "rate_limited", message, headers=headers)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(headers)
            await send(message)

        await self._app(scope, receive, send_with_headers)


def client_key(scope: Scope) -> str:
    """Callers without an identity (public routes) are counted by address."""
    client = scope.get("client")
    return f"ip:{client[0]}" if client else "ip:unknown"


def rate_limit_headers(decision: RateDecision, limit: RateLimit) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.reset_seconds),
        "RateLimit-Policy": f"{limit.requests};w={limit.window_seconds}",
    }
