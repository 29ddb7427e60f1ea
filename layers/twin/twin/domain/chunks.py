"""Chunks: the unit the index stores and answers cite."""

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from twin.domain.privacy import is_protected_term, without_protected
from twin.domain.profile import Profile, Section

MAX_CHUNK_CHARS = 1_200
ONGOING = "present"
"""A section's `end` while it is still going on: the current job, a course not yet finished."""
# The mark a part of a long section carries after the section's title: "Engineer at Acme (1/2)".
_PART_MARK = re.compile(r" \(\d+/\d+\)$")


@dataclass(frozen=True, slots=True)
class Chunk(Section):
    """A section, or one part of a long one, under the id the index stores it by."""

    id: str = field(kw_only=True)

    @property
    def section_title(self) -> str:
        """The title of the section this chunk is (part of), without the part's mark."""
        return _PART_MARK.sub("", self.title)


@dataclass(frozen=True, slots=True)
class ScoredChunk:
    chunk: Chunk
    score: float


def chunk_id(twin_id: str, path: str, content: str) -> str:
    """Same twin, place and content give the same id on every run and every machine."""
    digest = hashlib.sha256("\x1f".join((twin_id, path, content)).encode()).hexdigest()
    return digest[:24]


def chunk_profile(twin_id: str, profile: Profile) -> list[Chunk]:
    """The profile's chunks, with protected characteristics (age, religion...) removed whatever the format."""
    sections = (_without_protected(section) for section in profile.sections)
    return [chunk for section in sections if section.text.strip() for chunk in _chunks_of(twin_id, section)]


def _without_protected(section: Section) -> Section:
    text = without_protected(section.text)
    removed = section.text.casefold() if text != section.text else ""
    kept = text.casefold()
    # A tag that only the removed text held ("married", a birth year) goes with it.
    found = tuple(
        tag
        for tag in section.tags
        if not is_protected_term(tag) and (tag.casefold() in kept or tag.casefold() not in removed)
    )
    title = without_protected(section.title).strip() or section.type.value.capitalize()
    return replace(section, title=title, text=text, tags=found)


def _chunks_of(twin_id: str, section: Section) -> Iterator[Chunk]:
    parts = _split(section.text)
    for number, text in enumerate(parts, start=1):
        path = section.path if len(parts) == 1 else f"{section.path}#{number}"
        title = section.title if len(parts) == 1 else f"{section.title} ({number}/{len(parts)})"
        content = "\x1e".join((section.type, title, text, section.start or "", section.end or "", *section.tags))
        yield Chunk(
            path,
            section.type,
            title,
            text,
            section.start,
            section.end,
            section.tags,
            id=chunk_id(twin_id, path, content),
        )


_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_FIRST_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_MAX_OPENER_WORDS = 40
type Splitter = Callable[[str], list[str]]
# From the coarsest boundary to the finest.
_SPLITS: tuple[Splitter, ...] = (_PARAGRAPH.split, str.splitlines, _SENTENCE_END.split)


def _split(text: str) -> list[str]:
    """Split long text at paragraph, then sentence boundaries, so each part stays readable.

    Parts after the first start with the text's first sentence ("I worked as Engineer at Acme."):
    without it a part begins mid-story, not saying which job or project it is about.
    """
    if len(text) <= MAX_CHUNK_CHARS:
        return [text]
    opener = _opener(text)
    budget = MAX_CHUNK_CHARS - (len(opener) + 1 if opener else 0)
    first, *later = _packed(_pieces(text, budget), budget)
    return [first, *(f"{opener}\n{part}" if opener else part for part in later)]


def _opener(text: str) -> str:
    """The text's first sentence (or first line), when it is short enough to repeat."""
    end = _FIRST_SENTENCE_END.search(text)
    if end is None:
        return ""
    opener = text[: end.end()].strip()
    return opener if len(opener.split()) <= _MAX_OPENER_WORDS else ""


def _packed(pieces: Iterator[str], budget: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + 1 + len(piece) > budget:
            parts.append(current)
            current = piece
        else:
            current = f"{current}\n{piece}" if current else piece
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, budget: int, splits: tuple[Splitter, ...] = _SPLITS) -> Iterator[str]:
    """Paragraphs, else their lines (a bullet, a highlight), else sentences, else cuts to size: a story stays in
    one part whenever it fits in one."""
    if not splits:
        yield from (text[start : start + budget] for start in range(0, len(text), budget))
        return
    split, *finer = splits
    for piece in (piece.strip() for piece in split(text)):
        if len(piece) > budget:
            yield from _pieces(piece, budget, tuple(finer))
        elif piece:
            yield piece
