"""The SAM template agrees with the code and the sample events, and keeps its security promises."""

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from twin.settings import PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"

_SHORT_FORMS_WITHOUT_FN = {"Ref", "Condition"}


def _cloudformation_tag(loader: Any, suffix: str, node: Any) -> dict[str, Any]:
    """`!Ref X` as {"Ref": "X"}, `!Sub s` as {"Fn::Sub": "s"}, `!GetAtt A.B` as {"Fn::GetAtt": ["A", "B"]}."""
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {suffix if suffix in _SHORT_FORMS_WITHOUT_FN else f"Fn::{suffix}": value}


class CloudFormationLoader(yaml.SafeLoader):
    """A SafeLoader that also reads CloudFormation's short-form tags."""


CloudFormationLoader.add_multi_constructor("!", _cloudformation_tag)

_TEXT = (ROOT / "template.yaml").read_text(encoding="utf-8")
TEMPLATE: dict[str, Any] = yaml.load(_TEXT, CloudFormationLoader)  # noqa: S506  # a SafeLoader subclass: safe
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
FUNCTIONS: dict[str, dict[str, Any]] = {
    name: resource["Properties"]
    for name, resource in RESOURCES.items()
    if resource["Type"] == "AWS::Serverless::Function"
}
GLOBAL_ENVIRONMENT: dict[str, Any] = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
API_AUTH: dict[str, Any] = RESOURCES["TwinApi"]["Properties"]["Auth"]
# SAM spells "/" in a media type "~1".
BINARY_MEDIA_TYPES = {kind.replace("~1", "/") for kind in RESOURCES["TwinApi"]["Properties"]["BinaryMediaTypes"]}


def _routes() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(function, METHOD, path, event auth) for every Api event."""
    return [
        (name, event["Properties"]["Method"].upper(), event["Properties"]["Path"], event["Properties"].get("Auth", {}))
        for name, properties in FUNCTIONS.items()
        for event in properties.get("Events", {}).values()
        if event["Type"] == "Api"
    ]


ROUTES = _routes()


def _is_public(auth: dict[str, Any]) -> bool:
    return auth.get("Authorizer") == "NONE"


def _proxy_events() -> dict[str, dict[str, Any]]:
    events = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(EVENTS.glob("*.json"))}
    return {name: event for name, event in events.items() if event.get("type") != "REQUEST"}


PROXY_EVENTS = _proxy_events()


def _environment(function: str) -> dict[str, Any]:
    own = FUNCTIONS[function].get("Environment", {}).get("Variables", {})
    return {**GLOBAL_ENVIRONMENT, **own}


def _top_level_names(source: Path) -> set[str]:
    """Names a module binds at top level: functions, classes and assignments (`handler = make(...)`), also in a
    top-level `with` block (the handlers start inside `collector_paused()`)."""
    names: set[str] = set()
    body = ast.parse(source.read_text(encoding="utf-8")).body
    for statement in [*body, *(inner for block in body if isinstance(block, ast.With) for inner in block.body)]:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def _policy_refs(function: str) -> set[str]:
    """The managed policies a function attaches, conditional ones (`!If [cond, !Ref P, NoValue]`) included."""
    refs: set[str] = set()
    for policy in FUNCTIONS[function].get("Policies", []):
        if isinstance(policy, dict) and "Ref" in policy:
            refs.add(policy["Ref"])
        elif isinstance(policy, dict) and "Fn::If" in policy:
            refs |= {branch["Ref"] for branch in policy["Fn::If"][1:] if isinstance(branch, dict) and "Ref" in branch}
    return refs - {"AWS::NoValue"}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_handler_is_a_handler_function_in_a_module_of_its_code_directory(function: str) -> None:
    properties = FUNCTIONS[function]
    module, attribute = properties["Handler"].rsplit(".", 1)
    code_uri = properties["CodeUri"]
    assert re.fullmatch(r"functions/[a-z_]+/", code_uri), code_uri
    source = ROOT / code_uri / f"{module}.py"
    assert source.is_file(), f"{function}: {source} is missing"
    assert attribute in _top_level_names(source), f"{function}: {source.name} defines no {attribute}"


@pytest.mark.parametrize(("function", "method", "path", "auth"), ROUTES, ids=[f"{m} {p}" for _, m, p, _ in ROUTES])
def test_every_api_route_has_an_event_file_with_its_method_and_resource(
    function: str, method: str, path: str, auth: dict[str, Any]
) -> None:
    matching = [
        name for name, event in PROXY_EVENTS.items() if event["httpMethod"] == method and event["resource"] == path
    ]
    assert matching, f"no event in events/ for {method} {path} ({function})"


@pytest.mark.parametrize("name", sorted(PROXY_EVENTS))
def test_every_proxy_event_targets_a_route_of_the_template_without_the_stage_in_its_path(name: str) -> None:
    event = PROXY_EVENTS[name]
    routes = {(method, path) for _, method, path, _ in ROUTES}
    assert (event["httpMethod"], event["resource"]) in routes
    context = event["requestContext"]
    assert context["resourcePath"] == event["resource"]
    assert context["path"] == f"/{context['stage']}{event['path']}"
    assert context["domainName"] == event["headers"]["Host"]
    pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(event["resource"]))
    assert re.fullmatch(pattern, event["path"])
    # API Gateway base64-encodes exactly the bodies of the binary media types the API declares.
    assert event["isBase64Encoded"] is (event["headers"].get("Content-Type") in BINARY_MEDIA_TYPES)
    assert event["body"] is None or isinstance(event["body"], str)


def test_the_api_takes_pdf_word_and_zip_bodies_as_binary_for_ingest() -> None:
    from twin.entrypoints.http.routes.ingest import DOCX_MEDIA_TYPE

    assert {"application/pdf", DOCX_MEDIA_TYPE, "application/zip"} == BINARY_MEDIA_TYPES


@pytest.mark.parametrize("name", sorted(PROXY_EVENTS))
def test_events_of_authorised_routes_carry_the_authorizer_context_and_public_ones_none(name: str) -> None:
    event = PROXY_EVENTS[name]
    auth = next(a for _, m, p, a in ROUTES if (m, p) == (event["httpMethod"], event["resource"]))
    context = event["requestContext"].get("authorizer")
    if _is_public(auth):
        assert context is None
        return
    assert context is not None
    assert {"principalId", "sub", "client_id", "scopes", "tier", "auth_method"} <= context.keys()
    assert context["auth_method"] in {"jwt", "api_key"}
    assert context["tier"] in {"free", "pro", "partner"}
    assert event["headers"]["Authorization"].startswith("Bearer ")


def test_the_authorizer_event_is_a_request_authorizer_call_of_an_api_route() -> None:
    event = json.loads((EVENTS / "authorizer.json").read_text(encoding="utf-8"))
    assert event["type"] == "REQUEST"
    assert event["headers"]["Authorization"].startswith("Bearer ")
    stage = event["requestContext"]["stage"]
    assert event["methodArn"].endswith(f"/{stage}/{event['httpMethod']}{event['path']}")
    assert (event["httpMethod"], event["resource"]) in {(m, p) for _, m, p, _ in ROUTES}


def test_the_authorizer_caches_on_the_authorization_header_alone() -> None:
    authorizer = API_AUTH["Authorizers"][API_AUTH["DefaultAuthorizer"]]
    assert authorizer["FunctionPayloadType"] == "REQUEST"
    identity = authorizer["Identity"]
    assert identity["Headers"] == ["Authorization"]
    assert set(identity) <= {"Headers", "ReauthorizeEvery"}


def test_authorised_routes_require_the_authorizer_usage_key_and_public_routes_neither() -> None:
    assert RESOURCES["TwinApi"]["Properties"]["ApiKeySourceType"] == "AUTHORIZER"
    assert API_AUTH["ApiKeyRequired"] is True
    public = {(m, p) for _, m, p, auth in ROUTES if _is_public(auth)}
    authorised_paths = {p for _, m, p, auth in ROUTES if not _is_public(auth)}
    assert public == {
        ("GET", "/health"),
        ("GET", "/.well-known/oauth-protected-resource"),
        ("GET", "/.well-known/oauth-protected-resource/mcp"),
        # The public web chat, which enforces its own limits.
        ("GET", "/"),
        ("GET", "/embed.js"),
        ("GET", "/privacy"),
        ("POST", "/v1/public/ask"),
        ("OPTIONS", "/v1/public/ask"),
        ("POST", "/v1/public/fit"),
        ("OPTIONS", "/v1/public/fit"),
        # The owner page: the page is the same for everyone; the admin routes it calls keep the authorizer.
        ("GET", "/admin"),
        # The public MCP endpoint, likewise; an OAuth challenge there would make connectors ask for a sign-in.
        ("POST", "/v1/public/mcp"),
        ("GET", "/v1/public/mcp"),
        ("OPTIONS", "/v1/public/mcp"),
        # The OAuth authorization server (when enabled): how a client gets a token in the first place.
        ("GET", "/.well-known/oauth-authorization-server"),
        ("GET", "/.well-known/openid-configuration"),
        ("GET", "/authorize"),
        ("GET", "/authorize/consent"),
        ("POST", "/authorize/consent"),
        ("POST", "/token"),
        ("POST", "/register"),
        ("POST", "/revoke"),
        # Browsers' CORS preflights, which carry no credential, on every authorised path.
        *(("OPTIONS", path) for path in authorised_paths),
    }
    for _, method, path, auth in ROUTES:
        if (method, path) in public:
            assert auth == {"Authorizer": "NONE", "ApiKeyRequired": False}, (method, path)
        else:
            assert auth == {}, f"{method} {path} must keep the default authorizer and API key"


_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|API_KEY")
_SECRET_VALUE = re.compile(r"^(gsk_|sk-|twk_|AKIA|eyJ)|^[A-Za-z0-9+/=_-]{32,}$")


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_no_function_environment_holds_a_secret_only_names_of_ssm_parameters(function: str) -> None:
    parameters = TEMPLATE["Parameters"]
    for variable, value in _environment(function).items():
        if isinstance(value, str):
            assert not _SECRET_VALUE.search(value), f"{function}: {variable} looks like a secret"
        if _SECRET_NAME.search(variable):
            assert variable.endswith("_PARAMETER"), f"{function}: {variable} should name an SSM parameter"
            assert isinstance(value, dict), f"{function}: {variable} must come from a template parameter"
            # The parameter itself, or (when it is left empty) a name derived from the stage.
            reference = value["Ref"] if "Ref" in value else value["Fn::If"][1]["Ref"]
            assert reference.endswith("ParameterName")
            assert parameters[reference]["Default"] == "", reference


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_trusts_the_hashed_ca_directory_the_layer_build_writes(function: str) -> None:
    environment = _environment(function)

    assert environment["SSL_CERT_DIR"] == "/opt/ca-certificates"  # Lambda unpacks a layer's zip under /opt
    assert "SSL_CERT_FILE" not in environment  # httpx would read it first and parse the whole bundle again
    assert '"$(ARTIFACTS_DIR)/ca-certificates"' in (ROOT / "layers/twin/Makefile").read_text()


def test_the_powertools_service_is_the_twin_not_mcp_and_the_alarms_watch_it() -> None:
    service = GLOBAL_ENVIRONMENT["POWERTOOLS_SERVICE_NAME"]
    assert service == "digital-twin"
    for function in FUNCTIONS:
        assert _environment(function)["POWERTOOLS_SERVICE_NAME"] != "mcp"
    dimensions = [
        dimension
        for resource in RESOURCES.values()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
        for metric in resource["Properties"].get("Metrics", [resource["Properties"]])
        for dimension in (metric.get("MetricStat", {}).get("Metric", metric).get("Dimensions") or [])
        if dimension["Name"] == "service"
    ]
    assert dimensions
    assert {dimension["Value"] for dimension in dimensions} == {service}


def test_the_oauth_function_exists_only_when_enabled_and_reads_only_the_jwt_secret_and_redis_tokens() -> None:
    assert RESOURCES["OAuthFunction"]["Condition"] == "OAuthEnabled"
    assert TEMPLATE["Conditions"]["OAuthEnabled"] == {"Fn::Equals": [{"Ref": "OAuth"}, "Enabled"]}
    assert TEMPLATE["Parameters"]["OAuth"]["Default"] == "Disabled"
    assert _policy_refs("OAuthFunction") == {
        "JwtSecretReadPolicy",
        "CredentialsRedisTokenReadPolicy",
        "RedisReadOnlyTokenReadPolicy",
    }
    assert _environment("OAuthFunction")["TWIN_OAUTH"] == "true"
    assert _environment("MetadataFunction")["TWIN_OAUTH"] == {"Fn::If": ["OAuthEnabled", "true", "false"]}


def test_only_the_ingest_function_can_learn_or_read_the_read_write_vector_token() -> None:
    variable = "TWIN_UPSTASH_VECTOR_TOKEN_PARAMETER"
    assert variable not in GLOBAL_ENVIRONMENT
    assert [f for f in FUNCTIONS if variable in _environment(f)] == ["IngestFunction"]
    assert [f for f in FUNCTIONS if "VectorTokenReadPolicy" in _policy_refs(f)] == ["IngestFunction"]


def test_the_authorizer_meters_jwt_callers_with_the_values_of_the_tier_api_keys() -> None:
    usage_keys = FUNCTIONS["AuthorizerFunction"]["Environment"]["Variables"]["TWIN_TIER_USAGE_KEYS"]["Fn::Sub"]
    stack = "digital-twin-dev"
    tiers = json.loads(usage_keys.replace("${AWS::StackName}", stack))
    assert set(tiers) == {"free", "pro", "partner"}
    for tier, value in tiers.items():
        api_key = RESOURCES[f"{tier.capitalize()}TierApiKey"]["Properties"]
        assert api_key["Value"]["Fn::Sub"].replace("${AWS::StackName}", stack) == value
        assert len(value) >= 20
        plan_key = RESOURCES[f"{tier.capitalize()}TierUsagePlanKey"]["Properties"]
        assert plan_key["UsagePlanId"] == {"Ref": "JwtUsagePlan"}


def test_no_usage_plan_shares_a_quota_among_jwt_callers_the_twin_gives_each_subject_the_tier_quota() -> None:
    """All JWT callers of a tier present one usage-plan key: a quota on it would be one caller's to spend."""
    jwt_plan = RESOURCES["JwtUsagePlan"]["Properties"]
    assert "Quota" not in jwt_plan
    assert "Throttle" not in jwt_plan
    for tier in ("Free", "Pro", "Partner"):
        assert RESOURCES[f"{tier}UsagePlan"]["Properties"]["Quota"]["Limit"] == {"Ref": f"{tier}QuotaLimit"}
        assert GLOBAL_ENVIRONMENT[f"TWIN_QUOTA_{tier.upper()}"] == {"Ref": f"{tier}QuotaLimit"}


def test_the_stage_is_throttled_and_the_public_question_route_more_tightly() -> None:
    settings = RESOURCES["TwinApi"]["Properties"]["MethodSettings"]
    by_route = {(setting["ResourcePath"], setting["HttpMethod"]): setting for setting in settings}

    stage = by_route[("/*", "*")]
    assert stage["ThrottlingRateLimit"] == {"Ref": "StageRateLimit"}
    assert stage["ThrottlingBurstLimit"] == {"Ref": "StageBurstLimit"}
    public = by_route[("/~1v1~1public~1ask", "POST")]
    assert public["ThrottlingRateLimit"] == {"Ref": "PublicAskRateLimit"}
    assert public["ThrottlingBurstLimit"] == {"Ref": "PublicAskBurstLimit"}
    parameters = TEMPLATE["Parameters"]
    assert parameters["PublicAskRateLimit"]["Default"] < parameters["StageRateLimit"]["Default"]


def test_the_authorizer_has_concurrency_of_its_own_and_the_public_chat_a_cap_both_parameters() -> None:
    parameters = TEMPLATE["Parameters"]
    for function, parameter in (
        ("AuthorizerFunction", "AuthorizerReservedConcurrency"),
        ("PublicFunction", "PublicReservedConcurrency"),
    ):
        reserved = FUNCTIONS[function]["ReservedConcurrentExecutions"]["Fn::If"]
        assert reserved[1] == {"Ref": parameter}
        assert reserved[2] == {"Ref": "AWS::NoValue"}  # 0: no reservation (0 itself would disable the function)
        assert parameters[parameter]["Default"] > 0
    assert "ReservedConcurrentExecutions" not in TEMPLATE["Globals"]["Function"]


def test_a_web_acl_with_a_per_address_rate_rule_guards_the_stage_only_when_asked_for() -> None:
    assert TEMPLATE["Parameters"]["WafRateLimit"]["Default"] == 0
    acl, association = RESOURCES["WebAcl"], RESOURCES["WebAclAssociation"]
    assert acl["Condition"] == association["Condition"] == "HasWaf"
    (rule,) = acl["Properties"]["Rules"]
    assert rule["Action"] == {"Block": {}}
    assert rule["Statement"]["RateBasedStatement"] == {
        "Limit": {"Ref": "WafRateLimit"},
        "EvaluationWindowSec": 300,
        "AggregateKeyType": "IP",
    }
    assert association["Properties"]["ResourceArn"]["Fn::Sub"].endswith("/restapis/${TwinApi}/stages/${TwinApi.Stage}")


def test_the_account_wide_api_gateway_logging_role_is_set_only_when_asked_for() -> None:
    assert TEMPLATE["Parameters"]["ManageApiGatewayAccount"]["Default"] == "Disabled"
    for name in ("ApiGatewayAccount", "ApiGatewayCloudWatchRole"):
        assert RESOURCES[name]["Condition"] == "ManagesApiGatewayAccount"
    assert RESOURCES["TwinApi"]["DependsOn"] == "ApiGatewayAccountReady"
    assert "Condition" not in RESOURCES["ApiGatewayAccountReady"]


def test_authorizer_results_are_cached_for_a_minute_by_default() -> None:
    assert TEMPLATE["Parameters"]["AuthorizerCacheTtlSeconds"]["Default"] == 60
    identity = API_AUTH["Authorizers"][API_AUTH["DefaultAuthorizer"]]["Identity"]
    assert identity["ReauthorizeEvery"] == {"Ref": "AuthorizerCacheTtlSeconds"}


_STAGE_SECRETS = {
    "JwtSecretParameterName": "jwt-secret",
    "UpstashVectorTokenParameterName": "upstash-vector-token",
    "UpstashVectorReadOnlyTokenParameterName": "upstash-vector-readonly-token",
    "UpstashRedisTokenParameterName": "upstash-redis-token",
    "UpstashRedisReadOnlyTokenParameterName": "upstash-redis-readonly-token",
    "UpstashCredentialsRedisTokenParameterName": "upstash-credentials-redis-token",
    "UpstashCredentialsRedisReadOnlyTokenParameterName": "upstash-credentials-redis-readonly-token",
}


def _uses_of(parameter: str) -> list[Any]:
    """Every `!If [Has<parameter>, !Ref <parameter>, default]` of the template."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            branches = node.get("Fn::If")
            if isinstance(branches, list) and branches[0] == f"Has{parameter}":
                found.append(branches)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(RESOURCES)
    walk(TEMPLATE["Globals"])
    return found


@pytest.mark.parametrize(("parameter", "name"), _STAGE_SECRETS.items())
def test_each_secret_parameter_left_empty_is_the_stages_own(parameter: str, name: str) -> None:
    """So that a prod stack never reads dev's secrets by default."""
    assert TEMPLATE["Parameters"][parameter]["Default"] == ""
    uses = _uses_of(parameter)
    assert len(uses) >= 3  # the function's environment, and the policy's resource and KMS encryption context
    for _, given, default in uses:
        assert given == {"Ref": parameter}
        assert default == {"Fn::Sub": f"/digital-twin/${{Stage}}/{name}"}
    assert TEMPLATE["Conditions"][f"Has{parameter}"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": parameter}, ""]}]}


def test_the_jwt_issuer_left_empty_is_the_stages_own() -> None:
    assert TEMPLATE["Parameters"]["JwtIssuer"]["Default"] == ""
    assert GLOBAL_ENVIRONMENT["TWIN_JWT_ISSUER"] == {
        "Fn::If": ["HasJwtIssuer", {"Ref": "JwtIssuer"}, {"Fn::Sub": "digital-twin-${Stage}"}]
    }


# What each function may do in each Upstash Redis database: the main one (cache, sessions, limits, question log, profile
# record) and the credentials one (API keys, invites, OAuth clients and grants).
_MAIN, _CREDENTIALS = "TWIN_UPSTASH_REDIS", "TWIN_UPSTASH_CREDENTIALS_REDIS"
_POLICIES = {_MAIN: "RedisTokenReadPolicy", _CREDENTIALS: "CredentialsRedisTokenReadPolicy"}
_WRITES_MAIN = {
    "McpFunction",
    "AskFunction",
    "FitFunction",
    "SearchFunction",
    "ProfileFunction",
    "IngestFunction",
    "SessionsFunction",
}
_REDIS_ACCESS: dict[str, dict[str, str]] = {
    "AuthorizerFunction": {_CREDENTIALS: "read"},
    "HealthFunction": {_MAIN: "read"},
    "OAuthFunction": {_MAIN: "read", _CREDENTIALS: "write"},  # the main database for the profile record's name
    "MetadataFunction": {},
    "PublicFunction": {_MAIN: "write"},
    "PublicMcpFunction": {_MAIN: "write"},
    **{function: {_MAIN: "write"} for function in _WRITES_MAIN},
}


def _upstash_redis_variables(function: str, database: str) -> set[str]:
    return {name for name in _environment(function) if name.startswith(f"{database}_")}


def test_every_function_is_given_its_redis_access() -> None:
    assert set(_REDIS_ACCESS) == set(FUNCTIONS)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@pytest.mark.parametrize("database", [_MAIN, _CREDENTIALS])
def test_a_function_holds_a_token_of_a_redis_database_only_if_it_needs_it_and_the_read_only_one_if_it_only_reads(
    function: str, database: str
) -> None:
    access = _REDIS_ACCESS[function].get(database)
    writes, reads = _POLICIES[database], _POLICIES[database].replace("TokenReadPolicy", "ReadOnlyTokenReadPolicy")
    expected = {
        "write": ({f"{database}_URL", f"{database}_TOKEN_PARAMETER"}, {writes}),
        "read": ({f"{database}_URL", f"{database}_READONLY_TOKEN_PARAMETER"}, {reads}),
        None: (set(), set()),
    }[access]

    assert (_upstash_redis_variables(function, database), _policy_refs(function) & {writes, reads}) == expected


def _functions_without_the_authorizer() -> set[str]:
    """Functions every route of which (preflights aside) anyone may call without a credential."""
    routes: dict[str, list[bool]] = {}
    for function, method, _, auth in ROUTES:
        if method != "OPTIONS":
            routes.setdefault(function, []).append(_is_public(auth))
    return {function for function, public in routes.items() if all(public)}


def test_of_the_functions_anyone_may_call_only_the_oauth_server_can_reach_the_credentials_database() -> None:
    """The public chat, the public MCP endpoint, health and metadata cannot read, let alone write, an API key."""
    unauthenticated = _functions_without_the_authorizer()
    reaching = {function for function in FUNCTIONS if _upstash_redis_variables(function, _CREDENTIALS)}

    assert {"PublicFunction", "PublicMcpFunction", "HealthFunction", "OAuthFunction"} <= unauthenticated
    assert unauthenticated & reaching == {"OAuthFunction"}
    assert reaching == {"AuthorizerFunction", "OAuthFunction"}
    assert _upstash_redis_variables("AuthorizerFunction", _CREDENTIALS) == {
        f"{_CREDENTIALS}_URL",
        f"{_CREDENTIALS}_READONLY_TOKEN_PARAMETER",
    }
    assert not any(name.startswith(("TWIN_UPSTASH_REDIS", _CREDENTIALS)) for name in GLOBAL_ENVIRONMENT)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_with_every_upstash_url_set_each_function_has_a_token_for_each_url_it_is_given(function: str) -> None:
    """A URL without its token (or the index without Redis) stops a function at start, as the metadata function's
    Redis URL once did."""
    upstash = {
        name: "https://upstash.example" if name.endswith("_URL") else "/digital-twin/dev/upstash-token"
        for name in _environment(function)
        if name.startswith("TWIN_UPSTASH_")
    }

    Settings.from_environment(upstash, env_file=None)


def test_a_stack_with_a_main_redis_database_or_oauth_cannot_be_deployed_without_the_credentials_database() -> None:
    """Otherwise the credential records would fall back to a database the public functions can write."""
    rules = TEMPLATE["Rules"]
    needs_credentials = [{"Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "UpstashCredentialsRedisUrl"}, ""]}]}}]

    assert rules["CredentialsDatabaseWithRedis"]["RuleCondition"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "UpstashRedisUrl"}, ""]}]
    }
    assert rules["CredentialsDatabaseWithOAuth"]["RuleCondition"] == {"Fn::Equals": [{"Ref": "OAuth"}, "Enabled"]}
    for rule in rules.values():
        assert [{"Assert": assertion["Assert"]} for assertion in rule["Assertions"]] == needs_credentials


def test_the_execute_api_endpoint_is_off_exactly_when_public_base_url_names_a_custom_domain_and_no_cdn() -> None:
    """Two ways into one API would share the authorizer's cache (keyed on Authorization alone) across domains; the
    CDN's origin is the execute-api endpoint, which must then stay on."""
    assert RESOURCES["TwinApi"]["Properties"]["DisableExecuteApiEndpoint"] == {
        "Fn::If": ["DisablesExecuteApiEndpoint", True, False]
    }
    assert TEMPLATE["Conditions"]["DisablesExecuteApiEndpoint"] == {
        "Fn::And": [{"Condition": "HasCustomDomain"}, {"Fn::Not": [{"Condition": "CdnEnabled"}]}]
    }
    first, is_custom = TEMPLATE["Conditions"]["HasCustomDomain"]["Fn::And"]
    assert first == {"Condition": "HasPublicBaseUrl"}
    # The URL does not split on ".execute-api.": it names another host.
    split = is_custom["Fn::Equals"][0]["Fn::Select"]
    assert split == [0, {"Fn::Split": [".execute-api.", {"Ref": "PublicBaseUrl"}]}]
    assert is_custom["Fn::Equals"][1] == {"Ref": "PublicBaseUrl"}


def _environment_names() -> set[str]:
    names = set(GLOBAL_ENVIRONMENT)
    for properties in FUNCTIONS.values():
        names |= set(properties.get("Environment", {}).get("Variables", {}))
    return names


@pytest.mark.parametrize("name", sorted(name for name in _environment_names() if name.startswith(PREFIX)))
def test_every_twin_variable_the_template_sets_is_a_setting(name: str) -> None:
    assert name.removeprefix(PREFIX).lower() in Settings.names()


def _emitted_metrics() -> set[str]:
    """Names the code gives Telemetry (`count("X")`, `timed("X")` → `XLatency`) or Powertools metrics."""
    names: set[str] = set()
    for source in (ROOT / "layers" / "twin" / "twin").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        names |= set(re.findall(r'\.count\("([A-Za-z]+)"', text))
        names |= {f"{name}Latency" for name in re.findall(r'\.timed\("([A-Za-z]+)"\)', text)}
        names |= set(re.findall(r'add_metric\(name="([A-Za-z]+)"', text))
    return names


@pytest.mark.parametrize("metric", sorted(_emitted_metrics()))
def test_every_metric_the_functions_emit_is_on_the_dashboard(metric: str) -> None:
    dashboard = json.dumps(RESOURCES["Dashboard"]["Properties"]["DashboardBody"])
    assert f'\\"{metric}\\"' in dashboard or f'"{metric}"' in dashboard


def _parameters_in(node: Any) -> set[str]:
    """Template parameters a node depends on: through `Ref`, `${...}` in `Sub`, and the conditions of `If`."""
    parameters = TEMPLATE["Parameters"]
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and value in parameters:
                found.add(value)
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found |= set(re.findall(r"\$\{([A-Za-z0-9]+)\}", text)) & set(parameters)
                found |= _parameters_in(value if isinstance(value, str) else value[1])
            elif key == "Fn::If":
                found |= _parameters_in(TEMPLATE["Conditions"][value[0]]) | _parameters_in(value[1:])
            elif key == "Condition" and isinstance(value, str):
                found |= _parameters_in(TEMPLATE["Conditions"][value])
            else:
                found |= _parameters_in(value)
    elif isinstance(node, list):
        for value in node:
            found |= _parameters_in(value)
    return found


def _configuration_parameters() -> set[str]:
    """What a published version is made of: every function property but its events, policies and description."""
    configuration = [TEMPLATE["Globals"]["Function"]]
    for properties in FUNCTIONS.values():
        configuration.append({k: v for k, v in properties.items() if k not in {"Events", "Policies"}})
    return _parameters_in(configuration)


def test_the_version_inputs_are_the_layer_and_every_parameter_a_function_configuration_uses() -> None:
    """Otherwise a change to it would reach $LATEST but never the version API Gateway invokes."""
    inputs = RESOURCES["VersionInputs"]["Properties"]["Inputs"]

    assert inputs["Layer"] == {"Ref": "TwinLayer"}
    assert inputs["Parameters"] == {name: {"Ref": name} for name in sorted(_configuration_parameters())}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_publishes_a_new_version_when_its_inputs_change(function: str) -> None:
    # The environment gives Lambda something new to publish; the description makes CloudFormation publish it.
    assert GLOBAL_ENVIRONMENT["VERSION_INPUTS_SHA256"] == {"Fn::GetAtt": ["VersionInputs", "Digest"]}
    assert FUNCTIONS[function]["VersionDescription"] == {"Fn::Sub": "inputs ${VersionInputs.Digest}"}
    assert TEMPLATE["Globals"]["Function"]["AutoPublishAlias"] == "live"


class _CloudFormationResponse:
    SUCCESS, FAILED = "SUCCESS", "FAILED"

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, str], str]] = []

    def send(self, event: Any, context: Any, status: str, data: dict[str, str], physical_id: str) -> None:
        self.sent.append((status, data, physical_id))


def _digest_of(inputs: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, str], str]:
    """The inline VersionInputsFunction, run as Lambda runs it, with the `cfnresponse` module it is given."""
    response = _CloudFormationResponse()
    monkeypatch.setitem(__import__("sys").modules, "cfnresponse", response)
    namespace: dict[str, Any] = {}
    exec(RESOURCES["VersionInputsFunction"]["Properties"]["Code"]["ZipFile"], namespace)  # noqa: S102  # our own
    namespace["handler"]({"RequestType": "Update", "ResourceProperties": {"Inputs": inputs}}, None)
    (sent,) = response.sent
    return sent


def test_the_version_inputs_digest_is_stable_and_changes_with_any_input(monkeypatch: pytest.MonkeyPatch) -> None:
    layer = "arn:aws:lambda:us-east-1:123456789012:layer:twin:7"
    inputs: dict[str, Any] = {"Layer": layer, "Parameters": {"LogLevel": "INFO"}}
    status, data, physical_id = _digest_of(inputs, monkeypatch)
    reordered = {"Parameters": {"LogLevel": "INFO"}, "Layer": layer}

    assert status == "SUCCESS"
    assert re.fullmatch(r"[0-9a-f]{64}", data["Digest"])
    assert physical_id == data["Digest"]
    assert _digest_of(reordered, monkeypatch)[1] == data
    assert _digest_of({**inputs, "Layer": layer.replace(":7", ":8")}, monkeypatch)[1] != data
    assert _digest_of({**inputs, "Parameters": {"LogLevel": "DEBUG"}}, monkeypatch)[1] != data


def test_the_public_mcp_endpoint_exists_only_when_the_stack_is_deployed_to_enable_it() -> None:
    assert TEMPLATE["Parameters"]["PublicMcp"]["Default"] == "Disabled"
    assert TEMPLATE["Conditions"]["PublicMcpEnabled"] == {"Fn::Equals": [{"Ref": "PublicMcp"}, "Enabled"]}
    function = RESOURCES["PublicMcpFunction"]
    assert function["Condition"] == "PublicMcpEnabled"
    assert function["Properties"]["Environment"]["Variables"]["TWIN_PUBLIC_MCP"] == "true"
    routes = {(method, path) for name, method, path, _ in ROUTES if name == "PublicMcpFunction"}
    assert routes == {("POST", "/v1/public/mcp"), ("GET", "/v1/public/mcp"), ("OPTIONS", "/v1/public/mcp")}
    assert TEMPLATE["Outputs"]["PublicMcpUrl"]["Condition"] == "PublicMcpEnabled"


def test_every_function_given_the_vector_index_may_read_the_read_only_vector_token_it_reads_first() -> None:
    """The settings read the index with the read-only token when its parameter is named (the Globals name it for
    every function): a function given the index without that policy fails on its first read. The OAuth function is
    given the index's URL only to know the profile record is in Redis; it never reads the index."""
    assert "TWIN_UPSTASH_VECTOR_READONLY_TOKEN_PARAMETER" in GLOBAL_ENVIRONMENT
    given_the_index = [f for f in FUNCTIONS if "TWIN_UPSTASH_VECTOR_URL" in _environment(f) and f != "OAuthFunction"]

    assert "IngestFunction" in given_the_index
    assert [f for f in given_the_index if "VectorReadOnlyTokenReadPolicy" not in _policy_refs(f)] == []
