"""Serving the MCP server over Streamable HTTP: stateless, JSON responses, POST only."""

from collections.abc import Sequence
from urllib.parse import urlsplit

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import Receive, Scope, Send

from twin.entrypoints.error_body import error_response
from twin.entrypoints.mcp.server import TwinMCPServer

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class McpEndpoint:
    """POST goes to the MCP session manager; anything else gets 405.

    In stateless JSON mode a GET (the standalone SSE stream) would hang, and some clients
    misread a 403, so 405 with `Allow: POST` is the answer they all handle.
    The session manager's `run()` must be entered by whoever hosts this endpoint.
    """

    def __init__(self, session_manager: StreamableHTTPSessionManager) -> None:
        self.session_manager = session_manager

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "POST":
            await self.session_manager.handle_request(scope, receive, send)
            return
        response = error_response(
            405, "method_not_allowed", "the MCP endpoint accepts POST only", headers={"Allow": "POST"}
        )
        await response(scope, receive, send)


def mcp_endpoint(server: TwinMCPServer, *, public_hosts: Sequence[str] = ()) -> McpEndpoint:
    """`public_hosts` are the `Host` values clients use besides loopback (e.g. the API Gateway domain)."""
    server.streamable_http_app(
        stateless_http=True, json_response=True, transport_security=transport_security(public_hosts)
    )
    return McpEndpoint(server.session_manager)


def transport_security(public_hosts: Sequence[str]) -> TransportSecuritySettings:
    """An explicit allow-list: loopback on any port, plus the public hosts exactly as given."""
    hosts = [*LOOPBACK_HOSTS, *(f"{host}:*" for host in LOOPBACK_HOSTS), *public_hosts]
    origins = [f"http://{host}:*" for host in LOOPBACK_HOSTS] + [f"https://{host}" for host in public_hosts]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


def host_of(url: str) -> str:
    return urlsplit(url).netloc
