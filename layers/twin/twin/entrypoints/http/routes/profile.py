from fastapi import APIRouter, Request, Response

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import services_of
from twin.entrypoints.http.encoded import EncodedOnce
from twin.entrypoints.http.errors import READ_ERRORS
from twin.entrypoints.schemas import ProfileResponse, SectionResponse

router = APIRouter(tags=["profile"])
# The service keeps one overview per profile version (every section of it: 0.2 ms to build and encode).
_overview = EncodedOnce(ProfileResponse.of)


@router.get(
    "/v1/profile",
    response_model=ProfileResponse,
    responses=READ_ERRORS,
    summary="The profile: summary and section list",
)
async def profile(request: Request) -> Response:
    services = services_of(request)
    return _overview.response(await run_sync(services.offloads, services.profile.overview))


@router.get("/v1/profile/sections/{section_id}", responses=READ_ERRORS, summary="One profile section in full")
async def section(section_id: str, request: Request) -> SectionResponse:
    services = services_of(request)
    return SectionResponse.of(await run_sync(services.offloads, services.profile.section, section_id))
