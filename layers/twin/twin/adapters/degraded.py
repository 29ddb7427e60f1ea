"""Stores that fail soft: when Upstash Redis is down, requests go on without cache, sessions or limits.

Each wrapper logs the outage (never a key or a value) and counts it, so the dashboard shows it.
"""

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from twin.domain.answers import Answer, Turn
from twin.domain.profile import IndexedProfile
from twin.domain.question_log import Asked, LoggedQuestion
from twin.domain.rate_limits import RateDecision, RateLimit
from twin.errors import BackendUnavailableError
from twin.ports import AskStore, Cache, ProfileStore, QuestionLog, RateLimiter, SessionStore, Telemetry

_log = logging.getLogger("twin.degraded")


def _outage(telemetry: Telemetry, metric: str, error: BackendUnavailableError) -> None:
    _log.warning("%s: %s unavailable (%s); going on without it", metric, error.service, error.reason)
    telemetry.count(metric)


class DegradingCache:
    def __init__(self, cache: Cache, telemetry: Telemetry) -> None:
        self._cache = cache
        self._telemetry = telemetry

    def get(self, key: str) -> str | None:
        try:
            return self._cache.get(key)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "CacheUnavailable", error)
            return None

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        try:
            self._cache.set(key, value, ttl_seconds)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "CacheUnavailable", error)


class DegradingSessionStore:
    def __init__(self, sessions: SessionStore, telemetry: Telemetry) -> None:
        self._sessions = sessions
        self._telemetry = telemetry

    def history(self, session_id: str) -> list[Turn]:
        try:
            return self._sessions.history(session_id)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "SessionsUnavailable", error)
            return []

    def append(self, session_id: str, turn: Turn) -> None:
        try:
            self._sessions.append(session_id, turn)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "SessionsUnavailable", error)

    def delete(self, session_id: str) -> bool:
        # Erasure must not pretend to succeed: the caller learns the store is down (503).
        return self._sessions.delete(session_id)


class LastKnownProfileStore:
    """Serves the last profile record this process read while the store is down."""

    def __init__(self, profiles: ProfileStore, telemetry: Telemetry) -> None:
        self._profiles = profiles
        self._telemetry = telemetry
        self._last: dict[str, IndexedProfile] = {}

    def get(self, twin_id: str) -> IndexedProfile | None:
        try:
            profile = self._profiles.get(twin_id)
        except BackendUnavailableError as error:
            if twin_id not in self._last:
                raise
            _outage(self._telemetry, "ProfileStoreUnavailable", error)
            return self._last[twin_id]
        if profile is not None:
            self._last[twin_id] = profile
        return profile


class DegradingAskStore:
    """As the separate degrading stores would: the last profile record this process read, no conversation context,
    no cached answer, nothing remembered."""

    def __init__(self, store: AskStore, telemetry: Telemetry) -> None:
        self._store = store
        self._telemetry = telemetry
        self._last: dict[str, IndexedProfile] = {}

    def open(self, twin_id: str, conversation: str) -> tuple[IndexedProfile | None, list[Turn]]:
        try:
            profile, history = self._store.open(twin_id, conversation)
        except BackendUnavailableError as error:
            if twin_id not in self._last:
                raise
            _outage(self._telemetry, "ProfileStoreUnavailable", error)
            _outage(self._telemetry, "SessionsUnavailable", error)
            return self._last[twin_id], []
        if profile is not None:
            self._last[twin_id] = profile
        return profile, history

    def recall(self, key: str, conversation: str, question: str, *, log: Asked | None = None) -> Answer | None:
        try:
            return self._store.recall(key, conversation, question, log=log)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "CacheUnavailable", error)
            return None

    def record(
        self, conversation: str, question: str, answer: Answer, *, cache_key: str | None, log: Asked | None = None
    ) -> None:
        try:
            self._store.record(conversation, question, answer, cache_key=cache_key, log=log)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "SessionsUnavailable", error)
            if cache_key is not None:
                _outage(self._telemetry, "CacheUnavailable", error)


class DegradingQuestionLog:
    """An answer goes out though its question could not be logged; the owner's reads and purges fail loudly."""

    def __init__(self, questions: QuestionLog, telemetry: Telemetry) -> None:
        self._questions = questions
        self._telemetry = telemetry

    def add(self, entry: LoggedQuestion) -> None:
        try:
            self._questions.add(entry)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "QuestionLogUnavailable", error)

    def since(self, start: float) -> list[LoggedQuestion]:
        return self._questions.since(start)

    def purge(self, before: float | None = None) -> int:
        return self._questions.purge(before)

    def export_records(self) -> list[LoggedQuestion]:
        return self._questions.export_records()

    def import_records(self, records: Sequence[LoggedQuestion]) -> None:
        self._questions.import_records(records)


class FailSoftRateLimiter:
    """When the limiter's store is down: allow (the default; usage plans still apply) or refuse."""

    def __init__(
        self, limiter: RateLimiter, telemetry: Telemetry, on_failure: Literal["allow", "deny"] = "allow"
    ) -> None:
        self._limiter = limiter
        self._telemetry = telemetry
        self._allow = on_failure == "allow"

    def hit(self, key: str, limit: RateLimit) -> RateDecision:
        return self.hit_each([(key, limit)])[0]

    def hit_each(self, hits: Sequence[tuple[str, RateLimit]]) -> list[RateDecision]:
        try:
            return self._limiter.hit_each(hits)
        except BackendUnavailableError as error:
            _outage(self._telemetry, "RateLimiterUnavailable", error)
            if self._allow:
                return [_allowed(limit) for _, limit in hits]
            limit = hits[0][1]
            retry_after = error.retry_after_seconds or limit.window_seconds
            return [replace(_allowed(limit), allowed=False, remaining=0, retry_after_seconds=retry_after)]


def _allowed(limit: RateLimit) -> RateDecision:
    return RateDecision(
        allowed=True, limit=limit.requests, remaining=limit.requests, reset_seconds=0, retry_after_seconds=0
    )
