"""The public chat route: off by default on AWS, on for `twin serve`; asking only, limited per address."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.functional.conftest import ALLOWED_ORIGIN, RunningServer, running_twin
from twin.domain import limits


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_twin(tmp_path_factory.mktemp("public"), TWIN_RATE_LIMIT_PUBLIC="3") as running:
        yield running


def anonymous(server: RunningServer) -> httpx.Client:
    return server.http(token="")


def test_a_visitor_asks_without_credentials_and_keeps_the_conversation(server: RunningServer) -> None:
    with anonymous(server) as client:
        first = client.post("/v1/public/ask", json={"question": "Where do you work now?"})
        follow_up = client.post(
            "/v1/public/ask", json={"question": "What did you achieve there?", "session_id": first.json()["session_id"]}
        )

    assert first.status_code == 200
    assert first.json()["sources"]
    assert isinstance(first.json()["answered"], bool)
    assert follow_up.json()["session_id"] == first.json()["session_id"]
    assert isinstance(follow_up.json()["answered"], bool)


def test_the_page_and_the_embed_script_are_served_with_the_profile_card(server: RunningServer) -> None:
    with anonymous(server) as client:
        page = client.get("/")
        embed = client.get("/embed.js")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Avery Quinn" in page.text
    assert "{{" not in page.text
    assert embed.status_code == 200
    assert embed.headers["content-type"].startswith("text/javascript")


def test_with_the_public_chat_off_every_public_route_is_a_404(tmp_path: Path) -> None:
    with running_twin(tmp_path, TWIN_PUBLIC_CHAT="false") as off, anonymous(off) as client:
        responses = [
            client.get("/"),
            client.get("/embed.js"),
            client.get("/privacy"),
            client.post("/v1/public/ask", json={"question": "Where do you work now?"}),
            client.post("/v1/public/fit", json={"job_description": "- Experience with Python"}),
        ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404, 404]


@pytest.mark.parametrize("path", ["/", "/embed.js", "/privacy"])
def test_the_static_parts_carry_a_strong_etag_and_a_repeat_view_is_a_304_without_a_body(
    server: RunningServer, path: str
) -> None:
    with anonymous(server) as client:
        first = client.get(path)
        repeat = client.get(path, headers={"If-None-Match": first.headers["etag"]})
        among_others = client.get(path, headers={"If-None-Match": f'"stale", W/{first.headers["etag"]}'})
        stale = client.get(path, headers={"If-None-Match": '"0123456789abcdef0123456789abcdef"'})

    assert first.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', first.headers["etag"])  # strong: no W/ prefix
    assert re.fullmatch(r"public, max-age=\d+, s-maxage=\d+", first.headers["cache-control"])
    for revalidated in (repeat, among_others):
        assert revalidated.status_code == 304
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == first.headers["etag"]
        assert revalidated.headers["cache-control"] == first.headers["cache-control"]
    assert stale.status_code == 200
    assert stale.content == first.content


def test_the_privacy_notice_states_the_retention_the_settings_give_and_the_owners_contact(tmp_path: Path) -> None:
    settings = {
        "TWIN_SESSION_TTL_SECONDS": "7200",
        "TWIN_LOG_RETENTION_DAYS": "14",
        "TWIN_PRIVACY_CONTACT": "https://averyquinn.example/contact",
    }
    with running_twin(tmp_path, **settings) as twin, anonymous(twin) as client:
        page = client.get("/")
        notice = client.get("/privacy")

    text = " ".join(notice.text.split())
    assert 'href="privacy"' in page.text
    assert notice.headers["content-type"].startswith("text/html")
    assert "Avery Quinn" in text
    assert "kept for 2 hours after your last question" in text
    assert "keeps it for 14 days" in text
    assert '<a href="https://averyquinn.example/contact">' in text
    assert "{{" not in text


def test_an_owner_notice_file_replaces_the_bundled_template_with_its_placeholders_filled(tmp_path: Path) -> None:
    own = tmp_path / "my-privacy.html"
    own.write_text("<!doctype html><title>Mine</title><p>{{name}} forgets you after {{session_ttl}}.</p>")
    state = tmp_path / "state"
    state.mkdir()

    with running_twin(state, TWIN_PRIVACY_NOTICE=str(own)) as twin, anonymous(twin) as client:
        notice = client.get("/privacy")

    assert notice.status_code == 200
    assert "<p>Avery Quinn forgets you after 30 minutes.</p>" in notice.text


def test_each_address_may_ask_exactly_its_allowance(limited_server: RunningServer) -> None:
    with anonymous(limited_server) as client:
        statuses = [client.post("/v1/public/ask", json={"question": f"Question {n}?"}) for n in range(5)]
        with limited_server.http() as authenticated:
            api = authenticated.post("/v1/search", json={"query": "python"})

    assert [response.status_code for response in statuses] == [200, 200, 200, 429, 429]
    refused = statuses[3]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) > 0
    assert statuses[0].headers["ratelimit-limit"] == "3"
    assert api.status_code == 200


def test_a_forwarded_for_header_gives_no_fresh_allowance(tmp_path: Path) -> None:
    with running_twin(tmp_path, TWIN_RATE_LIMIT_PUBLIC="3") as twin, anonymous(twin) as client:
        statuses = [
            client.post(
                "/v1/public/ask",
                json={"question": "Where do you work now?"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(5)
        ]

    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_allowance(tmp_path: Path) -> None:
    def ask(client: httpx.Client, address: str) -> int:
        question = {"question": "Where do you work now?"}
        return client.post("/v1/public/ask", json=question, headers={"X-Forwarded-For": address}).status_code

    settings = {"TWIN_RATE_LIMIT_PUBLIC": "3", "TWIN_TRUSTED_PROXIES": "127.0.0.1"}
    with running_twin(tmp_path, **settings) as twin, anonymous(twin) as client:
        spent = [ask(client, "203.0.113.7") for _ in range(4)]
        fresh = ask(client, "203.0.113.8")

    assert spent == [200, 200, 200, 429]
    assert fresh == 200


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"question": "x" * (limits.PUBLIC_MAX_QUESTION_CHARS + 1)}, 422),
        ({"question": "Hi?", "top_k": 20}, 422),
        ({"question": ""}, 422),
        ({"question": "Hi?", "session_id": "../other"}, 422),
    ],
)
def test_public_questions_have_stricter_limits(server: RunningServer, body: object, status: int) -> None:
    with anonymous(server) as client:
        assert client.post("/v1/public/ask", json=body).status_code == status


def test_a_public_body_over_4_kib_is_a_413(server: RunningServer) -> None:
    body = json.dumps({"question": "x", "padding": "y" * limits.PUBLIC_MAX_BODY_BYTES}).encode()

    with anonymous(server) as client:
        response = client.post("/v1/public/ask", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 413


def test_only_allowed_origins_may_call_the_public_chat_from_a_browser(server: RunningServer) -> None:
    with anonymous(server) as client:
        allowed = client.post("/v1/public/ask", json={"question": "Hi?"}, headers={"origin": ALLOWED_ORIGIN})
        other = client.post("/v1/public/ask", json={"question": "Hi?"}, headers={"origin": "https://evil.example"})

    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/v1/public/ingest", 404),
        ("GET", "/v1/public/profile", 404),
        ("GET", "/v1/public/ask", 405),
        ("POST", "/v1/admin/ingest", 401),
        ("GET", "/v1/profile", 401),
        ("POST", "/v1/search", 401),
    ],
)
def test_a_visitor_can_ask_and_do_nothing_else(server: RunningServer, method: str, path: str, status: int) -> None:
    with anonymous(server) as client:
        assert client.request(method, path, json={"query": "x"}).status_code == status
