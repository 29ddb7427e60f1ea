from fastapi import APIRouter, Request

from twin.domain.question_log import Channel
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import JsonBodyRoute, caller, services_of
from twin.entrypoints.http.errors import JSON_BODY_ERRORS
from twin.entrypoints.schemas import AskRequest, AskResponse

router = APIRouter(tags=["ask"], route_class=JsonBodyRoute)


@router.post("/v1/ask", responses=JSON_BODY_ERRORS, summary="Ask the twin a question")
async def ask(body: AskRequest, request: Request) -> AskResponse:
    """A first-person answer with the profile passages it came from."""
    services = services_of(request)
    answer = await run_sync(
        services.offloads,
        services.ask.ask,
        body.question,
        session_id=body.session_id,
        top_k=body.top_k,
        owner=caller().principal,
        channel=Channel.REST,
    )
    return AskResponse.of(answer)
