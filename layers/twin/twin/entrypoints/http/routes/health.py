from fastapi import APIRouter

from twin import __version__
from twin.entrypoints.http.dependencies import ServicesDep
from twin.entrypoints.schemas import HealthResponse

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and the profile version served")
def health(services: ServicesDep) -> HealthResponse:
    profile = services.profile.find()
    return HealthResponse(
        status="ok",
        twin_id=services.settings.twin_id,
        profile_version=profile.version if profile else None,
        app_version=__version__,
    )
