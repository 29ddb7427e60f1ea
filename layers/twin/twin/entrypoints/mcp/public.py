"""The public MCP endpoint, `POST /v1/public/mcp`: the twin for any MCP client, with no credential.

What Claude and ChatGPT connect to as an authless connector. It reads the profile, answers questions and checks a
job's fit as the public chat does, with its limits: short questions, a rate limit per client address, and each
visitor's sessions their own. Nothing it offers writes. Off unless the owner turns it on (`TWIN_PUBLIC_MCP`, or
with the public chat).
"""

from collections.abc import Sequence
from contextvars import ContextVar
from typing import Annotated

from pydantic import Field
from starlette.types import Receive, Scope, Send

from twin.composition import Services
from twin.domain import limits
from twin.domain.question_log import Channel
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.error_body import error_response
from twin.entrypoints.mcp.fit_tool import add_fit_tool
from twin.entrypoints.mcp.server import (
    QUESTION_HELP,
    READ_ONLY,
    SessionId,
    TwinMCPServer,
    add_profile_reading,
    tool_errors,
)
from twin.entrypoints.mcp.transport import McpEndpoint, mcp_endpoint
from twin.entrypoints.schemas import AskResponse
from twin.security.identity import Principal, PrincipalKind

_visitor: ContextVar[Principal] = ContextVar("twin_visitor")

PublicQuestion = Annotated[
    str, Field(min_length=1, max_length=limits.PUBLIC_MAX_QUESTION_CHARS, description=QUESTION_HELP)
]


def build_public_mcp_server(services: Services) -> TwinMCPServer:
    server = TwinMCPServer(services)

    @server.tool(title="Ask the twin", annotations=READ_ONLY)
    @tool_errors
    async def ask_twin(question: PublicQuestion, session_id: SessionId = None) -> AskResponse:
        """Ask the person a question; they answer in the first person and cite the profile sections used."""
        offload, ask, visitor = services.offloads, services.ask.ask, _visitor.get()
        answer = await run_sync(
            offload, ask, question, session_id=session_id, owner=visitor, channel=Channel.PUBLIC_MCP
        )
        return AskResponse.of(answer)

    add_fit_tool(server, services)
    add_profile_reading(server, services, max_query_chars=limits.PUBLIC_MAX_QUESTION_CHARS)
    return server


class PublicMcpEndpoint:
    """The MCP endpoint for visitors, each known by their address (as in the public chat); a 404 when off."""

    def __init__(self, endpoint: McpEndpoint, *, enabled: bool) -> None:
        self.endpoint = endpoint
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.enabled:
            await error_response(404, "not_found", "no route serves this path")(scope, receive, send)
            return
        client = scope.get("client")
        # A context variable reaches the tool through the tasks and threads the session manager runs it in.
        token = _visitor.set(Principal(PrincipalKind.VISITOR, client[0] if client else "unknown"))
        try:
            await self.endpoint(scope, receive, send)
        finally:
            _visitor.reset(token)


def public_mcp_endpoint(services: Services, *, public_hosts: Sequence[str] = ()) -> PublicMcpEndpoint:
    """The session manager's `run()` must be entered by whoever hosts it (`.endpoint.session_manager`)."""
    endpoint = mcp_endpoint(build_public_mcp_server(services), public_hosts=public_hosts)
    return PublicMcpEndpoint(endpoint, enabled=services.settings.serves_public_mcp())
