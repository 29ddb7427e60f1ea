"""The scope of each MCP operation: the route lets a caller reach `/mcp`; this checks what they ask it.

`tools/call` of `ask_twin` needs `twin:ask`; the read tools, resources and prompts need `twin:read`.
A caller without it gets HTTP 403 with an `insufficient_scope` challenge naming the scope.
"""

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from twin.entrypoints.buffered_body import BufferedBody
from twin.entrypoints.http.auth import current_caller, insufficient_scope
from twin.security.audit import audit
from twin.security.policy import Resources, mcp_scope_needed


class McpScopeGuard:
    def __init__(self, app: ASGIApp, *, resources: Callable[[Scope], Resources]) -> None:
        self._app = app
        self._resources = resources

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        identity = current_caller()
        if scope["type"] != "http" or scope["method"] != "POST" or identity is None:
            await self._app(scope, receive, send)
            return
        body = await BufferedBody.read(receive)
        for method, params in _requests(body.body):
            needed = mcp_scope_needed(method, params)
            if needed is not None and needed not in identity.scopes:
                audit(
                    "mcp",
                    actor=identity.principal.key,
                    resource=method,
                    outcome="denied",
                    reason="insufficient_scope",
                )
                await insufficient_scope(self._resources(scope), frozenset({needed}))(scope, receive, send)
                return
        await self._app(scope, body.replay(receive), send)


def _requests(body: bytes) -> list[tuple[str, object]]:
    """(method, params) of each JSON-RPC request in the body; the MCP server reports malformed ones."""
    try:
        parsed = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []
    items = parsed if isinstance(parsed, list) else [parsed]
    return [
        (item["method"], item.get("params"))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("method"), str)
    ]
