"""The scope of each MCP operation: the route lets a caller reach `/mcp`; this checks what they ask it.

`tools/call` of `ask_twin` needs `twin:ask`; the read tools, resources and prompts need `twin:read`.
A caller without it gets HTTP 403 with an `insufficient_scope` challenge naming the scope.

Checking means reading the body, so a body that is not one JSON-RPC message is refused here, with HTTP 400
and the JSON-RPC parse error (-32700) or invalid request (-32600): the SDK's own refusals quote the body.
The SDK also answers an unknown method with its name, so a method longer than any MCP method is refused.
"""

from collections.abc import Callable

from mcp_types import (
    INVALID_REQUEST,
    PARSE_ERROR,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    jsonrpc_message_adapter,
)
from pydantic import ValidationError
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from twin.entrypoints.buffered_body import BufferedBody
from twin.entrypoints.http.auth import current_caller, insufficient_scope
from twin.entrypoints.json_body import parse_json_body
from twin.errors import MalformedJsonError
from twin.security.audit import audit
from twin.security.policy import Resources, mcp_scope_needed

MAX_METHOD_CHARS = 100


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
        try:
            message = _message(body.body)
        except MalformedJsonError:
            await _body_error(PARSE_ERROR, "Parse error")(scope, receive, send)
            return
        if message is None:
            await _body_error(INVALID_REQUEST, "Invalid Request")(scope, receive, send)
            return
        if isinstance(message, JSONRPCRequest | JSONRPCNotification):
            needed = mcp_scope_needed(message.method, message.params)
            if needed is not None and needed not in identity.scopes:
                audit(
                    "mcp",
                    actor=identity.principal.key,
                    resource=message.method,
                    outcome="denied",
                    reason="insufficient_scope",
                )
                await insufficient_scope(self._resources(scope), frozenset({needed}))(scope, receive, send)
                return
        await self._app(scope, body.replay(receive), send)


def _message(body: bytes) -> JSONRPCMessage | None:
    """The JSON-RPC message in the body (one: MCP has no batches), or None; MalformedJsonError if not JSON."""
    try:
        message = jsonrpc_message_adapter.validate_python(parse_json_body(body), by_name=False)
    except ValidationError:
        return None
    if isinstance(message, JSONRPCRequest | JSONRPCNotification) and len(message.method) > MAX_METHOD_CHARS:
        return None
    return message


def _body_error(code: int, message: str) -> JSONResponse:
    """A JSON-RPC error about the body as a whole: it has no request id to answer to."""
    return JSONResponse({"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}, status_code=400)
