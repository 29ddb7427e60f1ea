"""What a question gets back, and the conversation it may belong to."""

import json
import re
from dataclasses import asdict, dataclass

from twin.domain.chunks import ScoredChunk
from twin.domain.profile import SectionType
from twin.domain.questions import Question
from twin.domain.text import sentences, stems

SNIPPET_CHARS = 300
_FIGURE = re.compile(r"\d")
_FIGURE_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    section: SectionType
    score: float
    snippet: str

    @classmethod
    def of(cls, hit: ScoredChunk, question: Question) -> "Source":
        return cls(
            id=hit.chunk.id,
            title=hit.chunk.title,
            section=hit.chunk.type,
            score=round(hit.score, 4),
            snippet=best_window(hit.chunk.text, question),
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
    answered: bool = True
    """False when the profile holds no answer and the text says so (an abstention)."""


def encode_answer(answer: Answer) -> str:
    """As the answer cache keeps it."""
    return json.dumps(asdict(answer), ensure_ascii=False)


def decode_answer(value: str) -> Answer:
    data = json.loads(value)
    sources = tuple(Source(**{**source, "section": SectionType(source["section"])}) for source in data["sources"])
    return Answer(**{**data, "sources": sources})


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
    answered: bool = True


def best_window(text: str, question: Question, limit: int = SNIPPET_CHARS) -> str:
    """The run of whole sentences, at most `limit` characters, that answers `question` best, then as many of the
    next sentence's opening words as the room left holds.

    It starts at a sentence so it never opens mid-word; a passage that fits is returned whole.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    parts = sentences(text)
    vocabularies = [stems(part) for part in parts]
    # A sentence with a figure in it usually holds the fact (a result, a date, a count).
    strengths = [2 * question.cue_strength(part) + _FIGURE_WEIGHT * bool(_FIGURE.search(part)) for part in parts]
    best, best_strength = (0, 1), -1.0
    for start in range(len(parts)):
        end, length = start + 1, len(parts[start])
        while end < len(parts) and length + 1 + len(parts[end]) <= limit:
            length += 1 + len(parts[end])
            end += 1
        # Each of the question's words counts once: a window that repeats one is no better than one that says it.
        strength = question.word_strength(frozenset().union(*vocabularies[start:end])) + sum(strengths[start:end])
        if strength > best_strength:
            best, best_strength = (start, end), strength
    start, end = best
    window = snippet(" ".join(parts[start:end]), limit)
    if end < len(parts) and not window.endswith("…"):
        window += _opening_words(parts[end], limit - len(window))
    return f"{'…' if start else ''}{window}"


def _opening_words(sentence: str, room: int) -> str:
    """The room left after a window's last whole sentence shows as many of the next one's opening words as fit
    (a space before them, "…" after), or only "…"."""
    flat = " ".join(sentence.split())
    cut = flat.rfind(" ", 0, room - 2) if room > 3 else -1
    return f" {flat[:cut]}…" if cut > 0 else "…"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit - 1)
    return flat[: cut if cut > 0 else limit - 1] + "…"
