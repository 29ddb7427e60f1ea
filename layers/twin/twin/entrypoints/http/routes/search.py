from fastapi import APIRouter, Request

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import JsonBodyRoute, services_of
from twin.entrypoints.http.errors import JSON_BODY_ERRORS
from twin.entrypoints.schemas import SearchRequest, SearchResponse

router = APIRouter(tags=["search"], route_class=JsonBodyRoute)


@router.post("/v1/search", responses=JSON_BODY_ERRORS, summary="Search the profile")
async def search(body: SearchRequest, request: Request) -> SearchResponse:
    """The profile passages that best match the query, best first."""
    services = services_of(request)
    section = body.section.value if body.section else None
    found = await run_sync(
        services.waits_on_network, services.search.find, body.query, top_k=body.top_k, section=section
    )
    return SearchResponse.of(found)
