"""Rate limiting over real HTTP against a `twin serve` whose partner-tier callers may make three API requests a
minute (and free-tier callers a thousand a minute, but only five a day)."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.functional.conftest import RunningServer, running_twin


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    state_dir: Path = tmp_path_factory.mktemp("strict-state")
    limits = {
        "TWIN_RATE_LIMIT_PARTNER": "3",
        "TWIN_RATE_LIMIT_FREE": "1000",
        "TWIN_RATE_LIMIT_WINDOW_SECONDS": "60",
        "TWIN_QUOTA_FREE": "5",
    }
    with running_twin(state_dir, **limits) as running:
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
    assert mcp.json()["error"]["data"] == {"code": "rate_limited"}  # a JSON-RPC error, which MCP clients show
    assert health.status_code == 200
    assert "ratelimit-limit" not in health.headers


def test_under_concurrent_requests_exactly_the_allowance_passes(strict_server: RunningServer) -> None:
    token = strict_server.tokens().token(sub="burst-client", tier="partner")

    def search(_: int) -> int:
        with strict_server.http(token=token) as client:
            return client.post("/v1/search", json={"query": "python"}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(search, range(40)))

    assert statuses.count(200) == 3
    assert statuses.count(429) == 37


def test_each_caller_has_their_own_allowance(strict_server: RunningServer) -> None:
    tokens = strict_server.tokens()
    with strict_server.http(token=tokens.token(sub="first", tier="partner")) as first:
        spent = [first.post("/v1/search", json={"query": "python"}).status_code for _ in range(4)]
    with strict_server.http(token=tokens.token(sub="second", tier="partner")) as second:
        fresh = second.post("/v1/search", json={"query": "python"}).status_code

    assert spent == [200, 200, 200, 429]
    assert fresh == 200


def test_the_allowance_depends_on_the_tier(strict_server: RunningServer) -> None:
    with strict_server.http(token=strict_server.tokens().token(sub="free-client", tier="free")) as client:
        response = client.post("/v1/search", json={"query": "python"})

    assert response.headers["ratelimit-limit"] == "1000"


def test_a_refused_credential_is_not_counted_and_carries_no_ratelimit_headers(strict_server: RunningServer) -> None:
    token = strict_server.tokens().token(sub="refused-then-allowed", tier="partner")
    with strict_server.http(token="not-a-token") as refused_client:
        refused = [refused_client.post("/v1/search", json={"query": "python"}) for _ in range(4)]
    with strict_server.http(token=token) as client:
        allowed = client.post("/v1/search", json={"query": "python"})

    assert [response.status_code for response in refused] == [401] * 4
    assert all("ratelimit-limit" not in response.headers and response.headers["x-request-id"] for response in refused)
    assert allowed.status_code == 200
    assert allowed.headers["ratelimit-remaining"] == "2"


def test_each_user_of_one_oauth_client_has_their_own_allowance(strict_server: RunningServer) -> None:
    tokens = strict_server.tokens()
    with strict_server.http(token=tokens.token(sub="ann", client_id="shared-app", tier="partner")) as ann:
        spent = [ann.post("/v1/search", json={"query": "python"}).status_code for _ in range(4)]
    with strict_server.http(token=tokens.token(sub="ben", client_id="shared-app", tier="partner")) as ben:
        fresh = ben.post("/v1/search", json={"query": "python"}).status_code

    assert spent == [200, 200, 200, 429]
    assert fresh == 200


def test_each_api_key_has_its_own_allowance_which_no_token_can_spend(strict_server: RunningServer) -> None:
    first, _ = strict_server.api_key("umbrella", tier="partner")
    second, _ = strict_server.api_key("umbrella", tier="partner")
    namesake = strict_server.tokens().token(sub="client:umbrella", client_id="umbrella", tier="partner")
    with strict_server.http(token=namesake) as client:
        by_the_namesake = [client.post("/v1/search", json={"query": "python"}).status_code for _ in range(3)]
    with strict_server.http(token=first) as client:
        by_the_first_key = [client.post("/v1/search", json={"query": "python"}).status_code for _ in range(4)]
    with strict_server.http(token=second) as client:
        by_the_second_key = client.post("/v1/search", json={"query": "python"}).status_code

    assert by_the_namesake == [200, 200, 200]
    assert by_the_first_key == [200, 200, 200, 429]
    assert by_the_second_key == 200


def test_each_jwt_subject_has_its_own_daily_quota_even_under_one_client(strict_server: RunningServer) -> None:
    """In AWS all JWT callers of a tier share one usage-plan key: the quota that holds per caller is this one."""
    tokens = strict_server.tokens()
    with strict_server.http(token=tokens.token(sub="quota-first", client_id="one-app", tier="free")) as first:
        spent = [first.post("/v1/search", json={"query": "python"}) for _ in range(6)]
    with strict_server.http(token=tokens.token(sub="quota-second", client_id="one-app", tier="free")) as second:
        fresh = second.post("/v1/search", json={"query": "python"})

    assert [response.status_code for response in spent] == [200] * 5 + [429]
    assert spent[-1].json()["error"]["code"] == "rate_limited"
    assert spent[-1].headers["ratelimit-policy"] == "5;w=86400"
    assert int(spent[-1].headers["retry-after"]) > 60
    assert fresh.status_code == 200
