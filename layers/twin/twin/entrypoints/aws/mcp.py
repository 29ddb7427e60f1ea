"""The MCP functions: an MCP server behind Mangum, working across warm invocations.

A Streamable HTTP session manager can run only once, and Mangum runs the ASGI lifespan on every
invocation, so each invocation gets a fresh session manager (cheap: stateless, no sessions to keep)
around the MCP server that was built once per cold start.
"""

from collections.abc import Callable
from typing import Any

from mangum import Mangum
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Scope

from twin.composition import Services, build_services, lambda_telemetry, seed_if_empty
from twin.entrypoints.aws.context import resources_of_scope
from twin.entrypoints.aws.observability import LambdaHandler, instrumented, metrics, traced
from twin.entrypoints.aws.public_limits import require_shared_limits
from twin.entrypoints.error_body import internal_error_response
from twin.entrypoints.http.auth import AuthorizerContextIdentity
from twin.entrypoints.http.middleware import api_middleware
from twin.entrypoints.mcp.public import PublicMcpEndpoint, build_public_mcp_server
from twin.entrypoints.mcp.scopes import McpScopeGuard
from twin.entrypoints.mcp.server import TwinMCPServer, build_mcp_server
from twin.entrypoints.mcp.transport import McpEndpoint, host_of, mcp_endpoint
from twin.security.policy import PUBLIC_MCP_PATH, Resources
from twin.settings import Settings

MCP_PATH = "/mcp"

type Guard = Callable[[McpEndpoint, Callable[[Scope], Resources], Settings], ASGIApp]
"""What stands between the route and the endpoint: the scope check, or the public endpoint's switch."""


def mcp_handler() -> LambdaHandler:
    """`/mcp`, behind the authorizer: each MCP operation is checked against the caller's scopes."""
    return _mcp_function(
        MCP_PATH, build_mcp_server, lambda endpoint, resources, _: McpScopeGuard(endpoint, resources=resources)
    )


def public_mcp_handler() -> LambdaHandler:
    """`/v1/public/mcp`, with no authorizer: the read-only server for visitors, a 404 unless enabled."""
    settings = Settings.from_environment(env_file=None)
    if settings.serves_public_mcp():
        require_shared_limits(settings, "the public MCP endpoint")
    return _mcp_function(
        PUBLIC_MCP_PATH,
        build_public_mcp_server,
        lambda endpoint, _, settings: PublicMcpEndpoint(endpoint, enabled=settings.serves_public_mcp()),
    )


def _mcp_function(path: str, build_server: Callable[[Services], TwinMCPServer], guard: Guard) -> LambdaHandler:
    settings = Settings.from_environment(env_file=None)
    telemetry, xray = lambda_telemetry(metrics)
    services = build_services(settings, telemetry, concurrent=False)
    seed_if_empty(services)
    server = build_server(services)
    resources = resources_of_scope(settings)
    middleware = api_middleware(services, identify=AuthorizerContextIdentity(), resources=resources)
    configured_host = [host_of(settings.public_url)] if settings.public_url else []

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # API Gateway sets domainName: the Host the caller used, which the MCP endpoint must allow (no 421).
        domain = (event.get("requestContext") or {}).get("domainName")
        endpoint = mcp_endpoint(server, public_hosts=[*configured_host, *([domain] if domain else [])])
        app = Starlette(
            routes=[Route(path, guard(endpoint, resources, settings))],
            middleware=middleware,
            exception_handlers={Exception: _unexpected_error},
            lifespan=lambda _: endpoint.session_manager.run(),
        )
        response: dict[str, Any] = Mangum(traced(app, xray), lifespan="auto")(event, context)
        return response

    return instrumented(handle)


async def _unexpected_error(_: Request, __: Exception) -> Response:
    """A JSON 500 like every other function's, not Starlette's plain-text one."""
    return internal_error_response()
