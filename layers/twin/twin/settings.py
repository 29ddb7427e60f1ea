"""The one place that reads configuration: `TWIN_*` environment variables, or a `.env` file locally.

Each field `x` is set by `TWIN_X`. An empty value counts as unset (SAM passes '' for parameters
left blank). An unknown `TWIN_*` variable or an invalid value fails at start with the variable's name.
In AWS, secrets are not values but names of SSM parameters (`*_parameter`), read through `secrets.py`.
"""

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from twin.domain.rate_limits import RateLimit
from twin.errors import ConfigurationError

MEMORY = ":memory:"
PREFIX = "TWIN_"
TIERS = ("free", "pro", "partner")

Seconds = Annotated[int, Field(ge=0, le=30 * 24 * 3600)]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    twin_id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] = "default"
    """Names the twin; one deployment serves one twin, and its chunks live in this namespace."""
    environment: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,32}$")] = "local"

    profile_path: Path | None = None
    """Profile ingested when the index is empty; the bundled sample when unset."""
    state_dir: Path = Path.home() / ".local" / "state" / "twin"
    """Where the embedded index, API keys and the local JWT secret live between runs."""
    index_path: str | None = None
    """SQLite file of the embedded index, or `:memory:`; `<state_dir>/index.db` when unset."""

    cache_ttl_seconds: Seconds = 3600
    session_ttl_seconds: Annotated[int, Field(ge=60, le=30 * 24 * 3600)] = 1800
    session_max_turns: Annotated[int, Field(ge=1, le=50)] = 6

    rate_limit_free: Annotated[int, Field(ge=1, le=1_000_000)] = 30
    rate_limit_pro: Annotated[int, Field(ge=1, le=1_000_000)] = 120
    rate_limit_partner: Annotated[int, Field(ge=1, le=1_000_000)] = 600
    rate_limit_window_seconds: Annotated[int, Field(ge=1, le=24 * 3600)] = 60
    """A caller of tier T may make `rate_limit_T` API requests per `rate_limit_window_seconds`."""

    jwt_secret: SecretStr | None = None
    """HS256 secret for bearer tokens; `twin serve` makes one in the state directory when unset."""
    jwt_secret_parameter: str | None = None
    """In AWS: the SSM parameter holding the HS256 secret."""
    jwks_url: str | None = None
    """Verify RS256/ES256 bearer tokens against this JWKS instead of (or besides) the HS256 secret."""
    jwt_issuer: str = "twin-local"
    jwt_leeway_seconds: Annotated[int, Field(ge=0, le=60)] = 30
    cors_origins: tuple[str, ...] = ()
    """Web origins allowed to call the API from a browser, e.g. `["https://me.example"]`; none by default."""
    authorization_servers: tuple[str, ...] = ()
    """Advertised in the MCP protected-resource metadata: where clients get tokens."""
    tier_usage_keys: dict[str, str] = Field(default_factory=dict)
    """In AWS: the API Gateway usage-plan key of each tier, which meters callers with a JWT."""

    upstash_vector_url: str | None = None
    """Upstash Vector REST URL; with it (and a token) the index lives in Upstash instead of SQLite."""
    upstash_vector_token: SecretStr | None = None
    upstash_vector_token_parameter: str | None = None
    """Read-write token: only the ingest function gets one."""
    upstash_vector_readonly_token: SecretStr | None = None
    upstash_vector_readonly_token_parameter: str | None = None
    upstash_redis_url: str | None = None
    """Upstash Redis REST URL; with it (and a token) cache, sessions, limits and keys live in Redis."""
    upstash_redis_token: SecretStr | None = None
    upstash_redis_token_parameter: str | None = None
    groq_api_key: SecretStr | None = None
    groq_api_key_parameter: str | None = None
    """With a Groq key answers come from Groq; without one, from the extractive answerer."""
    groq_model: str = "openai/gpt-oss-20b"

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8000
    public_url: str | None = None
    """Base URL clients use to reach the API; its host is allowed by the MCP endpoint."""

    def rate_limit(self, tier: str) -> RateLimit:
        requests = {
            "free": self.rate_limit_free,
            "pro": self.rate_limit_pro,
            "partner": self.rate_limit_partner,
        }
        return RateLimit(
            requests=requests.get(tier, self.rate_limit_free), window_seconds=self.rate_limit_window_seconds
        )

    def resolved_index_path(self) -> str:
        if self.index_path is not None:
            return self.index_path
        return str(self.state_dir / "index.db")

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
    ) -> "Settings":
        """Settings from `environ` (the process environment by default) over the `.env` file, if any."""
        values = read_env_file(env_file) if env_file is not None and env_file.is_file() else {}
        values |= dict(os.environ if environ is None else environ)
        fields = {}
        for name, value in values.items():
            if not name.startswith(PREFIX) or value == "":
                continue
            field = name.removeprefix(PREFIX).lower()
            if field not in cls.model_fields:
                raise ConfigurationError(name, "unknown setting")
            fields[field] = _parsed(value) if _is_structured(cls, field) else value
        try:
            return cls.model_validate(fields)
        except ValidationError as error:
            problem = error.errors()[0]
            name = PREFIX + str(problem["loc"][0]).upper() if problem["loc"] else "TWIN_*"
            raise ConfigurationError(name, problem["msg"]) from None


def read_env_file(path: Path) -> dict[str, str]:
    """`KEY=value` lines; blank lines and `#` comments are skipped, surrounding quotes removed."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _is_structured(settings: type[BaseModel], field: str) -> bool:
    annotation = str(settings.model_fields[field].annotation)
    return annotation.startswith(("dict", "list", "tuple"))


def _parsed(value: str) -> object:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
