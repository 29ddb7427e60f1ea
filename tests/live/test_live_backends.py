"""Against the real Upstash and Groq: run only when their credentials are set, skipped otherwise.

    TWIN_UPSTASH_VECTOR_URL=... TWIN_UPSTASH_VECTOR_TOKEN=... \\
    TWIN_UPSTASH_REDIS_URL=... TWIN_UPSTASH_REDIS_TOKEN=... \\
    TWIN_GROQ_API_KEY=... .venv/bin/pytest -m live

(or put them in `.env`). The tests use their own twin id and environment, and clean up after themselves.
"""

import secrets
from collections.abc import Iterator
from typing import cast

import pytest

from twin.adapters.upstash_vector_index import UpstashVectorIndex
from twin.composition import Services
from twin.domain.answers import Turn
from twin.domain.rate_limits import RateLimit
from twin.profiles import sample_profile
from twin.settings import Secret, Settings

pytestmark = pytest.mark.live

CONFIGURED = Settings.from_environment()
RUN = f"live-{secrets.token_hex(4)}"


def services(*needed: str) -> Services:
    missing = [name for name in needed if getattr(CONFIGURED, name) is None]
    if missing:
        pytest.skip(f"live test: set {', '.join('TWIN_' + name.upper() for name in missing)}")
    return Services(CONFIGURED.with_changes(twin_id=RUN, environment="live-tests"))


@pytest.fixture
def vector() -> Iterator[Services]:
    live = services("upstash_vector_url", "upstash_vector_token", "upstash_redis_url", "upstash_redis_token")
    yield live
    index = UpstashVectorIndex(
        cast(str, CONFIGURED.upstash_vector_url),
        cast(Secret, CONFIGURED.upstash_vector_token).value,
        timeout_seconds=10,
    )
    for namespace in index.namespaces():
        if f":{RUN}:" in namespace:
            index.delete_namespace(namespace)


def test_the_sample_profile_ingests_into_upstash_and_answers_a_search(vector: Services) -> None:
    first = vector.ingest.ingest(sample_profile())
    again = vector.ingest.ingest(sample_profile())
    hits = vector.search.search("Which programming languages do you know best?", top_k=5)

    assert first.added > 30
    assert (again.added, again.removed, again.unchanged) == (0, 0, first.added)
    assert any(hit.chunk.title == "Programming languages" for hit in hits)


def test_redis_keeps_cache_sessions_and_limits() -> None:
    live = services("upstash_redis_url", "upstash_redis_token")

    live.storage.cache.set("probe", "value", 30)
    live.storage.sessions_store.append("probe-session", Turn("q", "a"))
    decisions = [
        live.storage.rate_limiter.hit(f"client:{RUN}", RateLimit(requests=2, window_seconds=60)) for _ in range(3)
    ]

    assert live.storage.cache.get("probe") == "value"
    assert live.storage.sessions_store.history("probe-session") == [Turn("q", "a")]
    assert [decision.allowed for decision in decisions] == [True, True, False]
    assert live.storage.sessions_store.delete("probe-session")


def test_groq_answers_in_the_first_person_from_the_passages() -> None:
    live = services("groq_api_key")
    only_groq = live.settings.with_changes(index_path=":memory:", upstash_vector_url=None, upstash_redis_url=None)
    live_embedded = Services(only_groq)
    live_embedded.ingest.ingest(sample_profile())

    answer = live_embedded.ask.ask("What programming languages are you most comfortable with?")

    assert answer.model.startswith(CONFIGURED.groq_model.split("/")[0])
    assert not answer.fallback
    assert "Python" in answer.text
