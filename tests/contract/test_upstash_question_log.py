"""The question log on Upstash Redis, and the ask store writing to it, through the real SDK, the REST shim and a real
redis-server."""

import json
from typing import cast

import pytest
from upstash_redis import Redis

from tests.fakes import FakeClock
from tests.fakes.redis_shim import RedisServer, RedisShim
from twin.adapters.upstash_ask_store import RedisAskStore
from twin.adapters.upstash_question_log import RedisQuestionLog
from twin.adapters.upstash_redis_stores import RedisSessionStore, key_prefix, redis_client
from twin.domain.answers import Answer, Source
from twin.domain.profile import SectionType
from twin.domain.question_log import DAY_SECONDS, Asked, Channel, LoggedQuestion, Retention

ALICE = key_prefix("test", "alice")
KEY = f"{ALICE}questions"
RETENTION = Retention(days=30, max_entries=100)


@pytest.fixture
def client(redis_shim: RedisShim) -> Redis:
    return redis_client(redis_shim.url, redis_shim.token, timeout_seconds=10)


@pytest.fixture
def clock() -> FakeClock:
    clock = FakeClock()
    clock.now = 1_795_682_130.0
    return clock


def question_log(client: Redis, clock: FakeClock, retention: Retention = RETENTION) -> RedisQuestionLog:
    return RedisQuestionLog(client, ALICE, retention=retention, clock=clock)


def entry(question: str, asked_at: float, *, answered: bool = True) -> LoggedQuestion:
    return LoggedQuestion(question, asked_at, Channel.PUBLIC_CHAT, answered, ("a" * 24,) if answered else ())


def members(server: RedisServer) -> list[dict[str, object]]:
    return [json.loads(member) for member in cast(list[str], server.client.zrange(KEY, 0, -1))]


def test_an_entry_reads_back_whole_and_is_stored_as_these_fields_only(
    client: Redis, clock: FakeClock, redis_server: RedisServer
) -> None:
    logged = entry("Where do you work — «now»?", clock.now)

    question_log(client, clock).add(logged)

    assert question_log(client, clock).since(0) == [logged]
    [stored] = members(redis_server)
    assert set(stored) == {"id", "question", "channel", "answered", "sections"}
    assert (stored["question"], stored["channel"], stored["answered"]) == (logged.question, "public_chat", True)
    assert redis_server.client.zscore(KEY, json.dumps(stored)) == round(clock.now * 1000)


def test_two_alike_entries_of_the_same_moment_are_two(client: Redis, clock: FakeClock) -> None:
    log = question_log(client, clock)
    log.add(entry("Where do you work?", clock.now))
    log.add(entry("Where do you work?", clock.now))

    assert len(log.since(0)) == 2


def test_a_write_trims_what_is_past_keeping_and_the_oldest_beyond_the_size_bound(
    client: Redis, clock: FakeClock, redis_server: RedisServer
) -> None:
    log = question_log(client, clock, Retention(days=30, max_entries=3))
    log.add(entry("past keeping", clock.now - 31 * DAY_SECONDS))
    for number in range(4):
        log.add(entry(f"question {number}", clock.now - number))

    assert [each.question for each in log.since(0)] == ["question 2", "question 1", "question 0"]
    assert redis_server.client.zcard(KEY) == 3


def test_the_log_expires_once_its_newest_entry_is_past_keeping(
    client: Redis, clock: FakeClock, redis_server: RedisServer
) -> None:
    question_log(client, clock).add(entry("q", clock.now))

    assert 30 * DAY_SECONDS - 5 < redis_server.client.ttl(KEY) <= 30 * DAY_SECONDS


def test_an_entry_past_keeping_is_never_read(client: Redis, clock: FakeClock) -> None:
    log = question_log(client, clock)
    log.add(entry("q", clock.now))
    clock.now += 31 * DAY_SECONDS

    assert log.since(0) == []


def test_a_purge_deletes_what_was_asked_before_a_moment_or_everything(client: Redis, clock: FakeClock) -> None:
    log = question_log(client, clock)
    for number in range(4):
        log.add(entry(f"question {number}", clock.now + number))

    assert log.purge(before=clock.now + 2) == 2
    assert [each.question for each in log.since(0)] == ["question 2", "question 3"]
    assert log.purge() == 2
    assert log.since(0) == []


# -- the ask store writes the entry in the round trip that ends the ask -----------------------------


def ask_store(client: Redis, clock: FakeClock, *, logging: bool = True) -> RedisAskStore:
    sessions = RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3)
    questions = question_log(client, clock) if logging else None
    return RedisAskStore(client, ALICE, sessions=sessions, cache_ttl_seconds=60, questions=questions)


def answer(answered: bool = True) -> Answer:
    sources = tuple(
        Source(id=section_id, title="Tern", section=SectionType.EXPERIENCE, score=0.5, snippet="Tern")
        for section_id in ("a" * 24, "b" * 24)
    )
    return Answer(
        text="I work at Tern.", sources=sources if answered else (), model="llm", cached=False, session_id="s-1"
    )


def test_a_new_answer_logs_its_question_in_the_transaction_that_records_it(
    client: Redis, clock: FakeClock, redis_shim: RedisShim
) -> None:
    asked = Asked.of("Where do you work?", Channel.MCP, clock.now)

    ask_store(client, clock).record("s-1", "Where do you work?", answer(), cache_key="answer:1", log=asked)

    [request] = redis_shim.requests
    assert request.path == "/multi-exec"
    assert question_log(client, clock).since(0) == [asked.answered_by(answer())]


def test_an_answer_from_the_cache_logs_its_question_with_what_it_cited_in_the_one_script(
    client: Redis, clock: FakeClock, redis_shim: RedisShim
) -> None:
    store = ask_store(client, clock)
    store.record("s-1", "Where do you work?", answer(), cache_key="answer:1")
    before = len(redis_shim.requests)
    asked = Asked.of("where do you WORK?", Channel.PUBLIC_MCP, clock.now + 5)

    recalled = store.recall("answer:1", "s-2", "where do you WORK?", log=asked)

    assert recalled == answer()
    assert len(redis_shim.requests) - before == 1
    assert question_log(client, clock).since(0) == [asked.answered_by(answer())]
    assert asked.answered_by(answer()).sections == ("a" * 24, "b" * 24)


def test_a_store_without_a_log_or_an_ask_without_an_entry_logs_nothing(
    client: Redis, clock: FakeClock, redis_server: RedisServer
) -> None:
    asked = Asked.of("Where do you work?", Channel.REST, clock.now)
    ask_store(client, clock, logging=False).record("s-1", "q", answer(), cache_key="answer:1", log=asked)
    ask_store(client, clock, logging=False).recall("answer:1", "s-1", "q", log=asked)
    ask_store(client, clock).recall("answer:1", "s-1", "q")

    assert redis_server.client.exists(KEY) == 0
