"""The MCP client's W3C trace context (`params._meta.traceparent`), recorded on the request's trace.

API Gateway starts the trace a function joins, so the client's trace cannot be its parent. Its trace id and
span id become annotations (`client_trace_id`, `client_span_id`): X-Ray indexes those, so an operator finds
the request's trace from the client's with `annotation.client_trace_id = "<id>"`. Only a well-formed
`traceparent` is recorded (version 00, lowercase hex, not all zeros): anything else the caller sends is not.
"""

import re
from typing import Any, Final

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext

from twin.ports import Telemetry

_TRACEPARENT: Final = re.compile(r"00-(?!0{32})([0-9a-f]{32})-(?!0{16})([0-9a-f]{16})-[0-9a-f]{2}")


class ClientTraceContext:
    """MCP server middleware: runs for every message, before the SDK validates it."""

    def __init__(self, telemetry: Telemetry) -> None:
        self._telemetry = telemetry

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        traceparent = (ctx.meta or {}).get("traceparent")
        if isinstance(traceparent, str) and (parts := _TRACEPARENT.fullmatch(traceparent)):
            self._telemetry.annotate(client_trace_id=parts[1], client_span_id=parts[2])
        return await call_next(ctx)
