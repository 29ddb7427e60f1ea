"""The MCP function: the MCP server behind Mangum, working across warm invocations.

A Streamable HTTP session manager can run only once, and Mangum runs the ASGI lifespan on every
invocation, so each invocation gets a fresh session manager (cheap: stateless, no sessions to keep)
around the MCP server that was built once per cold start.
"""

from typing import Any

from mangum import Mangum
from starlette.applications import Starlette
from starlette.routing import Route

from twin.composition import build_services, seed_if_empty
from twin.entrypoints.aws.context import resources_of_scope
from twin.entrypoints.aws.observability import LambdaHandler, instrumented, telemetry, traced, xray_daemon
from twin.entrypoints.http.auth import AuthorizerContextIdentity
from twin.entrypoints.http.middleware import api_middleware
from twin.entrypoints.mcp.scopes import McpScopeGuard
from twin.entrypoints.mcp.server import build_mcp_server
from twin.entrypoints.mcp.transport import host_of, mcp_endpoint
from twin.settings import Settings

MCP_PATH = "/mcp"


def mcp_handler() -> LambdaHandler:
    settings = Settings.from_environment(env_file=None)
    xray = xray_daemon()
    services = build_services(settings, telemetry(xray))
    seed_if_empty(services)
    server = build_mcp_server(services)
    resources = resources_of_scope(settings)
    middleware = api_middleware(services, identify=AuthorizerContextIdentity(), resources=resources)
    configured_host = [host_of(settings.public_url)] if settings.public_url else []

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # API Gateway sets domainName: the Host the caller used, which the MCP endpoint must allow (no 421).
        domain = (event.get("requestContext") or {}).get("domainName")
        endpoint = mcp_endpoint(server, public_hosts=[*configured_host, *([domain] if domain else [])])
        app = Starlette(
            routes=[Route(MCP_PATH, McpScopeGuard(endpoint, resources=resources))],
            middleware=middleware,
            lifespan=lambda _: endpoint.session_manager.run(),
        )
        response: dict[str, Any] = Mangum(traced(app, xray), lifespan="auto")(event, context)
        return response

    return instrumented(handle)
