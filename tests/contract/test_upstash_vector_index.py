"""The Upstash Vector adapter through the real `upstash_vector` SDK against a loopback Upstash Vector API."""

import json
import time
from typing import Any

import pytest

from tests.fakes.upstash_vector import FakeUpstashVector
from twin.adapters.sqlite_profile_store import SqliteProfileStore
from twin.adapters.upstash_vector_index import BATCH_SIZE, DEFAULT_RETRY_AFTER_SECONDS, UpstashVectorIndex
from twin.domain.chunks import Chunk, chunk_profile
from twin.domain.profile import SectionType
from twin.errors import BackendUnavailableError
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


def test_nothing_to_upsert_delete_or_fetch_sends_no_request(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    index.upsert(TWIN, [])
    index.delete(TWIN, [])

    assert index.fetch(TWIN, []) == []
    assert fake_vector.requests == []


def test_each_twin_is_its_own_namespace(fake_vector: FakeUpstashVector, index: UpstashVectorIndex) -> None:
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


def test_delete_removes_exactly_the_given_ids_in_batches(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    chunks = numbered_chunks(260)
    index.upsert(TWIN, chunks)
    gone = [chunk.id for chunk in chunks[:250]]

    index.delete(TWIN, gone)

    assert [len(body["ids"]) for body in bodies(fake_vector, "delete")] == [100, 100, 50]
    assert {request.path for request in fake_vector.requests_to("delete")} == {f"/delete/{TWIN}"}
    assert index.list_ids(TWIN) == [chunk.id for chunk in chunks[250:]]


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


# Ingest over the Upstash protocol


def test_ingest_over_upstash_adds_the_profile_then_changes_nothing_then_removes_stale_chunks(
    fake_vector: FakeUpstashVector, index: UpstashVectorIndex
) -> None:
    ingest = IngestService(twin_id=TWIN, index=index, profiles=SqliteProfileStore(":memory:"))
    original = sample_profile()
    original_ids = {chunk.id for chunk in sample_chunks()}

    first = ingest.ingest(original)

    assert first.added == len(original_ids)
    assert set(index.list_ids(TWIN)) == original_ids

    already = len(fake_vector.requests)
    second = ingest.ingest(original)

    again = fake_vector.requests[already:]
    assert not second.changed
    assert {request.command for request in again} == {"range", "fetch"}

    document = json.loads(original)
    document["experience"] = document["experience"][:-1]
    changed = json.dumps(document)
    changed_ids = {chunk.id for chunk in chunk_profile(TWIN, load_profile(changed))}
    stale = original_ids - changed_ids
    assert stale

    already = len(fake_vector.requests)
    third = ingest.ingest(changed)

    assert third.removed == len(stale)
    assert (third.added, third.updated) == (0, 0)
    third_requests = fake_vector.requests[already:]
    assert "upsert-data" not in {request.command for request in third_requests}
    deleted = [id_ for request in third_requests if request.command == "delete" for id_ in request.body["ids"]]
    assert sorted(deleted) == sorted(stale)
    assert set(index.list_ids(TWIN)) == changed_ids
