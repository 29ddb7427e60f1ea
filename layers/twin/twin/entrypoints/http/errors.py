"""Every HTTP error leaves as `{"error": {"code", "message"}}` with the status that fits it.

Messages never echo what the caller sent and never carry a stack trace.
"""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from twin.entrypoints.error_body import error_response
from twin.entrypoints.schemas import ErrorResponse
from twin.errors import (
    AuthenticationError,
    BackendUnavailableError,
    ConcurrentIngestError,
    ConfigurationError,
    InvalidRequestError,
    PayloadTooLargeError,
    ProfileFormatError,
    ProfileNotIngestedError,
    RetrievalUnavailableError,
    SectionNotFoundError,
    SessionNotFoundError,
    TwinError,
)

STATUS_BY_ERROR: dict[type[TwinError], int] = {
    InvalidRequestError: 422,
    ProfileFormatError: 422,
    SectionNotFoundError: 404,
    ProfileNotIngestedError: 404,
    SessionNotFoundError: 404,
    ConcurrentIngestError: 409,
    RetrievalUnavailableError: 503,
    BackendUnavailableError: 503,
    PayloadTooLargeError: 413,
    AuthenticationError: 401,
    ConfigurationError: 500,
}

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}

# Documented on every route in the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "Malformed JSON",
        413: "Body larger than 256 KiB",
        415: "Body not sent as application/json",
        422: "A field is missing, empty, too long or out of range",
        429: "Too many requests: see Retry-After and the RateLimit-* headers",
        503: "A backing service is down and nothing cached can stand in: see Retry-After",
    }.items()
}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TwinError, _twin_error)  # type: ignore[arg-type]  # Starlette types handlers loosely
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected_error)


async def _twin_error(_: Request, error: TwinError) -> JSONResponse:
    status = next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(error, kind)), 500)
    details = None
    if isinstance(error, ProfileFormatError):
        details = [{"field": error.location, "message": f"expected {error.expected}"}]
    retry_after = getattr(error, "retry_after_seconds", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return error_response(status, error.code, error.message, details, headers=headers)


async def _validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
    problems = error.errors()
    if any(problem["type"] == "json_invalid" for problem in problems):
        return error_response(400, "malformed_json", "the request body is not valid JSON")
    details = [
        {"field": ".".join(str(part) for part in problem["loc"][1:]) or "body", "message": problem["msg"]}
        for problem in problems
    ]
    summary = "; ".join(f"{detail['field']}: {detail['message']}" for detail in details)
    return error_response(422, "invalid_request", summary, details)


async def _http_error(_: Request, error: HTTPException) -> JSONResponse:
    code = _CODE_BY_STATUS.get(error.status_code, "http_error")
    message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
    return error_response(error.status_code, code, message, headers=error.headers)


async def _unexpected_error(_: Request, __: Exception) -> JSONResponse:
    return error_response(500, "internal_error", "something went wrong on our side; the request was not completed")
