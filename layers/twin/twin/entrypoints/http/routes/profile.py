from fastapi import APIRouter

from twin.entrypoints.http.dependencies import ServicesDep
from twin.entrypoints.http.errors import READ_ERRORS
from twin.entrypoints.schemas import ProfileResponse, SectionResponse

router = APIRouter(tags=["profile"])


@router.get("/v1/profile", responses=READ_ERRORS, summary="The profile: summary and section list")
def profile(services: ServicesDep) -> ProfileResponse:
    return ProfileResponse.of(services.profile.overview())


@router.get("/v1/profile/sections/{section_id}", responses=READ_ERRORS, summary="One profile section in full")
def section(section_id: str, services: ServicesDep) -> SectionResponse:
    return SectionResponse.of(services.profile.section(section_id))
