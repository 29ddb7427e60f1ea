from functools import lru_cache

from fastapi import APIRouter, Request, Response

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import JsonBodyRoute, services_of
from twin.entrypoints.http.errors import JSON_BODY_ERRORS
from twin.entrypoints.schemas import SearchRequest, SearchResponse
from twin.services.search import REMEMBERED_SEARCHES, Found

router = APIRouter(tags=["search"], route_class=JsonBodyRoute)


@router.post("/v1/search", response_model=SearchResponse, responses=JSON_BODY_ERRORS, summary="Search the profile")
async def search(body: SearchRequest, request: Request) -> Response:
    """The profile passages that best match the query, best first."""
    services = services_of(request)
    section = body.section.value if body.section else None
    found = await run_sync(services.offloads, services.search.find, body.query, top_k=body.top_k, section=section)
    return Response(_encoded(found), media_type="application/json")


@lru_cache(maxsize=REMEMBERED_SEARCHES)
def _encoded(found: Found) -> bytes:
    """The body of a search the service remembers: built and validated once, not on each request that repeats it."""
    return SearchResponse.of(found).model_dump_json().encode()
