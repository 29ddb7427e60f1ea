"""The middleware every API app runs, locally and in each Lambda function."""

from collections.abc import Callable

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Scope

from twin.composition import Services
from twin.domain import limits
from twin.entrypoints.http.auth import AuthMiddleware, IdentitySource
from twin.entrypoints.http.body_limit import BodyLimitMiddleware
from twin.entrypoints.http.rate_limit import RATE_LIMIT_HEADERS, RateLimitMiddleware
from twin.entrypoints.http.request_id import RequestIdMiddleware
from twin.security.policy import PUBLIC_MCP_PATH, Resources

PUBLIC_API = "/v1/public/"
PUBLIC_FIT = "/v1/public/fit"
INGEST = "/v1/admin/ingest"


def body_limit(path: str) -> int:
    if path == PUBLIC_MCP_PATH:
        return limits.PUBLIC_MCP_MAX_BODY_BYTES
    if path.rstrip("/") == PUBLIC_FIT:  # a pasted job description is longer than any question
        return limits.PUBLIC_FIT_MAX_BODY_BYTES
    if path.startswith(PUBLIC_API):
        return limits.PUBLIC_MAX_BODY_BYTES
    # A PDF or Word CV is larger than any question.
    return limits.MAX_DOCUMENT_BYTES if path.rstrip("/") == INGEST else limits.MAX_BODY_BYTES


def api_middleware(
    services: Services, *, identify: IdentitySource, resources: Callable[[Scope], Resources]
) -> list[Middleware]:
    """Outermost first: who is calling, then whether they are over their allowance; only then is the body read."""
    return [
        # CORS first: a browser's preflight carries no credentials and must not meet the authentication.
        Middleware(
            CORSMiddleware,
            allow_origins=list(services.settings.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Mcp-Protocol-Version", "Mcp-Method", "Mcp-Name"],
            expose_headers=[*RATE_LIMIT_HEADERS, "Retry-After", "WWW-Authenticate", "X-Request-Id"],
            max_age=600,
        ),
        Middleware(RequestIdMiddleware),
        Middleware(AuthMiddleware, identify=identify, resources=resources, offload=services.offloads),
        Middleware(
            RateLimitMiddleware,
            limiter=lambda: services.storage.rate_limiter,
            limit_for=services.settings.rate_limit,
            quota_for=services.settings.daily_quota,
            telemetry=services.telemetry,
            offload=services.offloads,
        ),
        Middleware(BodyLimitMiddleware, max_bytes=body_limit),
    ]
