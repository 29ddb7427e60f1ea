"""A part of the document as a section: its type, title, dates, tags and first-person text."""

import itertools
import re
from dataclasses import dataclass

from twin.domain.profile import Section, SectionType
from twin.profiles._sections import infer_type
from twin.profiles.dates import find_dates, has_year, split_dates
from twin.profiles.keys import key_words, lower_label
from twin.profiles.markdown.blocks import Block, BlockKind, text_blocks
from twin.profiles.markdown.splitting import is_catch_all, is_role_line
from twin.profiles.markdown.syntax import (
    CONTACT_PATH,
    DATED_LINE_MAX_CHARS,
    ENTRY_HEADING,
    ROLE_LINE_MAX_CHARS,
    ROLE_TYPES,
    Part,
    is_organisation_line,
)
from twin.profiles.phrasing import education_sentence, join_sentences, project_intro, role_sentence, sentence
from twin.profiles.tags import split_text, tags

_INTRODUCTION_PATH = "(introduction)"
_ENTRY_SEPARATOR = re.compile(r"\s[—–|@-]\s|,\s|\sat\s")
_PRONOUN_I = re.compile(r"\bi\b")
# Headings that are not noun phrases, which "My ..." would not fit: "What I'm looking for", "Why me".
_PHRASE_STARTS = frozenset({"what", "where", "why", "how", "who", "which", "when", "my", "our", "looking", "seeking"})
_FIRST_PERSON = frozenset({"i", "me", "myself"})
_LEADS = {SectionType.SUMMARY: "", SectionType.CONTACT: "How to reach me:"}
_TAG_LINE = re.compile(r"(?:-\s*)?(?:tech(?:nologies|nology)?|tech stack|stack|tools|skills|keywords)\s*:\s*(.+)", re.I)
_DATED_TYPES = frozenset(
    {
        SectionType.EXPERIENCE,
        SectionType.EDUCATION,
        SectionType.PROJECT,
        SectionType.VOLUNTEER,
        SectionType.AWARD,
        SectionType.CERTIFICATION,
        SectionType.PUBLICATION,
        SectionType.ACHIEVEMENT,
    }
)


def section_of(part: Part) -> Section | None:
    blocks = text_blocks(part.lines)
    if not blocks:
        return None
    if not part.trail:
        return Section(_INTRODUCTION_PATH, SectionType.SUMMARY, "Introduction", _prose(blocks, SectionType.SUMMARY))
    path = " > ".join(part.trail)
    section_type = _type(part)
    start, end = _dates(part.trail[-1], blocks) if section_type in _DATED_TYPES else (None, None)
    lead, body = _lead(part, section_type, blocks)
    return Section(
        path=path,
        type=section_type,
        title=_section_title(part, section_type),
        text="\n".join(text for text in (lead, _prose(body, section_type)) if text),
        start=start,
        end=end,
        tags=_tags(section_type, [block.text for block in blocks]),
    )


def _type(part: Part) -> SectionType:
    """From the heading's own words, else its nearest typed ancestor's; entry headings defer to it."""
    own = part.heading_types[-1]
    inherited = _inherited_type(part)
    if inherited is not None and (own is None or ENTRY_HEADING.search(part.trail[-1])):
        return inherited
    return own or SectionType.OTHER


def _inherited_type(part: Part) -> SectionType | None:
    return next((found for found in reversed(part.heading_types[:-1]) if found is not None), None)


def _section_title(part: Part, section_type: SectionType) -> str:
    """The heading as a title; a job's reads "Engineer at Acme", without its dates and separators."""
    heading = part.trail[-1]
    if section_type not in ROLE_TYPES or not _is_entry(part, section_type):
        return _title(heading)
    role, organisation = _entry(heading, text_blocks(part.lines), section_type).names
    return " at ".join(piece for piece in (role, organisation) if piece) or _title(heading)


def _is_entry(part: Part, section_type: SectionType) -> bool:
    """Whether the heading names one entry of its parent section ("Engineer | Acme" under "Experience")."""
    return len(part.trail) > 1 and _inherited_type(part) is section_type


def _title(heading: str) -> str:
    """ "PROFESSIONAL EXPERIENCE" reads "Professional experience"; other headings stay as written."""
    if not heading.isupper() or len(heading) <= 3:
        return heading
    return _PRONOUN_I.sub("I", heading.capitalize())


def _heading_lead(heading: str) -> str:
    """ "My skills:" for a noun heading; a phrase ("What I'm looking for") leads as written."""
    title = _title(heading).rstrip(": ")
    words = key_words(title)
    if words and (words[0] in _PHRASE_STARTS or not _FIRST_PERSON.isdisjoint(words)):
        return title if title.endswith("?") else f"{title}:"
    return f"My {lower_label(title)}:"


def _lead(part: Part, section_type: SectionType, blocks: list[Block]) -> tuple[str, list[Block]]:
    """The sentence a section starts with, from its heading, and the blocks left to follow it."""
    trail, heading = part.trail, part.trail[-1]
    if section_type in _LEADS:
        return _LEADS[section_type], blocks
    if is_catch_all(heading):
        return "", blocks  # "My other:" says nothing; its lines read on their own
    if not _is_entry(part, section_type):
        return _heading_lead(heading), blocks
    entry = _entry(heading, blocks, section_type)
    return _entry_sentence(entry, section_type, trail[-2]), entry.body


@dataclass(frozen=True, slots=True)
class _Entry:
    """An entry's heading without its dates, the two names it gives (role and where), its dates, and the blocks
    that follow the lines they were read from."""

    heading: str
    names: tuple[str, str]
    dates: str
    body: list[Block]
    earlier_roles: tuple[tuple[str, str], ...] = ()  # (role, dates) held before at the same place


def _entry(heading: str, blocks: list[Block], section_type: SectionType) -> _Entry:
    """The entry under `heading`: "Engineer | Acme | 2021 – now" alone, or over a line of its dates; or a job
    over two lines, as a word processor or a PDF lays it out, which name the job on either line:
    "Acme — London" over "**Engineer** · 2021 – now", or "Engineer 2021 – now" over "Acme, London"."""
    rest, dates = split_dates(heading)
    first = blocks[0] if blocks and blocks[0].kind is BlockKind.PROSE else None
    if first is None:
        return _Entry(rest, _entrysplit_parts(rest), dates, blocks)
    line_rest, line_dates = split_dates(first.text) if len(first.text) <= DATED_LINE_MAX_CHARS else (first.text, "")
    if not dates and line_dates and not line_rest:
        return _Entry(rest, _entrysplit_parts(rest), line_dates, blocks[1:])
    if section_type not in ROLE_TYPES:
        return _Entry(rest, _entrysplit_parts(rest), dates, blocks)
    if not dates and line_dates and not line_rest.endswith((".", "!", "?")):
        where = ", ".join(piece for piece in _entrysplit_parts(rest) if piece)
        earlier = _role_lines(blocks[1:])
        return _Entry(
            rest, (line_rest, where), line_dates, blocks[1 + len(earlier) :], tuple(map(split_dates, earlier))
        )
    if dates and not _ENTRY_SEPARATOR.search(rest) and is_organisation_line(first.text):
        return _Entry(rest, (rest, first.text), dates, blocks[1:])
    if not dates and _is_role_title(first) and _ENTRY_SEPARATOR.search(rest):
        where = ", ".join(piece for piece in _entrysplit_parts(rest) if piece)
        return _Entry(rest, (first.text, where), "", blocks[1:])  # "Acme — London" over "**Architect**"
    return _Entry(rest, _entrysplit_parts(rest), dates, blocks)


def _is_role_title(block: Block) -> bool:
    """A bold line that is no sentence and names no section ("**Project Architect**", not "**Key achievements**")."""
    text = block.text
    if not block.bold or len(text) > DATED_LINE_MAX_CHARS or text.endswith((".", "!", "?", ":")):
        return False
    return infer_type(key_words(text)) is None


def _entry_sentence(entry: _Entry, section_type: SectionType, parent: str) -> str:
    """ "I worked as Engineer at Acme (2019 – 2022)." for an entry heading under its section's heading."""
    heading, dates = entry.heading, entry.dates
    first, second = entry.names
    if section_type in ROLE_TYPES:
        verb = "volunteer" if section_type is SectionType.VOLUNTEER else "work"
        roles = ((first, dates), *entry.earlier_roles)
        return join_sentences(*(role_sentence(role, second, when, _is_current(when), verb) for role, when in roles))
    if section_type is SectionType.EDUCATION:
        return sentence(education_sentence(first, "", second, f"({dates})" if dates else ""))
    if section_type is SectionType.PROJECT:
        return sentence(project_intro(heading, "") + (f" ({dates})" if dates else ""))
    return sentence(f"My {lower_label(_title(parent))}: {heading}" + (f" ({dates})" if dates else ""))


def _entrysplit_parts(heading: str) -> tuple[str, str]:
    """ "Engineer | Acme | Berlin" gives ("Engineer", "Acme, Berlin"): role or degree, and where."""
    first, *others = (piece.strip() for piece in _ENTRY_SEPARATOR.split(heading, maxsplit=1))
    return first, re.sub(r"\s[|·•]\s", ", ", others[0]) if others else ""


def _is_current(dates: str) -> bool | None:
    found = find_dates(dates)
    if not has_year(found):
        return None
    return found[-1] == "present"


def _prose(blocks: list[Block], section_type: SectionType) -> str:
    """Blocks as lines of sentences; code stays as written, role lines in experience become sentences."""
    return "\n".join(_prose_line(block, section_type) for block in blocks)


def _prose_line(block: Block, section_type: SectionType) -> str:
    text = block.text
    if block.kind is BlockKind.CODE:
        return text
    if section_type in ROLE_TYPES and block.kind is BlockKind.PROSE and len(text) <= ROLE_LINE_MAX_CHARS:
        rest, dates = split_dates(text)
        if dates and _ENTRY_SEPARATOR.search(rest) and not rest.endswith((".", "!", "?")):
            return _entry_sentence(_Entry(rest, _entrysplit_parts(rest), dates, []), section_type, "")
    return sentence(text)


def _dates(title: str, blocks: list[Block]) -> tuple[str | None, str | None]:
    """Dates from the heading, else from a short first line; "now" alone in prose is not a date."""
    dates = find_dates(title)
    if not has_year(dates) and len(blocks[0].text) <= DATED_LINE_MAX_CHARS:
        dates = find_dates(blocks[0].text)
    if not has_year(dates):
        return None, None
    # "Engineer, 2022 – now" over "Associate, 2019 – 2021": the entry runs from the earliest role's start.
    starts = [find_dates(line)[0] for line in _role_lines(blocks[1:])]
    return min([dates[0], *starts]), dates[1] if len(dates) > 1 else None


def _role_lines(blocks: list[Block]) -> list[str]:
    """The role lines ("Associate, 2019 – 2021") the blocks start with."""
    lines = itertools.takewhile(lambda block: block.kind is BlockKind.PROSE and is_role_line(block.text), blocks)
    return [block.text for block in lines]


def _tags(section_type: SectionType, lines: list[str]) -> tuple[str, ...]:
    words: list[str] = []
    for line in lines:
        tagged = _TAG_LINE.fullmatch(line)
        if tagged:
            words.extend(split_text(tagged[1]))
        elif section_type is SectionType.SKILLS:
            words.extend(split_text(line.rpartition(":")[2]))
    return tags(words)


def is_summary(section: Section) -> bool:
    return section.type is SectionType.SUMMARY and section.path != CONTACT_PATH


def summary_line(section: Section) -> str:
    return section.text.split("\n", 1)[0]
