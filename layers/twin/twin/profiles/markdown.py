"""A Markdown CV: the first H1 is the name, every heading with body text is a section.

Section text reads as first-person prose: "### Engineer | Acme | 2021 – Present" becomes "I work as
Engineer at Acme (2021 – Present).", a section's lines become sentences under "My skills:".
"""

import re
from dataclasses import dataclass, field
from enum import Enum

from twin.domain.privacy import without_protected
from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.profiles._sections import build_profile, infer_type
from twin.profiles.dates import find_dates, split_dates
from twin.profiles.keys import key_words, lower_label
from twin.profiles.names import name_and_links, name_pieces, post_nominals
from twin.profiles.phrasing import clean, education_sentence, project_intro, role_sentence, sentence
from twin.profiles.tags import split_text, tags

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# A whole CV pasted inside one code fence, as chat assistants often return it.
_WRAPPING_FENCE = re.compile(
    r"\A\s*(`{3,}|~{3,})[ \t]*(markdown|md)?[ \t]*\n(.*)\n[ \t]*\1[ \t]*\s*\Z", re.DOTALL | re.IGNORECASE
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
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
# "•" and friends: bullets pasted from Word or Google Docs.
_LIST_ITEM = re.compile(r"([-*+•▪●◦‣]|\d{1,9}[.)])[ \t]+(.*)")
_REFERENCE_DEFINITION = re.compile(r"\[([^\]]+)\]:[ \t]*(\S+)")
_BLOCK_START = re.compile(r"[-*+•▪●◦‣>|#]|\d{1,9}[.)]\s|`{3}|~{3}")
# "**Languages:** Python": a labelled line, which stays a line of its own inside a paragraph.
_BOLD_LABEL = re.compile(r"(\*\*|__)[^*_\n]{1,60}?(?::\1|\1:)")
_TABLE_SEPARATOR = frozenset("|-: \t")

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_PROTECTED = re.compile("[\ue000-\ue07f]")
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(([^()\s]*)(?:[ \t]+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)(?:[ \t]+\"[^\"]*\")?\)")
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+|[^<>\s@]+@[^<>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
_EMPHASIS = (
    re.compile(r"\*\*([^*]+)\*\*"),
    re.compile(r"(?<!\w)__([^_]+)__(?!\w)"),
    re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])"),
    re.compile(r"(?<!\w)_(?!\s)([^_]+?)(?<!\s)_(?!\w)"),
    re.compile(r"~~([^~]+)~~"),
)

_HEADLINE_MAX_CHARS = 120
_HEADLINE_SEPARATOR = re.compile(r"\s+[|·•—–-]\s+|\s*[|·•]\s*")
_PLACE_MARKER = re.compile(r"(?:📍|🏠|🌍|🌎|🌏|based in\b|located in\b)\ufe0f?\s*", re.IGNORECASE)
_CONTACT_LINE_MAX_CHARS = 240
_DATED_LINE_MAX_CHARS = 80
_ROLE_LINE_MAX_CHARS = 120
_INTRODUCTION_PATH = "(introduction)"
_CONTACT_PATH = "(contact)"
_CONTACT_LINE = re.compile(r"https?://|www\.|\S@\S+\.\w|\+\d[\d ()-]{7,}\d|\b(?:linkedin|github)\b", re.I)
_ENTRY_SEPARATOR = re.compile(r"\s[—–|@-]\s|,\s|\sat\s")
_ROLE_TYPES = frozenset({SectionType.EXPERIENCE, SectionType.VOLUNTEER})
_NESTING_TYPES = frozenset({*_ROLE_TYPES, SectionType.PROJECT})
_PRONOUN_I = re.compile(r"\bi\b")
# Headings that are not noun phrases, which "My ..." would not fit: "What I'm looking for", "Why me".
_PHRASE_STARTS = frozenset({"what", "where", "why", "how", "who", "which", "when", "my", "our", "looking", "seeking"})
_FIRST_PERSON = frozenset({"i", "me", "myself"})
_LEADS = {SectionType.SUMMARY: "", SectionType.CONTACT: "How to reach me:"}
# "Senior Engineer, Northwind" or "Engineer — Northwind": a heading naming an entry, not a section.
_ENTRY_HEADING = re.compile(r",|\s[—–|@-]\s|\sat\s")
_LIST_MARKER = re.compile(r"^(?:-|\d{1,9}[.)])\s+")
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


class _Kind(Enum):
    TEXT = "text"
    CODE = "code"
    FENCE = "fence"


@dataclass
class _Part:
    """The lines under one heading (or before the first heading, when `trail` is empty)."""

    trail: tuple[str, ...]
    is_name: bool = False
    lines: list[tuple[_Kind, str]] = field(default_factory=list)
    # The section type each heading of the trail names, if any; set once the document is split.
    heading_types: tuple[SectionType | None, ...] = ()


def load(text: str) -> Profile:
    wrapped = _WRAPPING_FENCE.match(text)
    if wrapped and (wrapped[2] or not _FENCE.search(wrapped[3])):
        text = wrapped[3]
    lines = text.splitlines()
    front_matter, start = _front_matter(lines)
    parts = _parts(lines[start:])
    name_part = next((part for part in parts if part.is_name), None)
    header = _Header.of(front_matter, name_part)
    sections: list[Section] = []
    for part in parts:
        if part.is_name:
            sections.extend(header.sections())
        elif (section := _section(part)) is not None:
            sections.append(section)
    summary = header.summary or next((_summary_line(found) for found in sections if _is_summary(found)), "")
    return build_profile(
        ProfileFormat.MARKDOWN, header.name, header.headline, summary, header.introduce(sections), "line 1"
    )


# --- front matter ----------------------------------------------------------------------------

_YAML_KEY = re.compile(r"[A-Za-z_][\w-]*[ \t]*:")


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """`name:` and the like from a `---` block at the top, and the index of the line after it."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
    if end is None:
        return {}, 0
    body = [line for line in lines[1:end] if line.strip()]
    top_level = [line for line in body if _YAML_KEY.match(line)]
    nested = [line for line in body if line.startswith((" ", "\t", "-", "#"))]
    if not top_level or len(top_level) + len(nested) != len(body):
        return {}, 0
    pairs = (line.partition(":") for line in top_level)
    return {key.strip().lower(): value.strip().strip("'\"") for key, _, value in pairs}, end + 1


# --- splitting into parts --------------------------------------------------------------------


def _parts(lines: list[str]) -> list[_Part]:
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
        self.parts = [_Part(trail=())]
        self._stack: list[tuple[int, str]] = []
        self._fence: str | None = None
        self._named = False
        self._in_entry = False

    def feed(self, line: str, following: str) -> None:
        current = self.parts[-1]
        if self._fence is not None:
            current.lines.append(self._code_line(line, self._fence))
        elif self._opens_fence(line):
            current.lines.append((_Kind.FENCE, line))
        elif (heading := _heading(line, current)) is not None:
            self._start(*heading)
        elif not _starts_block(current):
            current.lines.append((_Kind.TEXT, line))
        elif (entry := self._entry_heading(line, following)) is not None:
            self._start_entry(entry)
        elif (title := self._implicit_heading(line, following, current)) is not None:
            self._start(*title)
        elif (labelled := self._labelled_line(line, following)) is not None:
            self._start(2, labelled[0])
            self.parts[-1].lines.append((_Kind.TEXT, labelled[1]))
        else:
            current.lines.append((_Kind.TEXT, line))

    def _code_line(self, line: str, fence: str) -> tuple[_Kind, str]:
        closing = _FENCE.match(line)
        if closing and closing[1].startswith(fence) and not line[closing.end() :].strip():
            self._fence = None
            return _Kind.FENCE, line
        return _Kind.CODE, line

    def _opens_fence(self, line: str) -> bool:
        opening = _FENCE.match(line)
        if opening is None or (opening[1][0] == "`" and "`" in line[opening.end() :]):
            return False
        self._fence = opening[1]
        return True

    def _entry_heading(self, line: str, following: str) -> str | None:
        """A job's (or degree's) line inside a section: above a line of dates, or dated above its bullets."""
        if not self._stack:
            return None
        text = _inline(line.strip())
        if not text or len(text) > _ROLE_LINE_MAX_CHARS or text.endswith((".", "!", "?", ":")):
            return None
        if _LIST_ITEM.fullmatch(line.strip()) or is_dates_line(text):
            return None
        if is_dates_line(_inline(following.strip())):
            return text
        rest, dates = split_dates(text)
        is_bold = _BOLD_HEADING.fullmatch(line.strip()) is not None
        if dates and rest and (is_bold or _LIST_ITEM.fullmatch(following.strip())):
            return text
        return None

    def _implicit_heading(self, line: str, following: str, current: _Part) -> tuple[int, str] | None:
        """(level, title) of a bold or ALL-CAPS line standing for a heading."""
        if current.is_name and not any(text.strip() for _, text in current.lines):
            return None  # the line under the name is the headline
        bold = _BOLD_HEADING.fullmatch(line.strip())
        title = _inline(bold[2]).strip() if bold else _caps_heading(line)
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
            self.parts.append(_Part(trail=(title,), is_name=True))
        else:
            self._stack.append((level, title))
            self.parts.append(_Part(trail=tuple(heading for _, heading in self._stack)))

    def _leave_other_sections(self, title: str) -> None:
        """ "### Key skills" under "## Education" is a section of its own, not part of Education.

        Not under a section of jobs or projects, where a heading is an entry whose title may hold
        any word ("### Project Manager").
        """
        own = infer_type(key_words(title))
        if own is None or _ENTRY_HEADING.search(title):
            return
        while self._stack:
            parent = infer_type(key_words(self._stack[-1][1]))
            if parent is None or parent is own or parent in _NESTING_TYPES:
                return
            self._stack.pop()


def _starts_block(part: _Part) -> bool:
    """Whether the next line starts a paragraph: implicit headings stand after a blank line."""
    return not part.lines or not part.lines[-1][1].strip()


def _section_label(line: str) -> tuple[str, SectionType, str] | None:
    """ "Languages: English" gives ("Languages", LANGUAGE, "English"); "References on request" too."""
    text = _inline(line.strip())
    if _REFERENCES_LINE.fullmatch(text):
        return "References", SectionType.REFERENCE, text
    found = _LABEL_LINE.fullmatch(line.strip())
    if found is None:
        return None
    words = key_words(found[1])
    section_type = infer_type(words)
    if len(words) > _LABEL_WORDS or section_type not in _LABEL_TYPES:
        return None
    return found[1].strip(), section_type, _inline(found[2])


def is_dates_line(text: str) -> bool:
    """ "03/2020 – 11/2022", "Summer 2018", "Sept 2016 – now": a line that is (nearly) only dates."""
    if not text or len(text) > _DATED_LINE_MAX_CHARS:
        return False
    rest, dates = split_dates(_PARENTHESES.sub(" ", text))
    if not dates:
        return False
    words = [word for word in key_words(rest) if word not in _DATE_WORDS]
    return not words or (text.startswith(dates) and len(words) <= _DATES_LINE_EXTRA_WORDS)


def _type_headings(parts: list[_Part]) -> None:
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


def _is_dated_entry(part: _Part) -> bool:
    if _has_year(find_dates(part.trail[-1])):
        return True
    first = next((text.strip() for kind, text in part.lines if kind is _Kind.TEXT and text.strip()), "")
    return is_dates_line(_inline(first))


def _heading(line: str, current: _Part) -> tuple[int, str] | None:
    """(level, title) of an ATX heading, or of a setext one underlining the part's last line."""
    atx = _ATX.match(line)
    if atx:
        title = line[atx.end() :].strip()
        without_closing = title.rstrip("#")
        if not without_closing or without_closing.endswith((" ", "\t")):
            title = without_closing.strip()
        return len(atx[1]), _inline(title)
    if not _SETEXT.fullmatch(line) or not _underlines_paragraph(current):
        return None
    _, underlined = current.lines.pop()
    return (1 if line.strip().startswith("=") else 2), _inline(underlined.strip())


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


def _underlines_paragraph(part: _Part) -> bool:
    """Whether the part ends with a one-line paragraph, the only setext heading this reader knows."""
    if not part.lines:
        return False
    kind, last = part.lines[-1]
    if kind is not _Kind.TEXT or not last.strip() or last[:1] in (" ", "\t") or _BLOCK_START.match(last):
        return False
    return len(part.lines) == 1 or not part.lines[-2][1].strip()


# --- body text -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    is_code: bool = False


def _blocks(lines: list[tuple[_Kind, str]]) -> list[_Block]:
    """Paragraphs, list items, table rows and code lines as plain text, one block each."""
    blocks: list[_Block] = []
    paragraph: list[str] = []
    last_was_item = False

    def flush() -> None:
        if paragraph:
            blocks.append(_Block(" ".join(paragraph)))
            paragraph.clear()

    for kind, line in lines:
        stripped = line.strip()
        if kind is _Kind.CODE:
            flush()
            if stripped:
                blocks.append(_Block(line.rstrip(), is_code=True))
            last_was_item = False
            continue
        if kind is _Kind.FENCE or not stripped or _THEMATIC_BREAK.fullmatch(line):
            flush()
            last_was_item = last_was_item and not stripped
            continue
        if last_was_item and line[:1] in (" ", "\t") and not paragraph and not _LIST_ITEM.fullmatch(stripped):
            blocks[-1] = _Block(f"{blocks[-1].text} {_inline(stripped)}")  # a list item's continuation line
            continue
        text = _unquote(stripped)
        block = _block(text)
        last_was_item = bool(_LIST_ITEM.fullmatch(text))
        if block is None:
            if _BOLD_LABEL.match(text):
                flush()
            paragraph.append(_inline(text))
        else:
            flush()
            if block:
                blocks.append(_Block(block))
    flush()
    return [block for block in blocks if block.text.strip()]


def _unquote(text: str) -> str:
    while text.startswith(">"):
        text = text[1:].lstrip()
    return text


def _block(text: str) -> str | None:
    """A line that stands on its own (list item, table row, link definition); None for prose."""
    item = _LIST_ITEM.fullmatch(text)
    if item:
        marker = item[1] if item[1][0].isdigit() else "-"
        return f"{marker} {_inline(item[2])}"
    if text.startswith("|"):
        if set(text) <= _TABLE_SEPARATOR:
            return ""
        cells = (_inline(cell.strip()) for cell in text.strip("|").split("|"))
        return " | ".join(cell for cell in cells if cell)
    definition = _REFERENCE_DEFINITION.fullmatch(text)
    if definition:
        return f"{definition[1]}: {definition[2]}"
    return None


def _inline(text: str) -> str:
    """Markdown inline syntax as readable text; link URLs kept in parentheses, code spans as is."""
    pieces = _CODE_SPAN.split(text)
    return " ".join(
        "".join(_inline_text(piece) if index % 2 == 0 else piece for index, piece in enumerate(pieces)).split()
    )


def _inline_text(text: str) -> str:
    text = _ESCAPED.sub(lambda match: chr(0xE000 + ord(match[1])), text)
    text = _IMAGE.sub(_link_text, text)
    text = _LINK.sub(_link_text, text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(lambda match: match[1].removeprefix("mailto:"), text)
    text = _HTML_TAG.sub(" ", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return _PROTECTED.sub(lambda match: chr(ord(match[0]) - 0xE000), text)


def _link_text(match: re.Match[str]) -> str:
    label, url = match[1].strip(), match[2].removeprefix("mailto:")
    if not url or label == url:
        return label or url
    return f"{label} ({url})" if label else url


# --- sections ---------------------------------------------------------------------------------


def _section(part: _Part) -> Section | None:
    blocks = _blocks(part.lines)
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


def _type(part: _Part) -> SectionType:
    """From the heading's own words, else its nearest typed ancestor's; entry headings defer to it."""
    own = part.heading_types[-1]
    inherited = _inherited_type(part)
    if inherited is not None and (own is None or _ENTRY_HEADING.search(part.trail[-1])):
        return inherited
    return own or SectionType.OTHER


def _inherited_type(part: _Part) -> SectionType | None:
    return next((found for found in reversed(part.heading_types[:-1]) if found is not None), None)


def _section_title(part: _Part, section_type: SectionType) -> str:
    """The heading as a title; a job's reads "Engineer at Acme", without its dates and separators."""
    heading = part.trail[-1]
    if section_type not in _ROLE_TYPES or not _is_entry(part, section_type):
        return _title(heading)
    role, organisation = _entry_parts(split_dates(heading)[0])
    return " at ".join(piece for piece in (role, organisation) if piece) or _title(heading)


def _is_entry(part: _Part, section_type: SectionType) -> bool:
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


def _lead(part: _Part, section_type: SectionType, blocks: list[_Block]) -> tuple[str, list[_Block]]:
    """The sentence a section starts with, from its heading, and the blocks left to follow it."""
    trail, heading = part.trail, part.trail[-1]
    if section_type in _LEADS:
        return _LEADS[section_type], blocks
    if not _is_entry(part, section_type):
        return _heading_lead(heading), blocks
    rest, dates = split_dates(heading)
    if not dates and len(blocks[0].text) <= _DATED_LINE_MAX_CHARS and not split_dates(blocks[0].text)[0]:
        dates, blocks = split_dates(blocks[0].text)[1], blocks[1:]
    return _entry_sentence(rest, dates, section_type, trail[-2]), blocks


def _entry_sentence(heading: str, dates: str, section_type: SectionType, parent: str) -> str:
    """ "I worked as Engineer at Acme (2019 – 2022)." for an entry heading under its section's heading."""
    first, second = _entry_parts(heading)
    if section_type in _ROLE_TYPES:
        verb = "volunteer" if section_type is SectionType.VOLUNTEER else "work"
        return sentence(role_sentence(first, second, dates, _is_current(dates), verb))
    if section_type is SectionType.EDUCATION:
        return sentence(education_sentence(first, "", second, f"({dates})" if dates else ""))
    if section_type is SectionType.PROJECT:
        return sentence(project_intro(heading, "") + (f" ({dates})" if dates else ""))
    return sentence(f"My {lower_label(_title(parent))}: {heading}" + (f" ({dates})" if dates else ""))


def _entry_parts(heading: str) -> tuple[str, str]:
    """ "Engineer | Acme | Berlin" gives ("Engineer", "Acme, Berlin"): role or degree, and where."""
    first, *others = (piece.strip() for piece in _ENTRY_SEPARATOR.split(heading, maxsplit=1))
    return first, re.sub(r"\s[|·•]\s", ", ", others[0]) if others else ""


def _is_current(dates: str) -> bool | None:
    found = find_dates(dates)
    if not _has_year(found):
        return None
    return found[-1] == "present"


def _prose(blocks: list[_Block], section_type: SectionType) -> str:
    """Blocks as lines of sentences; code stays as written, role lines in experience become sentences."""
    return "\n".join(_prose_line(block, section_type) for block in blocks)


def _prose_line(block: _Block, section_type: SectionType) -> str:
    if block.is_code:
        return block.text
    text = _LIST_MARKER.sub("", block.text)
    if section_type in _ROLE_TYPES and block.text == text and len(text) <= _ROLE_LINE_MAX_CHARS:
        rest, dates = split_dates(text)
        if dates and _ENTRY_SEPARATOR.search(rest) and not rest.endswith((".", "!", "?")):
            return _entry_sentence(rest, dates, section_type, "")
    return sentence(text)


def _dates(title: str, blocks: list[_Block]) -> tuple[str | None, str | None]:
    """Dates from the heading, else from a short first line; "now" alone in prose is not a date."""
    dates = find_dates(title)
    if not _has_year(dates) and len(blocks[0].text) <= _DATED_LINE_MAX_CHARS:
        dates = find_dates(blocks[0].text)
    if not _has_year(dates):
        return None, None
    return dates[0], dates[1] if len(dates) > 1 else None


def _has_year(dates: list[str]) -> bool:
    return any(date != "present" for date in dates)


def _tags(section_type: SectionType, blocks: list[str]) -> tuple[str, ...]:
    words: list[str] = []
    for block in blocks:
        line = block.removeprefix("- ")
        tagged = _TAG_LINE.fullmatch(line)
        if tagged:
            words.extend(split_text(tagged[1]))
        elif section_type is SectionType.SKILLS:
            words.extend(split_text(line.rpartition(":")[2]))
    return tags(words)


def _is_summary(section: Section) -> bool:
    return section.type is SectionType.SUMMARY and section.path != _CONTACT_PATH


def _summary_line(section: Section) -> str:
    return section.text.split("\n", 1)[0]


# --- the name, headline and summary ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Header:
    """What the CV says about the person before its first section: name, headline, links, summary."""

    name: str
    headline: str
    contact: tuple[str, ...]
    paragraphs: tuple[str, ...]
    path: str

    @classmethod
    def of(cls, front_matter: dict[str, str], part: _Part | None) -> "_Header":
        raw_name = front_matter.get("name", "") or (part.trail[0] if part else "")
        pieces = name_pieces(raw_name)
        contact = [piece for piece in pieces[1:] if _CONTACT_LINE.search(piece)]
        links = name_and_links(raw_name)[1].split(", ")
        contact += [link for link in links if link and not any(link in piece for piece in contact)]
        titles = [piece for piece in pieces[1:] if not _CONTACT_LINE.search(piece)]
        blocks = [block.text for block in _blocks(_contact_lines_apart(part.lines))] if part else []
        headline = " · ".join(
            part for part in (front_matter.get("title", ""), front_matter.get("location", "")) if part
        )
        if blocks and _is_headline(blocks[0]) and not _CONTACT_LINE.search(blocks[0]):
            headline, blocks = headline or _headline(blocks[0]), blocks[1:]
        contact += [block for block in blocks if _is_contact_line(block)]
        # A line of only protected details ("Date of birth: …") is not the summary.
        paragraphs = tuple(block for block in blocks if block not in contact and without_protected(block))
        path = pieces[0] or (part.trail[0] if part else "")
        headline = " · ".join(piece for piece in (headline or " · ".join(titles), post_nominals(raw_name)) if piece)
        return cls(pieces[0], headline, tuple(contact), paragraphs, path)

    @property
    def summary(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""

    @property
    def introduction(self) -> str:
        return sentence(f"I am {self.name}" + (f", {self.headline}" if self.headline else "")) if self.name else ""

    def sections(self) -> list[Section]:
        """The paragraphs under the name, after "I am Jane Doe, Engineer.", and the header's links."""
        found: list[Section] = []
        if self.paragraphs:
            text = "\n".join([self.introduction, *(sentence(paragraph) for paragraph in self.paragraphs)]).strip()
            found.append(Section(self.path, SectionType.SUMMARY, "About me", text))
        if self.contact:
            reach = sentence(f"How to reach me: {'; '.join(self.contact)}")
            found.append(Section(_CONTACT_PATH, SectionType.CONTACT, "Contact", reach))
        return found

    def introduce(self, sections: list[Section]) -> list[Section]:
        """The sections with "I am Jane Doe, Engineer." opening the summary, or as one of its own."""
        if not self.introduction or self.paragraphs or not sections:
            return sections
        index = next((index for index, section in enumerate(sections) if _is_summary(section)), None)
        if index is None:
            return [Section(self.path, SectionType.SUMMARY, "About me", self.introduction), *sections]
        first = sections[index]
        opened = Section(first.path, first.type, first.title, f"{self.introduction}\n{first.text}", tags=first.tags)
        return [*sections[:index], opened, *sections[index + 1 :]]


def _contact_lines_apart(lines: list[tuple[_Kind, str]]) -> list[tuple[_Kind, str]]:
    """The lines with each contact line a paragraph of its own, not run into the headline above it."""
    apart: list[tuple[_Kind, str]] = []
    for kind, line in lines:
        if kind is _Kind.TEXT and _is_contact_line(line.strip()):
            apart += [(_Kind.TEXT, ""), (kind, line), (_Kind.TEXT, "")]
        else:
            apart.append((kind, line))
    return apart


def _is_contact_line(text: str) -> bool:
    """A short line of links, emails or phone numbers (a long one may list them all)."""
    if len(text) > _CONTACT_LINE_MAX_CHARS or "\n" in text or text.endswith((".", "!", "?")):
        return False
    return bool(_CONTACT_LINE.search(text))


def _headline(line: str) -> str:
    """ "Designer | Leeds" reads "Designer · Leeds"; a place marked "📍 Leeds" goes last."""
    pieces = [piece.strip() for piece in _HEADLINE_SEPARATOR.split(line) if piece.strip()]
    places = [piece for piece in pieces if _PLACE_MARKER.match(piece)]
    ordered = [*(piece for piece in pieces if piece not in places), *places]
    return " · ".join(clean(_PLACE_MARKER.sub("", piece)).strip(" ,") for piece in ordered)


def _is_headline(block: str) -> bool:
    return len(block) <= _HEADLINE_MAX_CHARS and not block.endswith((".", "!", "?")) and "\n" not in block
