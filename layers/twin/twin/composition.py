"""The composition root: settings in, services wired to their adapters out. Built once per process.

Each part is built on first use, and adapters are imported only then: a Lambda function imports only
what it uses (a short cold start) and reads only the secrets its IAM role allows. With no cloud
settings everything is embedded (SQLite, in-process, extractive); with Upstash and Groq settings the
cloud adapters take over, each wrapped so that an outage degrades the answer instead of failing it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Literal, cast

from twin.errors import ConfigurationError
from twin.parameters import secret
from twin.settings import TIERS, Settings

if TYPE_CHECKING:
    from upstash_redis import Redis

    from twin.adapters.groq_model import ReasoningEffort
    from twin.adapters.sqlite_oauth_stores import SqliteOAuthDatabase
    from twin.ports import (
        Cache,
        ChatModel,
        ClientMetadataDocuments,
        InviteStore,
        KeyStore,
        OAuthStore,
        ProfileStore,
        RateLimiter,
        SessionStore,
        Telemetry,
        TokenVerifier,
        VectorIndex,
    )
    from twin.security.authenticator import Authenticator
    from twin.services.ask import AskService
    from twin.services.ingest import IngestReport, IngestService
    from twin.services.invites import InviteService
    from twin.services.keys import KeyService
    from twin.services.profile import ProfileService
    from twin.services.search import SearchService
    from twin.services.sessions import SessionService


class Services:
    def __init__(self, settings: Settings, telemetry: Telemetry | None = None) -> None:
        """`telemetry` is where metrics and spans go: CloudWatch and X-Ray in Lambda; nowhere by default."""
        from twin.adapters.null_telemetry import NullTelemetry

        self.settings = settings
        self.telemetry: Telemetry = telemetry or NullTelemetry()

    # -- services ---------------------------------------------------------------------------------

    @cached_property
    def ask(self) -> AskService:
        from twin.services.ask import AskService

        return AskService(
            twin_id=self.settings.twin_id,
            index=self.index,
            profiles=self.profiles,
            cache=self.cache,
            sessions=self.sessions_store,
            model=self.model,
            cache_ttl_seconds=self.settings.cache_ttl_seconds,
            telemetry=self.telemetry,
        )

    @cached_property
    def search(self) -> SearchService:
        from twin.services.search import SearchService

        return SearchService(twin_id=self.settings.twin_id, index=self.index, telemetry=self.telemetry)

    @cached_property
    def profile(self) -> ProfileService:
        from twin.services.profile import ProfileService

        return ProfileService(twin_id=self.settings.twin_id, index=self.index, profiles=self.profiles)

    @cached_property
    def ingest(self) -> IngestService:
        from twin.services.ingest import IngestService

        return IngestService(twin_id=self.settings.twin_id, index=self.writable_index, profiles=self.profiles)

    @cached_property
    def sessions(self) -> SessionService:
        from twin.services.sessions import SessionService

        return SessionService(sessions=self.sessions_store)

    @cached_property
    def invites(self) -> InviteService:
        from twin.services.invites import InviteService

        return InviteService(invites=self.invite_store)

    # -- adapters ---------------------------------------------------------------------------------

    @property
    def embedded_index(self) -> bool:
        return not self.settings.upstash_vector_url

    @cached_property
    def index(self) -> VectorIndex:
        """For reading: the read-only token when there is one."""
        if self.embedded_index:
            return self._sqlite_index
        token = secret(self.settings, "upstash_vector_readonly_token") or secret(self.settings, "upstash_vector_token")
        return self._upstash_index(token, "TWIN_UPSTASH_VECTOR_READONLY_TOKEN")

    @cached_property
    def writable_index(self) -> VectorIndex:
        """For ingest: the read-write token (only the ingest function is given one)."""
        if self.embedded_index:
            return self._sqlite_index
        return self._upstash_index(secret(self.settings, "upstash_vector_token"), "TWIN_UPSTASH_VECTOR_TOKEN")

    @cached_property
    def profiles(self) -> ProfileStore:
        """Beside the index it describes: SQLite with the embedded index, Redis with Upstash Vector."""
        if self.embedded_index or self._redis is None:
            from twin.adapters.sqlite_profile_store import SqliteProfileStore

            return SqliteProfileStore(self.settings.resolved_index_path())
        from twin.adapters.degraded import LastKnownProfileStore
        from twin.adapters.upstash_redis_stores import RedisProfileStore

        return LastKnownProfileStore(RedisProfileStore(self._redis, self._twin_prefix), self.telemetry)

    @cached_property
    def cache(self) -> Cache:
        if self._redis is None:
            from twin.adapters.memory_cache import MemoryCache

            return MemoryCache()
        from twin.adapters.degraded import DegradingCache
        from twin.adapters.upstash_redis_stores import RedisCache

        return DegradingCache(RedisCache(self._redis, self._twin_prefix), self.telemetry)

    @cached_property
    def sessions_store(self) -> SessionStore:
        ttl, turns = self.settings.session_ttl_seconds, self.settings.session_max_turns
        if self._redis is None:
            from twin.adapters.memory_sessions import MemorySessionStore

            return MemorySessionStore(ttl_seconds=ttl, max_turns=turns)
        from twin.adapters.degraded import DegradingSessionStore
        from twin.adapters.upstash_redis_stores import RedisSessionStore

        store = RedisSessionStore(self._redis, self._twin_prefix, ttl_seconds=ttl, max_turns=turns)
        return DegradingSessionStore(store, self.telemetry)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        if self._redis is None:
            from twin.adapters.memory_rate_limiter import MemoryRateLimiter

            return MemoryRateLimiter()
        from twin.adapters.degraded import FailSoftRateLimiter
        from twin.adapters.upstash_redis_stores import RedisRateLimiter

        on_failure = cast(Literal["allow", "deny"], self.settings.rate_limit_on_failure)
        return FailSoftRateLimiter(RedisRateLimiter(self._redis, self._environment_prefix), self.telemetry, on_failure)

    @cached_property
    def model(self) -> ChatModel:
        from twin.adapters.extractive_model import ExtractiveModel

        api_key = secret(self.settings, "groq_api_key")
        if api_key is None:
            return ExtractiveModel()
        from twin.adapters.circuit_breaker import CircuitBreaker
        from twin.adapters.deferred_model import DeferredModel
        from twin.adapters.fallback_model import FallbackModel

        settings = self.settings

        def groq() -> ChatModel:
            from twin.adapters.groq_model import GroqModel

            return GroqModel(
                api_key,
                model=settings.groq_model,
                temperature=settings.groq_temperature,
                max_tokens=settings.groq_max_tokens,
                timeout_seconds=settings.groq_timeout_seconds,
                max_retries=settings.groq_max_retries,
                base_url=settings.groq_base_url,
                reasoning_effort=cast("ReasoningEffort | None", settings.groq_reasoning_effort),
            )

        breaker = CircuitBreaker(
            self.cache,
            "model",
            failures=settings.model_breaker_failures,
            cooldown_seconds=settings.model_breaker_cooldown_seconds,
        )
        return FallbackModel(DeferredModel(groq), ExtractiveModel(), breaker, self.telemetry)

    @cached_property
    def key_store(self) -> KeyStore:
        if self._redis is None:
            from twin.adapters.sqlite_key_store import SqliteKeyStore

            return SqliteKeyStore(str(self.settings.state_dir / "keys.db"))
        from twin.adapters.upstash_redis_stores import RedisKeyStore

        return RedisKeyStore(self._redis, self._environment_prefix)

    @cached_property
    def invite_store(self) -> InviteStore:
        if self._redis is None:
            from twin.adapters.sqlite_oauth_stores import SqliteInviteStore

            return SqliteInviteStore(self._oauth_database)
        from twin.adapters.upstash_redis_stores import RedisInviteStore

        return RedisInviteStore(self._redis, self._environment_prefix)

    @cached_property
    def oauth_store(self) -> OAuthStore:
        if self._redis is None:
            from twin.adapters.sqlite_oauth_stores import SqliteOAuthStore

            return SqliteOAuthStore(self._oauth_database)
        from twin.adapters.upstash_redis_stores import RedisOAuthStore

        return RedisOAuthStore(self._redis, self._environment_prefix)

    @cached_property
    def client_metadata_documents(self) -> ClientMetadataDocuments:
        from twin.adapters.client_metadata_documents import ClientMetadataFetcher

        return ClientMetadataFetcher(allow_loopback=self.settings.oauth_client_metadata_allow_loopback)

    @cached_property
    def token_verifier(self) -> TokenVerifier:
        verifier = token_verifier(self.settings)
        if verifier is None:
            raise ConfigurationError("TWIN_JWT_SECRET", "verifying bearer tokens needs a secret or a JWKS")
        return verifier

    @cached_property
    def oauth_signing_secret(self) -> str:
        """The HS256 secret the authorization server signs its tokens with (and derives client secrets from)."""
        jwt_secret = secret(self.settings, "jwt_secret")
        if jwt_secret is None:
            raise ConfigurationError("TWIN_JWT_SECRET", "the OAuth authorization server signs tokens with it")
        return jwt_secret

    def issue_oauth_token(
        self, subject: str, audience: str, scopes: list[str], claims: dict[str, str], ttl_seconds: int
    ) -> str:
        from twin.adapters.jwt_tokens import issue_token

        return issue_token(
            secret=self.oauth_signing_secret,
            issuer=self.settings.jwt_issuer,
            subject=subject,
            audiences=[audience],
            scopes=scopes,
            ttl_seconds=ttl_seconds,
            tier=TIERS[0],
            extra_claims=claims,
        )

    @cached_property
    def _oauth_database(self) -> SqliteOAuthDatabase:
        from twin.adapters.sqlite_oauth_stores import SqliteOAuthDatabase

        return SqliteOAuthDatabase(str(self.settings.state_dir / "oauth.db"))

    @cached_property
    def _sqlite_index(self) -> VectorIndex:
        from twin.adapters.sqlite_index import SqliteIndex

        return SqliteIndex(self.settings.resolved_index_path())

    def _upstash_index(self, token: str | None, token_setting: str) -> VectorIndex:
        from twin.adapters.upstash_vector_index import UpstashVectorIndex

        if token is None:
            raise ConfigurationError(token_setting, "TWIN_UPSTASH_VECTOR_URL is set, so a token is needed")
        return UpstashVectorIndex(
            cast(str, self.settings.upstash_vector_url),
            token,
            timeout_seconds=self.settings.upstash_timeout_seconds,
            query_mode=self.settings.upstash_vector_query_mode,
        )

    @cached_property
    def _redis(self) -> Redis | None:
        url = self.settings.upstash_redis_url
        if not url:
            return None
        token = secret(self.settings, "upstash_redis_token")
        if token is None:
            raise ConfigurationError("TWIN_UPSTASH_REDIS_TOKEN", "TWIN_UPSTASH_REDIS_URL is set, so a token is needed")
        from twin.adapters.upstash_redis_stores import redis_client

        return redis_client(url, token, timeout_seconds=self.settings.upstash_timeout_seconds)

    @property
    def _environment_prefix(self) -> str:
        from twin.adapters.upstash_redis_stores import key_prefix

        return key_prefix(self.settings.environment)

    @property
    def _twin_prefix(self) -> str:
        from twin.adapters.upstash_redis_stores import key_prefix

        return key_prefix(self.settings.environment, self.settings.twin_id)


def build_services(settings: Settings, telemetry: Telemetry | None = None) -> Services:
    return Services(settings, telemetry)


def seed_if_empty(services: Services) -> IngestReport | None:
    """With the embedded index, ingest the configured profile or the bundled sample when the twin has none.

    A cloud index is never seeded: its owner ingests into it.
    """
    if not services.embedded_index or services.profile.find() is not None:
        return None
    return services.ingest.ingest(read_configured_profile(services.settings))


def read_configured_profile(settings: Settings) -> bytes:
    from twin.profiles import sample_profile

    if settings.profile_path is None:
        return sample_profile()
    try:
        return settings.profile_path.read_bytes()
    except OSError as error:
        raise ConfigurationError(
            "TWIN_PROFILE_PATH", f"cannot read {settings.profile_path}: {error.strerror}"
        ) from None


def token_verifier(settings: Settings) -> TokenVerifier | None:
    """Bearer JWTs checked against the HS256 secret, the JWKS or both; None when neither is configured."""
    from twin.adapters.jwt_tokens import JwtVerifier

    jwt_secret = secret(settings, "jwt_secret")
    if not jwt_secret and not settings.jwks_url:
        return None
    return JwtVerifier(
        issuer=settings.jwt_issuer,
        secret=jwt_secret,
        jwks_url=settings.jwks_url,
        leeway_seconds=settings.jwt_leeway_seconds,
    )


def build_authenticator(settings: Settings) -> Authenticator:
    """The decision both enforcers share."""
    from twin.security.authenticator import Authenticator

    tokens = token_verifier(settings)
    services = Services(settings)
    return Authenticator(
        tokens=tokens, keys=lambda: services.key_store, invites=lambda: services.invite_store, tiers=TIERS
    )


def build_key_service(settings: Settings) -> KeyService:
    from twin.services.keys import KeyService

    usage_plans = None
    if settings.usage_plan_ids:
        from twin.adapters.api_gateway_usage_plans import ApiGatewayUsagePlans

        usage_plans = ApiGatewayUsagePlans(settings.usage_plan_ids)
    return KeyService(keys=Services(settings).key_store, tiers=TIERS, usage_plans=usage_plans)
