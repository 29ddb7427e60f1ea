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
    assert event["isBase64Encoded"] is False
    assert event["body"] is None or isinstance(event["body"], str)


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
        ("POST", "/v1/public/ask"),
        ("OPTIONS", "/v1/public/ask"),
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
            parameter = parameters[value["Ref"]]
            assert value["Ref"].endswith("ParameterName")
            # An optional secret (Groq) defaults to none; the others to an SSM parameter name.
            assert parameter["Default"] in ("", None) or parameter["Default"].startswith("/"), value["Ref"]


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


def test_the_oauth_function_exists_only_when_enabled_and_reads_only_the_jwt_secret_and_redis_token() -> None:
    assert RESOURCES["OAuthFunction"]["Condition"] == "OAuthEnabled"
    assert TEMPLATE["Conditions"]["OAuthEnabled"] == {"Fn::Equals": [{"Ref": "OAuth"}, "Enabled"]}
    assert TEMPLATE["Parameters"]["OAuth"]["Default"] == "Disabled"
    assert _policy_refs("OAuthFunction") == {"JwtSecretReadPolicy", "RedisTokenReadPolicy"}
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
        assert plan_key["UsagePlanId"] == {"Ref": f"{tier.capitalize()}UsagePlan"}


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
