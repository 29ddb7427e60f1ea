from fastapi import APIRouter, Request

from twin import __version__
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import services_of
from twin.entrypoints.schemas import HealthResponse
from twin.errors import BackendUnavailableError

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and the profile version served")
async def health(request: Request) -> HealthResponse:
    """`degraded` while the profile store cannot be read: the process is alive, its data is not reachable."""
    services = services_of(request)
    try:
        profile = await run_sync(services.offloads, services.profile.find)
    except BackendUnavailableError:
        profile = None
        status = "degraded"
    else:
        status = "ok"
    return HealthResponse(
        status=status,
        twin_id=services.settings.twin_id,
        profile_version=profile.version if profile else None,
        app_version=__version__,
    )
