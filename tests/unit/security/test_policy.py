import pytest

from tests.scope_matrix import ROUTES, SCOPE_SETS, SCOPES, allowed, scope_set_id
from twin.security.identity import AuthMethod, Identity, parse_scopes
from twin.security.policy import Resources, allowed_routes, find_route, is_public, may_call, mcp_scope_needed

RESOURCES = Resources(api_url="https://api.twin.example/dev")


def identity(scopes: frozenset[str], audiences: frozenset[str] = RESOURCES.audiences) -> Identity:
    return Identity("user-1", "client-1", parse_scopes(" ".join(scopes)), "free", AuthMethod.JWT, audiences)


@pytest.mark.parametrize("scopes", SCOPE_SETS, ids=scope_set_id)
@pytest.mark.parametrize(("method", "path", "template"), list(ROUTES), ids=lambda value: str(value))
def test_each_route_is_allowed_exactly_for_the_scopes_that_grant_it(
    scopes: frozenset[str], method: str, path: str, template: str
) -> None:
    route = find_route(method, path)

    assert route is not None
    assert route.path == template
    assert may_call(identity(scopes), route, RESOURCES) is allowed(scopes, ROUTES[(method, path, template)])


def test_the_mcp_endpoint_needs_a_token_issued_for_it() -> None:
    rest_only = identity(frozenset({"twin:read", "twin:ask"}), audiences=frozenset({RESOURCES.api_url}))

    allowed_paths = {(route.method, route.path) for route in allowed_routes(rest_only, RESOURCES)}

    assert ("POST", "/v1/search") in allowed_paths
    assert ("POST", "/mcp") not in allowed_paths


def test_the_rest_routes_need_a_token_issued_for_the_api() -> None:
    mcp_only = identity(frozenset(SCOPES), audiences=frozenset({RESOURCES.mcp_url}))

    allowed_paths = {(route.method, route.path) for route in allowed_routes(mcp_only, RESOURCES)}

    assert allowed_paths == {("POST", "/mcp"), ("GET", "/mcp"), ("DELETE", "/mcp")}


def test_api_keys_are_not_bound_to_an_audience() -> None:
    key = Identity("key_0123456789ab", "acme", parse_scopes("twin:read"), "pro", AuthMethod.API_KEY)

    assert ("POST", "/mcp") in {(route.method, route.path) for route in allowed_routes(key, RESOURCES)}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/ask"), ("POST", "/v1/profile"), ("GET", "/v1/profile/sections/a/b"), ("POST", "/v1/askx")],
)
def test_methods_and_paths_outside_the_table_match_no_route(method: str, path: str) -> None:
    assert find_route(method, path) is None


@pytest.mark.parametrize(
    ("path", "public"),
    [
        ("/health", True),
        ("/.well-known/oauth-protected-resource/mcp", True),
        ("/docs", True),
        ("/privacy", True),
        ("/privacyx", False),
        ("/healthz", False),
        ("/v1/ask", False),
        ("/mcp", False),
    ],
)
def test_only_health_docs_and_metadata_are_public(path: str, public: bool) -> None:
    assert is_public(path) is public


@pytest.mark.parametrize(
    ("method", "params", "needed"),
    [
        ("tools/call", {"name": "ask_twin"}, "twin:ask"),
        ("tools/call", {"name": "search_profile"}, "twin:read"),
        ("tools/call", {"name": "unknown_tool"}, "twin:read"),
        ("tools/call", None, "twin:read"),
        ("resources/read", {"uri": "twin://profile"}, "twin:read"),
        ("prompts/get", {"name": "star_answer"}, "twin:read"),
        ("tools/list", None, None),
        ("initialize", {}, None),
    ],
)
def test_each_mcp_operation_names_the_scope_it_needs(method: str, params: object, needed: str | None) -> None:
    assert mcp_scope_needed(method, params) == needed
