"""Role fit over real HTTP against `twin serve`: `POST /v1/fit` for callers with `twin:ask`, `POST /v1/public/fit`
for the chat page's visitors."""

import httpx
import pytest

from tests.functional.conftest import RunningServer
from twin.domain import limits

JOB = """Senior Data Engineer

Requirements:
- 5+ years of experience with Python and SQL
- Experience with Kubernetes in production

Nice to have:
- AWS certification

We are an equal opportunity employer.
"""


@pytest.fixture
def client(server: RunningServer) -> httpx.Client:
    return server.http()


@pytest.mark.parametrize("path", ["/v1/fit", "/v1/public/fit"])
def test_each_requirement_comes_back_with_its_strength_and_verbatim_evidence(client: httpx.Client, path: str) -> None:
    response = client.post(path, json={"job_description": JOB})

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"requirements", "summary", "model", "fallback"}
    assert (body["model"], body["fallback"]) == ("extractive", False)
    assert [(r["requirement"], r["importance"], r["strength"]) for r in body["requirements"]] == [
        ("5+ years of experience with Python and SQL", "required", "strong"),
        ("Experience with Kubernetes in production", "required", "none"),
        ("AWS certification", "preferred", "strong"),
    ]
    assert body["requirements"][1]["evidence"] == []
    evidence = body["requirements"][0]["evidence"][0]
    assert set(evidence) == {"quote", "source_id", "title"}
    section = client.get(f"/v1/profile/sections/{evidence['source_id']}").json()
    assert evidence["quote"] in " ".join(section["text"].split())
    assert evidence["title"] == section["title"]
    assert body["summary"].startswith("My profile shows strong evidence for 2 of the 3 requirements")


@pytest.mark.parametrize("path", ["/v1/fit", "/v1/public/fit"])
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"job_description": ""},
        {"job_description": "   "},
        {"job_description": 42},
        {"job_description": "x" * (limits.MAX_JOB_DESCRIPTION_CHARS + 1)},
    ],
    ids=["missing", "empty", "blank", "not text", "too long"],
)
def test_a_missing_empty_or_too_long_job_description_is_a_422(
    client: httpx.Client, path: str, body: dict[str, object]
) -> None:
    response = client.post(path, json=body)

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_request"


def test_the_public_route_takes_no_other_field(client: httpx.Client) -> None:
    response = client.post("/v1/public/fit", json={"job_description": JOB, "top_k": 3})

    assert response.status_code == 422


def test_a_token_without_twin_ask_may_not_evaluate_a_fit(server: RunningServer) -> None:
    token = server.tokens().token(scope="twin:read")

    response = server.http(token=token).post("/v1/fit", json={"job_description": JOB})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_the_openapi_document_says_who_may_evaluate_a_fit_and_how_long_a_description_may_be(
    client: httpx.Client,
) -> None:
    spec = client.get("/openapi.json").json()

    operation = spec["paths"]["/v1/fit"]["post"]
    assert operation["security"] == [{"bearer": ["twin:ask"]}]
    request = spec["components"]["schemas"]["FitRequest"]["properties"]["job_description"]
    assert request["maxLength"] == limits.MAX_JOB_DESCRIPTION_CHARS
    strength = spec["components"]["schemas"]["Strength"]
    assert strength["enum"] == ["strong", "partial", "none"]
    assert "security" not in spec["paths"]["/v1/public/fit"]["post"]
