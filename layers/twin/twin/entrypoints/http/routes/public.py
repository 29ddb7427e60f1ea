"""The public web chat: the page, its embed script, and asking without credentials.

Only when the owner turns it on (`TWIN_PUBLIC_CHAT`); otherwise every route here is a 404. Asking is all a
visitor can do: short questions, small bodies, a per-address rate limit (middleware), nothing else.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from twin.domain import limits
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import JsonBodyRoute, ServicesDep
from twin.entrypoints.http.errors import JSON_BODY_ERRORS
from twin.entrypoints.schemas import NON_BLANK, AskResponse
from twin.entrypoints.web import chat_page, embed_script
from twin.errors import BackendUnavailableError
from twin.security.identity import Principal, PrincipalKind


async def _public_chat_on(services: ServicesDep) -> None:
    if services.settings.public_chat is not True:
        raise HTTPException(404, "Not Found")


router = APIRouter(tags=["public chat"], dependencies=[Depends(_public_chat_on)], route_class=JsonBodyRoute)


class PublicAskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, NON_BLANK, Field(min_length=1, max_length=limits.PUBLIC_MAX_QUESTION_CHARS)]
    session_id: Annotated[str | None, Field(pattern=limits.SESSION_ID_PATTERN)] = None


@router.post("/v1/public/ask", responses=JSON_BODY_ERRORS, summary="Ask, as a visitor")
async def public_ask(body: PublicAskRequest, request: Request, services: ServicesDep) -> AskResponse:
    """The web chat's question: no credentials, rate limited per client address."""
    client = request.client.host if request.client else "unknown"
    owner = Principal(PrincipalKind.VISITOR, client)
    answer = await run_sync(
        services.waits_on_network, services.ask.ask, body.question, session_id=body.session_id, owner=owner
    )
    return AskResponse.of(answer)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def page(services: ServicesDep) -> HTMLResponse:
    try:
        profile = await run_sync(services.waits_on_network, services.profile.find)
    except BackendUnavailableError:
        profile = None
    name, headline = (profile.name, profile.headline) if profile else ("", "")
    return HTMLResponse(chat_page(name or "My digital twin", headline), headers={"Cache-Control": "no-cache"})


@router.get("/embed.js", include_in_schema=False)
async def embed() -> Response:
    return Response(embed_script(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"})
