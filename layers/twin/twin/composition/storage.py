"""Where the twin's data lives: the index and the stores beside it, embedded (SQLite, in-process) or on Upstash.

Each is made on first use, and its adapter imported only then.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Literal, cast

from twin.errors import ConfigurationError
from twin.parameters import secret
from twin.settings import PREFIX, Settings

if TYPE_CHECKING:
    from upstash_redis import Redis

    from twin.adapters.sqlite_index import SqliteIndex
    from twin.adapters.upstash_question_log import RedisQuestionLog
    from twin.adapters.upstash_redis_stores import RedisProfileStore, RedisSessionStore
    from twin.adapters.upstash_vector_index import UpstashVectorIndex
    from twin.domain.question_log import Retention
    from twin.ports import (
        ApprovedAnswerStore,
        AskStore,
        Cache,
        ProfileDocuments,
        ProfilePublisher,
        ProfileStore,
        QuestionLog,
        RateLimiter,
        SessionStore,
        Telemetry,
        VectorIndex,
    )


class Storage:
    def __init__(self, settings: Settings, telemetry: Telemetry) -> None:
        self.settings = settings
        self.telemetry = telemetry

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

        return RedisProfileDocuments(cast("Redis", self.redis), self._twin_prefix)

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
            cast("Redis", self.redis),
            self._twin_prefix,
            sessions=self._redis_sessions,
            cache_ttl_seconds=ttl,
            questions=self._redis_questions if logs_questions else None,
        )
        return DegradingAskStore(store, self.telemetry)

    @cached_property
    def question_log(self) -> QuestionLog:
        """In Redis when there is one (beside the conversations), else a SQLite file in the state directory."""
        if self.redis is None:
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

        return RedisApprovedAnswerStore(cast("Redis", self.redis), self._twin_prefix)

    @cached_property
    def cache(self) -> Cache:
        if self.redis is None:
            from twin.adapters.memory_cache import MemoryCache

            return MemoryCache()
        from twin.adapters.degraded import DegradingCache
        from twin.adapters.upstash_redis_stores import RedisCache

        return DegradingCache(RedisCache(self.redis, self._twin_prefix), self.telemetry)

    @cached_property
    def sessions_store(self) -> SessionStore:
        if self.redis is None:
            from twin.adapters.memory_sessions import MemorySessionStore

            settings = self.settings
            return MemorySessionStore(ttl_seconds=settings.session_ttl_seconds, max_turns=settings.session_max_turns)
        from twin.adapters.degraded import DegradingSessionStore

        return DegradingSessionStore(self._redis_sessions, self.telemetry)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        if self.redis is None:
            from twin.adapters.memory_rate_limiter import MemoryRateLimiter

            return MemoryRateLimiter()
        from twin.adapters.degraded import FailSoftRateLimiter
        from twin.adapters.upstash_redis_stores import RedisRateLimiter

        on_failure = cast(Literal["allow", "deny"], self.settings.rate_limit_on_failure)
        return FailSoftRateLimiter(RedisRateLimiter(self.redis, self.environment_prefix), self.telemetry, on_failure)

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
        return RedisProfileStore(cast("Redis", self.redis), self._twin_prefix)

    @cached_property
    def _redis_sessions(self) -> RedisSessionStore:
        from twin.adapters.upstash_redis_stores import RedisSessionStore

        settings = self.settings
        return RedisSessionStore(
            cast("Redis", self.redis),
            self._twin_prefix,
            ttl_seconds=settings.session_ttl_seconds,
            max_turns=settings.session_max_turns,
        )

    @cached_property
    def _redis_questions(self) -> RedisQuestionLog:
        from twin.adapters.upstash_question_log import RedisQuestionLog

        return RedisQuestionLog(cast("Redis", self.redis), self._twin_prefix, retention=self._retention)

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
    def redis(self) -> Redis | None:
        """The main database: cache, sessions, limits, the question log and the profile record."""
        return upstash_redis(self.settings, "upstash_redis")

    @property
    def environment_prefix(self) -> str:
        from twin.adapters.upstash_redis_stores import key_prefix

        return key_prefix(self.settings.environment)

    @property
    def _twin_prefix(self) -> str:
        from twin.adapters.upstash_redis_stores import key_prefix

        return key_prefix(self.settings.environment, self.settings.twin_id)


def upstash_redis(settings: Settings, database: str) -> Redis | None:
    """A client of the database the settings `<database>_url` and `<database>[_readonly]_token` name."""
    url: str | None = getattr(settings, f"{database}_url")
    if not url:
        return None
    # Where a function only reads (the authorizer its credentials, health its profile record), it has only the
    # read-only token.
    token = secret(settings, f"{database}_token") or secret(settings, f"{database}_readonly_token")
    if token is None:
        setting = PREFIX + database.upper()
        raise ConfigurationError(f"{setting}_TOKEN", f"{setting}_URL is set, so a token is needed")
    from twin.adapters.upstash_redis_stores import redis_client

    return redis_client(url, token, timeout_seconds=settings.upstash_timeout_seconds)
