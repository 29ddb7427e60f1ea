"""What a question gets back, and the conversation it may belong to."""

from dataclasses import dataclass

from twin.domain.chunks import ScoredChunk
from twin.domain.profile import SectionType

SNIPPET_CHARS = 240


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    section: SectionType
    score: float
    snippet: str

    @classmethod
    def of(cls, hit: ScoredChunk) -> "Source":
        return cls(
            id=hit.chunk.id,
            title=hit.chunk.title,
            section=hit.chunk.type,
            score=round(hit.score, 4),
            snippet=snippet(hit.chunk.text),
        )


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    sources: tuple[Source, ...]
    model: str
    cached: bool
    session_id: str
    fallback: bool = False
    """The configured model failed or was skipped, and the embedded answerer answered instead."""


@dataclass(frozen=True, slots=True)
class Turn:
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A chat model's answer before the ask service adds sources and session."""

    text: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    fallback: bool = False


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit - 1)
    return flat[: cut if cut > 0 else limit - 1] + "…"
