"""Every HTTP error leaves as `{"error": {"code", "message"}}` with the status that fits it.

Messages never echo what the caller sent and never carry a stack trace.
"""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from twin.entrypoints.error_body import error_response, internal_error_response
from twin.entrypoints.problems import summary, validation_problems
from twin.entrypoints.schemas import ErrorResponse
from twin.errors import (
    AnswerNotFoundError,
    AuthenticationError,
    BackendUnavailableError,
    ConcurrentIngestError,
    ConfigurationError,
    InsightsWindowError,
    InvalidRequestError,
    MalformedJsonError,
    PayloadTooLargeError,
    ProfileFormatError,
    ProfileNotIngestedError,
    RetrievalUnavailableError,
    SectionNotFoundError,
    SessionNotFoundError,
    TwinError,
)
from twin.security.policy import path_pattern

STATUS_BY_ERROR: dict[type[TwinError], int] = {
    MalformedJsonError: 400,
    InsightsWindowError: 400,
    InvalidRequestError: 422,
    ProfileFormatError: 422,
    SectionNotFoundError: 404,
    ProfileNotIngestedError: 404,
    SessionNotFoundError: 404,
    AnswerNotFoundError: 404,
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

_ERROR_DESCRIPTIONS = {
    400: "Malformed JSON: not UTF-8, bad syntax, nested too deep or a number too long",
    404: "Not there: no profile ingested yet, or no such section, session or approved answer (see the error code)",
    413: "Body larger than the route's limit (256 KiB; 4 KiB on the public chat)",
    415: "Body not sent as application/json",
    409: "`concurrent_ingest`: another ingest of the twin is under way or published first; this one changed "
    "nothing. Send it again.",
    422: "A field is missing, empty, too long, of the wrong type or out of range",
    429: "Too many requests: see Retry-After and the RateLimit-* headers",
    503: "A backing service is down and nothing cached can stand in: see Retry-After",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The OpenAPI `responses` of a route that can answer these error statuses.

    401 and 403 come with the security of each route the policy guards (see `openapi.py`).
    """
    return {status: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[status]} for status in statuses}


JSON_BODY_ERRORS = error_responses(400, 404, 413, 415, 422, 429, 503)
READ_ERRORS = error_responses(404, 429, 503)


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
    # The first part of each location is where the value was (`body`, `path`, `query`).
    details = validation_problems(error.errors(), prefix=1, whole="body")
    return error_response(422, InvalidRequestError.code, summary(details), details)


async def _http_error(request: Request, error: HTTPException) -> JSONResponse:
    code = _CODE_BY_STATUS.get(error.status_code, "http_error")
    message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
    headers = dict(error.headers or {})
    if error.status_code == 405:  # the router names the methods of the path's first route only
        headers["Allow"] = _allowed_methods(request, headers.get("Allow", ""))
    return error_response(error.status_code, code, message, headers=headers or None)


def _allowed_methods(request: Request, named: str) -> str:
    """Every method the API documents at the request's path (`GET, POST` where two routes share it), and those the
    router named."""
    methods = {method.strip().upper() for method in named.split(",") if method.strip()}
    for template, operations in request.app.openapi().get("paths", {}).items():
        if path_pattern(template).fullmatch(request.url.path):
            methods |= {method.upper() for method in operations}
    return ", ".join(sorted(methods))


async def _unexpected_error(_: Request, __: Exception) -> JSONResponse:
    return internal_error_response()
