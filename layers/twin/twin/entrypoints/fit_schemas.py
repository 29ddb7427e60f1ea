"""The wire shapes of role fit, which `POST /v1/fit`, the public chat's check and the `evaluate_fit` tool share.

Apart from `schemas.py`: only the functions that evaluate a fit load them (and the fit domain with them).
"""

from typing import Annotated

from pydantic import BaseModel, Field

from twin.domain import limits
from twin.domain.fit import FitReport, Strength
from twin.domain.requirements import Importance
from twin.entrypoints.schemas import NON_BLANK

JobDescription = Annotated[
    str,
    NON_BLANK,
    Field(
        min_length=1,
        max_length=limits.MAX_JOB_DESCRIPTION_CHARS,
        description="A job description, as posted: bullets, sentences, must-have and nice-to-have lines. "
        "About-us, benefits and equal-opportunity text is left out.",
    ),
]


class FitRequest(BaseModel):
    job_description: JobDescription


class EvidenceBody(BaseModel):
    quote: str = Field(description="The profile's own words.")
    source_id: str = Field(description="Section id; `GET /v1/profile/sections/{id}` returns it in full.")
    title: str


class RequirementFitBody(BaseModel):
    requirement: str
    importance: Importance = Field(description="`preferred` for nice-to-haves, `required` otherwise.")
    strength: Strength = Field(description="How well the profile shows it; `none` always comes without evidence.")
    evidence: list[EvidenceBody]


class FitResponse(BaseModel):
    requirements: list[RequirementFitBody]
    summary: str = Field(description="In the first person: how well the profile fits, and the gaps.")
    model: str = Field(description="Who judged: `extractive` for the embedded default, else the model's name.")
    fallback: bool = Field(description="True when the configured model failed and the extractive judge stood in.")

    @classmethod
    def of(cls, report: FitReport) -> "FitResponse":
        return cls(
            requirements=[
                RequirementFitBody(
                    requirement=fit.requirement.text,
                    importance=fit.requirement.importance,
                    strength=fit.strength,
                    evidence=[EvidenceBody(quote=e.quote, source_id=e.source_id, title=e.title) for e in fit.evidence],
                )
                for fit in report.requirements
            ],
            summary=report.summary,
            model=report.model,
            fallback=report.fallback,
        )
