"""The Upstash Redis stores through the real SDKs, the REST shim and a real redis-server."""

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import pytest
from upstash_redis import Redis

from tests.fakes.redis_shim import RedisServer, RedisShim
from twin.adapters.upstash_answer_store import RedisApprovedAnswerStore
from twin.adapters.upstash_ask_store import RedisAskStore
from twin.adapters.upstash_redis_credentials import RedisKeyStore
from twin.adapters.upstash_redis_stores import (
    RedisCache,
    RedisProfileStore,
    RedisRateLimiter,
    RedisSessionStore,
    key_prefix,
    redis_client,
)
from twin.domain.answers import Answer, Source, Turn
from twin.domain.faq import ApprovedAnswer
from twin.domain.profile import IndexedProfile, ProfileFormat, SectionType
from twin.domain.rate_limits import RateLimit
from twin.errors import BackendUnavailableError
from twin.security.api_keys import ApiKeyRecord
from twin.security.identity import Scope

TIMEOUT_SECONDS = 1
"""For the failure tests; the others allow more, so that a busy machine does not fail them."""
ALICE = key_prefix("test", "alice")
ENVIRONMENT = key_prefix("test")


@pytest.fixture
def client(redis_shim: RedisShim) -> Redis:
    return redis_client(redis_shim.url, redis_shim.token, timeout_seconds=10)


def keys(server: RedisServer) -> list[str]:
    return sorted(cast(list[str], server.client.keys("*")))


def turn(number: int) -> Turn:
    return Turn(question=f"question {number}", answer=f"answer {number} — «ünïcode»")


def profile(twin_id: str = "alice", version: int = 3) -> IndexedProfile:
    return IndexedProfile(
        twin_id=twin_id,
        version=version,
        namespace=f"test:{twin_id}:v{version}:0123456789abcdef",
        name="Alice Example",
        headline="Staff engineer",
        summary="Builds payment systems.",
        source_format=ProfileFormat.MARKDOWN,
        chunk_count=12,
        updated_at="2025-01-02T03:04:05Z",
    )


def api_key(number: int, created_at: str, scopes: frozenset[Scope] = frozenset({Scope.ASK})) -> ApiKeyRecord:
    key_hash = f"{number:x}".ljust(64, "0")
    return ApiKeyRecord(
        key_id=f"key_{key_hash[:12]}",
        key_hash=key_hash,
        client_id=f"client-{number}",
        tier="standard",
        scopes=scopes,
        created_at=created_at,
    )


# -- cache ---------------------------------------------------------------------------------------


def test_a_cached_value_is_read_back_until_its_ttl_expires(client: Redis, redis_server: RedisServer) -> None:
    cache = RedisCache(client, ALICE)
    cache.set("answer:v3", '{"text": "Kafka"}', ttl_seconds=1)

    assert cache.get("answer:v3") == '{"text": "Kafka"}'
    assert keys(redis_server) == [f"{ALICE}cache:answer:v3"]
    time.sleep(1.1)
    assert cache.get("answer:v3") is None
    assert keys(redis_server) == []


def test_a_cache_entry_without_a_positive_ttl_is_not_stored(client: Redis, redis_shim: RedisShim) -> None:
    cache = RedisCache(client, ALICE)
    cache.set("answer", "{}", ttl_seconds=0)
    cache.set("answer", "{}", ttl_seconds=-5)

    assert redis_shim.requests == []
    assert cache.get("answer") is None


# -- sessions ------------------------------------------------------------------------------------


def test_a_session_keeps_only_its_most_recent_turns(client: Redis, redis_server: RedisServer) -> None:
    sessions = RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3)
    for number in range(5):
        sessions.append("s-1", turn(number))

    assert sessions.history("s-1") == [turn(2), turn(3), turn(4)]
    assert redis_server.client.llen(f"{ALICE}session:s-1") == 3
    assert sessions.history("s-2") == []


def test_a_turn_is_appended_trimmed_and_its_expiry_set_in_one_transaction(client: Redis, redis_shim: RedisShim) -> None:
    RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3).append("s-1", turn(1))

    [request] = redis_shim.requests
    assert request.path == "/multi-exec"
    assert [command[0] for command in request.commands] == ["RPUSH", "LTRIM", "EXPIRE"]


def test_each_turn_pushes_an_idle_session_expiry_back(client: Redis, redis_server: RedisServer) -> None:
    sessions = RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3)
    key = f"{ALICE}session:s-1"
    sessions.append("s-1", turn(1))
    assert 59_000 < redis_server.client.pttl(key) <= 60_000

    redis_server.client.pexpire(key, 5_000)
    sessions.append("s-1", turn(2))
    assert 59_000 < redis_server.client.pttl(key) <= 60_000

    redis_server.client.pexpire(key, 100)
    time.sleep(0.2)
    assert sessions.history("s-1") == []


def test_deleting_a_session_says_whether_it_existed(client: Redis) -> None:
    sessions = RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3)
    sessions.append("s-1", turn(1))

    assert sessions.delete("s-1") is True
    assert sessions.history("s-1") == []
    assert sessions.delete("s-1") is False


# -- profile record ------------------------------------------------------------------------------


def test_the_profile_record_round_trips_and_a_newer_one_replaces_it(client: Redis, redis_server: RedisServer) -> None:
    profiles = RedisProfileStore(client, ALICE)
    assert profiles.get("alice") is None

    assert profiles.switch(profile(version=1), replacing=None)
    assert profiles.switch(profile(version=2), replacing=profile(version=1))

    assert profiles.get("alice") == profile(version=2)
    assert keys(redis_server) == [f"{ALICE}profile"]


def test_the_record_is_not_switched_from_a_version_it_no_longer_holds(client: Redis) -> None:
    profiles = RedisProfileStore(client, ALICE)
    profiles.switch(profile(version=1), replacing=None)
    profiles.switch(profile(version=2), replacing=profile(version=1))

    assert not profiles.switch(profile(version=2), replacing=profile(version=1))
    assert not profiles.switch(profile(version=1), replacing=None)
    assert profiles.get("alice") == profile(version=2)


def test_of_two_concurrent_switches_from_one_version_exactly_one_succeeds(client: Redis) -> None:
    profiles = RedisProfileStore(client, ALICE)
    profiles.switch(profile(version=1), replacing=None)

    outcomes = run_together(8, lambda: profiles.switch(profile(version=2), replacing=profile(version=1)))

    assert sorted(outcomes) == [False] * 7 + [True]


def test_a_record_from_before_versions_had_namespaces_names_the_twin_as_its_namespace(
    client: Redis, redis_server: RedisServer
) -> None:
    old = {key: value for key, value in dataclasses.asdict(profile()).items() if key != "namespace"}
    redis_server.client.set(f"{ALICE}profile", json.dumps(old))

    assert RedisProfileStore(client, ALICE).get("alice") == dataclasses.replace(profile(), namespace="alice")


def test_the_profile_store_knows_no_other_twin_than_its_own(client: Redis) -> None:
    RedisProfileStore(client, ALICE).switch(profile(), replacing=None)

    assert RedisProfileStore(client, ALICE).get("bob") is None
    assert RedisProfileStore(client, key_prefix("test", "bob")).get("alice") is None


# -- API keys ------------------------------------------------------------------------------------


def test_an_api_key_record_is_found_by_its_hash(client: Redis) -> None:
    store = RedisKeyStore(client, ENVIRONMENT)
    record = api_key(1, "2025-01-01T00:00:00Z", frozenset({Scope.ASK, Scope.READ}))
    store.add(record)

    assert store.find(record.key_hash) == record
    assert store.find("0" * 64) is None


def test_api_keys_are_listed_oldest_first_then_by_id(client: Redis) -> None:
    store = RedisKeyStore(client, ENVIRONMENT)
    newest, oldest, tied = api_key(1, "2025-03-01"), api_key(2, "2025-01-01"), api_key(3, "2025-01-01")
    for record in (newest, tied, oldest):
        store.add(record)

    assert store.list() == [oldest, tied, newest]


def test_a_key_is_revoked_once_and_unknown_ids_are_not(client: Redis) -> None:
    store = RedisKeyStore(client, ENVIRONMENT)
    record = api_key(1, "2025-01-01", scopes=frozenset())
    store.add(record)

    assert store.revoke(record.key_id, "2025-02-01T00:00:00Z") is True
    assert store.revoke(record.key_id, "2025-03-01T00:00:00Z") is False
    assert store.revoke("key_unknown", "2025-03-01T00:00:00Z") is False
    revoked = store.find(record.key_hash)
    assert revoked is not None
    assert revoked.revoked_at == "2025-02-01T00:00:00Z"
    assert revoked.scopes == frozenset()
    assert store.list() == [revoked]


def test_of_two_concurrent_revocations_exactly_one_succeeds(client: Redis) -> None:
    store = RedisKeyStore(client, ENVIRONMENT)
    record = api_key(1, "2025-01-01")
    store.add(record)

    outcomes = run_together(8, lambda: store.revoke(record.key_id, "2025-02-01"))

    assert sorted(outcomes) == [False] * 7 + [True]


def test_api_keys_belong_to_the_environment_not_to_a_twin(client: Redis, redis_server: RedisServer) -> None:
    record = api_key(1, "2025-01-01")
    RedisKeyStore(client, ENVIRONMENT).add(record)

    assert keys(redis_server) == ["twin:test:apikey:" + record.key_hash, "twin:test:apikeys"]
    assert RedisKeyStore(client, key_prefix("prod")).find(record.key_hash) is None


# -- an ask's reads and writes --------------------------------------------------------------------


def ask_store(client: Redis, max_turns: int = 3, cache_ttl_seconds: int = 60) -> RedisAskStore:
    sessions = RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=max_turns)
    return RedisAskStore(client, ALICE, sessions=sessions, cache_ttl_seconds=cache_ttl_seconds)


def answer(text: str = 'I work at Tern — «ünïcode» "quoted" \\ /') -> Answer:
    source = Source(id="a" * 24, title="Tern", section=SectionType.EXPERIENCE, score=0.5, snippet="Tern")
    return Answer(text=text, sources=(source,), model="llm", cached=False, session_id="s-1")


def test_an_ask_opens_with_the_profile_record_and_the_conversation_in_one_request(
    client: Redis, redis_shim: RedisShim
) -> None:
    RedisProfileStore(client, ALICE).switch(profile(), replacing=None)
    RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3).append("s-1", turn(1))
    before = len(redis_shim.requests)

    opened = ask_store(client).open("alice", "s-1")

    assert opened == (profile(), [turn(1)])
    assert [request.path for request in redis_shim.requests[before:]] == ["/pipeline"]
    assert ask_store(client).open("bob", "s-2") == (None, [])


def test_a_recorded_answer_is_recalled_and_its_turn_joins_the_conversation_in_one_request(
    client: Redis, redis_shim: RedisShim
) -> None:
    store = ask_store(client, max_turns=2)
    store.record("s-1", "Where do you work?", answer(), cache_key="answer:1")
    before = len(redis_shim.requests)

    recalled = store.recall("answer:1", "s-2", "WHERE do you work «now»?")

    assert recalled == answer()
    assert len(redis_shim.requests) - before == 1
    assert store.open("alice", "s-2")[1] == [Turn(question="WHERE do you work «now»?", answer=answer().text)]
    store.recall("answer:1", "s-2", "again")
    store.recall("answer:1", "s-2", "and again")
    assert [turn.question for turn in store.open("alice", "s-2")[1]] == ["again", "and again"]


def test_a_turn_written_on_a_hit_reads_back_as_one_appended_by_the_session_store(
    client: Redis, redis_server: RedisServer
) -> None:
    store = ask_store(client)
    store.record("s-1", "q", answer(), cache_key="answer:1")
    store.recall("answer:1", "s-2", "q")

    items = redis_server.client.lrange(f"{ALICE}session:s-1", 0, -1) + redis_server.client.lrange(
        f"{ALICE}session:s-2", 0, -1
    )

    assert [json.loads(item) for item in items] == [{"question": "q", "answer": answer().text}] * 2


def test_a_miss_leaves_the_conversation_alone(client: Redis, redis_server: RedisServer) -> None:
    assert ask_store(client).recall("answer:1", "s-1", "q") is None
    assert keys(redis_server) == []


def test_a_turn_and_its_answer_are_recorded_in_one_transaction_the_answer_expiring(
    client: Redis, redis_shim: RedisShim, redis_server: RedisServer
) -> None:
    ask_store(client).record("s-1", "q", answer(), cache_key="answer:1")

    [request] = redis_shim.requests
    assert request.path == "/multi-exec"
    assert 59_000 < redis_server.client.pttl(f"{ALICE}cache:answer:1") <= 60_000
    assert 59_000 < redis_server.client.pttl(f"{ALICE}session:s-1") <= 60_000


def test_an_answer_recorded_without_a_cache_key_or_ttl_is_not_cached(client: Redis, redis_server: RedisServer) -> None:
    ask_store(client).record("s-1", "q", answer(), cache_key=None)
    ask_store(client, cache_ttl_seconds=0).record("s-2", "q", answer(), cache_key="answer:1")

    assert keys(redis_server) == [f"{ALICE}session:s-1", f"{ALICE}session:s-2"]


# -- rate limits ---------------------------------------------------------------------------------


def test_the_rate_limiter_allows_exactly_the_limit_then_says_when_to_retry(
    client: Redis, redis_shim: RedisShim
) -> None:
    limiter = RedisRateLimiter(client, ENVIRONMENT)
    limit = RateLimit(requests=3, window_seconds=30)

    decisions = [limiter.hit("client:a", limit) for _ in range(4)]

    assert [decision.allowed for decision in decisions] == [True, True, True, False]
    assert [decision.remaining for decision in decisions] == [2, 1, 0, 0]
    assert all(decision.limit == 3 for decision in decisions)
    assert [decision.retry_after_seconds for decision in decisions[:3]] == [0, 0, 0]
    refused = decisions[3]
    assert 1 <= refused.retry_after_seconds <= 10
    assert 20 < refused.reset_seconds <= 30
    assert limiter.hit("client:b", limit).allowed
    assert redis_shim.commands() == ["EVAL"] * 5, "one atomic script per hit"


def test_limits_are_hit_in_turn_in_one_request_and_a_refusal_charges_none_after_it(
    client: Redis, redis_shim: RedisShim, redis_server: RedisServer
) -> None:
    limiter = RedisRateLimiter(client, ENVIRONMENT)
    rate, quota = RateLimit(requests=2, window_seconds=30), RateLimit(requests=100, window_seconds=86_400)

    decisions = [limiter.hit_each([("client:a", rate), ("quota:client:a", quota)]) for _ in range(3)]

    assert [[decision.allowed for decision in each] for each in decisions] == [[True, True], [True, True], [False]]
    assert [each[-1].remaining for each in decisions] == [99, 98, 0]
    assert len(redis_shim.requests) == 3
    assert redis_server.client.hget(f"{ENVIRONMENT}ratelimit:quota:client:a", "tokens") == "98"


def test_concurrent_hits_are_allowed_exactly_up_to_the_limit(client: Redis) -> None:
    limiter = RedisRateLimiter(client, ENVIRONMENT)
    limit = RateLimit(requests=5, window_seconds=60)

    outcomes = run_together(20, lambda: limiter.hit("client:a", limit).allowed)

    assert outcomes.count(True) == 5


def test_rate_limit_buckets_live_under_the_environment_prefix(client: Redis, redis_server: RedisServer) -> None:
    RedisRateLimiter(client, ENVIRONMENT).hit("client:a", RateLimit(requests=3, window_seconds=30))

    assert keys(redis_server) == ["twin:test:ratelimit:client:a"]
    assert RedisRateLimiter(client, key_prefix("prod")).hit("client:a", RateLimit(1, 30)).allowed


# -- key layout ----------------------------------------------------------------------------------


def test_each_twin_and_environment_has_its_own_keys(client: Redis, redis_server: RedisServer) -> None:
    for prefix in (ALICE, key_prefix("test", "bob"), key_prefix("prod", "alice")):
        RedisCache(client, prefix).set("answer", prefix, ttl_seconds=60)
        RedisSessionStore(client, prefix, ttl_seconds=60, max_turns=3).append("s-1", turn(1))

    assert RedisCache(client, ALICE).get("answer") == ALICE
    assert keys(redis_server) == [
        "twin:prod:alice:cache:answer",
        "twin:prod:alice:session:s-1",
        "twin:test:alice:cache:answer",
        "twin:test:alice:session:s-1",
        "twin:test:bob:cache:answer",
        "twin:test:bob:session:s-1",
    ]


# -- failures ------------------------------------------------------------------------------------

OPERATIONS: dict[str, Callable[[Redis], Any]] = {
    "cache get": lambda client: RedisCache(client, ALICE).get("answer"),
    "session append": lambda client: RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3).append(
        "s-1", turn(1)
    ),
    "profile get": lambda client: RedisProfileStore(client, ALICE).get("alice"),
    "profile switch": lambda client: RedisProfileStore(client, ALICE).switch(profile(), replacing=None),
    "key list": lambda client: RedisKeyStore(client, ENVIRONMENT).list(),
    "rate limit hit": lambda client: RedisRateLimiter(client, ENVIRONMENT).hit("client:a", RateLimit(3, 30)),
    "ask open": lambda client: ask_store(client).open("alice", "s-1"),
    "ask recall": lambda client: ask_store(client).recall("answer:1", "s-1", "q"),
    "ask record": lambda client: ask_store(client).record("s-1", "q", answer(), cache_key="answer:1"),
}


def shim_down(shim: RedisShim) -> Redis:
    shim.close()
    return redis_client(shim.url, shim.token, timeout_seconds=TIMEOUT_SECONDS)


def wrong_token(shim: RedisShim) -> Redis:
    return redis_client(shim.url, "not-the-token", timeout_seconds=TIMEOUT_SECONDS)


def server_error(shim: RedisShim) -> Redis:
    shim.faults.status = 500
    return redis_client(shim.url, shim.token, timeout_seconds=TIMEOUT_SECONDS)


def malformed_reply(shim: RedisShim) -> Redis:
    shim.faults.malformed = True
    return redis_client(shim.url, shim.token, timeout_seconds=TIMEOUT_SECONDS)


def slow_reply(shim: RedisShim) -> Redis:
    shim.faults.delay_seconds = 10 * TIMEOUT_SECONDS
    return redis_client(shim.url, shim.token, timeout_seconds=TIMEOUT_SECONDS)


@pytest.mark.parametrize("fault", [shim_down, wrong_token, server_error, malformed_reply, slow_reply])
@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
def test_every_failure_is_backend_unavailable_and_quick(
    redis_shim: RedisShim, fault: Callable[[RedisShim], Redis], operation: Callable[[Redis], Any]
) -> None:
    client = fault(redis_shim)
    started = time.monotonic()

    with pytest.raises(BackendUnavailableError) as raised:
        operation(client)

    assert time.monotonic() - started < 3 * TIMEOUT_SECONDS
    assert raised.value.service == "upstash-redis"
    assert redis_shim.token not in str(raised.value)


def test_a_value_of_the_wrong_type_is_backend_unavailable(client: Redis, redis_server: RedisServer) -> None:
    redis_server.client.set(f"{ALICE}session:s-1", "not a list")
    redis_server.client.set(f"{ALICE}profile", "not json")

    with pytest.raises(BackendUnavailableError, match="WRONGTYPE"):
        RedisSessionStore(client, ALICE, ttl_seconds=60, max_turns=3).history("s-1")
    with pytest.raises(BackendUnavailableError, match="malformed"):
        RedisProfileStore(client, ALICE).get("alice")


def run_together[T](count: int, action: Callable[[], T]) -> list[T]:
    """`action` in `count` threads released at the same moment."""
    start = threading.Barrier(count)

    def at_once() -> T:
        start.wait()
        return action()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: at_once(), range(count)))


def test_approved_answers_are_a_hash_of_the_twin_listed_oldest_first(client: Redis, redis_server: RedisServer) -> None:
    first = ApprovedAnswer("ans_000000000001", "Notice period?", "Four weeks — «ünïcode».", "2026-01-02T00:00:00+00:00")
    second = ApprovedAnswer("ans_000000000002", "Can you drive?", "Yes.", "2026-01-01T00:00:00+00:00")
    store = RedisApprovedAnswerStore(client, ALICE)
    store.add(first)
    store.add(second)

    assert store.list() == [second, first]
    assert RedisApprovedAnswerStore(client, key_prefix("test", "bob")).list() == []
    assert keys(redis_server) == [f"{ALICE}answers"]
    assert store.remove(first.id) is True
    assert store.remove(first.id) is False
    assert store.list() == [second]
