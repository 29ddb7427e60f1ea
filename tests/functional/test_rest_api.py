"""The REST API over real HTTP against `twin serve`, including every bad-input case."""

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.conftest import MARKDOWN_PROFILE
from tests.functional.conftest import RunningServer
from twin.domain import limits
from twin.profiles import sample_profile

DOCUMENTS = Path(__file__).parents[1] / "fixtures" / "profiles" / "documents"


@pytest.fixture
def client(server: RunningServer) -> httpx.Client:
    return server.http()


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert "Traceback" not in response.text
    return dict(error)


def test_ask_answers_in_the_first_person_with_sources(client: httpx.Client) -> None:
    response = client.post("/v1/ask", json={"question": "What programming languages are you most comfortable with?"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"answer", "sources", "model", "cached", "session_id", "fallback", "answered"}
    assert body["fallback"] is False
    assert body["answered"] is True
    assert body["model"] == "extractive"
    assert body["sources"][0]["section"] == "skills"
    assert set(body["sources"][0]) == {"id", "title", "section", "score", "snippet"}
    assert "I" in body["answer"].split() or body["answer"].startswith("My")


def test_a_follow_up_keeps_the_session(client: httpx.Client) -> None:
    first = client.post("/v1/ask", json={"question": "Where do you work now?"}).json()

    second = client.post("/v1/ask", json={"question": "What did you achieve there?", "session_id": first["session_id"]})

    assert second.status_code == 200
    assert second.json()["session_id"] == first["session_id"]
    assert isinstance(first["answered"], bool)
    assert isinstance(second.json()["answered"], bool)


def test_a_question_the_profile_cannot_answer_still_says_whether_it_was_answered(client: httpx.Client) -> None:
    response = client.post("/v1/ask", json={"question": "What is your favourite colour of submarine?"})

    assert response.status_code == 200
    assert isinstance(response.json()["answered"], bool)


def test_search_filters_by_section(client: httpx.Client) -> None:
    response = client.post("/v1/search", json={"query": "python", "top_k": 3, "section": "skills"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert 0 < len(results) <= 3
    assert {result["section"] for result in results} == {"skills"}


def test_profile_lists_sections_and_each_section_is_readable(client: httpx.Client) -> None:
    profile = client.get("/v1/profile").json()

    assert profile["name"]
    assert profile["version"] >= 1
    section = profile["sections"][0]
    full = client.get(f"/v1/profile/sections/{section['id']}")
    assert full.status_code == 200
    assert full.json()["title"] == section["title"]
    assert full.json()["text"]


def test_health_reports_the_profile_version(client: httpx.Client) -> None:
    body = client.get("/health").json()

    assert body["status"] == "ok"
    assert body["profile_version"] >= 1


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()

    assert {
        "/v1/ask",
        "/v1/search",
        "/v1/profile",
        "/v1/profile/sections/{section_id}",
        "/v1/admin/ingest",
        "/health",
    } <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_the_openapi_schema_declares_answered_a_required_boolean_of_every_answer(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()

    schemas = spec["components"]["schemas"]
    answer = spec["paths"]["/v1/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = answer["$ref"].rsplit("/", 1)[-1]
    assert name.startswith("AskResponse")
    assert schemas[name]["properties"]["answered"]["type"] == "boolean"
    assert schemas[name]["properties"]["answered"]["description"]
    assert "answered" in schemas[name]["required"]


def test_the_openapi_document_says_who_may_call_each_route_and_what_refusals_look_like(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()

    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearer"]["description"],
    }
    ask = spec["paths"]["/v1/ask"]["post"]
    assert ask["security"] == [{"bearer": ["twin:ask"]}]
    assert {"400", "401", "403", "404", "413", "415", "422", "429", "503"} <= set(ask["responses"])
    assert "WWW-Authenticate" in ask["responses"]["401"]["headers"]
    assert spec["paths"]["/v1/admin/ingest"]["post"]["security"] == [{"bearer": ["twin:admin"]}]
    assert {"401", "403", "404", "429"} <= set(spec["paths"]["/v1/profile/sections/{section_id}"]["get"]["responses"])
    for public in ("/health", "/v1/public/ask"):
        operation = next(iter(spec["paths"][public].values()))
        assert "security" not in operation
        assert "401" not in operation["responses"]


@pytest.mark.parametrize("text", ["Hi?", "   ", "\x1c\x1d\x1e\x1f", "\u3000\u2028", "\x01\x02", "\x85é"])
def test_the_documented_question_pattern_refuses_exactly_the_questions_the_server_refuses(
    client: httpx.Client, text: str
) -> None:
    spec = client.get("/openapi.json").json()
    question = spec["components"]["schemas"]["AskRequest"]["properties"]["question"]

    response = client.post("/v1/ask", json={"question": text})

    assert (re.search(question["pattern"], text) is not None) == (response.status_code == 200), response.text


def test_the_documented_markdown_profile_cannot_be_empty(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    markdown = spec["paths"]["/v1/admin/ingest"]["post"]["requestBody"]["content"]["text/markdown"]["schema"]

    response = client.post("/v1/admin/ingest", content=b"", headers={"content-type": "text/markdown"})

    assert_error(response, 422, "invalid_profile")
    assert markdown["minLength"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "invalid_request"),
        ({"question": ""}, 422, "invalid_request"),
        ({"question": "   "}, 422, "invalid_request"),
        ({"question": "x" * (limits.MAX_QUESTION_CHARS + 1)}, 422, "invalid_request"),
        ({"question": "Hi?", "top_k": 0}, 422, "invalid_request"),
        ({"question": "Hi?", "top_k": 21}, 422, "invalid_request"),
        ({"question": "Hi?", "top_k": "many"}, 422, "invalid_request"),
        ({"question": "Hi?", "session_id": "bad id!"}, 422, "invalid_request"),
        ({"question": 42}, 422, "invalid_request"),
        ([], 422, "invalid_request"),
    ],
)
def test_bad_ask_input_gets_a_clear_4xx(client: httpx.Client, body: object, status: int, code: str) -> None:
    assert_error(client.post("/v1/ask", json=body), status, code)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_a_415(client: httpx.Client, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}

    response = client.post("/v1/ask", content=b'{"question": "Hi?"}', headers=headers)

    assert_error(response, 415, "unsupported_media_type")


def test_a_json_media_type_with_parameters_is_accepted(client: httpx.Client) -> None:
    headers = {"content-type": "application/json; charset=utf-8"}

    assert client.post("/v1/search", content=b'{"query": "python"}', headers=headers).status_code == 200


def test_malformed_json_is_a_400(client: httpx.Client) -> None:
    response = client.post("/v1/ask", content=b'{"question": ', headers={"content-type": "application/json"})

    assert_error(response, 400, "malformed_json")


UNPARSEABLE = {
    "nested 2,000 deep": b"[" * 2_000 + b"]" * 2_000,
    "an integer of 5,000 digits": b'{"question": "Hi?", "top_k": ' + b"7" * 5_000 + b"}",
    "a lone surrogate": b'{"question": "Hi \\ud800?", "query": "\\ud800"}',
    "NaN": b'{"question": "Hi?", "top_k": NaN}',
    "not UTF-8": b'{"question": "Hi \xff?"}',
}


JSON_ROUTES = [
    "/v1/ask",
    "/v1/fit",
    "/v1/search",
    "/v1/admin/ingest",
    "/v1/admin/answers",
    "/v1/public/ask",
    "/v1/public/fit",
]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (path, name)
        for path in JSON_ROUTES
        for name, body in UNPARSEABLE.items()
        if len(body) <= limits.PUBLIC_MAX_BODY_BYTES or not path.startswith("/v1/public/")
    ],
)
def test_a_json_body_that_cannot_be_parsed_is_a_400(client: httpx.Client, path: str, name: str) -> None:
    response = client.post(path, content=UNPARSEABLE[name], headers={"content-type": "application/json"})

    assert_error(response, 400, "malformed_json")


def test_a_profile_sent_as_json_must_be_json(client: httpx.Client) -> None:
    response = client.post(
        "/v1/admin/ingest", content=b"# Not JSON\n\nSome text.", headers={"content-type": "application/json"}
    )

    assert_error(response, 400, "malformed_json")


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/search"])
@pytest.mark.parametrize("top_k", ["5", 5.0, True])
def test_top_k_must_be_a_json_integer(client: httpx.Client, path: str, top_k: object) -> None:
    response = client.post(path, json={"question": "Which languages?", "query": "python", "top_k": top_k})

    error = assert_error(response, 422, "invalid_request")
    assert error["details"] == [{"field": "top_k", "message": "Input should be a valid integer"}]


ECHO = "echo-" + "z" * 3_000


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"/v1/profile/sections/{ECHO}", None),
        ("DELETE", f"/v1/sessions/{ECHO}", None),
        ("POST", "/v1/public/ask", {"question": "Hi?", ECHO: 1}),
        ("POST", "/v1/search", {"query": "python", "top_k": ECHO}),
        ("POST", "/v1/ask", {"question": ECHO}),
        ("POST", "/v1/ask", {ECHO: {ECHO: ECHO}, "question": [ECHO]}),
        ("POST", "/v1/fit", {"job_description": ECHO * 4}),
        ("POST", "/v1/admin/answers", {"question": ECHO, "answer": ECHO}),
        ("DELETE", f"/v1/admin/answers/{ECHO}", None),
    ],
)
def test_no_error_echoes_what_the_caller_sent(client: httpx.Client, method: str, path: str, body: object) -> None:
    response = client.request(method, path, json=body)

    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"]
    assert "zzzzzzzzzz" not in response.text
    assert len(response.content) < 1_000


def test_a_validation_error_does_not_echo_the_input(client: httpx.Client) -> None:
    secret_looking = "s3cr3t-" + "x" * limits.MAX_QUESTION_CHARS

    response = client.post("/v1/ask", json={"question": secret_looking})

    assert_error(response, 422, "invalid_request")
    assert "s3cr3t" not in response.text


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/v1/ask", limits.MAX_BODY_BYTES),
        ("/v1/search", limits.MAX_BODY_BYTES),
        ("/v1/admin/ingest", limits.MAX_DOCUMENT_BYTES),
        ("/v1/fit", limits.MAX_BODY_BYTES),
        ("/v1/public/fit", limits.PUBLIC_FIT_MAX_BODY_BYTES),
    ],
)
def test_a_body_over_the_routes_limit_is_a_413(client: httpx.Client, path: str, limit: int) -> None:
    body = json.dumps({"question": "x" * (limit + 1)}).encode()

    assert_error(
        client.post(path, content=body, headers={"content-type": "application/json"}),
        413,
        "payload_too_large",
    )


def test_a_streamed_body_over_the_limit_without_content_length_is_a_413(client: httpx.Client) -> None:
    def chunks() -> object:
        for _ in range(5):
            yield b"x" * (limits.MAX_BODY_BYTES // 4)

    response = client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})  # type: ignore[arg-type]  # a generator body: streamed, no length

    assert "content-length" not in response.request.headers
    assert_error(response, 413, "payload_too_large")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": ""}, "invalid_request"),
        ({"query": "python", "section": "hobbies"}, "invalid_request"),
        ({"query": "python", "top_k": 100}, "invalid_request"),
    ],
)
def test_bad_search_input_gets_a_422(client: httpx.Client, body: object, code: str) -> None:
    assert_error(client.post("/v1/search", json=body), 422, code)


@pytest.mark.parametrize("section_id", ["0" * 24, "nope", "..%3Bcat%20x", "a" * 300])
def test_an_unknown_section_is_a_404(client: httpx.Client, section_id: str) -> None:
    assert_error(client.get(f"/v1/profile/sections/{section_id}"), 404, "section_not_found")


def test_an_unknown_route_is_a_404_and_a_wrong_method_a_405(client: httpx.Client) -> None:
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.get("/v1/ask"), 405, "method_not_allowed")


def test_a_malformed_profile_is_refused_with_its_location_and_changes_nothing(client: httpx.Client) -> None:
    before = client.get("/v1/profile").json()

    response = client.post("/v1/admin/ingest", content=b'{"personal": {"name": "X"},\n  "experience": [}')

    error = assert_error(response, 422, "invalid_profile")
    assert error["details"][0]["field"] == "line 2, column 18"  # type: ignore[index]  # error details are a list of dicts
    assert client.get("/v1/profile").json() == before


def test_a_pdf_cv_is_ingested_from_a_binary_body(client: httpx.Client) -> None:
    pdf = (DOCUMENTS / "two_column_cv.pdf").read_bytes()
    try:
        response = client.post("/v1/admin/ingest", content=pdf, headers={"content-type": "application/pdf"})
        profile = client.get("/v1/profile").json()
    finally:  # the server is shared: the sample goes back for the other tests
        client.post("/v1/admin/ingest", content=sample_profile(), headers={"content-type": "application/json"})

    assert response.status_code == 200, response.text
    assert response.json()["source_format"] == "pdf"
    assert profile["name"] == "Siobhán Ní Bhriain"


def test_a_new_profile_version_is_searched_and_listed_at_once(client: httpx.Client) -> None:
    """Searches and the profile overview are answered from what the server built for the version served: twice
    before the ingest, so a body built for the old version would be there to serve after it."""
    search = {"query": "Which programming languages do you know?"}
    before = [client.post("/v1/search", json=search).json() for _ in range(2)]
    listed = [client.get("/v1/profile").json() for _ in range(2)]
    try:
        client.post("/v1/admin/ingest", content=MARKDOWN_PROFILE, headers={"content-type": "text/markdown"})
        found = client.post("/v1/search", json=search).json()
        profile = client.get("/v1/profile").json()
    finally:  # the server is shared: the sample goes back for the other tests
        client.post("/v1/admin/ingest", content=sample_profile(), headers={"content-type": "application/json"})

    assert before[0] == before[1]
    assert listed[0] == listed[1]
    assert "a little Rust" in found["results"][0]["snippet"]
    assert profile["name"] == "Sam Rivera"
    assert profile["version"] > listed[0]["version"]
    assert client.post("/v1/search", json=search).json() == before[0]
    assert client.get("/v1/profile").json()["name"] == listed[0]["name"]


def test_an_encrypted_pdf_is_a_422_that_says_why(client: httpx.Client) -> None:
    pdf = (DOCUMENTS / "encrypted.pdf").read_bytes()

    response = client.post("/v1/admin/ingest", content=pdf, headers={"content-type": "application/pdf"})

    error = assert_error(response, 422, "invalid_profile")
    assert "without a password" in str(error["message"])


def test_ingesting_the_profile_already_served_changes_nothing(client: httpx.Client) -> None:
    version = client.get("/health").json()["profile_version"]

    response = client.post("/v1/admin/ingest", content=sample_profile(), headers={"content-type": "application/json"})

    assert response.status_code == 200
    report = response.json()
    assert (report["added"], report["updated"], report["removed"], report["version"]) == (0, 0, 0, version)
    assert report["unchanged"] == len(client.get("/v1/profile").json()["sections"])
