from fastapi import APIRouter, Request, Response

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import caller, services_of
from twin.entrypoints.http.errors import READ_ERRORS

router = APIRouter(tags=["ask"])


@router.delete("/v1/sessions/{session_id}", status_code=204, responses=READ_ERRORS, summary="Forget a conversation")
async def forget_session(session_id: str, request: Request) -> Response:
    """Deletes the conversation history of one of the caller's own sessions."""
    services = services_of(request)
    await run_sync(services.offloads, services.sessions.forget, session_id, owner=caller().principal)
    return Response(status_code=204)
