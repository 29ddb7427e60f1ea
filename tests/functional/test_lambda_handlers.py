"""Every Lambda handler invoked in-process with its `events/*.json`, as `sam local invoke -e` would."""

import io
import json
import logging
import sqlite3
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
    names = [
        "authorizer",
        "mcp",
        "public_mcp",
        "ask",
        "fit",
        "search",
        "profile",
        "ingest",
        "sessions",
        "health",
        "metadata",
    ]
    with lambda_environment(tmp_path_factory.mktemp("lambda-state")):
        yield {name: load_handler(name, f"{name}_handler") for name in names}


def invoke(handlers: dict[str, ModuleType], function: str, event_body: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = handlers[function].handler(event_body, CONTEXT)
    return response


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def with_authorizer_context(
    name: str, scopes: str, subject: str = "user-matrix", audiences: str = f"{API_URL} {API_URL}/mcp"
) -> dict[str, Any]:
    request = event(name)
    request["requestContext"]["authorizer"] = {
        "principalId": f"jwt:{subject}",
        "sub": subject,
        "client_id": subject,
        "scopes": scopes,
        "tier": "free",
        "auth_method": "jwt",
        "audiences": audiences,
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


def test_the_admin_function_answers_insights_with_the_questions_the_ask_function_logged(
    handlers: dict[str, ModuleType],
) -> None:
    invoke(handlers, "ask", event("ask"))

    response = invoke(handlers, "ingest", event("insights"))

    assert response["statusCode"] == 200
    insights = body(response)
    assert insights["days"] == 7
    assert insights["by_channel"]["rest"] >= 1
    asked = json.loads(event("ask")["body"])["question"]
    assert asked in [question["question"] for question in insights["top_questions"]]


def test_insights_over_a_window_of_more_than_a_year_are_a_400(handlers: dict[str, ModuleType]) -> None:
    request = event("insights")
    request["queryStringParameters"] = {"days": "400"}
    request["multiValueQueryStringParameters"] = {"days": ["400"]}

    response = invoke(handlers, "ingest", request)

    assert response["statusCode"] == 400
    assert body(response)["error"]["code"] == "invalid_days"


def test_an_ingest_while_another_process_publishes_is_a_409_and_the_next_one_goes_through(tmp_path: Path) -> None:
    index_path = tmp_path / "index.db"
    with lambda_environment(tmp_path), pytest.MonkeyPatch.context() as patch:
        patch.setenv("TWIN_INDEX_PATH", str(index_path))
        ingest = load_handler("ingest", "ingest_handler")
    writer = sqlite3.connect(index_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the index file's write lock, as another process publishing holds it

    refused = ingest.handler(event("ingest"), CONTEXT)

    writer.execute("ROLLBACK")
    assert refused["statusCode"] == 409
    assert body(refused)["error"]["code"] == "concurrent_ingest"
    assert ingest.handler(event("ingest"), CONTEXT)["statusCode"] == 200


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


@pytest.mark.parametrize(("function", "name"), [("search", "search"), ("ask", "ask"), ("ingest", "ingest")])
def test_a_rest_function_refuses_a_token_issued_for_the_mcp_endpoint_only(
    handlers: dict[str, ModuleType], function: str, name: str
) -> None:
    request = with_authorizer_context(name, "twin:read twin:ask twin:admin", audiences=f"{API_URL}/mcp")

    response = invoke(handlers, function, request)

    assert response["statusCode"] == 403


def test_the_mcp_function_refuses_a_token_issued_for_the_rest_api_only(handlers: dict[str, ModuleType]) -> None:
    request = with_authorizer_context("mcp_tools_list", "twin:read twin:ask", audiences=API_URL)

    response = invoke(handlers, "mcp", request)

    assert response["statusCode"] == 403
    assert body(response)["error"]["code"] == "wrong_audience"


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

    assert response["principalId"] == "jwt:editor-7"
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


def through_domain(name: str, domain: str) -> dict[str, Any]:
    """The event as it arrives through another domain of the same API (a custom domain, say)."""
    request = event(name)
    request["requestContext"]["domainName"] = request["headers"]["Host"] = domain
    request["multiValueHeaders"]["Host"] = [domain]
    return request


def test_the_audience_a_token_needs_does_not_follow_the_domain_the_request_came_through(
    handlers: dict[str, ModuleType],
) -> None:
    """One cached authorizer result serves every domain of the API, so the audience must be one and the same."""
    elsewhere = "https://twin.example.com/dev"
    for_the_api = through_domain("authorizer", "twin.example.com")
    for_the_api["headers"]["Authorization"] = f"Bearer {TOKENS.token()}"
    for_elsewhere = through_domain("authorizer", "twin.example.com")
    for_elsewhere["headers"]["Authorization"] = f"Bearer {TOKENS.token(aud=[elsewhere, f'{elsewhere}/mcp'])}"

    assert invoke(handlers, "authorizer", for_the_api)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        invoke(handlers, "authorizer", for_elsewhere)
    metadata = body(invoke(handlers, "metadata", through_domain("metadata", "twin.example.com")))
    assert metadata["resource"] == f"{API_URL}/mcp"


def test_an_api_key_is_its_own_usage_identifier(handlers: dict[str, ModuleType], tmp_path: Path) -> None:
    from twin.composition import build_services
    from twin.settings import Settings

    key, record = build_services(Settings.from_environment(env_file=None)).keys.create(
        client_id="acme", tier="partner", scopes=["twin:read"], actor="test"
    )

    response = authorize(handlers, f"Bearer {key}")

    assert response["usageIdentifierKey"] == key
    assert response["context"]["auth_method"] == "api_key"
    assert response["principalId"] == f"api_key:{record.key_id}"


def test_a_token_issued_for_the_mcp_endpoint_only_is_allowed_the_mcp_routes_only(
    handlers: dict[str, ModuleType],
) -> None:
    response = authorize(handlers, f"Bearer {TOKENS.token(aud=f'{API_URL}/mcp')}")

    prefix = "arn:aws:execute-api:us-east-1:123456789012:abc123defg/dev"
    assert allowed_resources(response) == {f"{prefix}/{method}/mcp" for method in ("GET", "POST", "DELETE")}


def test_a_token_issued_for_the_api_only_is_allowed_no_mcp_route(handlers: dict[str, ModuleType]) -> None:
    response = authorize(handlers, f"Bearer {TOKENS.token(aud=API_URL)}")

    resources = allowed_resources(response)
    assert resources
    assert not {resource for resource in resources if resource.endswith("/mcp")}


def test_a_token_with_no_useful_scope_gets_a_deny_policy(handlers: dict[str, ModuleType]) -> None:
    response = authorize(handlers, f"Bearer {TOKENS.token(scope='openid profile')}")

    assert response["policyDocument"]["Statement"][0]["Effect"] == "Deny"


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda hostile: hostile.name)
def test_the_authorizer_answers_401_to_every_hostile_credential(
    handlers: dict[str, ModuleType], hostile: Hostile
) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(handlers, hostile.authorization(TOKENS))


def test_the_fit_function_judges_each_requirement_with_the_profiles_words(handlers: dict[str, ModuleType]) -> None:
    response = invoke(handlers, "fit", event("fit"))

    assert response["statusCode"] == 200, response["body"]
    fit = body(response)
    assert [(r["requirement"], r["strength"]) for r in fit["requirements"]] == [
        ("5+ years of experience with Python and SQL", "strong"),
        ("Hands-on experience with Apache Kafka and stream processing", "strong"),
        ("Experience with Kubernetes", "none"),
        ("AWS certification", "strong"),
    ]
    assert fit["requirements"][2]["evidence"] == []
    assert fit["model"] == "extractive"


def test_the_admin_function_approves_lists_and_withdraws_an_answer(handlers: dict[str, ModuleType]) -> None:
    unknown = invoke(handlers, "ingest", event("answers_delete"))
    added = invoke(handlers, "ingest", event("answers_add"))
    listed = invoke(handlers, "ingest", event("answers_list"))
    remove = event("answers_delete")
    answer_id = body(added)["id"]
    remove["path"] = f"/v1/admin/answers/{answer_id}"
    remove["requestContext"]["path"] = f"/dev/v1/admin/answers/{answer_id}"
    remove["pathParameters"] = {"answer_id": answer_id}
    removed = invoke(handlers, "ingest", remove)

    assert (unknown["statusCode"], body(unknown)["error"]["code"]) == (404, "answer_not_found")
    assert added["statusCode"] == 201, added["body"]
    assert [answer["id"] for answer in body(listed)["answers"]] == [answer_id]
    assert removed["statusCode"] == 204
    assert body(invoke(handlers, "ingest", event("answers_list")))["answers"] == []


def test_the_admin_function_serves_the_owner_page_without_an_authorizer_and_revalidates_it(
    handlers: dict[str, ModuleType],
) -> None:
    page = invoke(handlers, "ingest", event("admin_page"))
    repeat = event("admin_page")
    repeat["headers"]["If-None-Match"] = page["headers"]["etag"]
    repeat["multiValueHeaders"]["If-None-Match"] = [page["headers"]["etag"]]
    revalidated = invoke(handlers, "ingest", repeat)

    assert page["statusCode"] == 200
    assert page["headers"]["content-type"].startswith("text/html")
    assert "Owner page" in page["body"]
    assert '"insightsUrl": "v1/admin/insights"' in page["body"]  # relative: under the stage, as the API is
    assert page["headers"]["content-security-policy"].startswith("default-src 'none'; script-src 'sha256-")
    assert page["headers"]["x-frame-options"] == "DENY"
    assert revalidated["statusCode"] == 304
    assert revalidated["body"] == ""


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
        ("ingest", "insights_preflight"),
        ("sessions", "sessions_delete_preflight"),
        ("fit", "fit_preflight"),
        ("ingest", "answers_preflight"),
        ("ingest", "answers_delete_preflight"),
        ("mcp", "mcp_preflight"),
        ("public_mcp", "public_mcp_preflight"),
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
        patch.setenv("TWIN_PUBLIC_CHAT_WITHOUT_REDIS", "true")  # one container here: its count is the only one
        yield load_handler("public", "public_handler")


def test_the_public_chat_is_off_on_aws_unless_enabled(tmp_path: Path) -> None:
    with lambda_environment(tmp_path):
        public_off = load_handler("public", "public_handler")

    names = ("public_page", "public_ask", "public_fit")
    assert [public_off.handler(event(name), CONTEXT)["statusCode"] for name in names] == [404, 404, 404]


def test_on_aws_an_enabled_public_chat_refuses_to_start_without_redis_unless_allowed(tmp_path: Path) -> None:
    """Without Redis each container would count every address's questions alone: the limit would scale away."""
    from twin.errors import ConfigurationError

    with lambda_environment(tmp_path), pytest.MonkeyPatch.context() as patch:
        patch.setenv("TWIN_PUBLIC_CHAT", "true")
        with pytest.raises(ConfigurationError) as refused:
            load_handler("public", "public_handler")
        patch.setenv("TWIN_UPSTASH_REDIS_URL", "https://redis.invalid")
        patch.setenv("TWIN_UPSTASH_REDIS_TOKEN", "token")
        with_redis = load_handler("public", "public_handler")

    assert refused.value.setting == "TWIN_UPSTASH_REDIS_URL"
    assert "TWIN_PUBLIC_CHAT_WITHOUT_REDIS" in str(refused.value)
    assert callable(with_redis.handler)


def test_an_enabled_public_chat_serves_the_page_and_answers_without_credentials(public_on: ModuleType) -> None:
    page = public_on.handler(event("public_page"), CONTEXT)
    ask = public_on.handler(event("public_ask"), CONTEXT)
    preflight = public_on.handler(event("public_ask_preflight"), CONTEXT)
    embed = public_on.handler(event("public_embed"), CONTEXT)
    fit = public_on.handler(event("public_fit"), CONTEXT)
    fit_preflight = public_on.handler(event("public_fit_preflight"), CONTEXT)

    assert fit["statusCode"] == 200, fit["body"]
    assert [r["strength"] for r in body(fit)["requirements"]][2] == "none"
    assert fit_preflight["statusCode"] == 200
    assert page["statusCode"] == 200
    assert "Avery Quinn" in page["body"]
    assert ask["statusCode"] == 200
    assert body(ask)["sources"]
    assert ask["headers"]["ratelimit-limit"] == "10"
    assert preflight["statusCode"] == 200
    assert preflight["headers"]["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert embed["statusCode"] == 200


@pytest.mark.parametrize("name", ["public_page", "public_embed", "public_privacy"])
def test_the_public_functions_static_parts_are_revalidated_with_a_304_without_a_body(
    public_on: ModuleType, name: str
) -> None:
    first = public_on.handler(event(name), CONTEXT)
    repeat = event(name)
    repeat["headers"]["If-None-Match"] = first["headers"]["etag"]
    repeat["multiValueHeaders"]["If-None-Match"] = [first["headers"]["etag"]]
    revalidated = public_on.handler(repeat, CONTEXT)

    assert first["statusCode"] == 200
    assert first["body"]
    assert first["headers"]["cache-control"].startswith("public, ")
    assert revalidated["statusCode"] == 304
    assert revalidated["body"] == ""
    assert revalidated["headers"]["etag"] == first["headers"]["etag"]


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


UNPARSEABLE_BODIES = {
    "nested 2,000 deep": "[" * 2_000 + "]" * 2_000,
    "an integer of 5,000 digits": '{"jsonrpc": "2.0", "id": ' + "7" * 5_000 + ', "method": "ping"}',
}


@pytest.mark.parametrize("unparseable", UNPARSEABLE_BODIES.values(), ids=UNPARSEABLE_BODIES.keys())
def test_the_mcp_function_answers_an_unparseable_body_with_a_json_rpc_parse_error(
    handlers: dict[str, ModuleType], unparseable: str
) -> None:
    request = event("mcp_tools_call")
    request["body"] = unparseable

    response = invoke(handlers, "mcp", request)

    assert response["statusCode"] == 400, response["body"]
    assert body(response) == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}


@pytest.mark.parametrize("unparseable", UNPARSEABLE_BODIES.values(), ids=UNPARSEABLE_BODIES.keys())
def test_a_rest_function_answers_an_unparseable_body_with_a_400(
    handlers: dict[str, ModuleType], unparseable: str
) -> None:
    request = event("ask")
    request["body"] = unparseable

    response = invoke(handlers, "ask", request)

    assert response["statusCode"] == 400, response["body"]
    assert body(response)["error"]["code"] == "malformed_json"


def test_a_failure_inside_the_mcp_function_is_a_json_500(
    handlers: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(method: str, params: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("twin.entrypoints.mcp.scopes.mcp_scope_needed", broken)

    response = invoke(handlers, "mcp", event("mcp_tools_call"))

    assert response["statusCode"] == 500
    assert body(response)["error"]["code"] == "internal_error"
    assert "a bug" not in response["body"]


@pytest.fixture(scope="module")
def public_mcp_on(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with lambda_environment(tmp_path_factory.mktemp("public-mcp-state")), pytest.MonkeyPatch.context() as patch:
        patch.setenv("TWIN_PUBLIC_MCP", "true")
        patch.setenv("TWIN_PUBLIC_CHAT_WITHOUT_REDIS", "true")  # one container here: its count is the only one
        yield load_handler("public_mcp", "public_mcp_handler")


def test_the_public_mcp_function_is_off_on_aws_unless_enabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its function's environment names neither switch (the public chat's is the public chat function's own).
    monkeypatch.delenv("TWIN_PUBLIC_CHAT", raising=False)
    monkeypatch.delenv("TWIN_PUBLIC_MCP", raising=False)
    with lambda_environment(tmp_path):
        public_mcp_off = load_handler("public_mcp", "public_mcp_handler")

    assert public_mcp_off.handler(event("public_mcp_tools_call"), CONTEXT)["statusCode"] == 404


def test_an_enabled_public_mcp_function_answers_without_an_authorizer_across_warm_invocations(
    public_mcp_on: ModuleType,
) -> None:
    calls = [public_mcp_on.handler(event("public_mcp_tools_call"), CONTEXT) for _ in range(2)]
    get = public_mcp_on.handler(event("public_mcp_get"), CONTEXT)

    assert [call["statusCode"] for call in calls] == [200, 200]
    answer = body(calls[1])["result"]["structuredContent"]
    assert answer["sources"]
    assert answer["model"] == "extractive"
    assert calls[0]["headers"]["ratelimit-limit"] == "60"
    assert (get["statusCode"], get["headers"]["allow"]) == (405, "POST")


def test_the_public_mcp_function_limits_each_source_address_with_a_json_rpc_error(public_mcp_on: ModuleType) -> None:
    def call_from(address: str) -> dict[str, Any]:
        request = event("public_mcp_tools_call")
        request["requestContext"]["identity"]["sourceIp"] = address
        response: dict[str, Any] = public_mcp_on.handler(request, CONTEXT)
        return response

    statuses = [call_from("203.0.113.70")["statusCode"] for _ in range(60)]
    refused = call_from("203.0.113.70")

    assert statuses == [200] * 60
    assert refused["statusCode"] == 429
    assert body(refused)["error"]["data"] == {"code": "rate_limited"}
    assert call_from("203.0.113.71")["statusCode"] == 200
