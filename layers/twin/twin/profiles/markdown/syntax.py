"""The Markdown a CV uses, shared by the steps of reading it: fences, list items, the parts of a document."""

import re
from dataclasses import dataclass, field
from enum import Enum

from twin.domain.profile import SectionType

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# "•" and friends: bullets pasted from Word or Google Docs.
LIST_ITEM = re.compile(r"([-*+•▪●◦‣]|\d{1,9}[.)])[ \t]+(.*)")
DATED_LINE_MAX_CHARS = 80
ROLE_LINE_MAX_CHARS = 120
CONTACT_PATH = "(contact)"
ROLE_TYPES = frozenset({SectionType.EXPERIENCE, SectionType.VOLUNTEER})
# "Senior Engineer, Northwind" or "Engineer — Northwind": a heading naming an entry, not a section.
ENTRY_HEADING = re.compile(r",|\s[—–|@-]\s|\sat\s")


class LineKind(Enum):
    TEXT = "text"
    CODE = "code"
    FENCE = "fence"


@dataclass
class Part:
    """The lines under one heading (or before the first heading, when `trail` is empty)."""

    trail: tuple[str, ...]
    is_name: bool = False
    lines: list[tuple[LineKind, str]] = field(default_factory=list)
    # The section type each heading of the trail names, if any; set once the document is split.
    heading_types: tuple[SectionType | None, ...] = ()
