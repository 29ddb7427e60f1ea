from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from twin.entrypoints.http.dependencies import IdentityDep, ServicesDep
from twin.entrypoints.http.errors import ERROR_RESPONSES
from twin.entrypoints.schemas import ErrorResponse, IngestResponse

router = APIRouter(tags=["admin"])

_INGEST_RESPONSES: dict[int | str, dict[str, object]] = ERROR_RESPONSES | {
    409: {
        "model": ErrorResponse,
        "description": "`concurrent_ingest`: another ingest of the twin is under way or published first; "
        "this one changed nothing. Send the profile again.",
    }
}

_PROFILE_BODY = {
    "requestBody": {
        "required": True,
        "description": "Workshop `digitaltwin.json`, `{content_chunks: [...]}`, JSON Resume or Markdown.",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/markdown": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/v1/admin/ingest", responses=_INGEST_RESPONSES, openapi_extra=_PROFILE_BODY, summary="Replace the profile"
)
async def ingest(request: Request, identity: IdentityDep, services: ServicesDep) -> IngestResponse:
    """Publishes the profile sent as a new version when anything changed; readers see the old version whole
    until they see the new one whole.

    A profile that fails to load changes nothing; of two ingests at once, one may be refused with 409.
    """
    document = await request.body()
    report = await run_in_threadpool(services.ingest.ingest, document, actor=identity.subject)
    return IngestResponse.of(report)
