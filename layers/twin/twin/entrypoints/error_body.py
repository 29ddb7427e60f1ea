"""The one error shape of every HTTP answer: `{"error": {"code", "message", "details"?}}`; for MCP clients, a JSON-RPC
error with the same code in its `data`."""

from collections.abc import Mapping, Sequence

from starlette.responses import JSONResponse


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[Mapping[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    error: dict[str, object] = {"code": code, "message": message}
    if details:
        error["details"] = list(details)
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def internal_error_response() -> JSONResponse:
    """A failure of ours: never a stack trace, nor any detail of it."""
    return error_response(500, "internal_error", "something went wrong on our side; the request was not completed")


JSONRPC_SERVER_ERROR = -32000
"""The first of JSON-RPC's implementation-defined server error codes."""


def jsonrpc_error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """What an MCP client shows as its request's failure. The id is null: the answer comes before the body is read."""
    error = {"code": JSONRPC_SERVER_ERROR, "message": message, "data": {"code": code}}
    return JSONResponse({"jsonrpc": "2.0", "id": None, "error": error}, status_code=status, headers=headers)
