"""`twin serve` on the cloud adapters (loopback fakes of Upstash Vector and Groq, Upstash's REST API over
a real redis-server), with each backend failing in turn: answers degrade, requests never 500 or hang."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fakes.openai_compatible import FakeOpenAI, rate_limited, server_error, slow
from tests.fakes.redis_shim import RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from tests.functional.conftest import RunningServer, running_twin, upstash_settings
from twin.profiles import sample_profile

UPSTASH_TIMEOUT_SECONDS = 1
GROQ_TIMEOUT_SECONDS = 2


@dataclass
class CloudTwin:
    server: RunningServer
    vector: FakeUpstashVector
    redis: RedisShim
    groq: FakeOpenAI

    def ask(self, question: str) -> httpx.Response:
        with self.server.http() as client:
            return client.post("/v1/ask", json={"question": question})


def cloud_settings(vector: FakeUpstashVector, redis: RedisShim, groq: FakeOpenAI) -> dict[str, str]:
    return upstash_settings(vector, redis, UPSTASH_TIMEOUT_SECONDS) | {
        "TWIN_GROQ_API_KEY": groq.api_key,
        "TWIN_GROQ_BASE_URL": groq.url,
        "TWIN_GROQ_TIMEOUT_SECONDS": str(GROQ_TIMEOUT_SECONDS),
        "TWIN_GROQ_MAX_RETRIES": "0",
        "TWIN_MODEL_BREAKER_FAILURES": "2",
    }


@pytest.fixture
def cloud(
    tmp_path: Path, fake_vector: FakeUpstashVector, redis_shim: RedisShim, fake_openai: FakeOpenAI
) -> Iterator[CloudTwin]:
    with running_twin(tmp_path, **cloud_settings(fake_vector, redis_shim, fake_openai)) as server:
        with server.http() as client:
            ingested = client.post(
                "/v1/admin/ingest", content=sample_profile(), headers={"content-type": "application/json"}
            )
        assert ingested.status_code == 200, ingested.text
        yield CloudTwin(server, fake_vector, redis_shim, fake_openai)


def test_with_every_backend_up_the_answer_comes_from_the_model(cloud: CloudTwin) -> None:
    response = cloud.ask("What programming languages are you most comfortable with?")

    assert response.status_code == 200
    answer = response.json()
    assert (answer["model"], answer["fallback"]) == ("openai/gpt-oss-20b", False)
    assert answer["sources"]  # the fake ranks by shared words, not meaning: any passage will do
    assert cloud.vector.requests_to("query-data")
    assert cloud.redis.requests


def test_an_answer_cached_in_redis_is_served_while_the_index_is_down(cloud: CloudTwin) -> None:
    first = cloud.ask("Where do you work now?")
    for _ in range(3):
        cloud.vector.fail_next(status=503, headers={"Retry-After": "9"})

    again = cloud.ask("Where do you work now?")
    other = cloud.ask("What are your salary expectations?")

    assert first.status_code == again.status_code == 200
    assert again.json()["cached"] is True
    assert other.status_code == 503
    assert other.json()["error"]["code"] == "retrieval_unavailable"
    assert other.headers["retry-after"] == "9"


def test_a_slow_index_ends_in_503_within_the_timeout_not_a_hang(cloud: CloudTwin) -> None:
    cloud.vector.fail_next(delay=10)
    started = time.monotonic()

    response = cloud.ask("What did you study?")

    assert response.status_code == 503
    assert time.monotonic() - started < UPSTASH_TIMEOUT_SECONDS * 4


def test_with_redis_down_requests_go_on_without_cache_sessions_and_limits(cloud: CloudTwin) -> None:
    cloud.ask("Where do you work now?")  # the profile record is read once while redis is up
    cloud.redis.faults.status = 500

    first = cloud.ask("What are your career goals?")
    again = cloud.ask("What are your career goals?")

    assert first.status_code == again.status_code == 200
    assert again.json()["cached"] is False
    assert first.headers["ratelimit-remaining"] == first.headers["ratelimit-limit"]
    assert "CacheUnavailable" in cloud.server.log
    assert "RateLimiterUnavailable" in cloud.server.log


@pytest.mark.parametrize(
    "failure", [server_error(503), rate_limited(60), slow(GROQ_TIMEOUT_SECONDS * 3)], ids=["5xx", "429", "slow"]
)
def test_when_groq_fails_the_extractive_answer_stands_in_marked_as_such(cloud: CloudTwin, failure: object) -> None:
    cloud.groq.queue(failure)  # type: ignore[arg-type]  # a Scripted response, as the ids say
    started = time.monotonic()

    response = cloud.ask("What are your salary expectations?")

    assert response.status_code == 200
    answer = response.json()
    assert (answer["model"], answer["fallback"]) == ("extractive", True)
    assert "185,000" in answer["answer"]
    assert time.monotonic() - started < GROQ_TIMEOUT_SECONDS * 3


MCP_ASK = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "tools/call",
    "params": {"name": "ask_twin", "arguments": {"question": "What are your salary expectations?"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Mcp-Protocol-Version": "2025-11-25"}


@pytest.mark.parametrize("endpoint", ["/v1/ask", "/mcp"])
def test_while_a_slow_model_holds_one_question_the_server_answers_other_requests(
    cloud: CloudTwin, endpoint: str
) -> None:
    # With a network backend the services run in the thread pool: the event loop must stay free.
    cloud.groq.queue(slow(GROQ_TIMEOUT_SECONDS * 3))
    answered = threading.Event()

    def ask() -> None:
        if endpoint == "/mcp":
            with cloud.server.http() as client:
                client.post("/mcp", json=MCP_ASK, headers=MCP_HEADERS)
        else:
            cloud.ask("What are your salary expectations?")
        answered.set()

    waiting = threading.Thread(target=ask)
    waiting.start()
    while not cloud.groq.requests and waiting.is_alive():  # until the question has reached the model
        time.sleep(0.01)
    with cloud.server.http() as client:
        search = client.post("/v1/search", json={"query": "kafka"})
    searched_while_asking = not answered.is_set()
    waiting.join()

    assert cloud.groq.requests
    assert search.status_code == 200
    assert searched_while_asking


def test_after_repeated_groq_failures_answers_skip_groq_for_the_cool_down(cloud: CloudTwin) -> None:
    cloud.groq.queue(server_error(500), server_error(500))
    before = len(cloud.groq.requests)

    answers = [cloud.ask(question).json() for question in ("Who are you?", "Where are you based?", "What is Tern?")]

    assert [answer["fallback"] for answer in answers] == [True, True, True]
    assert len(cloud.groq.requests) - before == 2


def test_the_limiter_can_be_set_to_refuse_while_redis_is_down(
    tmp_path: Path, fake_vector: FakeUpstashVector, redis_shim: RedisShim, fake_openai: FakeOpenAI
) -> None:
    settings = cloud_settings(fake_vector, redis_shim, fake_openai) | {"TWIN_RATE_LIMIT_ON_FAILURE": "deny"}
    with running_twin(tmp_path, **settings) as server, server.http() as client:
        redis_shim.faults.status = 500
        response = client.post("/v1/search", json={"query": "kafka"})
        health = client.get("/health")

    assert response.status_code == 429
    assert "RateLimiterUnavailable" in server.log
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
