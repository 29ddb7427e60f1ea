"""The owner's approved answers: each becomes part of the profile, and the twin prefers it for its question."""

from fastapi import APIRouter, Request, Response

from twin.entrypoints.answer_schemas import (
    ApprovedAnswerBody,
    ApprovedAnswerList,
    ApprovedAnswerRequest,
    ApprovedAnswerResponse,
)
from twin.entrypoints.blocking import run_sync
from twin.entrypoints.http.dependencies import JsonBodyRoute, caller, services_of
from twin.entrypoints.http.errors import JSON_BODY_ERRORS, error_responses

router = APIRouter(tags=["admin"], route_class=JsonBodyRoute)
_CHANGE_ERRORS = {**JSON_BODY_ERRORS, **error_responses(409)}


@router.post("/v1/admin/answers", status_code=201, responses=_CHANGE_ERRORS, summary="Approve an answer to a question")
async def add_answer(body: ApprovedAnswerRequest, request: Request) -> ApprovedAnswerResponse:
    """Publishes a new profile version with the answer as a `faq` section: from then on, a question that means the
    same as `question` gets `answer`, cited, and answers cached before are not served again."""
    services = services_of(request)
    actor = caller().principal.key
    published = await run_sync(services.offloads, services.answers.add, body.question, body.answer, actor=actor)
    approved = ApprovedAnswerBody.of(published.answer)
    return ApprovedAnswerResponse(**approved.model_dump(), profile_version=published.version)


@router.get("/v1/admin/answers", responses=error_responses(429, 503), summary="The approved answers")
async def list_answers(request: Request) -> ApprovedAnswerList:
    services = services_of(request)
    answers = await run_sync(services.offloads, services.answers.list)
    return ApprovedAnswerList(answers=[ApprovedAnswerBody.of(answer) for answer in answers])


@router.delete(
    "/v1/admin/answers/{answer_id}",
    status_code=204,
    responses=error_responses(404, 409, 429, 503),
    summary="Withdraw an approved answer",
)
async def remove_answer(answer_id: str, request: Request) -> Response:
    """Publishes a new profile version without it: its question is answered from the rest of the profile again."""
    services = services_of(request)
    await run_sync(services.offloads, services.answers.remove, answer_id, actor=caller().principal.key)
    return Response(status_code=204)
