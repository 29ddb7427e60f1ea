"""Every Lambda handler invoked in-process with its `events/*.json`, as `sam local invoke -e` would."""

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.credentials import HOSTILE, Hostile, TokenFactory
from tests.lambda_handlers import (
    ALLOWED_ORIGIN,
    API_URL,
    TIER_USAGE_KEYS,
    LambdaContext,
    event,
    lambda_environment,
    load_handler,
)
from tests.scope_matrix import MCP_TOOLS, ROUTES, SCOPE_SETS, allowed, scope_set_id

CONTEXT = LambdaContext()
TOKENS = TokenFactory(audience=[API_URL, f"{API_URL}/mcp"])


@pytest.fixture(scope="module")
def handlers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    names = ["authorizer", "mcp", "ask", "search", "profile", "ingest", "sessions", "health", "metadata"]
    with lambda_environment(tmp_path_factory.mktemp("lambda-state")):
        yield {name: load_handler(name, f"{name}_handler") for name in names}


def invoke(handlers: dict[str, ModuleType], function: str, event_body: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = handlers[function].handler(event_body, CONTEXT)
    return response


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def with_authorizer_context(name: str, scopes: str, subject: str = "user-matrix") -> dict[str, Any]:
    request = event(name)
    request["requestContext"]["authorizer"] = {
        "principalId": subject,
        "sub": subject,
        "client_id": subject,
        "scopes": scopes,
        "tier": "free",
        "auth_method": "jwt",
        "audiences": f"{API_URL} {API_URL}/mcp",
    }
    return request


def test_ask_answers_with_sources(handlers: dict[str, ModuleType]) -> None:
    response = invoke(handlers, "ask", event("ask"))

    assert response["statusCode"] == 200
    assert response["headers"]["content-type"] == "application/json"
    assert response["headers"]["ratelimit-limit"] == "30"
    answer = body(response)
    assert answer["model"] == "extractive"
    assert answer["sources"][0]["section"] == "skills"


def test_search_returns_ranked_results(handlers: dict[str, ModuleType]) -> None:
    response = invoke(handlers, "search", event("search"))

    assert response["statusCode"] == 200
    results = body(response)["results"]
    assert len(results) == 3
    assert "Kafka" in " ".join(result["snippet"] for result in results)


def test_profile_and_a_section_are_served(handlers: dict[str, ModuleType]) -> None:
    profile = invoke(handlers, "profile", event("profile"))
    section = invoke(handlers, "profile", event("profile_section"))

    assert profile["statusCode"] == 200
    assert body(profile)["name"] == "Avery Quinn"
    assert section["statusCode"] == 200
    assert body(section)["title"] == "Senior Data Engineer at Northwind Analytics"


def test_ingest_takes_a_markdown_profile(handlers: dict[str, ModuleType]) -> None:
    response = invoke(handlers, "ingest", event("ingest"))

    assert response["statusCode"] == 200
    assert body(response)["source_format"] == "markdown"


def test_ingest_decodes_the_base64_pdf_body_api_gateway_sends_for_a_binary_media_type(
    handlers: dict[str, ModuleType],
) -> None:
    response = invoke(handlers, "ingest", event("ingest_pdf"))

    assert response["statusCode"] == 200, response["body"]
    assert body(response)["source_format"] == "pdf"
    assert body(response)["added"] >= 5


def test_deleting_an_unknown_session_is_a_404(handlers: dict[str, ModuleType]) -> None:
    response = invoke(handlers, "sessions", event("sessions_delete"))

    assert response["statusCode"] == 404
    assert body(response)["error"]["code"] == "session_not_found"


def test_health_needs_no_authorizer_context(handlers: dict[str, ModuleType]) -> None:
    response = invoke(handlers, "health", event("health"))

    assert response["statusCode"] == 200
    assert body(response)["profile_version"] == 1


def test_metadata_names_the_mcp_resource_under_the_stage(handlers: dict[str, ModuleType]) -> None:
    response = invoke(handlers, "metadata", event("metadata"))

    assert response["statusCode"] == 200
    assert body(response)["resource"] == f"{API_URL}/mcp"


def test_a_rest_function_refuses_a_request_without_authorizer_context(handlers: dict[str, ModuleType]) -> None:
    request = event("search")
    del request["requestContext"]["authorizer"]

    response = invoke(handlers, "search", request)

    assert response["statusCode"] == 401


def test_the_mcp_handler_keeps_working_across_warm_invocations_of_both_eras(handlers: dict[str, ModuleType]) -> None:
    modern_list = invoke(handlers, "mcp", event("mcp_tools_list"))
    legacy_handshake = invoke(handlers, "mcp", event("mcp_initialize"))
    tools_call = invoke(handlers, "mcp", event("mcp_tools_call"))
    again = invoke(handlers, "mcp", event("mcp_tools_call"))
    get = invoke(handlers, "mcp", event("mcp_get"))

    assert modern_list["statusCode"] == 200, modern_list["body"]
    assert {tool["name"] for tool in body(modern_list)["result"]["tools"]} == set(MCP_TOOLS)
    assert legacy_handshake["statusCode"] == 200, legacy_handshake["body"]
    assert body(legacy_handshake)["result"]["protocolVersion"] == "2025-11-25"
    assert tools_call["statusCode"] == 200, tools_call["body"]
    answer = body(tools_call)["result"]["structuredContent"]
    assert answer["sources"][0]["section"] == "skills"
    assert body(again)["result"]["structuredContent"]["answer"] == answer["answer"]
    assert get["statusCode"] == 405


def test_the_authorizer_refuses_the_fake_token_in_its_sample_event(handlers: dict[str, ModuleType]) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        invoke(handlers, "authorizer", event("authorizer"))


def test_a_refused_credential_is_an_audit_line_in_the_function_log(handlers: dict[str, ModuleType]) -> None:
    (function_log,) = logging.getLogger("digital-twin").handlers  # the Powertools Logger of every function
    assert isinstance(function_log, logging.StreamHandler)
    captured = io.StringIO()
    stdout = function_log.setStream(captured)
    try:
        with pytest.raises(Exception, match=r"^Unauthorized$"):
            authorize(handlers, "Bearer eyJhbGciOiJub25lIn0.e30.")
    finally:
        function_log.setStream(stdout)

    (line,) = [json.loads(line) for line in captured.getvalue().splitlines() if '"audit"' in line]
    assert line["level"] == "INFO"
    assert line["service"] == "digital-twin"
    assert line["correlation_id"] == event("authorizer")["requestContext"]["requestId"]
    assert line["name"] == "twin.audit"
    assert line["message"]["action"] == "authorize"
    assert line["message"]["outcome"] == "denied"
    assert "eyJhbGciOiJub25lIn0" not in captured.getvalue()


def test_a_refused_credential_is_counted_apart_from_authorizer_failures(
    handlers: dict[str, ModuleType], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(handlers, "Bearer eyJhbGciOiJub25lIn0.e30.")

    (metrics,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "AuthorizerRejected" in line]
    # The errors alarm subtracts this metric, by this namespace and dimension, from the authorizer's Lambda errors.
    assert metrics["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "DigitalTwin"
    assert metrics["service"] == "digital-twin"
    assert metrics["AuthorizerRejected"] == [1.0]
    assert metrics["AuthorizerDenied"] == [1.0]


def authorize(handlers: dict[str, ModuleType], authorization: str | None) -> dict[str, Any]:
    request = event("authorizer")
    request["headers"] = {} if authorization is None else {"Authorization": authorization}
    return invoke(handlers, "authorizer", request)


def allowed_resources(response: dict[str, Any]) -> set[str]:
    statement = response["policyDocument"]["Statement"][0]
    return set(statement["Resource"]) if statement["Effect"] == "Allow" else set()


def test_the_authorizer_allows_every_route_of_the_scopes_and_meters_the_tier(handlers: dict[str, ModuleType]) -> None:
    response = authorize(handlers, f"Bearer {TOKENS.token(tier='pro', sub='editor-7')}")

    assert response["principalId"] == "editor-7"
    assert response["context"] == {
        "sub": "editor-7",
        "client_id": "editor-7",
        "scopes": "twin:admin twin:ask twin:read",
        "tier": "pro",
        "auth_method": "jwt",
        "audiences": f"{API_URL} {API_URL}/mcp",
    }
    assert response["usageIdentifierKey"] == TIER_USAGE_KEYS["pro"]
    prefix = "arn:aws:execute-api:us-east-1:123456789012:abc123defg/dev"
    assert f"{prefix}/GET/v1/profile/sections/*" in allowed_resources(response)


def test_an_api_key_is_its_own_usage_identifier(handlers: dict[str, ModuleType], tmp_path: Path) -> None:
    from twin.composition import build_key_service
    from twin.settings import Settings

    key, _ = build_key_service(Settings.from_environment(env_file=None)).create(
        client_id="acme", tier="partner", scopes=["twin:read"], actor="test"
    )

    response = authorize(handlers, f"Bearer {key}")

    assert response["usageIdentifierKey"] == key
    assert response["context"]["auth_method"] == "api_key"


def test_a_token_with_no_useful_scope_gets_a_deny_policy(handlers: dict[str, ModuleType]) -> None:
    response = authorize(handlers, f"Bearer {TOKENS.token(scope='openid profile')}")

    assert response["policyDocument"]["Statement"][0]["Effect"] == "Deny"


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda hostile: hostile.name)
def test_the_authorizer_answers_401_to_every_hostile_credential(
    handlers: dict[str, ModuleType], hostile: Hostile
) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(handlers, hostile.authorization(TOKENS))


def test_an_api_key_only_in_x_api_key_is_refused(handlers: dict[str, ModuleType]) -> None:
    request = event("authorizer")
    request["headers"] = {"x-api-key": "twk_" + "x" * 43}

    with pytest.raises(Exception, match=r"^Unauthorized$"):
        invoke(handlers, "authorizer", request)


@pytest.mark.parametrize("scopes", SCOPE_SETS, ids=scope_set_id)
def test_the_authorizer_policy_follows_the_scope_matrix(
    handlers: dict[str, ModuleType], scopes: frozenset[str]
) -> None:
    token = TOKENS.token(scope=" ".join(sorted(scopes)))
    prefix = "arn:aws:execute-api:us-east-1:123456789012:abc123defg/dev"

    resources = allowed_resources(authorize(handlers, f"Bearer {token}"))

    for (method, _, template), needed in ROUTES.items():
        arn = f"{prefix}/{method}" + "/".join("*" if part.startswith("{") else part for part in template.split("/"))
        assert (arn in resources) is allowed(scopes, needed), (method, template)


@pytest.mark.parametrize("scopes", SCOPE_SETS, ids=scope_set_id)
def test_the_mcp_function_checks_each_tool_against_the_scope_matrix(
    handlers: dict[str, ModuleType], scopes: frozenset[str]
) -> None:
    for tool, (arguments, needed) in MCP_TOOLS.items():
        request = with_authorizer_context("mcp_tools_call", " ".join(sorted(scopes)))
        call = json.loads(request["body"])
        call["params"] |= {"name": tool, "arguments": arguments}
        request["body"] = json.dumps(call)
        request["headers"]["mcp-name"] = tool
        request["multiValueHeaders"]["mcp-name"] = [tool]

        response = invoke(handlers, "mcp", request)

        expected = 200 if needed in scopes and allowed(scopes, frozenset({"twin:read", "twin:ask"})) else 403
        assert response["statusCode"] == expected, (tool, response["body"])


@pytest.mark.parametrize(
    ("function", "name"),
    [
        ("ask", "ask_preflight"),
        ("search", "search_preflight"),
        ("profile", "profile_preflight"),
        ("profile", "profile_section_preflight"),
        ("ingest", "ingest_preflight"),
        ("sessions", "sessions_delete_preflight"),
        ("mcp", "mcp_preflight"),
    ],
)
def test_each_function_answers_the_browser_preflight_of_an_allowed_origin(
    handlers: dict[str, ModuleType], function: str, name: str
) -> None:
    allowed = invoke(handlers, function, event(name))
    other = event(name)
    other["headers"]["Origin"] = other["multiValueHeaders"]["Origin"][0] = "https://evil.example"
    refused = invoke(handlers, function, other)

    assert allowed["statusCode"] == 200
    assert allowed["headers"]["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert refused["statusCode"] == 400
    assert "access-control-allow-origin" not in refused["headers"]


@pytest.fixture(scope="module")
def public_on(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with lambda_environment(tmp_path_factory.mktemp("public-state")), pytest.MonkeyPatch.context() as patch:
        patch.setenv("TWIN_PUBLIC_CHAT", "true")
        yield load_handler("public", "public_handler")


def test_the_public_chat_is_off_on_aws_unless_enabled(tmp_path: Path) -> None:
    with lambda_environment(tmp_path):
        public_off = load_handler("public", "public_handler")

    assert [public_off.handler(event(name), CONTEXT)["statusCode"] for name in ("public_page", "public_ask")] == [
        404,
        404,
    ]


def test_an_enabled_public_chat_serves_the_page_and_answers_without_credentials(public_on: ModuleType) -> None:
    page = public_on.handler(event("public_page"), CONTEXT)
    ask = public_on.handler(event("public_ask"), CONTEXT)
    preflight = public_on.handler(event("public_ask_preflight"), CONTEXT)
    embed = public_on.handler(event("public_embed"), CONTEXT)

    assert page["statusCode"] == 200
    assert "Avery Quinn" in page["body"]
    assert ask["statusCode"] == 200
    assert body(ask)["sources"]
    assert ask["headers"]["ratelimit-limit"] == "10"
    assert preflight["statusCode"] == 200
    assert preflight["headers"]["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert embed["statusCode"] == 200


def test_the_public_function_limits_each_source_address_whatever_it_claims_to_forward(public_on: ModuleType) -> None:
    def ask_from(address: str, claimed: str) -> int:
        request = event("public_ask")
        request["requestContext"]["identity"]["sourceIp"] = address
        request["headers"]["X-Forwarded-For"] = claimed
        status: int = public_on.handler(request, CONTEXT)["statusCode"]
        return status

    statuses = [ask_from("203.0.113.7", f"198.51.100.{n}") for n in range(11)]

    assert statuses == [200] * 10 + [429]
    assert ask_from("203.0.113.8", "203.0.113.7") == 200
