"""Approved answers over real HTTP and the CLI against a `twin serve` of their own: the owner answers a question,
and visitors asking it in their own words get that answer, cited, from the next request on."""

from collections.abc import Iterator

import httpx
import pytest

from tests.functional.conftest import RunningServer, running_twin
from twin.domain import limits

NOTICE = "What is your notice period?"
ANSWER = "I can start four weeks after an offer is signed."


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_twin(tmp_path_factory.mktemp("answers-state")) as running:
        yield running


@pytest.fixture
def client(twin: RunningServer) -> Iterator[httpx.Client]:
    with twin.http() as client:
        yield client
        for answer in client.get("/v1/admin/answers").json()["answers"]:  # each test starts with none
            client.delete(f"/v1/admin/answers/{answer['id']}")


def test_an_approved_answer_is_published_listed_and_preferred_for_its_question(client: httpx.Client) -> None:
    before = client.get("/v1/profile").json()["version"]

    added = client.post("/v1/admin/answers", json={"question": NOTICE, "answer": ANSWER})

    assert added.status_code == 201, added.text
    body = added.json()
    assert set(body) == {"id", "question", "answer", "created_at", "profile_version"}
    assert body["profile_version"] == before + 1 == client.get("/v1/profile").json()["version"]
    assert client.get("/v1/admin/answers").json()["answers"] == [
        {key: body[key] for key in ("id", "question", "answer", "created_at")}
    ]
    asked = client.post("/v1/ask", json={"question": "When could you start?"}).json()
    assert asked["answer"] == f"{ANSWER} [1]"
    assert (asked["sources"][0]["section"], asked["sources"][0]["title"]) == ("faq", NOTICE)
    public = client.post("/v1/public/ask", json={"question": "How soon can you join?"}).json()
    assert public["answer"] == f"{ANSWER} [1]"


def test_removing_it_publishes_a_version_without_it_and_a_second_removal_is_a_404(client: httpx.Client) -> None:
    answer_id = client.post("/v1/admin/answers", json={"question": NOTICE, "answer": ANSWER}).json()["id"]
    cached = client.post("/v1/ask", json={"question": "When could you start?"}).json()

    removed = client.delete(f"/v1/admin/answers/{answer_id}")

    assert removed.status_code == 204
    after = client.post("/v1/ask", json={"question": "When could you start?"}).json()
    assert after["answer"] != cached["answer"]
    assert after["cached"] is False
    again = client.delete(f"/v1/admin/answers/{answer_id}")
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "answer_not_found"


@pytest.mark.parametrize(
    "body",
    [
        {"question": NOTICE},
        {"answer": ANSWER},
        {"question": "", "answer": ANSWER},
        {"question": NOTICE, "answer": "  "},
        {"question": "x" * (limits.MAX_APPROVED_QUESTION_CHARS + 1), "answer": ANSWER},
        {"question": NOTICE, "answer": "x" * (limits.MAX_APPROVED_ANSWER_CHARS + 1)},
        {"question": [NOTICE], "answer": ANSWER},
    ],
    ids=["no answer", "no question", "empty question", "blank answer", "long question", "long answer", "not text"],
)
def test_a_missing_empty_or_too_long_field_is_a_422_and_nothing_is_stored(
    client: httpx.Client, body: dict[str, object]
) -> None:
    response = client.post("/v1/admin/answers", json=body)

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_request"
    assert client.get("/v1/admin/answers").json()["answers"] == []


def test_a_body_that_is_not_json_is_a_400_or_a_415(client: httpx.Client) -> None:
    malformed = client.post("/v1/admin/answers", content=b'{"question": ', headers={"content-type": "application/json"})
    not_json = client.post("/v1/admin/answers", content=b"question=x", headers={"content-type": "text/plain"})

    assert (malformed.status_code, malformed.json()["error"]["code"]) == (400, "malformed_json")
    assert (not_json.status_code, not_json.json()["error"]["code"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/admin/answers"), ("GET", "/v1/admin/answers")])
def test_only_twin_admin_may_manage_approved_answers(twin: RunningServer, method: str, path: str) -> None:
    token = twin.tokens().token(scope="twin:read twin:ask")

    response = twin.http(token=token).request(method, path, json={"question": NOTICE, "answer": ANSWER})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_the_cli_adds_lists_and_removes_answers_of_the_running_twin(twin: RunningServer, client: httpx.Client) -> None:
    added = twin.cli("answers", "add", NOTICE, ANSWER)
    answer_id = added.split()[1].rstrip(";")

    assert added.startswith(f"Approved {answer_id}; the profile is at version ")
    assert answer_id in twin.cli("answers", "list")
    assert client.post("/v1/ask", json={"question": "When could you start?"}).json()["answer"] == f"{ANSWER} [1]"
    assert twin.cli("answers", "remove", answer_id).startswith(f"Removed {answer_id}; the profile is at version ")
    assert twin.cli("answers", "list", "--json").strip() == "[]"


def test_another_method_on_the_answers_path_is_a_405_naming_both_it_serves(client: httpx.Client) -> None:
    response = client.put("/v1/admin/answers", json={"question": NOTICE, "answer": ANSWER})

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert client.get("/v1/admin/answers").json()["answers"] == []
