"""How many requests an ask makes to Upstash Redis's REST API, through `twin serve` on the cloud adapters (loopback
fakes of Upstash Vector and Groq, the REST shim over a real redis-server). Each is a round trip the answer waits for.

The budget: the rate limiter's one request (the rate limit and a JWT caller's daily quota together), then two for
an answer from the cache, three for a new one; the question log's entry goes with the last of them.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_compatible import FakeOpenAI
from tests.fakes.redis_shim import RecordedRequest, RedisServer, RedisShim
from tests.fakes.upstash_vector import FakeUpstashVector
from tests.functional.conftest import RunningServer, running_twin, upstash_settings
from twin.profiles import sample_profile


@pytest.fixture
def server(
    tmp_path: Path, fake_vector: FakeUpstashVector, redis_shim: RedisShim, fake_openai: FakeOpenAI
) -> Iterator[RunningServer]:
    groq = {"TWIN_GROQ_API_KEY": fake_openai.api_key, "TWIN_GROQ_BASE_URL": fake_openai.url}
    with running_twin(tmp_path, **upstash_settings(fake_vector, redis_shim) | groq) as server:
        with server.http() as client:
            ingested = client.post(
                "/v1/admin/ingest", content=sample_profile(), headers={"content-type": "application/json"}
            )
        assert ingested.status_code == 200, ingested.text
        yield server


def redis_requests_of_an_ask(
    server: RunningServer, redis: RedisShim, question: str, *, cached: bool
) -> list[RecordedRequest]:
    """Each ask starts a conversation: the same question then has the same cache key."""
    before = len(redis.requests)
    with server.http() as client:
        response = client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    assert response.json()["cached"] is cached
    return redis.requests[before:]


def for_the_rate_limiter(request: RecordedRequest) -> bool:
    return ":ratelimit:" in json.dumps(request.commands)


def test_an_answer_from_the_cache_costs_the_rate_limiter_one_round_trip_and_the_ask_two(
    server: RunningServer, redis_shim: RedisShim
) -> None:
    redis_requests_of_an_ask(server, redis_shim, "Where do you work now?", cached=False)

    requests = redis_requests_of_an_ask(server, redis_shim, "Where do you work now?", cached=True)
    limiter = [request for request in requests if for_the_rate_limiter(request)]

    assert len(limiter) == 1
    assert len(requests) - len(limiter) <= 2


def test_a_new_answer_costs_the_rate_limiter_one_round_trip_and_the_ask_three(
    server: RunningServer, redis_shim: RedisShim
) -> None:
    question = "What programming languages are you most comfortable with?"
    requests = redis_requests_of_an_ask(server, redis_shim, question, cached=False)
    limiter = [request for request in requests if for_the_rate_limiter(request)]

    assert len(limiter) == 1
    assert len(requests) - len(limiter) <= 3


def test_the_question_log_costs_no_round_trip_of_its_own_and_reads_back_as_insights(
    server: RunningServer, redis_shim: RedisShim, redis_server: RedisServer
) -> None:
    redis_requests_of_an_ask(server, redis_shim, "Where are you based?", cached=False)
    requests = redis_requests_of_an_ask(server, redis_shim, "Where are you based?", cached=True)

    with server.http() as client:
        insights = client.get("/v1/admin/insights", params={"days": "1"}).json()
    assert len(requests) == 3, "the rate limiter's, then the ask's two: the entry went with the cached answer"
    assert redis_server.client.zcard("twin:local:default:questions") == 2
    assert insights["top_questions"] == [{"question": "Where are you based?", "count": 2}]
    assert insights["by_channel"]["rest"] == 2
