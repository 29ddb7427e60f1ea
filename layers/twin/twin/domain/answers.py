"""What a question gets back, and the conversation it may belong to."""

import json
import re
from collections.abc import Sequence
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
    """The whole sentences of `text`, at most `limit` characters in all, that answer `question` best, in the
    passage's order with "…" where sentences are left out, then as many of the next sentence's opening words as
    the room left holds. A passage that fits is returned whole.

    Sentences are taken by what each adds: the question's words it says that those taken do not (each word
    counts once), whether it reads like the answer, whether it holds a figure. So a story's result joins the
    action it follows though a paragraph lies between them. Room no such sentence can use goes to the sentences
    beside those taken, earliest first, so the extract reads on (and keeps a passage's opening line) rather
    than jumping.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    parts = [" ".join(part.split()) for part in sentences(text)]
    taken = _answering(parts, question, limit)
    if not taken:  # no sentence that answers fits
        return snippet(flat, limit)
    room = limit - sum(len(parts[index]) + 2 for index in taken)
    while beside := sorted(
        index
        for index in {near for index in taken for near in (index - 1, index + 1)} - taken
        if 0 <= index < len(parts) and len(parts[index]) < room
    ):
        taken.add(beside[0])
        room -= len(parts[beside[0]]) + 2
    order = sorted(taken)
    extract = " ".join(
        parts[index] if not position or order[position - 1] == index - 1 else f"… {parts[index]}"
        for position, index in enumerate(order)
    )
    if order[-1] + 1 < len(parts):
        extract += _opening_words(parts[order[-1] + 1], limit - len(extract))
    return f"{'…' if order[0] else ''}{extract}"


def _answering(parts: Sequence[str], question: Question, limit: int) -> set[int]:
    """The sentences that say most of what `question` asks and fit in `limit`, each taken for what it adds. A
    figure counts only in a sentence that says one of the words or reads like the answer: résumés are full of
    numbers."""
    vocabularies = [stems(part) for part in parts]
    cued = [2 * question.cue_strength(part) for part in parts]
    figures = [_FIGURE_WEIGHT * bool(_FIGURE.search(part)) for part in parts]

    def gain(index: int, said: frozenset[str]) -> float:
        words = question.word_strength(vocabularies[index] - said)
        return words + cued[index] + figures[index] if words or cued[index] else 0.0

    taken: set[int] = set()
    said: frozenset[str] = frozenset()
    room = limit
    while fitting := [index for index, part in enumerate(parts) if index not in taken and len(part) < room]:
        gains = {index: gain(index, said) for index in fitting}
        best = max(fitting, key=gains.__getitem__)  # the first of equals: the earlier sentence
        if gains[best] <= 0:
            break
        taken.add(best)
        said |= vocabularies[best]
        room -= len(parts[best]) + 2
    return taken


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
