"""The one error shape of every HTTP answer: `{"error": {"code", "message", "details"?}}`."""

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
