"""`twin serve`: every REST router and the MCP endpoint in one ASGI app, on one machine.

It enforces the same authentication, scopes and limits as the AWS deployment.
"""

import json
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import uvicorn
from fastapi import FastAPI
from starlette.routing import Route
from starlette.types import Scope

from twin.composition import Services
from twin.entrypoints.http.app import create_app
from twin.entrypoints.http.auth import HeaderIdentity
from twin.entrypoints.http.routes import (
    admin_page,
    answers,
    ask,
    fit,
    health,
    ingest,
    insights,
    metadata,
    profile,
    public,
    search,
    sessions,
)
from twin.entrypoints.mcp.public import public_mcp_endpoint
from twin.entrypoints.mcp.scopes import McpScopeGuard
from twin.entrypoints.mcp.server import build_mcp_server
from twin.entrypoints.mcp.transport import host_of, mcp_endpoint
from twin.security.authenticator import Authenticator
from twin.security.policy import PUBLIC_MCP_PATH, Resources
from twin.settings import Settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

MCP_PATH = "/mcp"
ROUTERS = (
    ask.router,
    fit.router,
    sessions.router,
    search.router,
    profile.router,
    ingest.router,
    insights.router,
    answers.router,
    admin_page.router,
    health.router,
    metadata.router,
    public.router,
)


def create_local_app(services: Services, authenticator: Authenticator, resources: Resources) -> FastAPI:
    public_hosts = [host_of(resources.api_url)]
    endpoint = mcp_endpoint(build_mcp_server(services), public_hosts=public_hosts)
    public_endpoint = public_mcp_endpoint(services, public_hosts=public_hosts)

    def resources_of(_: Scope) -> Resources:
        return resources

    # A mounted MCP app's own lifespan never runs, so the host app runs the session managers.
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with endpoint.session_manager.run(), public_endpoint.endpoint.session_manager.run():
            yield

    app = create_app(
        services,
        identify=HeaderIdentity(authenticator, resources),
        resources=resources_of,
        routers=ROUTERS,
        lifespan=lifespan,
    )
    app.router.routes.append(Route(MCP_PATH, McpScopeGuard(endpoint, resources=resources_of)))
    app.router.routes.append(Route(PUBLIC_MCP_PATH, public_endpoint))
    if services.settings.oauth:
        from twin.entrypoints.oauth.routes import authorization_server

        app.router.routes.extend(authorization_server(services, resources))
    return app


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts so that the banner can name the port (`--port 0`).

    Its protocol must be IPPROTO_TCP: asyncio turns Nagle's algorithm off (`TCP_NODELAY`) only on accepted
    sockets of that protocol, and `socket.create_server` leaves it 0. With Nagle on, a response's body
    waited for the client's delayed ACK of its headers: about 40 ms on every request of a kept-alive connection.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    bound = socket.create_server((host, port), family=family)
    return socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, fileno=bound.detach())


def local_server(app: FastAPI, *, trusted_proxies: Sequence[str] = ()) -> uvicorn.Server:
    """uvicorn for `app`. Forwarded headers count only from `trusted_proxies` (uvicorn's default trusts loopback,
    where any local client could then pose as any address). No access log: at level warning uvicorn would still
    format each response's client address and quoted path for a line it then drops."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=list(trusted_proxies),
    )
    return uvicorn.Server(config)


def oauth_reachable(settings: Settings) -> bool:
    """Whether clients can use this server's address as an OAuth issuer: HTTPS, or plain HTTP on loopback."""
    if settings.public_url:
        parts = urlsplit(settings.public_url)
        return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)
    return settings.host in LOOPBACK_HOSTS


def banner(resources: Resources, token: str, *, public_chat: bool, public_mcp: bool, oauth: bool) -> str:
    """What `twin serve` prints at start: where everything is, a token, and editor set-ups to paste: with OAuth
    (the editor signs in with an invite code) first when it is on, with the static token second."""
    base_url, mcp_url = resources.api_url, resources.mcp_url
    vscode_oauth = {"servers": {"digital-twin": {"type": "http", "url": mcp_url}}}
    vscode = {
        "inputs": [
            {
                "type": "promptString",
                "id": "twin-token",
                "description": "Digital Twin token",
                "password": True,
            }
        ],
        "servers": {
            "digital-twin": {
                "type": "http",
                "url": mcp_url,
                "headers": {"Authorization": "Bearer ${input:twin-token}"},
            }
        },
    }
    with_oauth = (
        (
            "",
            "Sign in with OAuth (each person with an invite code: `twin invites create --name NAME`):",
            f"  Claude (claude.ai, Desktop, mobile): Settings → Connectors → Add custom connector → {mcp_url}",
            f"  ChatGPT: Settings → Connectors → Create → {mcp_url} (authentication: OAuth)",
            "  VS Code (.vscode/mcp.json; it opens the sign-in page on first use):",
            _indented(json.dumps(vscode_oauth, indent=2)),
            "  Cursor (~/.cursor/mcp.json; it opens the sign-in page on first use):",
            _indented(json.dumps({"mcpServers": {"digital-twin": {"url": mcp_url}}}, indent=2)),
            "",
            "Or with the static token below (editors that send headers; Claude Desktop through mcp-remote):",
        )
        if oauth
        else ()
    )
    return "\n".join(
        (
            f"Digital Twin is running at {base_url}",
            f'  Web chat     {base_url}/   (embed it: <script src="{base_url}/embed.js" async></script>)'
            if public_chat
            else "  Web chat     off (TWIN_PUBLIC_CHAT=false)",
            f"  REST API     {base_url}/v1/ask  (POST)  ·  {base_url}/v1/search  ·  {base_url}/v1/profile",
            f"  API docs     {base_url}/docs",
            f"  Owner page   {base_url}/admin   (what visitors ask; sign in with the development token below)",
            f"  MCP          {mcp_url}",
            f"  Public MCP   {base_url}{PUBLIC_MCP_PATH}   (read-only, no credential: Claude, ChatGPT connectors)"
            if public_mcp
            else "  Public MCP   off (TWIN_PUBLIC_MCP=false)",
            f"  Health       {base_url}/health",
            f"  OAuth        {base_url}/.well-known/oauth-authorization-server  (people sign in with an invite code)"
            if oauth
            else "  OAuth        off",
            *with_oauth,
            "",
            "Development token (all scopes, 12 hours; send it as 'Authorization: Bearer <token>'):",
            token,
            "",
            "VS Code (.vscode/mcp.json; paste the token when asked):",
            json.dumps(vscode, indent=2),
            "",
            "Claude Desktop (claude_desktop_config.json), through the mcp-remote bridge:",
            json.dumps(
                {
                    "mcpServers": {
                        "digital-twin": {
                            "command": "npx",
                            "args": ["-y", "mcp-remote", mcp_url, "--header", "Authorization:${AUTH}"],
                            "env": {"AUTH": "Bearer <token>"},
                        }
                    }
                },
                indent=2,
            ),
            "",
            "Cursor (~/.cursor/mcp.json):",
            json.dumps(
                {"mcpServers": {"digital-twin": {"url": mcp_url, "headers": {"Authorization": "Bearer <token>"}}}},
                indent=2,
            ),
            "",
            "Press Ctrl+C to stop.",
        )
    )


def _indented(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())
