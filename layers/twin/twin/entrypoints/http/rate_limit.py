"""Counts each API request against its caller's allowance (by tier); over it, 429 with `Retry-After`.

A JWT caller is also counted against its tier's daily quota, per subject: API Gateway meters every JWT of a tier
under one usage-plan key, so a quota there would be shared by all of the tier's callers (an API key has its own).

An MCP endpoint's refusal is a JSON-RPC error, which MCP clients show to their user; every other one has the API's
error shape. Every counted response carries `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and
`RateLimit-Policy` (IETF draft "RateLimit header fields for HTTP"), so clients can pace themselves.
"""

from collections.abc import Callable, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twin.domain.rate_limits import RateDecision, RateLimit
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.error_body import error_response, jsonrpc_error_response
from twin.entrypoints.http.auth import current_caller
from twin.ports import RateLimiter, Telemetry
from twin.security.audit import audit
from twin.security.identity import AuthMethod
from twin.security.policy import PUBLIC_MCP_PATH
from twin.settings import PUBLIC_MCP_TIER, PUBLIC_TIER

LIMITED_PATHS = ("/v1/", "/mcp")
MCP_PATHS = ("/mcp", PUBLIC_MCP_PATH)
RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy")


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: Callable[[], RateLimiter],
        limit_for: Callable[[str], RateLimit],
        quota_for: Callable[[str], RateLimit],
        telemetry: Telemetry,
        offload: bool,
        limited_paths: Sequence[str] = LIMITED_PATHS,
    ) -> None:
        """`offload`: the limiter is a network service (Upstash Redis in AWS)."""
        self._app = app
        self._offload = offload
        self._limiter = limiter
        self._limit_for = limit_for
        self._quota_for = quota_for
        self._telemetry = telemetry
        self._limited_paths = tuple(limited_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self._limited_paths):
            await self._app(scope, receive, send)
            return
        identity = current_caller()
        tier = identity.tier if identity else visitor_tier(scope["path"])
        # A caller's own bucket: not their OAuth client's, which all its users would share.
        key = identity.principal.key if identity else client_key(scope, tier)
        limit = self._limit_for(tier)
        hits = [(key, limit)]
        if identity is not None and identity.method is AuthMethod.JWT:
            hits.append((f"quota:{key}", self._quota_for(identity.tier)))
        # The limiter may be a network service (Upstash in AWS): keep it off the event loop. One call, so one round
        # trip; a request the rate limit refuses is not charged to the quota.
        decisions = await run_sync(self._offload, self._limiter().hit_each, hits)
        shown = len(decisions) - 1 if not decisions[-1].allowed else 0  # the refusal's, else the rate limit's
        decision, headers = decisions[shown], rate_limit_headers(decisions[shown], hits[shown][1])
        if not decision.allowed:
            audit("rate_limit", actor=key, resource=f"{scope['method']} {scope['path']}", outcome="denied")
            self._telemetry.count("RateLimited")
            headers["Retry-After"] = str(decision.retry_after_seconds)
            message = f"too many requests; try again in {decision.retry_after_seconds} s"
            refusal = jsonrpc_error_response if scope["path"] in MCP_PATHS else error_response
            await refusal(429, "rate_limited", message, headers=headers)(scope, receive, send)
            return

        raw_headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Nothing downstream sets them: added to the list as they are, without looking for them in it first.
                message["headers"] = [*message.get("headers", ()), *raw_headers]
            await send(message)

        await self._app(scope, receive, send_with_headers)


def visitor_tier(path: str) -> str:
    return PUBLIC_MCP_TIER if path == PUBLIC_MCP_PATH else PUBLIC_TIER


def client_key(scope: Scope, tier: str) -> str:
    """Callers without an identity (public routes) are counted by address, in a bucket per public tier."""
    client = scope.get("client")
    return f"{tier}:ip:{client[0] if client else 'unknown'}"


def rate_limit_headers(decision: RateDecision, limit: RateLimit) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.reset_seconds),
        "RateLimit-Policy": f"{limit.requests};w={limit.window_seconds}",
    }
