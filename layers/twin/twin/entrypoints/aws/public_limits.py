"""The public functions refuse to start where their per-address limit would not hold."""

from twin.errors import ConfigurationError
from twin.settings import Settings


def require_shared_limits(settings: Settings, route: str) -> None:
    """Without Redis each container counts every address's requests alone, so the limit would multiply with the
    number of containers; `TWIN_PUBLIC_CHAT_WITHOUT_REDIS=true` accepts that for both public routes."""
    if not settings.upstash_redis_url and not settings.public_chat_without_redis:
        raise ConfigurationError(
            "TWIN_UPSTASH_REDIS_URL",
            f"{route} needs Upstash Redis in AWS, or each container counts every address's requests alone"
            " (TWIN_PUBLIC_CHAT_WITHOUT_REDIS=true accepts that)",
        )
