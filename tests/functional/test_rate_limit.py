"""Rate limiting over real HTTP against a `twin serve` whose clients may make three API requests a minute."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.conftest import RunningServer, running_twin


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    state_dir: Path = tmp_path_factory.mktemp("strict-state")
    with running_twin(state_dir, TWIN_RATE_LIMIT_PARTNER="3", TWIN_RATE_LIMIT_WINDOW_SECONDS="60") as running:
        yield running


def test_over_the_limit_a_client_gets_429_with_retry_after_and_ratelimit_headers(
    strict_server: RunningServer,
) -> None:
    with strict_server.http() as client:
        allowed = [client.post("/v1/search", json={"query": "python"}) for _ in range(3)]
        refused = client.get("/v1/profile")
        mcp = client.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        health = client.get("/health")

    assert [response.status_code for response in allowed] == [200, 200, 200]
    assert [response.headers["ratelimit-remaining"] for response in allowed] == ["2", "1", "0"]
    assert allowed[0].headers["ratelimit-limit"] == "3"
    assert allowed[0].headers["ratelimit-policy"] == "3;w=60"
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.headers["retry-after"] == "20"
    assert refused.headers["ratelimit-remaining"] == "0"
    assert mcp.status_code == 429
    assert health.status_code == 200
    assert "ratelimit-limit" not in health.headers
