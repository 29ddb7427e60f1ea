"""`twin serve`: every REST router and the MCP endpoint in one ASGI app, on one machine."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.routing import Route

from twin.composition import Services
from twin.entrypoints.http.app import create_app
from twin.entrypoints.mcp.server import build_mcp_server
from twin.entrypoints.mcp.transport import host_of, mcp_endpoint

MCP_PATH = "/mcp"


def create_local_app(services: Services) -> FastAPI:
    public_url = services.settings.public_url
    endpoint = mcp_endpoint(
        build_mcp_server(services), public_hosts=[host_of(public_url)] if public_url else []
    )

    # A mounted MCP app's own lifespan never runs, so the host app runs the session manager.
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with endpoint.session_manager.run():
            yield

    app = create_app(services, lifespan=lifespan)
    app.router.routes.append(Route(MCP_PATH, endpoint))
    return app


def banner(base_url: str) -> str:
    """What `twin serve` prints at start: where everything is, and the editor set-up to paste."""
    mcp_url = f"{base_url}{MCP_PATH}"
    vscode = {"servers": {"digital-twin": {"type": "http", "url": mcp_url}}}
    return "\n".join(
        (
            f"Digital Twin is running at {base_url}",
            f"  REST API     {base_url}/v1/ask  (POST)  ·  {base_url}/v1/search  ·  {base_url}/v1/profile",
            f"  API docs     {base_url}/docs",
            f"  MCP          {mcp_url}",
            f"  Health       {base_url}/health",
            "",
            "VS Code (.vscode/mcp.json):",
            json.dumps(vscode, indent=2),
            "",
            "Press Ctrl+C to stop.",
        )
    )
