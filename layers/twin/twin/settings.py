"""The one place that reads configuration: `TWIN_*` environment variables, or a `.env` file locally.

Each field `x` is set by `TWIN_X`. An empty value counts as unset (SAM passes '' for parameters
left blank). An unknown `TWIN_*` variable or an invalid value fails at start with the variable's name.
In AWS, secrets are not values but names of SSM parameters (`*_parameter`), read by `parameters.py`.

A frozen dataclass rather than a pydantic model: the authorizer reads settings too, and pydantic
(import and model build) would cost it more than everything else on its cold path together.
"""

import ipaddress
import json
import os
import re
import types
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Self, Union, get_args, get_origin

from twin.domain.rate_limits import RateLimit
from twin.errors import ConfigurationError

MEMORY = ":memory:"
PREFIX = "TWIN_"
TIERS = ("free", "pro", "partner")
PUBLIC_TIER = "public"
"""Visitors of the public chat: no identity, counted per client address."""
PUBLIC_MCP_TIER = "public_mcp"
"""Callers of the public MCP endpoint: no identity, counted per client address in a bucket of their own."""
_MONTH = 30 * 24 * 3600
_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False, "off": False}
# A service URL needs one of its secrets, as a value or as the name of a parameter holding it.
_SERVICE_SECRETS = {
    "upstash_vector_url": (
        "upstash_vector_readonly_token",
        "upstash_vector_readonly_token_parameter",
        "upstash_vector_token",
        "upstash_vector_token_parameter",
    ),
    "upstash_redis_url": (
        "upstash_redis_token",
        "upstash_redis_token_parameter",
        "upstash_redis_readonly_token",
        "upstash_redis_readonly_token_parameter",
    ),
    "upstash_credentials_redis_url": (
        "upstash_credentials_redis_token",
        "upstash_credentials_redis_token_parameter",
        "upstash_credentials_redis_readonly_token",
        "upstash_credentials_redis_readonly_token_parameter",
    ),
}
# `/aws/reference/secretsmanager/...` names reach Secrets Manager through SSM, which no function may read.
_SECRETS_MANAGER_REFERENCE = "/aws/reference/secretsmanager/"
_DAY = 24 * 3600


@dataclass(frozen=True, slots=True)
class Secret:
    """A value that never shows in a repr, a log line or an error message."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return "**********"


def _setting(
    default: Any, *, minimum: int | None = None, maximum: int | None = None, pattern: str | None = None
) -> Any:
    return field(default=default, metadata={"minimum": minimum, "maximum": maximum, "pattern": pattern})


@dataclass(frozen=True, kw_only=True)
class Settings:
    twin_id: str = _setting("default", pattern=r"[a-z0-9][a-z0-9-]{0,62}")
    """Names the twin; one deployment serves one twin, and its chunks live in this namespace."""
    environment: str = _setting("local", pattern=r"[a-z0-9-]{1,32}")

    profile_path: Path | None = None
    """Profile ingested when the index is empty; the bundled sample when unset."""
    state_dir: Path = Path.home() / ".local" / "state" / "twin"
    """Where the embedded index, API keys and the local JWT secret live between runs; `$XDG_STATE_HOME/twin`
    when that is set."""
    index_path: str | None = None
    """SQLite file of the embedded index, or `:memory:`; `<state_dir>/index.db` when unset."""

    cache_ttl_seconds: int = _setting(3600, minimum=0, maximum=_MONTH)
    session_ttl_seconds: int = _setting(1800, minimum=60, maximum=_MONTH)
    session_max_turns: int = _setting(6, minimum=1, maximum=50)
    question_log: bool = True
    """Keep each question asked over REST, MCP and the public chat and MCP endpoint (never who asked) for
    `twin insights`; false keeps none."""
    question_log_retention_days: int = _setting(30, minimum=1, maximum=365)
    question_log_max_entries: int = _setting(20_000, minimum=100, maximum=1_000_000)
    """Past this many the oldest questions go first."""

    rate_limit_free: int = _setting(30, minimum=1, maximum=1_000_000)
    rate_limit_pro: int = _setting(120, minimum=1, maximum=1_000_000)
    rate_limit_partner: int = _setting(600, minimum=1, maximum=1_000_000)
    rate_limit_public: int = _setting(10, minimum=1, maximum=1_000_000)
    rate_limit_public_mcp: int = _setting(60, minimum=1, maximum=1_000_000)
    rate_limit_window_seconds: int = _setting(60, minimum=1, maximum=24 * 3600)
    """A caller of tier T may make `rate_limit_T` API requests per `rate_limit_window_seconds`; a visitor of the
    public chat `rate_limit_public`, and of the public MCP endpoint `rate_limit_public_mcp` (an MCP client makes
    several requests per question), each counted per client address."""
    quota_free: int = _setting(1000, minimum=1, maximum=1_000_000_000)
    quota_pro: int = _setting(20_000, minimum=1, maximum=1_000_000_000)
    quota_partner: int = _setting(200_000, minimum=1, maximum=1_000_000_000)
    """Requests a JWT subject of tier T may make a day. In AWS a JWT has no usage-plan key of its own (an API key
    has, with the same quota), so this is what keeps one caller from spending the whole tier's allowance."""

    public_chat: bool | None = None
    """The public web chat (`/`, `/embed.js`, `/privacy`, `POST /v1/public/ask`, no credentials). Unset: on for
    `twin serve`, off elsewhere."""
    public_chat_without_redis: bool = False
    """In Lambda the public chat refuses to start without Upstash Redis: its per-address limit would be counted by
    each container alone, so visitors would get `rate_limit_public` questions a minute per container. True accepts
    that."""
    public_mcp: bool | None = None
    """The public, read-only MCP endpoint (`POST /v1/public/mcp`, no credentials). Unset: on when the public chat
    is."""
    privacy_contact: str | None = _setting(None, pattern=r"[^\s<>\"'@]+@[^\s<>\"'@]+|https://[^\s<>\"']+")
    """Where visitors ask what is kept about them or for its erasure: an e-mail address or an HTTPS URL, shown on
    the public chat's privacy notice (`/privacy`)."""
    privacy_notice: Path | None = None
    """An HTML file of the owner's own to serve as that notice, with the bundled template's `{{placeholders}}`;
    the bundled template (`twin/entrypoints/web/privacy.html`) when unset. Read once per process."""
    log_retention_days: int | None = _setting(None, minimum=1, maximum=3653)
    """How long the host keeps request logs (on AWS the template's `LogRetentionDays`), as the notice states it."""

    oauth: bool | None = None
    """The twin as its own OAuth authorization server for the MCP endpoint (`/authorize`, `/token`, `/register`,
    `/revoke`, the consent page; people get in with `twin invites`). Needs the HS256 secret. Unset: on for
    `twin serve`, off elsewhere."""
    oauth_client_metadata_allow_loopback: bool = False
    """For tests only: fetch OAuth client metadata documents from loopback addresses too."""

    jwt_secret: Secret | None = None
    """HS256 secret for bearer tokens; `twin serve` makes one in the state directory when unset."""
    jwt_secret_parameter: str | None = None
    """In AWS: the SSM parameter holding the HS256 secret."""
    jwks_url: str | None = None
    """Verify RS256/ES256 bearer tokens against this JWKS instead of (or besides) the HS256 secret."""
    jwt_issuer: str = "twin-local"
    jwt_leeway_seconds: int = _setting(30, minimum=0, maximum=60)
    cors_origins: tuple[str, ...] = ()
    """Web origins allowed to call the API from a browser, e.g. `["https://me.example"]`; none by default."""
    authorization_servers: tuple[str, ...] = ()
    """Advertised in the MCP protected-resource metadata: where clients get tokens."""
    tier_usage_keys: dict[str, str] = field(default_factory=dict)
    """In AWS: the API Gateway usage-plan key of each tier, which meters callers with a JWT."""
    usage_plan_ids: dict[str, str] = field(default_factory=dict)
    """For `twin keys create` against AWS: the usage plan of each tier (stack outputs), to meter new keys in."""

    upstash_vector_url: str | None = None
    """Upstash Vector REST URL; with it (and a token) the index lives in Upstash instead of SQLite."""
    upstash_vector_token: Secret | None = None
    upstash_vector_token_parameter: str | None = None
    """Read-write token: only the ingest function gets one."""
    upstash_vector_readonly_token: Secret | None = None
    upstash_vector_readonly_token_parameter: str | None = None
    upstash_redis_url: str | None = None
    """Upstash Redis REST URL; with it (and a token) cache, sessions, limits and the profile record live in Redis, and
    the credential records too unless `upstash_credentials_redis_url` gives them a database of their own."""
    upstash_redis_token: Secret | None = None
    upstash_redis_token_parameter: str | None = None
    """Read-write: for the functions that write (cache, sessions, limits, the profile record)."""
    upstash_redis_readonly_token: Secret | None = None
    upstash_redis_readonly_token_parameter: str | None = None
    """Read-only: all the health function and the OAuth function (the profile record) need."""
    upstash_credentials_redis_url: str | None = None
    """A second Upstash Redis database for the credential records (API keys, invites, OAuth clients and grants), which
    only the functions given its URL and a token can reach. Unset: they live in the main database, which every
    function with a Redis token can reach (fine for one machine; the AWS template always sets it)."""
    upstash_credentials_redis_token: Secret | None = None
    upstash_credentials_redis_token_parameter: str | None = None
    """Read-write: the OAuth function and the CLI (`twin keys`, `twin invites`, `twin backup`)."""
    upstash_credentials_redis_readonly_token: Secret | None = None
    upstash_credentials_redis_readonly_token_parameter: str | None = None
    """Read-only: all the authorizer (API keys, invites) needs."""
    groq_api_key: Secret | None = None
    groq_api_key_parameter: str | None = None
    """With a Groq key answers come from Groq; without one, from the extractive answerer."""
    groq_model: str = "openai/gpt-oss-20b"
    groq_base_url: str | None = None
    """Any OpenAI-compatible endpoint (a local server, say) instead of Groq's."""
    groq_temperature: float = _setting(0.2, minimum=0, maximum=2)
    groq_max_tokens: int = _setting(600, minimum=16, maximum=8192)
    groq_fit_max_tokens: int = _setting(3000, minimum=256, maximum=8192)
    groq_timeout_seconds: int = _setting(8, minimum=1, maximum=25)
    groq_reasoning_effort: str | None = _setting("low", pattern=r"low|medium|high")
    """For reasoning models (gpt-oss): their reasoning counts against the token limit. Empty for other models."""
    groq_max_retries: int = _setting(2, minimum=0, maximum=5)
    """Retries with backoff that honours `retry-after`; all attempts stay within the timeout budget."""
    model_breaker_failures: int = _setting(3, minimum=1, maximum=100)
    model_breaker_cooldown_seconds: int = _setting(60, minimum=1, maximum=3600)
    """After this many model failures in a row, answers skip the model for the cool-down."""
    upstash_timeout_seconds: int = _setting(3, minimum=1, maximum=25)
    upstash_vector_query_mode: str | None = _setting(None, pattern=r"dense|sparse|hybrid")
    """For hybrid indexes: which part of the index answers queries (the index default when unset)."""
    rate_limit_on_failure: str = _setting("allow", pattern=r"allow|deny")
    """When the rate limiter's store is down: let requests through (counted), or refuse them."""

    host: str = "127.0.0.1"
    port: int = _setting(8000, minimum=0, maximum=65535)
    public_url: str | None = None
    """Base URL clients use to reach the API; its host is allowed by the MCP endpoint."""
    trusted_proxies: tuple[str, ...] = ()
    """`twin serve` behind a reverse proxy: the proxies' addresses or networks (`["127.0.0.1"]`, `10.0.0.0/8`), whose
    `X-Forwarded-For` and `X-Forwarded-Proto` it believes. None by default: a client is the address it connects from,
    so that no header can give it a fresh rate-limit allowance."""

    def __post_init__(self) -> None:
        for setting in fields(self):
            problem = _problem(setting, getattr(self, setting.name))
            if problem is not None:
                raise ConfigurationError(PREFIX + setting.name.upper(), problem)
            value = getattr(self, setting.name)
            if setting.name.endswith("_parameter") and value and value.startswith(_SECRETS_MANAGER_REFERENCE):
                raise ConfigurationError(
                    PREFIX + setting.name.upper(), "must name an SSM parameter: Secrets Manager is not supported"
                )
        for service, secrets in _SERVICE_SECRETS.items():
            if getattr(self, service) and not any(getattr(self, name) for name in secrets):
                raise ConfigurationError(PREFIX + secrets[0].upper(), f"required with {PREFIX}{service.upper()}")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ConfigurationError("TWIN_TRUSTED_PROXIES", f"not an IP address or network: {proxy!r}") from None
        if self.upstash_vector_url and not self.upstash_redis_url:
            # Every function must agree on the profile version of a shared index: the record lives in Redis.
            raise ConfigurationError("TWIN_UPSTASH_REDIS_URL", "required with TWIN_UPSTASH_VECTOR_URL")

    def rate_limit(self, tier: str) -> RateLimit:
        allowance = {
            "free": self.rate_limit_free,
            "pro": self.rate_limit_pro,
            "partner": self.rate_limit_partner,
            PUBLIC_TIER: self.rate_limit_public,
            PUBLIC_MCP_TIER: self.rate_limit_public_mcp,
        }
        return RateLimit(
            requests=allowance.get(tier, self.rate_limit_free), window_seconds=self.rate_limit_window_seconds
        )

    def daily_quota(self, tier: str) -> RateLimit:
        quotas = {"free": self.quota_free, "pro": self.quota_pro, "partner": self.quota_partner}
        return RateLimit(requests=quotas.get(tier, self.quota_free), window_seconds=_DAY)

    def serves_public_mcp(self) -> bool:
        return self.public_mcp if self.public_mcp is not None else self.public_chat is True

    def resolved_index_path(self) -> str:
        if self.index_path is not None:
            return self.index_path
        return str(self.state_dir / "index.db")

    def with_changes(self, **changes: Any) -> Self:
        return replace(self, **changes)

    @classmethod
    def names(cls) -> frozenset[str]:
        return frozenset(setting.name for setting in fields(cls))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Self:
        """Settings from `environ` (the process environment by default) over the `.env` file, if any."""
        values = read_env_file(env_file) if env_file is not None and env_file.is_file() else {}
        values |= dict(os.environ if environ is None else environ)
        by_name = {setting.name: setting for setting in fields(cls)}
        given: dict[str, Any] = {}
        for variable, text in values.items():
            if not variable.startswith(PREFIX) or text == "":
                continue
            setting = by_name.get(variable.removeprefix(PREFIX).lower())
            if setting is None:
                raise ConfigurationError(variable, "unknown setting")
            try:
                given[setting.name] = _converted(text, setting.type)
            except ValueError as error:
                raise ConfigurationError(variable, str(error)) from None
        xdg_state_home = Path(values.get("XDG_STATE_HOME", ""))
        if "state_dir" not in given and xdg_state_home.is_absolute():  # the XDG spec ignores relative paths
            given["state_dir"] = xdg_state_home / "twin"
        return cls(**given)


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


def _converted(text: str, kind: Any) -> Any:
    """An environment variable's text as the field's type."""
    kind = _without_none(kind)
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise ValueError("expected a whole number") from None
    if kind is bool:
        if text.lower() not in _BOOLEANS:
            raise ValueError("expected true or false")
        return _BOOLEANS[text.lower()]
    if kind is float:
        try:
            return float(text)
        except ValueError:
            raise ValueError("expected a number") from None
    if kind is Path:
        return Path(text).expanduser()
    if kind is Secret:
        return Secret(text)
    if get_origin(kind) is tuple:
        items = _json(text, list) if text.lstrip().startswith("[") else text.split(",")
        return tuple(str(item).strip() for item in items if str(item).strip())
    if get_origin(kind) is dict:
        return {str(key): str(value) for key, value in _json(text, dict).items()}
    return text


def _json(text: str, kind: type[Any]) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, kind):
        raise ValueError(f"expected a JSON {'list' if kind is list else 'object'}")
    return value


def _problem(setting: Field[Any], value: Any) -> str | None:
    kind = _without_none(setting.type)
    if value is None:
        return None if kind is not setting.type else "must be set"
    expected = get_origin(kind) or kind
    accepted = (int, float) if expected is float else expected
    if not isinstance(value, accepted) or (expected in (int, float) and isinstance(value, bool)):
        return f"expected {getattr(expected, '__name__', expected)}, got {type(value).__name__}"
    minimum, maximum, pattern = (setting.metadata.get(key) for key in ("minimum", "maximum", "pattern"))
    if minimum is not None and value < minimum:
        return f"must be at least {minimum}"
    if maximum is not None and value > maximum:
        return f"must be at most {maximum}"
    if pattern is not None and not re.fullmatch(pattern, str(value)):
        return f"must match {pattern}"
    return None


def _without_none(kind: Any) -> Any:
    """`X | None` as `X`; any other type unchanged."""
    if get_origin(kind) in (Union, types.UnionType):
        rest = [arg for arg in get_args(kind) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else kind
    return kind


def lambda_runtime_variable(name: str) -> str | None:
    """A variable the Lambda runtime sets, such as `AWS_XRAY_DAEMON_ADDRESS` or, per invocation,
    `_X_AMZN_TRACE_ID`; read when needed, not at start."""
    return os.environ.get(name) or None
