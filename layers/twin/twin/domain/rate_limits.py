"""Rate limits: how many requests an identity may make in a window, and the verdict on one request."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimit:
    requests: int
    window_seconds: int


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    """Seconds until the full allowance is back."""
    retry_after_seconds: int
    """Seconds until the next request would be allowed (0 when this one was)."""
