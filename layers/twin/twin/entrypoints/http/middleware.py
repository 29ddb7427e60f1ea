"""The middleware every API app runs, locally and in each Lambda function."""

from collections.abc import Callable

from starlette.middleware import Middleware
from starlette.types import Scope

from twin.composition import Services
from twin.domain import limits
from twin.entrypoints.http.auth import AuthMiddleware, IdentitySource
from twin.entrypoints.http.body_limit import BodyLimitMiddleware
from twin.entrypoints.http.rate_limit import RateLimitMiddleware
from twin.security.policy import Resources


def api_middleware(
    services: Services, *, identify: IdentitySource, resources: Callable[[Scope], Resources]
) -> list[Middleware]:
    """Outermost first: who is calling, then whether they are over their allowance; only then is the body read."""
    return [
        Middleware(AuthMiddleware, identify=identify, resources=resources),
        Middleware(
            RateLimitMiddleware,
            limiter=services.rate_limiter,
            limit_for=services.settings.rate_limit,
            telemetry=services.telemetry,
        ),
        Middleware(BodyLimitMiddleware, max_bytes=limits.MAX_BODY_BYTES),
    ]
