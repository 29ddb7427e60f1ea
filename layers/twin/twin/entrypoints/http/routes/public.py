"""The public web chat: the page, its embed script and privacy notice, and asking (or checking a job's fit) without
credentials.

Only when the owner turns it on (`TWIN_PUBLIC_CHAT`); otherwise every route here is a 404. Asking is all a
visitor can do, and checking how well a pasted job description fits: short questions, small bodies, a per-address
rate limit (middleware), nothing else. The page, the script and the notice carry a strong ETag and may be kept by
browsers and CDNs (`revalidation`).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from twin.composition import Services
from twin.domain import limits
from twin.domain.question_log import Channel
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.fit_schemas import FitResponse, JobDescription
from twin.entrypoints.http.dependencies import JsonBodyRoute, services_of
from twin.entrypoints.http.errors import JSON_BODY_ERRORS
from twin.entrypoints.http.revalidation import PAGE_CACHE_CONTROL, SCRIPT_CACHE_CONTROL, cacheable
from twin.entrypoints.schemas import NON_BLANK, AskResponse
from twin.entrypoints.web import chat_page, embed_script, privacy_notice
from twin.errors import BackendUnavailableError
from twin.security.identity import Principal, PrincipalKind


async def _public_chat_on(request: Request) -> None:
    if services_of(request).settings.public_chat is not True:
        raise HTTPException(404, "Not Found")


router = APIRouter(tags=["public chat"], dependencies=[Depends(_public_chat_on)], route_class=JsonBodyRoute)


class PublicAskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, NON_BLANK, Field(min_length=1, max_length=limits.PUBLIC_MAX_QUESTION_CHARS)]
    session_id: Annotated[str | None, Field(pattern=limits.SESSION_ID_PATTERN)] = None


@router.post("/v1/public/ask", responses=JSON_BODY_ERRORS, summary="Ask, as a visitor")
async def public_ask(body: PublicAskRequest, request: Request) -> AskResponse:
    """The web chat's question: no credentials, rate limited per client address."""
    services = services_of(request)
    client = request.client.host if request.client else "unknown"
    owner = Principal(PrincipalKind.VISITOR, client)
    answer = await run_sync(
        services.offloads,
        services.ask.ask,
        body.question,
        session_id=body.session_id,
        owner=owner,
        channel=Channel.PUBLIC_CHAT,
    )
    return AskResponse.of(answer)


class PublicFitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    job_description: JobDescription


@router.post("/v1/public/fit", responses=JSON_BODY_ERRORS, summary="Check a job's fit, as a visitor")
async def public_fit(body: PublicFitRequest, request: Request) -> FitResponse:
    """The web chat's "Check my fit": as `POST /v1/fit`, with no credentials, rate limited per client address."""
    services = services_of(request)
    return FitResponse.of(await run_sync(services.offloads, services.fit.evaluate, body.job_description))


async def _owner_name(services: Services) -> tuple[str, str]:
    """The profile's name and headline; placeholders while the profile store cannot be read."""
    try:
        profile = await run_sync(services.offloads, services.profile.find)
    except BackendUnavailableError:
        profile = None
    name, headline = (profile.name, profile.headline) if profile else ("", "")
    return name or "My digital twin", headline


def _questions_kept_days(services: Services) -> int | None:
    """How long the question log keeps what visitors ask; None when it is off."""
    settings = services.settings
    return settings.question_log_retention_days if settings.question_log else None


@router.get("/", include_in_schema=False)
async def page(request: Request) -> Response:
    services = services_of(request)
    name, headline = await _owner_name(services)
    text = chat_page(name, headline, questions_kept_days=_questions_kept_days(services))
    return cacheable(request, text, media_type="text/html", cache_control=PAGE_CACHE_CONTROL)


@router.get("/embed.js", include_in_schema=False)
async def embed(request: Request) -> Response:
    return cacheable(request, embed_script(), media_type="text/javascript", cache_control=SCRIPT_CACHE_CONTROL)


@router.get("/privacy", include_in_schema=False)
async def privacy(request: Request) -> Response:
    """What the chat keeps about a visitor, for how long, and whom to ask for its erasure."""
    services = services_of(request)
    name, _ = await _owner_name(services)
    settings = services.settings
    notice = privacy_notice(
        name,
        contact=settings.privacy_contact,
        session_ttl_seconds=settings.session_ttl_seconds,
        cache_ttl_seconds=settings.cache_ttl_seconds,
        rate_limit_window_seconds=settings.rate_limit_window_seconds,
        log_retention_days=settings.log_retention_days,
        questions_kept_days=_questions_kept_days(services),
        template=settings.privacy_notice,
    )
    return cacheable(request, notice, media_type="text/html", cache_control=PAGE_CACHE_CONTROL)
