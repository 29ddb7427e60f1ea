"""Chunks: the unit the index stores and answers cite."""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from twin.domain.privacy import is_protected_term, without_protected
from twin.domain.profile import Profile, Section, SectionType

MAX_CHUNK_CHARS = 1_200


@dataclass(frozen=True, slots=True)
class Chunk:
    id: str
    path: str
    type: SectionType
    title: str
    text: str
    start: str | None = None
    end: str | None = None
    tags: tuple[str, ...] = ()


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
    return Section(section.path, section.type, title, text, section.start, section.end, found)


def _chunks_of(twin_id: str, section: Section) -> Iterator[Chunk]:
    parts = _split(section.text)
    for number, text in enumerate(parts, start=1):
        path = section.path if len(parts) == 1 else f"{section.path}#{number}"
        title = section.title if len(parts) == 1 else f"{section.title} ({number}/{len(parts)})"
        content = "\x1e".join((section.type, title, text, section.start or "", section.end or "", *section.tags))
        yield Chunk(
            id=chunk_id(twin_id, path, content),
            path=path,
            type=section.type,
            title=title,
            text=text,
            start=section.start,
            end=section.end,
            tags=section.tags,
        )


_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _split(text: str) -> list[str]:
    """Split long text at paragraph, then sentence boundaries, so each part stays readable."""
    if len(text) <= MAX_CHUNK_CHARS:
        return [text]
    parts: list[str] = []
    current = ""
    for piece in _pieces(text):
        if current and len(current) + 1 + len(piece) > MAX_CHUNK_CHARS:
            parts.append(current)
            current = piece
        else:
            current = f"{current}\n{piece}" if current else piece
    if current:
        parts.append(current)
    return parts


def _pieces(text: str) -> Iterator[str]:
    for paragraph in _PARAGRAPH.split(text):
        paragraph = paragraph.strip()
        if len(paragraph) <= MAX_CHUNK_CHARS:
            if paragraph:
                yield paragraph
            continue
        for sentence in _SENTENCE_END.split(paragraph):
            while len(sentence) > MAX_CHUNK_CHARS:
                yield sentence[:MAX_CHUNK_CHARS]
                sentence = sentence[MAX_CHUNK_CHARS:]
            if sentence:
                yield sentence
