"""The route policy: which scope each route and each MCP operation needs, and which audience a token needs.

API Gateway gets it as an IAM policy listing the routes an identity may call; `twin serve` and the
functions check it per request. MCP is one route, so the scope of an MCP operation is checked on
the JSON-RPC message itself.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from twin.security.identity import AuthMethod, Identity, Scope


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    """With `{parameters}`, as in the OpenAPI document and the SAM template."""
    scopes: frozenset[Scope]
    """Any one of these is enough."""
    mcp: bool = False

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and path_pattern(self.path).fullmatch(path) is not None


@cache
def path_pattern(template: str) -> re.Pattern[str]:
    """A route's path as a pattern, built once: `{parameter}` matches one path segment."""
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)))


_READ, _ASK, _ADMIN = frozenset({Scope.READ}), frozenset({Scope.ASK}), frozenset({Scope.ADMIN})
_MCP = frozenset({Scope.READ, Scope.ASK})

ROUTES: Final = (
    Route("POST", "/v1/ask", _ASK),
    Route("POST", "/v1/fit", _ASK),
    Route("DELETE", "/v1/sessions/{session_id}", _ASK),
    Route("POST", "/v1/search", _READ),
    Route("GET", "/v1/profile", _READ),
    Route("GET", "/v1/profile/sections/{section_id}", _READ),
    Route("POST", "/v1/admin/ingest", _ADMIN),
    Route("GET", "/v1/admin/insights", _ADMIN),
    Route("POST", "/v1/admin/answers", _ADMIN),
    Route("GET", "/v1/admin/answers", _ADMIN),
    Route("DELETE", "/v1/admin/answers/{answer_id}", _ADMIN),
    Route("POST", "/mcp", _MCP, mcp=True),
    Route("GET", "/mcp", _MCP, mcp=True),
    Route("DELETE", "/mcp", _MCP, mcp=True),
)

PUBLIC_PATHS: Final = (
    "/health",
    "/.well-known/oauth-protected-resource",
    # The OAuth authorization server (when it is on): its token endpoint authenticates clients itself.
    "/.well-known/oauth-authorization-server",
    "/.well-known/openid-configuration",
    "/authorize",
    "/token",
    "/register",
    "/revoke",
    "/docs",
    "/openapi.json",
    "/v1/public",
    "/embed.js",
    "/privacy",
    # The owner's page: the page is public, the admin routes it calls are not.
    "/admin",
)
PUBLIC_PAGE: Final = "/"
PUBLIC_MCP_PATH: Final = "/v1/public/mcp"
"""The read-only MCP endpoint anyone may call (under `/v1/public`, so no credential is asked for)."""

MCP_TOOL_SCOPES: Final = {
    "ask_twin": Scope.ASK,
    "evaluate_fit": Scope.ASK,
    "search_profile": Scope.READ,
    "list_profile_sections": Scope.READ,
    "get_profile_section": Scope.READ,
}
_MCP_METHOD_SCOPES: Final = {
    "resources/list": Scope.READ,
    "resources/read": Scope.READ,
    "resources/templates/list": Scope.READ,
    "prompts/get": Scope.READ,
}


@dataclass(frozen=True, slots=True)
class Resources:
    """The URLs tokens are issued for: the API itself and its MCP endpoint."""

    api_url: str

    @property
    def mcp_url(self) -> str:
        return f"{self.api_url}/mcp"

    @property
    def audiences(self) -> frozenset[str]:
        return frozenset({self.api_url, self.mcp_url})

    def audience_of(self, route: Route) -> str:
        """The REST API and the MCP endpoint are two resources: a token works on the routes of those it names."""
        return self.mcp_url if route.mcp else self.api_url

    @property
    def metadata_url(self) -> str:
        """RFC 9728 metadata of the MCP endpoint, under the API's own base path (stage included)."""
        return f"{self.api_url}/.well-known/oauth-protected-resource/mcp"


_PUBLIC_SUBPATHS: Final = tuple(f"{public}/" for public in PUBLIC_PATHS)


def is_public(path: str) -> bool:
    """The page, a public path, or anything under one."""
    return path == PUBLIC_PAGE or path in PUBLIC_PATHS or path.startswith(_PUBLIC_SUBPATHS)


# Every request asks both for its path: the answers, found by trying each route's pattern, are kept for the paths seen
# most recently (a client calls the same few again and again).
@lru_cache(maxsize=1_024)
def find_route(method: str, path: str) -> Route | None:
    return next((route for route in ROUTES if route.matches(method, path)), None)


@lru_cache(maxsize=1_024)
def is_routed(path: str) -> bool:
    """Whether some route serves `path`, by whichever method."""
    return any(route.matches(route.method, path) for route in ROUTES)


def refusal(identity: Identity, route: Route, resources: Resources) -> str | None:
    """Why the identity may not call the route (`wrong_audience`, `insufficient_scope`); None when it may."""
    if identity.method is not AuthMethod.API_KEY and resources.audience_of(route) not in identity.audiences:
        return "wrong_audience"
    if not identity.scopes & route.scopes:
        return "insufficient_scope"
    return None


def may_call(identity: Identity, route: Route, resources: Resources) -> bool:
    return refusal(identity, route, resources) is None


def allowed_routes(identity: Identity, resources: Resources) -> list[Route]:
    """What the authorizer's policy allows. API Gateway caches it per token for every route, so it must hold
    only routes the token may call: those of the audiences it names, within its scopes."""
    return [route for route in ROUTES if may_call(identity, route, resources)]


def mcp_scope_needed(method: str, params: object) -> Scope | None:
    """The scope an MCP request needs beyond reaching the endpoint, if any."""
    if method == "tools/call":
        name = params.get("name") if isinstance(params, dict) else None
        return MCP_TOOL_SCOPES.get(name, Scope.READ) if isinstance(name, str) else Scope.READ
    return _MCP_METHOD_SCOPES.get(method)
