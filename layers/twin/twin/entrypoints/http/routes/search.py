from fastapi import APIRouter

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import JSON_BODY, ServicesDep
from twin.entrypoints.http.errors import ERROR_RESPONSES
from twin.entrypoints.schemas import SearchRequest, SearchResponse

router = APIRouter(tags=["search"])


@router.post("/v1/search", dependencies=JSON_BODY, responses=ERROR_RESPONSES, summary="Search the profile")
async def search(body: SearchRequest, services: ServicesDep) -> SearchResponse:
    """The profile passages that best match the query, best first."""
    section = body.section.value if body.section else None
    hits = await run_sync(
        services.waits_on_network, services.search.search, body.query, top_k=body.top_k, section=section
    )
    return SearchResponse.of(hits, body.query)
