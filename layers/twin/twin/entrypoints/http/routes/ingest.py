from fastapi import APIRouter, Request

from twin.domain import limits
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import caller, sent_as_json, services_of
from twin.entrypoints.http.errors import error_responses
from twin.entrypoints.json_body import parse_json_body
from twin.entrypoints.schemas import IngestResponse

router = APIRouter(tags=["admin"])

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_PROFILE_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            "Workshop `digitaltwin.json`, `{content_chunks: [...]}`, JSON Resume, Markdown, a PDF or Word CV, "
            f"or LinkedIn's data export ZIP; at most {limits.MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB. The format "
            "is told from the content, not from Content-Type. A document with no section of text, with control "
            "characters or not in UTF-8 is refused with 422 `invalid_profile`, naming where."
        ),
        "content": {
            "application/json": {"schema": {"type": "object", "minProperties": 1}},
            "text/markdown": {"schema": {"type": "string", "minLength": 1, "pattern": limits.NON_BLANK_PATTERN}},
            "application/pdf": _BINARY,
            DOCX_MEDIA_TYPE: _BINARY,
            "application/zip": _BINARY,
        },
    }
}
_RESPONSES = error_responses(400, 409, 413, 422, 429, 503)
_RESPONSES[413] = {
    **_RESPONSES[413],
    "description": f"Body larger than {limits.MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB",
}


@router.post(
    "/v1/admin/ingest",
    responses=_RESPONSES,
    openapi_extra=_PROFILE_BODY,
    summary="Replace the profile",
)
async def ingest(request: Request) -> IngestResponse:
    """Publishes the profile sent as a new version when anything changed; readers see the old version whole
    until they see the new one whole.

    A profile that fails to load changes nothing; of two ingests at once, one may be refused with 409.
    """
    services, actor = services_of(request), caller().principal.key
    document = await request.body()
    if sent_as_json(request):  # a body sent as JSON must be JSON (without a type, the format is detected)
        parse_json_body(document)
    # Reading a CV is CPU work that can take seconds (a PDF): a server of many requests leaves its loop free.
    report = await run_sync(services.concurrent, services.ingest.ingest, document, actor=actor)
    return IngestResponse.of(report)
