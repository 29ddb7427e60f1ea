from typing import Any, cast

import pytest

from tests.fakes import Outage, RecordingTelemetry
from twin.adapters.degraded import (
    DegradingAskStore,
    DegradingCache,
    DegradingQuestionLog,
    DegradingSessionStore,
    FailSoftRateLimiter,
    LastKnownProfileStore,
)
from twin.adapters.sqlite_index import SqliteIndex
from twin.domain.answers import Turn
from twin.domain.chunks import Chunk
from twin.domain.profile import IndexedProfile, ProfileFormat, SectionType
from twin.domain.question_log import Channel, LoggedQuestion
from twin.domain.rate_limits import RateLimit
from twin.errors import BackendUnavailableError

LIMIT = RateLimit(requests=10, window_seconds=60)
SUMMARY = Chunk(id="a" * 24, path="$", type=SectionType.SUMMARY, title="Summary", text="I build payment systems.")
PROFILE = IndexedProfile(
    twin_id="twin",
    version=3,
    namespace="test:twin:v3:0123456789abcdef",
    name="Sam",
    headline="Engineer",
    summary="",
    source_format=ProfileFormat.MARKDOWN,
    chunk_count=1,
    updated_at="2026-11-25T00:00:00+00:00",
)


def down() -> Any:
    return cast(Any, Outage())


def test_a_cache_that_is_down_misses_and_forgets_and_the_outage_is_counted() -> None:
    telemetry = RecordingTelemetry()
    cache = DegradingCache(down(), telemetry)

    assert cache.get("key") is None
    cache.set("key", "value", 60)

    assert telemetry.counts == {"CacheUnavailable": 2}


def test_sessions_that_are_down_start_every_conversation_afresh() -> None:
    telemetry = RecordingTelemetry()
    sessions = DegradingSessionStore(down(), telemetry)

    sessions.append("s", Turn("q", "a"))

    assert sessions.history("s") == []
    assert telemetry.counts == {"SessionsUnavailable": 2}


def test_erasing_a_session_while_its_store_is_down_is_not_pretended() -> None:
    with pytest.raises(BackendUnavailableError):
        DegradingSessionStore(down(), RecordingTelemetry()).delete("s")


def test_the_profile_record_last_read_stands_in_while_the_store_is_down() -> None:
    store = SqliteIndex(":memory:")
    store.publish(PROFILE, [SUMMARY], replacing=None)
    profiles = LastKnownProfileStore(store, RecordingTelemetry())
    assert profiles.get("twin") == PROFILE

    profiles._profiles = down()  # the store goes down after the first read

    assert profiles.get("twin") == PROFILE


def test_without_a_profile_record_ever_read_the_outage_surfaces() -> None:
    with pytest.raises(BackendUnavailableError):
        LastKnownProfileStore(down(), RecordingTelemetry()).get("twin")


def test_a_rate_limiter_that_is_down_lets_requests_through_by_default() -> None:
    telemetry = RecordingTelemetry()

    decision = FailSoftRateLimiter(down(), telemetry).hit("client:a", LIMIT)

    assert (decision.allowed, decision.remaining, decision.retry_after_seconds) == (True, 10, 0)
    assert telemetry.counts == {"RateLimiterUnavailable": 1}


def test_a_rate_limiter_that_is_down_can_be_set_to_refuse() -> None:
    decision = FailSoftRateLimiter(down(), RecordingTelemetry(), on_failure="deny").hit("client:a", LIMIT)

    assert (decision.allowed, decision.retry_after_seconds) == (False, 7)


def test_a_rate_limiter_that_is_down_lets_a_request_through_every_limit_by_default() -> None:
    quota = RateLimit(requests=1000, window_seconds=86_400)

    decisions = FailSoftRateLimiter(down(), RecordingTelemetry()).hit_each([("client:a", LIMIT), ("quota:a", quota)])

    assert [(decision.allowed, decision.remaining) for decision in decisions] == [(True, 10), (True, 1000)]


class OpensOnceThenDown(Outage):
    """An ask store that opens once, then fails every call."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = False

    def open(self, twin_id: str, conversation: str) -> tuple[IndexedProfile | None, list[Turn]]:
        if self.opened:
            raise BackendUnavailableError(self.service, "down")
        self.opened = True
        return PROFILE, [Turn(question="q", answer="a")]


def test_an_ask_store_that_is_down_serves_the_last_profile_record_without_conversation_or_cache() -> None:
    telemetry = RecordingTelemetry()
    store = DegradingAskStore(cast(Any, OpensOnceThenDown()), telemetry)
    store.open("twin", "s-1")

    assert store.open("twin", "s-1") == (PROFILE, [])
    assert store.recall("key", "s-1", "q") is None
    store.record("s-1", "q", cast(Any, None), cache_key="key")

    assert telemetry.counts == {"ProfileStoreUnavailable": 1, "SessionsUnavailable": 2, "CacheUnavailable": 2}


def test_an_ask_store_that_is_down_before_any_profile_record_was_read_is_unavailable() -> None:
    with pytest.raises(BackendUnavailableError):
        DegradingAskStore(down(), RecordingTelemetry()).open("twin", "s-1")


def test_a_question_log_that_is_down_lets_the_answer_go_out_but_fails_the_owners_reads_and_purges() -> None:
    telemetry = RecordingTelemetry()
    questions = DegradingQuestionLog(down(), telemetry)

    questions.add(LoggedQuestion("q", 1.0, Channel.REST, answered=True, sections=()))

    assert telemetry.counts == {"QuestionLogUnavailable": 1}
    with pytest.raises(BackendUnavailableError):
        questions.since(0)
    with pytest.raises(BackendUnavailableError):
        questions.purge()
