"""The document split into parts at its headings, Markdown's own or those a pasted CV uses instead."""

import re

from twin.domain.profile import SectionType
from twin.profiles._sections import infer_type
from twin.profiles.dates import find_dates, has_year, split_dates
from twin.profiles.keys import key_words
from twin.profiles.markdown.syntax import (
    DATED_LINE_MAX_CHARS,
    ENTRY_HEADING,
    ROLE_LINE_MAX_CHARS,
    ROLE_TYPES,
    Line,
    LineKind,
    Part,
    is_organisation_line,
)

_CAPS_HEADING = re.compile(r"([A-Z][A-Z&/,' -]{2,60}?)[ \t]*:?[ \t]*")
_CAPS_HEADING_WORDS = 5
# Headings that name no section type but are headings all the same: "OTHER", "Additional information".
_CATCH_ALL_HEADING_WORDS = frozenset({"other", "additional", "misc", "miscellaneous", "extras", "information", "info"})
# A plain line of section words, "Education" or "Skills and tools", that a CV typed without styles heads with.
_PLAIN_HEADING_WORDS = 3
_JOINING_WORDS = frozenset({"and", "of", "my"})
# Two to four words of letters (any alphabet's), each capitalised: "Priya Nair", "JEAN-LUC O'NEILL", "KATARZYNA WRÓBEL".
_LETTER = r"[^\W\d_]"
_NAME_LINE = re.compile(rf"{_LETTER}(?:{_LETTER}|['’-])+(?: {_LETTER}(?:{_LETTER}|['’.-])*){{1,3}}")
# "Languages: English (native)" or "Interests - hiking": a one-line section at the end of a CV.
_LABEL_LINE = re.compile(r"([A-Za-z][A-Za-z &/]{1,40}?)[ \t]*(?::|\s[-–—])\s+(\S.*)")
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
        SectionType.COMPENSATION,
    }
)
# Labels a job's own lines may hold ("Location: Berlin"), which say where that job was, not where the person is.
_ENTRY_LABEL_TYPES = frozenset({SectionType.COMPENSATION})
# A catch-all section ("Other") lists its facts as items as often as lines.
_CATCH_ALL_LINE_KINDS = frozenset({LineKind.TEXT, LineKind.ITEM})
_REFERENCES_LINE = re.compile(r"(?:references?|referees?)\b.{0,60}\bon request\W*", re.IGNORECASE)
# Words a line of dates may hold beside the dates: "since 2019", "2019 to now".
_PARENTHESES = re.compile(r"\([^()]*\)")
_DATE_WORDS = frozenset({"since", "from", "to", "until", "till", "and"})
_DATES_LINE_EXTRA_WORDS = 4
_NESTING_TYPES = frozenset({*ROLE_TYPES, SectionType.PROJECT})
# What a bold line under a job's own heading ("### Acme" > "**Key achievements**") may name: a part of that job.
_ENTRY_PART_TYPES = frozenset({SectionType.ACHIEVEMENT, SectionType.AWARD, SectionType.PROJECT})
# What a PDF prints on every page: "Page 1 of 2", "2/3", and a running header of the name ("JO BLOGGS – CV").
_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,3}\s*(?:of|/)\s*\d{1,3}|page\s*\d{1,3}", re.IGNORECASE)
_RUNNING_HEADER_WORDS = frozenset({"cv", "resume", "résumé", "curriculum", "vitae", "page", "of"})


def split_parts(lines: list[Line]) -> list[Part]:
    splitter = _Splitter()
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        splitter.feed(line, None if following is None or following.after_blank else following)
    parts = [piece for part in splitter.parts for piece in _catch_all_split(part)]
    _type_headings(parts)
    return parts


def _catch_all_split(part: Part) -> list[Part]:
    """An "Other" section, and each of its "Languages: …" or "Notice: …" lines as a section of its own."""
    if not part.trail or not is_catch_all(part.trail[-1]):
        return [part]
    labelled = [(line, _section_label(line, _CATCH_ALL_LINE_KINDS)) for line in part.lines]
    own = [Part(trail=(found[0],), lines=[Line(LineKind.TEXT, found[2])]) for _, found in labelled if found]
    rest = [line for line, found in labelled if found is None]
    return [Part(part.trail, part.is_name, rest), *own] if rest else own


class _Splitter:
    """Lines into parts: a new part at each heading.

    Headings are Markdown's own, or what a CV pasted from a word processor uses instead: a bold or
    ALL-CAPS line, a job's line above its dates, a "Languages: English" line. Those stand after a
    blank line (or a heading); `following` is the line right below, None when a blank line is.
    """

    def __init__(self) -> None:
        self.parts = [Part(trail=())]
        self._stack: list[tuple[int, str]] = []
        self._named = False
        self._in_entry = False

    def feed(self, line: Line, following: Line | None) -> None:
        current = self.parts[-1]
        if line.kind is LineKind.TEXT and self._is_page_furniture(line.text):
            return
        if line.kind is LineKind.HEADING:
            self._start(line.level, line.text)
        elif line.kind is not LineKind.TEXT or (not line.after_blank and (current.lines or self._under_entry(line))):
            current.lines.append(line)
        elif (name := self._name_line(line)) is not None:
            self._start(1, name)
        elif (entry := self._entry_heading(line, following)) is not None:
            self._start_entry(entry)
        elif (title := self._implicit_heading(line, following, current)) is not None:
            self._start(*title)
        elif (labelled := self._labelled_line(line, following)) is not None:
            self._start(2, labelled[0])
            self.parts[-1].lines.append(Line(LineKind.TEXT, labelled[1]))
        else:
            current.lines.append(line)

    def _under_entry(self, line: Line) -> bool:
        """Whether the line goes on the paragraph whose first line is the entry just started ("Acme — London")."""
        return self._in_entry and not line.opens

    def _name_line(self, line: Line) -> str | None:
        """The first line of a CV without a title, in bold or capitals, when it is a name ("**PRIYA NAIR**")."""
        if self._named or self._stack or len(self.parts) > 1 or self.parts[0].lines:
            return None
        text = line.bold or (line.text if line.text.isupper() else "")
        if not _is_name(text) or infer_type(key_words(text)) is not None:
            return None
        return text.title() if text.isupper() else text

    def _is_page_furniture(self, text: str) -> bool:
        """A page number, or the name repeated at the top of a page, that a CV pasted from a PDF kept."""
        if _PAGE_NUMBER.fullmatch(text.strip()):
            return True
        name = next((part.trail[0] for part in self.parts if part.is_name), "")
        if not name or not text.casefold().startswith(name.casefold()):
            return False
        rest = key_words(text[len(name) :])
        return all(word in _RUNNING_HEADER_WORDS or word.isdigit() for word in rest)

    def _entry_heading(self, line: Line, following: Line | None) -> str | None:
        """A job's (or degree's) line inside a section: above a line of dates, or dated above its bullets."""
        text = line.text
        if not self._stack or len(text) > ROLE_LINE_MAX_CHARS or text.endswith((".", "!", "?", ":")):
            return None
        if is_dates_line(text):  # the dates of the entry above
            return None
        if is_dates_line(_dates_text(following)):
            return text
        if is_organisation_line(_PARENTHESES.sub(" ", text)) and is_role_line(_dates_text(following)):
            return text  # "**Acme** (consultancy) — London" over "*Engineer*, 2019 – now"
        rest, dates = split_dates(text)
        is_item = following is not None and following.kind is LineKind.ITEM
        # "Engineer 06/2019 – Present" above "Acme, Dublin": the job's line, as a PDF lays it out.
        above_organisation = following is not None and is_organisation_line(_dates_text(following))
        if dates and rest and (line.bold is not None or is_item or above_organisation):
            return text
        return None

    def _implicit_heading(self, line: Line, following: Line | None, current: Part) -> tuple[int, str] | None:
        """(level, title) of a bold or ALL-CAPS line standing for a heading."""
        if current.is_name and not current.lines:
            return None  # the line under the name is the headline
        title = (
            line.bold or _caps_heading(line.text) or _list_heading(line.text, following) or _plain_heading(line.text)
        )
        if not title:
            return None
        own = infer_type(key_words(title))
        if line.bold is not None and self._in_entry_heading() and (own is None or own in _ENTRY_PART_TYPES):
            return None  # "**Key achievements**" under "### Acme — London": a line of that job, in its context
        if own is not None or is_catch_all(title):
            return 2, title
        if not self._stack:
            return None
        if line.bold is None:
            return (2, title) if following is None else None
        # An unknown bold line inside a sub-heading ("### BSc Physics" > "**Modules**") belongs to it.
        top = self._stack[-1][0]
        return (2, title) if top <= 2 or self._in_entry else (top + 1, title)

    def _in_entry_heading(self) -> bool:
        """Whether the lines go under an entry's own sub-heading ("### Acme") in a section of jobs or projects."""
        if not self._stack or self._stack[-1][0] <= 2 or self._in_entry:
            return False
        return self._current_type() in _NESTING_TYPES

    def _labelled_line(self, line: Line, following: Line | None) -> tuple[str, str] | None:
        """(title, text) of a "Languages: English" line that starts a section of its own."""
        found = _section_label(line)
        if found is None or (following is not None and _section_label(following) is None):
            return None
        title, section_type, text = found
        current = self._current_type()
        if current is SectionType.SKILLS or current is section_type:
            return None  # "Languages: Python" is a line of a skills section
        if current in _NESTING_TYPES and section_type in _ENTRY_LABEL_TYPES:
            return None
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


def _is_name(text: str) -> bool:
    return _NAME_LINE.fullmatch(text) is not None and all(word[0].isupper() for word in text.split())


def is_catch_all(title: str) -> bool:
    words = key_words(title)
    return bool(words) and _CATCH_ALL_HEADING_WORDS.issuperset(words)


def _dates_text(line: Line | None) -> str:
    """The text of a line that may hold dates (a line of a paragraph or a list item)."""
    return line.text if line is not None and line.kind in (LineKind.TEXT, LineKind.ITEM) else ""


def _section_label(
    line: Line, kinds: frozenset[LineKind] = frozenset({LineKind.TEXT})
) -> tuple[str, SectionType, str] | None:
    """ "Languages: English" gives ("Languages", LANGUAGE, "English"); "References on request" too."""
    if line.kind not in kinds:
        return None
    if _REFERENCES_LINE.fullmatch(line.text):
        return "References", SectionType.REFERENCE, line.text
    found = _LABEL_LINE.fullmatch(line.text)
    if found is None:
        return None
    words = key_words(found[1])
    section_type = infer_type(words)
    if len(words) > _LABEL_WORDS or section_type not in _LABEL_TYPES:
        return None
    return found[1].strip(), section_type, found[2]


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
    first = next((line.text for line in part.lines if line.kind is not LineKind.CODE), "")
    return is_dates_line(first)


def is_role_line(text: str) -> bool:
    """ "Engineer, Jan 2022 – Present": a short line of a role and its dates, no sentence."""
    rest, dates = split_dates(text) if len(text) <= DATED_LINE_MAX_CHARS else (text, "")
    return bool(rest) and has_year(find_dates(dates)) and not rest.endswith((".", "!", "?"))


def _caps_heading(line: str) -> str | None:
    """An ALL-CAPS line of a few words ("WORK HISTORY"), as a title."""
    found = _CAPS_HEADING.fullmatch(line)
    if found is None:
        return None
    title = found[1].strip()
    words = key_words(title)
    if not words or len(words) > _CAPS_HEADING_WORDS:
        return None
    return title


def _list_heading(line: str, following: Line | None) -> str | None:
    """A short plain line that names a section ("Talks & writing") right above a list, as a title."""
    if following is None or following.kind is not LineKind.ITEM or line.endswith((".", "!", "?", ":", ",")):
        return None
    words = key_words(line)
    if not words or len(words) > _CAPS_HEADING_WORDS or infer_type(words) is None:
        return None
    return line.strip()


def _plain_heading(line: str) -> str | None:
    """A short capitalised line of section words only ("Education", "Skills & tools") standing alone, as a title.

    Every word must name a section, so a job title ("Project Manager") or a one-word sentence stays text.
    """
    words = key_words(line)
    if not line[:1].isupper() or line.endswith((".", "!", "?", ":", ",")) or not 0 < len(words) <= _PLAIN_HEADING_WORDS:
        return None
    if not all(
        infer_type([word]) is not None or word in _CATCH_ALL_HEADING_WORDS or word in _JOINING_WORDS for word in words
    ):
        return None
    return line.strip()
