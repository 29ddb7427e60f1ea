from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from twin.entrypoints.http.dependencies import IdentityDep, ServicesDep
from twin.entrypoints.http.errors import ERROR_RESPONSES
from twin.entrypoints.schemas import IngestResponse

router = APIRouter(tags=["admin"])

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


@router.post("/v1/admin/ingest", responses=ERROR_RESPONSES, openapi_extra=_PROFILE_BODY, summary="Replace the profile")
async def ingest(request: Request, identity: IdentityDep, services: ServicesDep) -> IngestResponse:
    """Brings the index in line with the profile sent: adds, updates and removes only what changed.

    A profile that fails to load changes nothing.
    """
    document = await request.body()
    report = await run_in_threadpool(services.ingest.ingest, document, actor=identity.principal.key)
    return IngestResponse.of(report)
