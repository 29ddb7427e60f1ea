"""The document split into parts at its headings, Markdown's own or those a pasted CV uses instead."""

import re

from twin.domain.profile import SectionType
from twin.profiles._sections import infer_type
from twin.profiles.dates import find_dates, split_dates
from twin.profiles.keys import key_words
from twin.profiles.markdown.inline import inline
from twin.profiles.markdown.syntax import (
    DATED_LINE_MAX_CHARS,
    ENTRY_HEADING,
    FENCE,
    LIST_ITEM,
    ROLE_LINE_MAX_CHARS,
    ROLE_TYPES,
    LineKind,
    Part,
)

_CAPS_HEADING = re.compile(r"(?:\*\*|__)?([A-Z][A-Z&/,' -]{2,60}?)(?:\*\*|__)?[ \t]*:?[ \t]*")
_CAPS_HEADING_WORDS = 5
# "**Experience**" or "__Education__" alone on a line: a heading pasted from Word or Google Docs.
_BOLD_HEADING = re.compile(r"(\*\*|__)([^*_\n]{2,80}?)\1[ \t]*:?[ \t]*")
# "Languages: English (native)" or "Interests - hiking": a one-line section at the end of a CV.
_LABEL_LINE = re.compile(
    r"(?:\*\*|__)?([A-Za-z][A-Za-z &/]{1,40}?)(?:\*\*|__)?[ \t]*(?::|\s[-–—])(?:\*\*|__)?\s+(\S.*)"
)
_LABEL_WORDS = 3
_LABEL_TYPES = frozenset(
    {
        SectionType.LANGUAGE,
        SectionType.INTEREST,
        SectionType.REFERENCE,
        SectionType.SKILLS,
        SectionType.CERTIFICATION,
        SectionType.PUBLICATION,
        SectionType.AWARD,
        SectionType.VOLUNTEER,
    }
)
_REFERENCES_LINE = re.compile(r"(?:references?|referees?)\b.{0,60}\bon request\W*", re.IGNORECASE)
# Words a line of dates may hold beside the dates: "since 2019", "2019 to now".
_PARENTHESES = re.compile(r"\([^()]*\)")
_DATE_WORDS = frozenset({"since", "from", "to", "until", "till", "and"})
_DATES_LINE_EXTRA_WORDS = 4
_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
_BLOCK_START = re.compile(r"[-*+•▪●◦‣>|#]|\d{1,9}[.)]\s|`{3}|~{3}")
_NESTING_TYPES = frozenset({*ROLE_TYPES, SectionType.PROJECT})


def split_parts(lines: list[str]) -> list[Part]:
    splitter = _Splitter()
    for index, line in enumerate(lines):
        splitter.feed(line, lines[index + 1] if index + 1 < len(lines) else "")
    _type_headings(splitter.parts)
    return splitter.parts


class _Splitter:
    """Lines into parts: a new part at each heading that is not inside fenced code.

    Headings are Markdown's own, or what a CV pasted from a word processor uses instead: a bold or
    ALL-CAPS line, a job's line above its dates, a "Languages: English" line.
    """

    def __init__(self) -> None:
        self.parts = [Part(trail=())]
        self._stack: list[tuple[int, str]] = []
        self._fence: str | None = None
        self._named = False
        self._in_entry = False

    def feed(self, line: str, following: str) -> None:
        current = self.parts[-1]
        if self._fence is not None:
            current.lines.append(self._code_line(line, self._fence))
        elif self._opens_fence(line):
            current.lines.append((LineKind.FENCE, line))
        elif (heading := _heading(line, current)) is not None:
            self._start(*heading)
        elif not _starts_block(current):
            current.lines.append((LineKind.TEXT, line))
        elif (entry := self._entry_heading(line, following)) is not None:
            self._start_entry(entry)
        elif (title := self._implicit_heading(line, following, current)) is not None:
            self._start(*title)
        elif (labelled := self._labelled_line(line, following)) is not None:
            self._start(2, labelled[0])
            self.parts[-1].lines.append((LineKind.TEXT, labelled[1]))
        else:
            current.lines.append((LineKind.TEXT, line))

    def _code_line(self, line: str, fence: str) -> tuple[LineKind, str]:
        closing = FENCE.match(line)
        if closing and closing[1].startswith(fence) and not line[closing.end() :].strip():
            self._fence = None
            return LineKind.FENCE, line
        return LineKind.CODE, line

    def _opens_fence(self, line: str) -> bool:
        opening = FENCE.match(line)
        if opening is None or (opening[1][0] == "`" and "`" in line[opening.end() :]):
            return False
        self._fence = opening[1]
        return True

    def _entry_heading(self, line: str, following: str) -> str | None:
        """A job's (or degree's) line inside a section: above a line of dates, or dated above its bullets."""
        if not self._stack:
            return None
        text = inline(line.strip())
        if not text or len(text) > ROLE_LINE_MAX_CHARS or text.endswith((".", "!", "?", ":")):
            return None
        if LIST_ITEM.fullmatch(line.strip()) or is_dates_line(text):
            return None
        if is_dates_line(inline(following.strip())):
            return text
        rest, dates = split_dates(text)
        is_bold = _BOLD_HEADING.fullmatch(line.strip()) is not None
        if dates and rest and (is_bold or LIST_ITEM.fullmatch(following.strip())):
            return text
        return None

    def _implicit_heading(self, line: str, following: str, current: Part) -> tuple[int, str] | None:
        """(level, title) of a bold or ALL-CAPS line standing for a heading."""
        if current.is_name and not any(text.strip() for _, text in current.lines):
            return None  # the line under the name is the headline
        bold = _BOLD_HEADING.fullmatch(line.strip())
        title = inline(bold[2]).strip() if bold else _caps_heading(line)
        if not title:
            return None
        if infer_type(key_words(title)) is not None:
            return 2, title
        if not self._stack:
            return None
        if bold is None:
            return (2, title) if not following.strip() else None
        # An unknown bold line inside a sub-heading ("### Engineer, Acme" > "**Highlights**") belongs to it.
        top = self._stack[-1][0]
        return (2, title) if top <= 2 or self._in_entry else (top + 1, title)

    def _labelled_line(self, line: str, following: str) -> tuple[str, str] | None:
        """(title, text) of a "Languages: English" line that starts a section of its own."""
        found = _section_label(line)
        if found is None or (following.strip() and _section_label(following) is None):
            return None
        title, section_type, text = found
        current = self._current_type()
        if current is SectionType.SKILLS or current is section_type:
            return None  # "Languages: Python" is a line of a skills section
        return title, text

    def _current_type(self) -> SectionType | None:
        types = (infer_type(key_words(title)) for _, title in reversed(self._stack))
        return next((found for found in types if found is not None), None)

    def _start_entry(self, title: str) -> None:
        """An entry one level below its section, so the next entry is its sibling."""
        section_level = self._stack[-2 if self._in_entry else -1][0]
        self._start(section_level + 1, title, is_entry=True)

    def _start(self, level: int, title: str, *, is_entry: bool = False) -> None:
        if not title:
            return
        self._in_entry = is_entry
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        if not is_entry:
            self._leave_other_sections(title)
        if level == 1 and not self._named:
            self._named = True
            self.parts.append(Part(trail=(title,), is_name=True))
        else:
            self._stack.append((level, title))
            self.parts.append(Part(trail=tuple(heading for _, heading in self._stack)))

    def _leave_other_sections(self, title: str) -> None:
        """ "### Key skills" under "## Education" is a section of its own, not part of Education.

        Not under a section of jobs or projects, where a heading is an entry whose title may hold
        any word ("### Project Manager").
        """
        own = infer_type(key_words(title))
        if own is None or ENTRY_HEADING.search(title):
            return
        while self._stack:
            parent = infer_type(key_words(self._stack[-1][1]))
            if parent is None or parent is own or parent in _NESTING_TYPES:
                return
            self._stack.pop()


def _starts_block(part: Part) -> bool:
    """Whether the next line starts a paragraph: implicit headings stand after a blank line."""
    return not part.lines or not part.lines[-1][1].strip()


def _section_label(line: str) -> tuple[str, SectionType, str] | None:
    """ "Languages: English" gives ("Languages", LANGUAGE, "English"); "References on request" too."""
    text = inline(line.strip())
    if _REFERENCES_LINE.fullmatch(text):
        return "References", SectionType.REFERENCE, text
    found = _LABEL_LINE.fullmatch(line.strip())
    if found is None:
        return None
    words = key_words(found[1])
    section_type = infer_type(words)
    if len(words) > _LABEL_WORDS or section_type not in _LABEL_TYPES:
        return None
    return found[1].strip(), section_type, inline(found[2])


def is_dates_line(text: str) -> bool:
    """ "03/2020 – 11/2022", "Summer 2018", "Sept 2016 – now": a line that is (nearly) only dates."""
    if not text or len(text) > DATED_LINE_MAX_CHARS:
        return False
    rest, dates = split_dates(_PARENTHESES.sub(" ", text))
    if not dates:
        return False
    words = [word for word in key_words(rest) if word not in _DATE_WORDS]
    return not words or (text.startswith(dates) and len(words) <= _DATES_LINE_EXTRA_WORDS)


def _type_headings(parts: list[Part]) -> None:
    """Each part's heading types; a heading that names no type but holds dated entries is experience."""
    inferred: dict[tuple[str, ...], SectionType] = {}
    for part in parts:
        parent = part.trail[:-1]
        if parent and infer_type(key_words(parent[-1])) is None and _is_dated_entry(part):
            inferred[parent] = SectionType.EXPERIENCE
    for part in parts:
        part.heading_types = tuple(
            inferred.get(part.trail[: index + 1]) or infer_type(key_words(heading))
            for index, heading in enumerate(part.trail)
        )


def _is_dated_entry(part: Part) -> bool:
    if has_year(find_dates(part.trail[-1])):
        return True
    first = next((text.strip() for kind, text in part.lines if kind is LineKind.TEXT and text.strip()), "")
    return is_dates_line(inline(first))


def _heading(line: str, current: Part) -> tuple[int, str] | None:
    """(level, title) of an ATX heading, or of a setext one underlining the part's last line."""
    atx = _ATX.match(line)
    if atx:
        title = line[atx.end() :].strip()
        without_closing = title.rstrip("#")
        if not without_closing or without_closing.endswith((" ", "\t")):
            title = without_closing.strip()
        return len(atx[1]), inline(title)
    if not _SETEXT.fullmatch(line) or not _underlines_paragraph(current):
        return None
    _, underlined = current.lines.pop()
    return (1 if line.strip().startswith("=") else 2), inline(underlined.strip())


def _caps_heading(line: str) -> str | None:
    """An ALL-CAPS line of a few words ("WORK HISTORY"), as a title."""
    found = _CAPS_HEADING.fullmatch(line.strip())
    if found is None:
        return None
    title = found[1].strip()
    words = key_words(title)
    if not words or len(words) > _CAPS_HEADING_WORDS:
        return None
    return title


def _underlines_paragraph(part: Part) -> bool:
    """Whether the part ends with a one-line paragraph, the only setext heading this reader knows."""
    if not part.lines:
        return False
    kind, last = part.lines[-1]
    if kind is not LineKind.TEXT or not last.strip() or last[:1] in (" ", "\t") or _BLOCK_START.match(last):
        return False
    return len(part.lines) == 1 or not part.lines[-2][1].strip()


def has_year(dates: list[str]) -> bool:
    return any(date != "present" for date in dates)
