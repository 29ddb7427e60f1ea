from fastapi import APIRouter

from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import JSON_BODY, IdentityDep, ServicesDep
from twin.entrypoints.http.errors import ERROR_RESPONSES
from twin.entrypoints.schemas import AskRequest, AskResponse

router = APIRouter(tags=["ask"])


@router.post("/v1/ask", dependencies=JSON_BODY, responses=ERROR_RESPONSES, summary="Ask the twin a question")
async def ask(body: AskRequest, identity: IdentityDep, services: ServicesDep) -> AskResponse:
    """A first-person answer with the profile passages it came from."""
    answer = await run_sync(
        services.waits_on_network,
        services.ask.ask,
        body.question,
        session_id=body.session_id,
        top_k=body.top_k,
        owner=identity.subject,
    )
    return AskResponse.of(answer)
