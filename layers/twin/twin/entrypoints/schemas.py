"""Wire shapes shared by the REST API and the MCP tools; the OpenAPI document shows them too."""

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, Field, Strict

from twin.domain import limits
from twin.domain.answers import Answer, Source
from twin.domain.chunks import Chunk
from twin.domain.profile import ProfileFormat, SectionType
from twin.services.profile import ProfileOverview
from twin.services.search import Found

if TYPE_CHECKING:  # ingesting loads every profile format, which only the ingest function needs
    from twin.services.ingest import IngestReport

# Strict: "5", 5.0 and true are not numbers of passages (lax pydantic would take all three, true as 1).
TopK = Annotated[
    int, Strict(), Field(ge=limits.MIN_TOP_K, le=limits.MAX_TOP_K, description="How many passages to retrieve.")
]
# Blank text is refused by the services (at every entry point alike); the schemas say so.
NON_BLANK = Field(json_schema_extra={"pattern": limits.NON_BLANK_PATTERN})


class AskRequest(BaseModel):
    question: Annotated[
        str,
        NON_BLANK,
        Field(
            min_length=1,
            max_length=limits.MAX_QUESTION_CHARS,
            description="A question about the person.",
        ),
    ]
    session_id: Annotated[
        str | None,
        Field(
            pattern=limits.SESSION_ID_PATTERN,
            description="Continue a conversation: the `session_id` of an earlier answer.",
        ),
    ] = None
    top_k: TopK = limits.DEFAULT_TOP_K


class SourceBody(BaseModel):
    id: str = Field(description="Section id; `GET /v1/profile/sections/{id}` returns it in full.")
    title: str
    section: SectionType
    score: float = Field(description="Relevance in [0, 1); higher is better, comparable within one response.")
    snippet: str

    @classmethod
    def of(cls, source: Source) -> "SourceBody":
        return cls(
            id=source.id,
            title=source.title,
            section=source.section,
            score=source.score,
            snippet=source.snippet,
        )


class AskResponse(BaseModel):
    answer: str = Field(description="First-person answer, in the person's voice.")
    sources: list[SourceBody]
    model: str = Field(description="The model that wrote the answer (`extractive` for the embedded default).")
    cached: bool
    session_id: str = Field(description="Pass it back to ask a follow-up in the same conversation.")
    fallback: bool = Field(
        default=False,
        description="True when the configured model was unavailable and the extractive answerer stood in.",
    )
    answered: bool = Field(
        description="False when the profile holds no answer to the question and `answer` says so "
        "(an abstention, with a pointer to what the twin can answer); true otherwise.",
    )

    @classmethod
    def of(cls, answer: Answer) -> "AskResponse":
        return cls(
            answer=answer.text,
            sources=[SourceBody.of(source) for source in answer.sources],
            model=answer.model,
            cached=answer.cached,
            session_id=answer.session_id,
            fallback=answer.fallback,
            answered=answer.answered,
        )


class SearchRequest(BaseModel):
    query: Annotated[str, NON_BLANK, Field(min_length=1, max_length=limits.MAX_QUERY_CHARS)]
    top_k: TopK = limits.DEFAULT_TOP_K
    section: SectionType | None = Field(default=None, description="Only search this kind of section.")


class SearchResponse(BaseModel):
    results: list[SourceBody]

    @classmethod
    def of(cls, found: Found) -> "SearchResponse":
        return cls(results=[SourceBody.of(source) for source in found.sources])


class SectionSummary(BaseModel):
    id: str
    title: str
    section: SectionType
    start: str | None
    end: str | None


class ProfileResponse(BaseModel):
    twin_id: str
    name: str
    headline: str
    summary: str
    version: int
    updated_at: str
    source_format: ProfileFormat
    sections: list[SectionSummary]

    @classmethod
    def of(cls, overview: ProfileOverview) -> "ProfileResponse":
        profile = overview.profile
        return cls(
            twin_id=profile.twin_id,
            name=profile.name,
            headline=profile.headline,
            summary=profile.summary,
            version=profile.version,
            updated_at=profile.updated_at,
            source_format=profile.source_format,
            sections=[
                SectionSummary(id=chunk.id, title=chunk.title, section=chunk.type, start=chunk.start, end=chunk.end)
                for chunk in overview.sections
            ],
        )


class SectionResponse(BaseModel):
    id: str
    title: str
    section: SectionType
    text: str
    start: str | None
    end: str | None
    tags: list[str]

    @classmethod
    def of(cls, chunk: Chunk) -> "SectionResponse":
        return cls(
            id=chunk.id,
            title=chunk.title,
            section=chunk.type,
            text=chunk.text,
            start=chunk.start,
            end=chunk.end,
            tags=list(chunk.tags),
        )


class IngestResponse(BaseModel):
    twin_id: str
    version: int = Field(description="Profile version now served; unchanged when the profile was.")
    source_format: ProfileFormat
    added: int
    updated: int
    removed: int
    unchanged: int

    @classmethod
    def of(cls, report: "IngestReport") -> "IngestResponse":
        return cls(
            twin_id=report.twin_id,
            version=report.version,
            source_format=report.source_format,
            added=report.added,
            updated=report.updated,
            removed=report.removed,
            unchanged=report.unchanged,
        )


class HealthResponse(BaseModel):
    status: str
    twin_id: str
    profile_version: int | None
    app_version: str


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable error code.")
    message: str
    details: list[ErrorDetail] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody
