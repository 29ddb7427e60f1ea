"""A job description read as the requirements a candidate is measured against, with the table in `fit.toml`.

Each bullet is a requirement, and so is each sentence of prose that reads like one ("You have five years of
Python"). Headings sort them: under "Nice to have" they are preferred, under "About us", "Benefits" or an equal
opportunity statement they are no requirement at all, whatever they say; such boilerplate sentences are dropped
anywhere. A label on the line ("Must have: Python") says how much it counts and is not part of the requirement.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Final

from twin.domain.lazy_patterns import LazyPattern
from twin.domain.tables import load_table

MAX_REQUIREMENTS: Final = 25
MAX_REQUIREMENT_CHARS: Final = 300
_MIN_WORDS: Final = 2
_MAX_HEADING_WORDS: Final = 8
_BULLET: Final = re.compile(r"^\s*(?:[-*•‣▪◦·●○■□➢➤►✓✔]|\d{1,2}[.)]|\(?[a-z][.)])\s+")
_MARKDOWN_HEADING: Final = re.compile(r"^\s*#{1,6}\s+")
_EMPHASIS: Final = re.compile(r"(\*\*|__|\*|_)(.+?)\1")
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])")
_SEPARATOR: Final = re.compile(r"\s*[;•]\s+")


class Importance(StrEnum):
    REQUIRED = "required"
    PREFERRED = "preferred"


@dataclass(frozen=True, slots=True)
class Requirement:
    text: str
    importance: Importance = Importance.REQUIRED


@dataclass(frozen=True, slots=True)
class _Table:
    boilerplate_headings: tuple[LazyPattern, ...]
    preferred_headings: tuple[LazyPattern, ...]
    requirement_headings: tuple[LazyPattern, ...]
    plain_headings: tuple[LazyPattern, ...]
    boilerplate_lines: tuple[LazyPattern, ...]
    cues: tuple[LazyPattern, ...]
    preferred_lines: tuple[LazyPattern, ...]
    label: re.Pattern[str]
    filler: frozenset[str]


def split_requirements(job_description: str) -> list[Requirement]:
    """The requirements of a job description, in its order, without repeats; at most `MAX_REQUIREMENTS`."""
    table = _table()
    found: dict[str, Requirement] = {}
    importance, skipping, after_list = Importance.REQUIRED, False, False
    for raw in job_description.splitlines():
        stripped = _MARKDOWN_HEADING.sub("", raw).strip()
        line = _EMPHASIS.sub(r"\2", stripped).strip()
        if not line:
            continue
        bullet = _BULLET.match(line)
        if bullet is None and after_list:
            importance = Importance.REQUIRED  # prose after a list has left the list's heading behind
        after_list = bullet is not None
        # A Markdown heading, or a line that is all bold ("**Requirements**"), is a heading whatever it says.
        marked = stripped != raw.strip() or _EMPHASIS.fullmatch(stripped) is not None
        heading = _heading(line, marked=marked) if bullet is None else None
        if heading is not None:
            skipping = any(pattern.search(heading) for pattern in table.boilerplate_headings)
            if not skipping and any(pattern.search(heading) for pattern in table.preferred_headings):
                importance = Importance.PREFERRED
            elif not skipping and any(pattern.search(heading) for pattern in table.requirement_headings):
                importance = Importance.REQUIRED
            continue
        if skipping:
            continue
        for text in _pieces(line[bullet.end() :] if bullet else line, is_bullet=bullet is not None, table=table):
            requirement = Requirement(_label_dropped(text, table), _importance_of(text, importance, table))
            if len(requirement.text.split()) >= _MIN_WORDS or _is_a_name(requirement.text):
                found.setdefault(requirement.text.casefold(), requirement)
    return list(found.values())[:MAX_REQUIREMENTS]


def filler_words() -> frozenset[str]:
    """Words a requirement uses to ask rather than to say what it is about ("proven ability", "related field")."""
    return _table().filler


def _heading(line: str, *, marked: bool) -> str | None:
    """The lower-cased heading a line is ("Requirements:", "## Nice to have", "**Benefits**", "BENEFITS", or one the
    table knows on a line of its own: "About us"), or None."""
    words = line.rstrip(":").split()
    if not words or len(words) > _MAX_HEADING_WORDS or line.endswith((".", "!", ",", ";")):
        return None
    if ":" in line.rstrip(":"):
        return None  # "Must have: Python" is a requirement with a label
    text = " ".join(words).lower()
    if marked or line.endswith(":") or (line.isupper() and len(words) > 1):
        return text
    table = _table()
    known = (*table.plain_headings, *table.boilerplate_headings)  # the boilerplate ones match whole lines only
    return text if any(pattern.fullmatch(text) for pattern in known) else None


def _pieces(text: str, *, is_bullet: bool, table: _Table) -> list[str]:
    """A bullet's text, or the sentences of a prose line that read like requirements; never boilerplate."""
    parts = [text] if is_bullet else _SENTENCE_END.split(text)
    kept = []
    for part in (piece.strip(" \t-–—") for whole in parts for piece in _SEPARATOR.split(whole)):
        lowered = part.lower()
        if not part or any(pattern.search(lowered) for pattern in table.boilerplate_lines):
            continue
        if is_bullet or any(pattern.search(lowered) for pattern in table.cues):
            kept.append(_bounded(part))
    return kept


def _label_dropped(text: str, table: _Table) -> str:
    return table.label.sub("", text, count=1).strip() or text


def _importance_of(text: str, under: Importance, table: _Table) -> Importance:
    lowered = text.lower()
    return Importance.PREFERRED if any(pattern.search(lowered) for pattern in table.preferred_lines) else under


def _is_a_name(text: str) -> bool:
    """A one-word bullet that names a thing ("Kubernetes", "SQL", "C++") is a requirement too."""
    return bool(re.fullmatch(r"[A-Z][\w.+#-]*|[A-Z0-9.+#-]{2,}", text))


def _bounded(text: str) -> str:
    if len(text) <= MAX_REQUIREMENT_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_REQUIREMENT_CHARS - 1)
    return text[: cut if cut > 0 else MAX_REQUIREMENT_CHARS - 1] + "…"


@cache
def _table() -> _Table:
    table = load_table("twin.domain", "fit")

    def patterns(section: str, key: str) -> tuple[LazyPattern, ...]:
        return tuple(LazyPattern(pattern, re.NOFLAG) for pattern in table[section][key])

    return _Table(
        boilerplate_headings=patterns("headings", "boilerplate"),
        preferred_headings=patterns("headings", "preferred"),
        requirement_headings=patterns("headings", "requirements"),
        plain_headings=patterns("headings", "plain"),
        boilerplate_lines=patterns("lines", "boilerplate"),
        cues=patterns("lines", "cues"),
        preferred_lines=patterns("lines", "preferred"),
        label=re.compile(table["lines"]["labels"], re.IGNORECASE),
        filler=frozenset(table["judging"]["filler"].split()),
    )
