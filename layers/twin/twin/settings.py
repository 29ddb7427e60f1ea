"""The one place that reads configuration: environment variables prefixed `TWIN_`, or a `.env` file."""

from pathlib import Path
from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from twin.domain.rate_limits import RateLimit

MEMORY = ":memory:"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TWIN_", env_file=".env", extra="ignore", frozen=True)

    twin_id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] = "default"
    """Names the twin; one deployment serves one twin, and its chunks live in this namespace."""

    profile_path: Path | None = None
    """Profile ingested when the index is empty; the bundled sample when unset."""

    state_dir: Path = Path.home() / ".local" / "state" / "twin"
    """Where the embedded index lives between runs."""

    index_path: str | None = None
    """SQLite file of the embedded index, or `:memory:`; `<state_dir>/index.db` when unset."""

    cache_ttl_seconds: Annotated[int, Field(ge=0, le=30 * 24 * 3600)] = 3600
    session_ttl_seconds: Annotated[int, Field(ge=60, le=30 * 24 * 3600)] = 1800
    session_max_turns: Annotated[int, Field(ge=1, le=50)] = 6

    rate_limit_requests: Annotated[int, Field(ge=1, le=1_000_000)] = 60
    rate_limit_window_seconds: Annotated[int, Field(ge=1, le=24 * 3600)] = 60
    """Each client may make `rate_limit_requests` API requests per `rate_limit_window_seconds`."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8000
    public_url: str | None = None
    """Base URL clients use to reach the server; its host is added to the MCP allowed hosts."""

    def rate_limit(self) -> RateLimit:
        return RateLimit(requests=self.rate_limit_requests, window_seconds=self.rate_limit_window_seconds)

    def resolved_index_path(self) -> str:
        if self.index_path is not None:
            return self.index_path
        return str(self.state_dir / "index.db")
