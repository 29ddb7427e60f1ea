from fastapi import APIRouter, Request

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import services_of
from twin.entrypoints.http.errors import READ_ERRORS
from twin.entrypoints.schemas import ProfileResponse, SectionResponse

router = APIRouter(tags=["profile"])


@router.get("/v1/profile", responses=READ_ERRORS, summary="The profile: summary and section list")
async def profile(request: Request) -> ProfileResponse:
    services = services_of(request)
    return ProfileResponse.of(await run_sync(services.waits_on_network, services.profile.overview))


@router.get("/v1/profile/sections/{section_id}", responses=READ_ERRORS, summary="One profile section in full")
async def section(section_id: str, request: Request) -> SectionResponse:
    services = services_of(request)
    return SectionResponse.of(await run_sync(services.waits_on_network, services.profile.section, section_id))
