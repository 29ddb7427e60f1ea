"""The Upstash Vector adapter through the real `upstash_vector` SDK against a loopback Upstash Vector API, and
ingest publishing over it, the profile record in Redis (Upstash's REST API over a real redis-server)."""

import json
import time
from dataclasses import dataclass, replace
from typing import Any, cast

import pytest

from tests.fakes.redis_shim import RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from twin.adapters.upstash_answer_store import RedisApprovedAnswerStore
from twin.adapters.upstash_publisher import UpstashPublisher
from twin.adapters.upstash_redis_stores import RedisProfileDocuments, RedisProfileStore, key_prefix, redis_client
from twin.adapters.upstash_vector_index import BATCH_SIZE, DEFAULT_RETRY_AFTER_SECONDS, UpstashVectorIndex
from twin.domain.chunks import Chunk, chunk_profile
from twin.domain.profile import IndexedProfile, SectionType
from twin.errors import BackendUnavailableError, ConcurrentIngestError
from twin.profiles import load_profile, sample_profile
from twin.services.ingest import IngestService

TIMEOUT = 1.0
TWIN = "twin-a"
SETTLEMENT = Chunk(
    id="c" * 24,
    path="$.experience[0]",
    type=SectionType.EXPERIENCE,
    title="Staff Engineer, Acme Payments",
    text="We moved card settlement from nightly batches to streaming with Kafka.",
    start="2021-03",
    tags=("kafka", "payments"),
)


@pytest.fixture
def index(fake_vector: FakeUpstashVector) -> UpstashVectorIndex:
    return UpstashVectorIndex(fake_vector.url, fake_vector.token, timeout_seconds=TIMEOUT)


def numbered_chunks(count: int) -> list[Chunk]:
    return [
        Chunk(
            id=f"chunk-{number:04d}",
            path=f"$.projects[{number}]",
            type=SectionType.PROJECT if number % 2 else SectionType.SKILLS,
            title=f"Project {number}",
            text=f"Project number {number} of the portfolio.",
        )
        for number in range(count)
    ]


def sample_chunks() -> list[Chunk]:
    return chunk_profile(TWIN, load_profile(sample_profile()))


def bodies(fake: FakeUpstashVector, command: str) -> list[Any]:
    return [request.body for request in fake.requests_to(command)]


# What the adapter sends


def test_upsert_sends_title_and_text_as_data_and_the_rest_of_the_chunk_as_metadata(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    index.upsert(TWIN, [SETTLEMENT])

    [request] = fake_vector.requests
    assert (request.method, request.path) == ("POST", f"/upsert-data/{TWIN}")
    assert request.headers["authorization"] == f"Bearer {fake_vector.token}"
    assert request.body == [
        {
            "id": SETTLEMENT.id,
            "data": f"{SETTLEMENT.title}\n\n{SETTLEMENT.text}",
            "metadata": {
                "type": "experience",
                "title": "Staff Engineer, Acme Payments",
                "path": "$.experience[0]",
                "start": "2021-03",
                "tags": ["kafka", "payments"],
            },
        }
    ]


def test_250_chunks_are_upserted_in_three_requests_of_at_most_100(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    chunks = numbered_chunks(250)

    index.upsert(TWIN, chunks)

    sent = bodies(fake_vector, "upsert-data")
    assert BATCH_SIZE == 100
    assert [len(body) for body in sent] == [100, 100, 50]
    assert [vector["id"] for body in sent for vector in body] == [chunk.id for chunk in chunks]


def test_nothing_to_upsert_or_fetch_sends_no_request(fake_vector: FakeUpstashVector, index: UpstashVectorIndex) -> None:
    index.upsert(TWIN, [])

    assert index.fetch(TWIN, []) == []
    assert fake_vector.requests == []


def test_each_namespace_holds_its_own_chunks(fake_vector: FakeUpstashVector, index: UpstashVectorIndex) -> None:
    index.upsert("twin-a", numbered_chunks(3))
    index.upsert("twin-b", numbered_chunks(5)[3:])

    assert index.list_ids("twin-a") == ["chunk-0000", "chunk-0001", "chunk-0002"]
    assert index.list_ids("twin-b") == ["chunk-0003", "chunk-0004"]
    assert [request.path for request in fake_vector.requests_to("range")] == ["/range/twin-a", "/range/twin-b"]


# Round trips


def test_fetched_chunks_equal_the_upserted_ones_with_their_dates_and_tags(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    chunks = sample_chunks()
    assert any(chunk.tags for chunk in chunks)
    assert any(chunk.start for chunk in chunks)
    index.upsert(TWIN, chunks)

    fetched = index.fetch(TWIN, [chunk.id for chunk in chunks])

    assert fetched == chunks
    [request] = fake_vector.requests_to("fetch")
    assert request.path == f"/fetch/{TWIN}"
    assert request.body["includeData"] is True
    assert request.body["includeMetadata"] is True


def test_fetch_keeps_the_requested_order_and_skips_unknown_ids(index: UpstashVectorIndex) -> None:
    chunks = numbered_chunks(3)
    index.upsert(TWIN, chunks)

    fetched = index.fetch(TWIN, ["chunk-0002", "no-such-id", "chunk-0000", "chunk-0002"])

    assert fetched == [chunks[2], chunks[0]]


def test_list_ids_follows_the_cursor_even_when_pages_come_back_shorter_than_asked(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    chunks = numbered_chunks(20)
    index.upsert(TWIN, chunks)
    fake_vector.range_page_cap = 7

    ids = index.list_ids(TWIN)

    assert ids == [chunk.id for chunk in chunks]
    sent = bodies(fake_vector, "range")
    assert [body["cursor"] for body in sent] == ["", "7", "14"]
    assert all(not body["includeMetadata"] and not body["includeData"] for body in sent)


def test_a_namespace_is_listed_from_its_first_upsert_until_it_is_deleted_whole(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    version = "test:twin-a:v1:0123456789abcdef"
    index.upsert(version, numbered_chunks(3))
    index.upsert("twin-b", numbered_chunks(2))
    assert sorted(index.namespaces()) == ["", version, "twin-b"]

    index.delete_namespace(version)

    assert sorted(index.namespaces()) == ["", "twin-b"]
    [request] = fake_vector.requests_to("delete-namespace")
    assert request.namespace == version


# Queries


def test_a_query_sends_the_text_as_data_without_a_filter_and_ranks_the_best_match_first(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    index.upsert(TWIN, sample_chunks())

    hits = index.query(TWIN, "Kafka streaming pipelines", top_k=3)

    [request] = fake_vector.requests_to("query-data")
    assert request.path == f"/query-data/{TWIN}"
    assert request.body["data"] == "Kafka streaming pipelines"
    assert request.body["topK"] == 3
    assert request.body["filter"] == ""
    assert "queryMode" not in request.body
    assert len(hits) == 3
    assert "kafka" in (hits[0].chunk.title + hits[0].chunk.text).lower()
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_a_query_for_one_section_filters_on_the_type_metadata(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    index.upsert(TWIN, sample_chunks())

    hits = index.query(TWIN, "Python and SQL", top_k=5, section=SectionType.SKILLS)

    assert bodies(fake_vector, "query-data")[0]["filter"] == "type = 'skills'"
    assert hits
    assert {hit.chunk.type for hit in hits} == {SectionType.SKILLS}


def test_scores_from_the_service_are_passed_through_unchanged(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    stored = {
        "type": "experience",
        "title": SETTLEMENT.title,
        "path": SETTLEMENT.path,
        "start": "2021-03",
        "tags": ["kafka", "payments"],
    }
    data = f"{SETTLEMENT.title}\n\n{SETTLEMENT.text}"
    answer = {"result": [{"id": SETTLEMENT.id, "score": 0.8125, "metadata": stored, "data": data}]}
    fake_vector.fail_next(body=json.dumps(answer))

    [hit] = index.query(TWIN, "settlement", top_k=1)

    assert hit.score == 0.8125
    assert hit.chunk == SETTLEMENT


@pytest.mark.parametrize(("mode", "sent"), [("dense", "DENSE"), ("sparse", "SPARSE"), ("hybrid", "HYBRID")])
def test_a_configured_query_mode_goes_with_every_query(fake_vector: FakeUpstashVector, mode: str, sent: str) -> None:
    index = UpstashVectorIndex(fake_vector.url, fake_vector.token, timeout_seconds=TIMEOUT, query_mode=mode)

    index.query(TWIN, "Kafka", top_k=1)

    assert bodies(fake_vector, "query-data")[0]["queryMode"] == sent


def test_an_unknown_query_mode_is_refused_at_construction(fake_vector: FakeUpstashVector) -> None:
    with pytest.raises(ValueError, match="query_mode"):
        UpstashVectorIndex(fake_vector.url, fake_vector.token, timeout_seconds=TIMEOUT, query_mode="bm25")


def test_a_blank_query_asks_nothing_and_finds_nothing(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    assert index.query(TWIN, "   ", top_k=5) == []
    assert fake_vector.requests == []


# Failures


def test_a_rejected_token_becomes_backend_unavailable_without_the_token_in_it(fake_vector: FakeUpstashVector) -> None:
    wrong = "wrong-token-that-must-not-leak"
    index = UpstashVectorIndex(fake_vector.url, wrong, timeout_seconds=TIMEOUT)

    with pytest.raises(BackendUnavailableError) as raised:
        index.list_ids(TWIN)

    assert raised.value.service == "upstash-vector"
    assert "401" in raised.value.reason
    assert wrong not in str(raised.value)
    assert fake_vector.requests[0].headers["authorization"] == f"Bearer {wrong}"


def test_rate_limiting_becomes_backend_unavailable_with_the_services_retry_after(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    fake_vector.fail_next(status=429, headers={"Retry-After": "17"})

    with pytest.raises(BackendUnavailableError) as raised:
        index.query(TWIN, "Kafka", top_k=3)

    assert "429" in raised.value.reason
    assert raised.value.retry_after_seconds == 17


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_becomes_backend_unavailable_and_is_not_retried(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex, status: int
) -> None:
    fake_vector.fail_next(status=status)

    with pytest.raises(BackendUnavailableError) as raised:
        index.upsert(TWIN, [SETTLEMENT])

    assert str(status) in raised.value.reason
    assert raised.value.retry_after_seconds == DEFAULT_RETRY_AFTER_SECONDS
    assert len(fake_vector.requests) == 1


@pytest.mark.parametrize(
    "body",
    [
        "<html>Bad gateway</html>",
        '{"unexpected": true}',
        '{"result": [{"id": "x"}]}',
        '{"result": [{"id": "x", "score": 0.5, "metadata": {"type": "no-such-type"}, "data": "x"}]}',
        '{"result": [{"id": "x", "score": "high", "metadata": {}, "data": "x"}]}',
        '{"error": "ERR something went wrong", "status": 400}',
    ],
    ids=["not-json", "no-result", "no-score", "bad-metadata", "score-not-a-number", "error-with-200"],
)
def test_a_malformed_answer_becomes_backend_unavailable(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex, body: str
) -> None:
    fake_vector.fail_next(body=body)

    with pytest.raises(BackendUnavailableError) as raised:
        index.query(TWIN, "Kafka", top_k=3)

    assert raised.value.service == "upstash-vector"


def test_a_slow_answer_becomes_backend_unavailable_after_about_the_timeout(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    fake_vector.fail_next(delay=TIMEOUT * 10)
    started = time.monotonic()

    with pytest.raises(BackendUnavailableError) as raised:
        index.query(TWIN, "Kafka", top_k=3)

    assert time.monotonic() - started < TIMEOUT * 2
    assert "timed out" in raised.value.reason
    assert len(fake_vector.requests) == 1


def test_an_unreachable_service_becomes_backend_unavailable(fake_vector: FakeUpstashVector) -> None:
    index = UpstashVectorIndex(fake_vector.url, fake_vector.token, timeout_seconds=TIMEOUT)
    fake_vector.stop()

    with pytest.raises(BackendUnavailableError) as raised:
        index.fetch(TWIN, ["any"])

    assert raised.value.service == "upstash-vector"


# Ingest over the Upstash protocol: chunks here, the profile record in Redis (the shim over redis-server)


@dataclass
class Upstash:
    index: UpstashVectorIndex
    records: RedisProfileStore
    ingest: IngestService

    def served(self) -> set[str]:
        """What a reader sees: the chunks of the namespace the record names."""
        record = self.records.get(TWIN)
        assert record is not None
        return set(self.index.list_ids(record.namespace))

    def namespaces(self) -> set[str]:
        return set(self.index.namespaces()) - {""}


def upstash_for(index: UpstashVectorIndex, redis_shim: RedisShim) -> Upstash:
    client = redis_client(redis_shim.url, redis_shim.token, timeout_seconds=10)
    records = RedisProfileStore(client, key_prefix("test", TWIN))
    publisher = UpstashPublisher(index, records)
    documents = RedisProfileDocuments(client, key_prefix("test", TWIN))
    approved = RedisApprovedAnswerStore(client, key_prefix("test", TWIN))
    ingest = IngestService(
        twin_id=TWIN,
        environment="test",
        index=index,
        profiles=records,
        publisher=publisher,
        documents=documents,
        approved=approved,
    )
    return Upstash(index, records, ingest)


@pytest.fixture
def upstash(index: UpstashVectorIndex, redis_shim: RedisShim) -> Upstash:
    return upstash_for(index, redis_shim)


def ids_of(document: str | bytes) -> set[str]:
    return {chunk.id for chunk in chunk_profile(TWIN, load_profile(document))}


def without_last_job(document: bytes) -> str:
    changed = json.loads(document)
    changed["experience"] = changed["experience"][:-1]
    return json.dumps(changed)


def test_ingest_over_upstash_publishes_the_profile_then_changes_nothing_then_publishes_a_change_beside_it(
    fake_vector: FakeUpstashVector, redis_shim: RedisShim, upstash: Upstash
) -> None:
    original, changed = sample_profile(), without_last_job(sample_profile())

    first = upstash.ingest.ingest(original)
    assert first.added == len(ids_of(original)) == len(upstash.served())
    first_namespace = upstash.namespaces()
    already, commands = len(fake_vector.requests), len(redis_shim.commands())

    second = upstash.ingest.ingest(original)

    assert not second.changed
    assert {request.command for request in fake_vector.requests[already:]} == {"range", "fetch"}
    # The record read, the approved answers to merge, the document kept for backups.
    assert redis_shim.commands()[commands:] == ["GET", "HGETALL", "HSET"]
    third = upstash.ingest.ingest(changed)

    assert (third.added, third.updated, third.version) == (0, 0, 2)
    assert third.removed == len(ids_of(original) - ids_of(changed))
    assert upstash.served() == ids_of(changed)
    assert first_namespace < upstash.namespaces(), "the version replaced stays for readers still querying it"
    upstash.ingest.ingest(original)

    assert upstash.served() == ids_of(original)
    assert len(upstash.namespaces()) == 2
    assert not first_namespace & upstash.namespaces(), "a version two ingests old is deleted"


def test_a_publish_over_a_version_no_longer_served_is_refused_and_the_other_stays_whole(
    index: UpstashVectorIndex, redis_shim: RedisShim
) -> None:
    first, second = upstash_for(index, redis_shim), upstash_for(index, redis_shim)
    first.ingest.ingest(sample_profile())
    overtaken = first.records.get(TWIN)
    second.ingest.ingest(without_last_job(sample_profile()))

    with pytest.raises(ConcurrentIngestError):
        UpstashPublisher(index, first.records).publish(
            replace(cast(IndexedProfile, overtaken), version=2, namespace=f"test:{TWIN}:v2:{'f' * 16}"),
            numbered_chunks(5),
            replacing=overtaken,
        )

    assert first.served() == ids_of(without_last_job(sample_profile()))


def test_namespaces_an_ingest_killed_midway_left_are_deleted_by_the_next_one_and_others_are_left_alone(
    index: UpstashVectorIndex, upstash: Upstash
) -> None:
    upstash.ingest.ingest(sample_profile())
    killed = f"test:{TWIN}:v2:{'f' * 16}"
    in_progress = f"test:{TWIN}:v3:{'e' * 16}"
    others = {TWIN, f"prod:{TWIN}:v1:{'d' * 16}", f"test:{TWIN}-b:v1:{'c' * 16}"}
    for namespace in {killed, in_progress} | others:
        index.upsert(namespace, numbered_chunks(3))

    upstash.ingest.ingest(without_last_job(sample_profile()))

    assert upstash.served() == ids_of(without_last_job(sample_profile()))
    remaining = upstash.namespaces()
    assert killed not in remaining
    assert {in_progress} | others <= remaining, "later versions, older layouts, other environments and twins"


class NamespacesUnlisted(UpstashVectorIndex):
    def namespaces(self) -> list[str]:
        raise BackendUnavailableError("upstash-vector", "HTTP 503")


def test_a_version_stays_published_when_old_namespaces_cannot_be_deleted(
    fake_vector: FakeUpstashVector, redis_shim: RedisShim, caplog: pytest.LogCaptureFixture
) -> None:
    unlisted = upstash_for(NamespacesUnlisted(fake_vector.url, fake_vector.token, timeout_seconds=TIMEOUT), redis_shim)

    report = unlisted.ingest.ingest(sample_profile())

    assert report.version == 1
    assert unlisted.served() == ids_of(sample_profile())
    assert "old namespaces left for the next ingest" in caplog.text
