"""The wire shapes of the owner's approved answers (`/v1/admin/answers`, `twin answers list --json`)."""

from typing import Annotated

from pydantic import BaseModel, Field

from twin.domain import limits
from twin.domain.faq import ApprovedAnswer
from twin.entrypoints.schemas import NON_BLANK


class ApprovedAnswerRequest(BaseModel):
    question: Annotated[
        str,
        NON_BLANK,
        Field(
            min_length=1,
            max_length=limits.MAX_APPROVED_QUESTION_CHARS,
            description="The question, as visitors ask it; questions that mean the same get this answer too.",
        ),
    ]
    answer: Annotated[
        str,
        NON_BLANK,
        Field(
            min_length=1,
            max_length=limits.MAX_APPROVED_ANSWER_CHARS,
            description="The answer, in the first person, as the twin should give it.",
        ),
    ]


class ApprovedAnswerBody(BaseModel):
    id: str
    question: str
    answer: str
    created_at: str

    @classmethod
    def of(cls, approved: ApprovedAnswer) -> "ApprovedAnswerBody":
        return cls(id=approved.id, question=approved.question, answer=approved.answer, created_at=approved.created_at)


class ApprovedAnswerResponse(ApprovedAnswerBody):
    profile_version: int | None = Field(
        description="The profile version that holds the answer; null while no profile is ingested (the first "
        "ingest publishes it)."
    )


class ApprovedAnswerList(BaseModel):
    answers: list[ApprovedAnswerBody]
