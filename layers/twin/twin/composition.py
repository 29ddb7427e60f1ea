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
from twin.settings import PREFIX, TIERS, Settings, lambda_runtime_variable

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics
    from upstash_redis import Redis

    from twin.adapters.circuit_breaker import CircuitBreaker
    from twin.adapters.groq_model import GroqModel, ReasoningEffort
    from twin.adapters.sqlite_index import SqliteIndex
    from twin.adapters.sqlite_oauth_stores import SqliteOAuthDatabase
    from twin.adapters.upstash_question_log import RedisQuestionLog
    from twin.adapters.upstash_redis_stores import RedisProfileStore, RedisSessionStore
    from twin.adapters.upstash_vector_index import UpstashVectorIndex
    from twin.adapters.xray_daemon import XRayDaemon
    from twin.domain.question_log import Retention
    from twin.ports import (
        ApprovedAnswerStore,
        AskStore,
        Cache,
        ChatModel,
        ClientMetadataDocuments,
        FitModel,
        InviteStore,
        KeyStore,
        OAuthStore,
        ProfileDocuments,
        ProfilePublisher,
        ProfileStore,
        QuestionLog,
        RateLimiter,
        SessionStore,
        Telemetry,
        TokenIssuer,
        TokenVerifier,
        VectorIndex,
    )
    from twin.security.authenticator import Authenticator
    from twin.services.answers import AnswerService
    from twin.services.ask import AskService
    from twin.services.backup import BackupService
    from twin.services.fit import FitService
    from twin.services.ingest import IngestReport, IngestService
    from twin.services.invites import InviteService
    from twin.services.keys import KeyService
    from twin.services.profile import ProfileService
    from twin.services.questions import QuestionsService
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
            store=self.ask_store,
            model=self.model,
            telemetry=self.telemetry,
        )

    @cached_property
    def fit(self) -> FitService:
        from twin.services.fit import FitService

        return FitService(
            twin_id=self.settings.twin_id,
            index=self.index,
            profiles=self.profiles,
            model=self.fit_model,
            cache=self.cache,
            cache_ttl_seconds=self.settings.cache_ttl_seconds,
            telemetry=self.telemetry,
        )

    @cached_property
    def search(self) -> SearchService:
        from twin.services.search import SearchService

        return SearchService(
            twin_id=self.settings.twin_id, index=self.index, profiles=self.profiles, telemetry=self.telemetry
        )

    @cached_property
    def profile(self) -> ProfileService:
        from twin.services.profile import ProfileService

        return ProfileService(twin_id=self.settings.twin_id, index=self.index, profiles=self.profiles)

    @cached_property
    def ingest(self) -> IngestService:
        from twin.services.ingest import IngestService

        return IngestService(
            twin_id=self.settings.twin_id,
            environment=self.settings.environment,
            index=self.writable_index,
            profiles=self.profiles,
            publisher=self.publisher,
            documents=self.profile_documents,
            approved=self.approved_answers,
        )

    @cached_property
    def questions(self) -> QuestionsService:
        """The owner's view of the question log: insights and purges."""
        from twin.services.questions import QuestionsService

        return QuestionsService(questions=self.question_log, profile=self.profile)

    @cached_property
    def answers(self) -> AnswerService:
        from twin.services.answers import AnswerService

        return AnswerService(answers=self.approved_answers, ingest=self.ingest)

    @cached_property
    def authenticator(self) -> Authenticator:
        """The decision both enforcers share: `twin serve` and the Lambda authorizer."""
        from twin.security.authenticator import Authenticator

        return Authenticator(
            tokens=token_verifier(self.settings),
            keys=lambda: self.key_store,
            invites=lambda: self.invite_store,
            tiers=TIERS,
        )

    @cached_property
    def keys(self) -> KeyService:
        from twin.services.keys import KeyService

        usage_plans = None
        if self.settings.usage_plan_ids:
            from twin.adapters.api_gateway_usage_plans import ApiGatewayUsagePlans

            usage_plans = ApiGatewayUsagePlans(self.settings.usage_plan_ids)
        return KeyService(keys=self.key_store, tiers=TIERS, usage_plans=usage_plans)

    @cached_property
    def token_issuer(self) -> TokenIssuer:
        """Issues the HS256 tokens `twin serve` and `twin token issue` print."""
        from twin.adapters.jwt_tokens import JwtIssuer

        jwt_secret = secret(self.settings, "jwt_secret")
        if jwt_secret is None:
            raise ConfigurationError("TWIN_JWT_SECRET", "issuing tokens needs an HS256 secret")
        return JwtIssuer(secret=jwt_secret, issuer=self.settings.jwt_issuer)

    @cached_property
    def sessions(self) -> SessionService:
        from twin.services.sessions import SessionService

        return SessionService(sessions=self.sessions_store)

    @cached_property
    def invites(self) -> InviteService:
        from twin.services.invites import InviteService

        return InviteService(invites=self.invite_store)

    @cached_property
    def backup(self) -> BackupService:
        """`twin backup`: each durable store a part of the file (docs/operations.md#back-up-and-restore)."""
        from twin.services.backup import BackupPart, BackupService
        from twin.services.backup_parts import (
            ApiKeys,
            ApprovedAnswers,
            Invites,
            OAuthRecords,
            ProfilePart,
            Questions,
            RecordPart,
        )

        settings = self.settings
        parts: list[BackupPart] = [
            RecordPart("api_keys", self.key_store, ApiKeys(TIERS)),
            RecordPart("invites", self.invite_store, Invites()),
            RecordPart("oauth", self.oauth_store, OAuthRecords()),
            RecordPart("questions", self.question_log, Questions()),
            RecordPart("approved_answers", self.approved_answers, ApprovedAnswers()),
            ProfilePart(twin_id=settings.twin_id, documents=self.profile_documents, ingest=self.ingest),
        ]
        return BackupService(parts=parts, twin_id=settings.twin_id, environment=settings.environment)

    # -- adapters ---------------------------------------------------------------------------------

    @property
    def embedded_index(self) -> bool:
        return not self.settings.upstash_vector_url

    @property
    def waits_on_network(self) -> bool:
        """Whether a service call or an authentication can wait on a network service (Upstash, Groq, a JWKS);
        with none configured every adapter answers from this process."""
        settings = self.settings
        return bool(
            settings.upstash_vector_url
            or settings.upstash_redis_url
            or settings.upstash_credentials_redis_url
            or settings.groq_api_key
            or settings.groq_api_key_parameter
            or settings.jwks_url
        )

    @cached_property
    def index(self) -> VectorIndex:
        """For reading: the read-only token when there is one."""
        if self.embedded_index:
            return self._sqlite_index
        token = secret(self.settings, "upstash_vector_readonly_token") or secret(self.settings, "upstash_vector_token")
        return self._upstash_index(token, "TWIN_UPSTASH_VECTOR_READONLY_TOKEN")

    @property
    def writable_index(self) -> VectorIndex:
        """For ingest: the read-write token (only the ingest function is given one)."""
        return self._sqlite_index if self.embedded_index else self._writable_upstash_index

    @cached_property
    def profiles(self) -> ProfileStore:
        """Beside the index it describes: in the SQLite file of the embedded index, in Redis with Upstash Vector."""
        if self.embedded_index:
            return self._sqlite_index
        from twin.adapters.degraded import LastKnownProfileStore

        return LastKnownProfileStore(self._redis_profiles, self.telemetry)

    @cached_property
    def publisher(self) -> ProfilePublisher:
        """One SQLite transaction; on Upstash, a namespace per version and a compare-and-set of the Redis record."""
        if self.embedded_index:
            return self._sqlite_index
        from twin.adapters.upstash_publisher import UpstashPublisher

        return UpstashPublisher(self._writable_upstash_index, self._redis_profiles)

    @cached_property
    def profile_documents(self) -> ProfileDocuments:
        """Beside the profile record: in the embedded index's file, or in Redis with Upstash Vector."""
        if self.embedded_index:
            return self._sqlite_index
        from twin.adapters.upstash_redis_stores import RedisProfileDocuments

        return RedisProfileDocuments(cast("Redis", self._redis), self._twin_prefix)

    @cached_property
    def ask_store(self) -> AskStore:
        """With Upstash Vector the profile record is in Redis beside the conversations: one round trip per step."""
        ttl = self.settings.cache_ttl_seconds
        logs_questions = self.settings.question_log  # off: the store is given no log to write to
        if self.embedded_index:
            from twin.adapters.sequential_ask_store import SequentialAskStore

            questions = self.question_log if logs_questions else None
            return SequentialAskStore(
                self.profiles, self.sessions_store, self.cache, cache_ttl_seconds=ttl, questions=questions
            )
        from twin.adapters.degraded import DegradingAskStore
        from twin.adapters.upstash_ask_store import RedisAskStore

        store = RedisAskStore(
            cast("Redis", self._redis),
            self._twin_prefix,
            sessions=self._redis_sessions,
            cache_ttl_seconds=ttl,
            questions=self._redis_questions if logs_questions else None,
        )
        return DegradingAskStore(store, self.telemetry)

    @cached_property
    def question_log(self) -> QuestionLog:
        """In Redis when there is one (beside the conversations), else a SQLite file in the state directory."""
        if self._redis is None:
            from twin.adapters.sqlite_question_log import SqliteQuestionLog

            return SqliteQuestionLog(str(self.settings.state_dir / "questions.db"), retention=self._retention)
        from twin.adapters.degraded import DegradingQuestionLog

        return DegradingQuestionLog(self._redis_questions, self.telemetry)

    @cached_property
    def approved_answers(self) -> ApprovedAnswerStore:
        """Beside the profile record: in the embedded index's SQLite file, or in Redis with Upstash Vector."""
        if self.embedded_index:
            from twin.adapters.sqlite_answer_store import SqliteApprovedAnswerStore

            return SqliteApprovedAnswerStore(self.settings.resolved_index_path(), self.settings.twin_id)
        from twin.adapters.upstash_answer_store import RedisApprovedAnswerStore

        return RedisApprovedAnswerStore(cast("Redis", self._redis), self._twin_prefix)

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
        if self._redis is None:
            from twin.adapters.memory_sessions import MemorySessionStore

            settings = self.settings
            return MemorySessionStore(ttl_seconds=settings.session_ttl_seconds, max_turns=settings.session_max_turns)
        from twin.adapters.degraded import DegradingSessionStore

        return DegradingSessionStore(self._redis_sessions, self.telemetry)

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

        if not self._has_groq:
            return ExtractiveModel()
        from twin.adapters.deferred_model import DeferredModel
        from twin.adapters.fallback_model import FallbackModel

        return FallbackModel(DeferredModel(self._groq), ExtractiveModel(), self._model_breaker, self.telemetry)

    @cached_property
    def fit_model(self) -> FitModel:
        """Groq judges when it is configured, with the extractive judge standing in; the two share one breaker."""
        from twin.adapters.extractive_fit import ExtractiveFitModel

        if not self._has_groq:
            return ExtractiveFitModel()
        from twin.adapters.fallback_model import FallbackFitModel
        from twin.adapters.groq_fit_model import GroqFitModel

        primary = GroqFitModel(self._groq, max_tokens=self.settings.groq_fit_max_tokens)
        return FallbackFitModel(primary, ExtractiveFitModel(), self._model_breaker, self.telemetry)

    @property
    def _has_groq(self) -> bool:
        return self._groq_api_key is not None

    @cached_property
    def _groq_api_key(self) -> str | None:
        return secret(self.settings, "groq_api_key")

    def _groq(self) -> GroqModel:
        """Made when first used (importing the SDK costs a cold start): `DeferredModel` and `GroqFitModel` call it."""
        return self._groq_model

    @cached_property
    def _groq_model(self) -> GroqModel:
        from twin.adapters.groq_model import GroqModel

        settings = self.settings
        return GroqModel(
            cast(str, self._groq_api_key),
            model=settings.groq_model,
            temperature=settings.groq_temperature,
            max_tokens=settings.groq_max_tokens,
            timeout_seconds=settings.groq_timeout_seconds,
            max_retries=settings.groq_max_retries,
            base_url=settings.groq_base_url,
            reasoning_effort=cast("ReasoningEffort | None", settings.groq_reasoning_effort),
        )

    @cached_property
    def _model_breaker(self) -> CircuitBreaker:
        from twin.adapters.circuit_breaker import CircuitBreaker

        settings = self.settings
        return CircuitBreaker(
            self.cache,
            "model",
            failures=settings.model_breaker_failures,
            cooldown_seconds=settings.model_breaker_cooldown_seconds,
        )

    @cached_property
    def key_store(self) -> KeyStore:
        credentials = self._credentials_redis
        if credentials is None:
            from twin.adapters.sqlite_key_store import SqliteKeyStore

            return SqliteKeyStore(str(self.settings.state_dir / "keys.db"))
        from twin.adapters.upstash_redis_credentials import RedisKeyStore

        return RedisKeyStore(credentials, self._environment_prefix)

    @cached_property
    def invite_store(self) -> InviteStore:
        credentials = self._credentials_redis
        if credentials is None:
            from twin.adapters.sqlite_oauth_stores import SqliteInviteStore

            return SqliteInviteStore(self._oauth_database)
        from twin.adapters.upstash_redis_credentials import RedisInviteStore

        return RedisInviteStore(credentials, self._environment_prefix)

    @cached_property
    def oauth_store(self) -> OAuthStore:
        credentials = self._credentials_redis
        if credentials is None:
            from twin.adapters.sqlite_oauth_stores import SqliteOAuthStore

            return SqliteOAuthStore(self._oauth_database)
        from twin.adapters.upstash_redis_credentials import RedisOAuthStore

        return RedisOAuthStore(credentials, self._environment_prefix)

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
        return self.token_issuer.issue(
            subject=subject,
            audiences=[audience],
            scopes=scopes,
            ttl_seconds=ttl_seconds,
            tier=TIERS[0],
            claims=claims,
        )

    @cached_property
    def _oauth_database(self) -> SqliteOAuthDatabase:
        from twin.adapters.sqlite_oauth_stores import SqliteOAuthDatabase

        return SqliteOAuthDatabase(str(self.settings.state_dir / "oauth.db"))

    @cached_property
    def _sqlite_index(self) -> SqliteIndex:
        from twin.adapters.sqlite_index import SqliteIndex

        return SqliteIndex(self.settings.resolved_index_path())

    @cached_property
    def _writable_upstash_index(self) -> UpstashVectorIndex:
        return self._upstash_index(secret(self.settings, "upstash_vector_token"), "TWIN_UPSTASH_VECTOR_TOKEN")

    @cached_property
    def _redis_profiles(self) -> RedisProfileStore:
        from twin.adapters.upstash_redis_stores import RedisProfileStore

        # Settings refuse a Vector URL without a Redis URL, so there is a Redis client.
        return RedisProfileStore(cast("Redis", self._redis), self._twin_prefix)

    @cached_property
    def _redis_sessions(self) -> RedisSessionStore:
        from twin.adapters.upstash_redis_stores import RedisSessionStore

        settings = self.settings
        return RedisSessionStore(
            cast("Redis", self._redis),
            self._twin_prefix,
            ttl_seconds=settings.session_ttl_seconds,
            max_turns=settings.session_max_turns,
        )

    @cached_property
    def _redis_questions(self) -> RedisQuestionLog:
        from twin.adapters.upstash_question_log import RedisQuestionLog

        return RedisQuestionLog(cast("Redis", self._redis), self._twin_prefix, retention=self._retention)

    @property
    def _retention(self) -> Retention:
        from twin.domain.question_log import Retention

        settings = self.settings
        return Retention(days=settings.question_log_retention_days, max_entries=settings.question_log_max_entries)

    def _upstash_index(self, token: str | None, token_setting: str) -> UpstashVectorIndex:
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
        """The main database: cache, sessions, limits, the question log and the profile record."""
        return self._upstash_redis("upstash_redis")

    @cached_property
    def _credentials_redis(self) -> Redis | None:
        """The credential records' database: its own when configured (on AWS, where only the authorizer and the OAuth
        function are given it), else the main one."""
        if not self.settings.upstash_credentials_redis_url:
            return self._redis
        return self._upstash_redis("upstash_credentials_redis")

    def _upstash_redis(self, database: str) -> Redis | None:
        """A client of the database the settings `<database>_url` and `<database>[_readonly]_token` name."""
        url: str | None = getattr(self.settings, f"{database}_url")
        if not url:
            return None
        # Where a function only reads (the authorizer its credentials, health its profile record), it has only the
        # read-only token.
        token = secret(self.settings, f"{database}_token") or secret(self.settings, f"{database}_readonly_token")
        if token is None:
            setting = PREFIX + database.upper()
            raise ConfigurationError(f"{setting}_TOKEN", f"{setting}_URL is set, so a token is needed")
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


def lambda_telemetry(metrics: Metrics) -> tuple[Telemetry, XRayDaemon | None]:
    """In Lambda: EMF metrics through the function's Powertools `metrics`, and X-Ray subsegments (the daemon, also
    returned for the request subsegments) when the function runs with active tracing."""
    from twin.adapters.cloudwatch_telemetry import CloudWatchTelemetry
    from twin.adapters.snapstart import after_restore
    from twin.adapters.xray_daemon import XRayDaemon

    address = lambda_runtime_variable("AWS_XRAY_DAEMON_ADDRESS")
    xray = None
    if address:
        xray = XRayDaemon(address, lambda: lambda_runtime_variable("_X_AMZN_TRACE_ID"))
        after_restore(xray.reconnect)  # a restored snapshot must not share the socket made before it
    return CloudWatchTelemetry(metrics, xray), xray


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
