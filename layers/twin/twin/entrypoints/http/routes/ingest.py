from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from twin.domain.limits import MAX_DOCUMENT_BYTES
from twin.entrypoints.http.dependencies import IdentityDep, ServicesDep
from twin.entrypoints.http.errors import ERROR_RESPONSES
from twin.entrypoints.schemas import IngestResponse

router = APIRouter(tags=["admin"])

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_PROFILE_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            "Workshop `digitaltwin.json`, `{content_chunks: [...]}`, JSON Resume, Markdown, a PDF or Word CV, "
            f"or LinkedIn's data export ZIP; at most {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB. The format is "
            "told from the content, not from Content-Type."
        ),
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/markdown": {"schema": {"type": "string"}},
            "application/pdf": _BINARY,
            DOCX_MEDIA_TYPE: _BINARY,
            "application/zip": _BINARY,
        },
    }
}
_RESPONSES = {
    **ERROR_RESPONSES,
    413: {**ERROR_RESPONSES[413], "description": f"Body larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"},
}


@router.post("/v1/admin/ingest", responses=_RESPONSES, openapi_extra=_PROFILE_BODY, summary="Replace the profile")
async def ingest(request: Request, identity: IdentityDep, services: ServicesDep) -> IngestResponse:
    """Brings the index in line with the profile sent: adds, updates and removes only what changed.

    A profile that fails to load changes nothing.
    """
    document = await request.body()
    report = await run_in_threadpool(services.ingest.ingest, document, actor=identity.subject)
    return IngestResponse.of(report)
