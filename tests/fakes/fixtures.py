"""Fixtures for the loopback fakes of Upstash Vector, Upstash Redis (over a real redis-server) and Groq."""

from collections.abc import Iterator

import pytest

from tests.fakes.openai_compatible import FakeOpenAI
from tests.fakes.redis_shim import RedisServer, RedisShim, running_redis_server
from tests.fakes.upstash_vector import FakeUpstashVector

CREDENTIALS_DATABASE = 1
"""The redis-server database number `credentials_shim` answers from."""


@pytest.fixture
def fake_vector() -> Iterator[FakeUpstashVector]:
    """A loopback Upstash Vector REST API, empty, with no faults queued; stopped after the test."""
    fake = FakeUpstashVector()
    yield fake
    fake.stop()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A loopback OpenAI-compatible chat server (Groq's paths); pass `base_url=fake_openai.url` to the SDK."""
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server for the whole session (on a free port, no persistence). Never skipped: CI installs it."""
    try:
        with running_redis_server(tmp_path_factory.mktemp("redis")) as server:
            yield server
    except FileNotFoundError as error:
        pytest.fail(str(error))


@pytest.fixture
def redis_shim(redis_server: RedisServer) -> Iterator[RedisShim]:
    """Upstash's REST API in front of `redis_server`, emptied, recording, with no faults; stopped after the test. Its
    `readonly_token` may only read."""
    redis_server.client.flushall()
    with RedisShim(redis_server.port, readonly_token="shim-readonly-token") as shim:
        yield shim


@pytest.fixture
def credentials_shim(redis_shim: RedisShim, redis_server: RedisServer) -> Iterator[RedisShim]:
    """A second database (`redis_server`'s number 1, emptied with `redis_shim`'s) behind a shim and tokens of its own:
    the credentials database."""
    tokens = {"token": "credentials-token", "readonly_token": "credentials-readonly-token"}
    with RedisShim(redis_server.port, database=CREDENTIALS_DATABASE, **tokens) as shim:
        yield shim
