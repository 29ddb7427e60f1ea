"""What the steps of reading a Markdown CV share: the document's lines, the parts it splits into."""

import re
from dataclasses import dataclass, field
from enum import Enum

from twin.domain.profile import SectionType
from twin.profiles.dates import split_dates

DATED_LINE_MAX_CHARS = 80
ROLE_LINE_MAX_CHARS = 120
CONTACT_PATH = "(contact)"
ROLE_TYPES = frozenset({SectionType.EXPERIENCE, SectionType.VOLUNTEER})
# "Senior Engineer, Northwind" or "Engineer — Northwind": a heading naming an entry, not a section.
ENTRY_HEADING = re.compile(r",|\s[—–|@-]\s|\sat\s")
_ORGANISATION_LINE_MAX_CHARS = 80
_NAME_WORD_MIN_CHARS = 4  # shorter words ("of", "and", "Ltd") need no capital
_WORD = re.compile(r"[^\W\d_]+")


class LineKind(Enum):
    HEADING = "heading"
    TEXT = "text"  # a line of a paragraph or of an HTML block
    QUOTE = "quote"  # a line of a paragraph inside a blockquote
    ITEM = "item"  # a list item (a nested one is an item of its own), without its marker
    ROW = "row"  # a table row, its cells joined by " | "
    CODE = "code"  # a line of fenced code, as written


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document as the parser read it, its inline Markdown written out as plain text."""

    kind: LineKind
    text: str
    level: int = 0  # a heading's
    bold: str | None = None  # the words of a text line that is all bold ("**Experience**")
    labelled: bool = False  # a text line that starts with a bold label ("**Languages:** Python")
    opens: bool = True  # the first line of its paragraph
    after_blank: bool = False  # a blank line above it in the document


@dataclass
class Part:
    """The lines under one heading (or before the first heading, when `trail` is empty)."""

    trail: tuple[str, ...]
    is_name: bool = False
    lines: list[Line] = field(default_factory=list)
    # The section type each heading of the trail names, if any; set once the document is split.
    heading_types: tuple[SectionType | None, ...] = ()


def is_organisation_line(text: str) -> bool:
    """ "Tessellate Payments, Dublin": a short line of capitalised words, no sentence and no dates."""
    if not text or len(text) > _ORGANISATION_LINE_MAX_CHARS or text.endswith((".", "!", "?", ":", ";")):
        return False
    if split_dates(text)[1]:
        return False
    words = [word for word in _WORD.findall(text) if len(word) >= _NAME_WORD_MIN_CHARS]
    return bool(words) and all(word[0].isupper() for word in words)
