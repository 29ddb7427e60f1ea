"""What the CV says about the person before its first section: name, headline, links, summary."""

import re
from dataclasses import dataclass, replace

from twin.domain.privacy import without_protected
from twin.domain.profile import Section, SectionType
from twin.profiles.markdown.blocks import Block, BlockKind, text_blocks
from twin.profiles.markdown.sections import is_summary
from twin.profiles.markdown.syntax import CONTACT_PATH, Line, Part
from twin.profiles.names import name_and_links, name_pieces, post_nominals
from twin.profiles.phrasing import clean, sentence

_HEADLINE_MAX_CHARS = 120
_HEADLINE_SEPARATOR = re.compile(r"\s+[|·•—–-]\s+|\s*[|·•]\s*")
_PLACE_MARKER = re.compile(r"(?:📍|🏠|🌍|🌎|🌏|based in\b|located in\b)\ufe0f?\s*", re.IGNORECASE)
_CONTACT_LINE_MAX_CHARS = 240
_PHONE_DIGITS = 7
# A few capitalised words: "Bristol", "New York, NY", "Leeds, West Yorkshire".
_PLACE = re.compile(r"[A-Z][^\W\d_]*(?:[ ,'’-]+[A-Z][^\W\d_]*){0,3}")
_CONTACT_LINE = re.compile(r"https?://|www\.|\S@\S+\.\w|\+\d[\d ()-]{7,}\d|\b(?:linkedin|github)\b", re.I)


@dataclass(frozen=True, slots=True)
class Header:
    """What the CV says about the person before its first section: name, headline, links, summary."""

    name: str
    headline: str
    contact: tuple[str, ...]
    paragraphs: tuple[str, ...]
    path: str
    place: str = ""
    """A piece of a contact line that is no contact detail: where the person is ("Bristol | jo@example.com")."""

    @classmethod
    def of(cls, front_matter: dict[str, str], part: Part | None) -> "Header":
        raw_name = front_matter.get("name", "") or (part.trail[0] if part else "")
        pieces = name_pieces(raw_name)
        contact = [piece for piece in pieces[1:] if _CONTACT_LINE.search(piece)]
        links = name_and_links(raw_name)[1].split(", ")
        contact += [link for link in links if link and not any(link in piece for piece in contact)]
        titles = [piece for piece in pieces[1:] if not _CONTACT_LINE.search(piece)]
        found = text_blocks(_contact_lines_apart(part.lines)) if part else []
        blocks = [block.text for block in found]
        headline = " · ".join(
            part for part in (front_matter.get("title", ""), front_matter.get("location", "")) if part
        )
        if found and _is_headline(found[0]):
            headline, blocks = headline or _headline(blocks[0]), blocks[1:]
        elif blocks and not headline and (opening := _headline_opening(blocks[0])):
            # "Engineer — Glasgow — jo@example.com": the headline runs on into the contact details.
            headline, blocks = opening[0], [opening[1], *blocks[1:]]
        contact += [block for block in blocks if is_contact_line(block)]
        # A line of only protected details ("Date of birth: …") is not the summary.
        paragraphs = tuple(block for block in blocks if block not in contact and without_protected(block))
        path = pieces[0] or (part.trail[0] if part else "")
        headline = " · ".join(piece for piece in (headline or " · ".join(titles), post_nominals(raw_name)) if piece)
        return cls(pieces[0], headline, tuple(contact), paragraphs, path, _place(contact, headline))

    @property
    def summary(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""

    @property
    def introduction(self) -> str:
        if not self.name:
            return ""
        based = f", based in {self.place}" if self.place else ""
        return sentence(f"I am {self.name}" + (f", {self.headline}" if self.headline else "") + based)

    def sections(self) -> list[Section]:
        """The paragraphs under the name, after "I am Jane Doe, Engineer.", and the header's links."""
        found: list[Section] = []
        if self.paragraphs:
            text = "\n".join([self.introduction, *(sentence(paragraph) for paragraph in self.paragraphs)]).strip()
            found.append(Section(self.path, SectionType.SUMMARY, "About me", text))
        if self.contact:
            reach = sentence(f"How to reach me: {'; '.join(self.contact)}")
            found.append(Section(CONTACT_PATH, SectionType.CONTACT, "Contact", reach))
        return found

    def introduce(self, sections: list[Section]) -> list[Section]:
        """The sections with "I am Jane Doe, Engineer." opening the summary, or as one of its own."""
        if not self.introduction or self.paragraphs or not sections:
            return sections
        index = next((index for index, section in enumerate(sections) if is_summary(section)), None)
        if index is None:
            return [Section(self.path, SectionType.SUMMARY, "About me", self.introduction), *sections]
        first = sections[index]
        opened = Section(first.path, first.type, first.title, f"{self.introduction}\n{first.text}", tags=first.tags)
        return [*sections[:index], opened, *sections[index + 1 :]]


def _place(contact: list[str], headline: str) -> str:
    """Where the person is, from a contact line: a place marked so ("📍 Manchester, UK"), or a place name opening a
    line of nothing but contact details under a headline ("Bristol | jo@example.com"); unless the headline has it."""
    for line in contact:
        pieces = [piece.strip() for piece in _HEADLINE_SEPARATOR.split(line) if piece.strip()]
        for index, piece in enumerate(pieces):
            name = clean(_PLACE_MARKER.sub("", piece)).strip(" ,")
            opens = index == 0 and bool(headline) and all(_is_contact_detail(other) for other in pieces[1:])
            if _PLACE.fullmatch(name) and (_PLACE_MARKER.match(piece) or opens):
                return "" if name.casefold() in headline.casefold() else name
    return ""


def _is_contact_detail(piece: str) -> bool:
    """A link, an email or a phone number (written with or without its country code)."""
    return bool(_CONTACT_LINE.search(piece)) or sum(char.isdigit() for char in piece) >= _PHONE_DIGITS


def _contact_lines_apart(lines: list[Line]) -> list[Line]:
    """The lines with each contact line a paragraph of its own, not run into the headline above it."""
    apart: list[Line] = []
    for line in lines:
        after_contact = bool(apart) and is_contact_line(apart[-1].text)
        apart.append(replace(line, opens=True) if after_contact or is_contact_line(line.text) else line)
    return apart


def is_contact_line(text: str) -> bool:
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


def _headline_opening(line: str) -> tuple[str, str] | None:
    """A contact line's headline (the pieces before its first contact detail, but a marked place) and the rest."""
    if not is_contact_line(line):
        return None
    pieces = [piece.strip() for piece in _HEADLINE_SEPARATOR.split(line) if piece.strip()]
    count = next((index for index, piece in enumerate(pieces) if _is_contact_detail(piece)), 0)
    titles = [piece for piece in pieces[:count] if not _PLACE_MARKER.match(piece)]
    if not titles:
        return None
    return _headline(" · ".join(titles)), " · ".join(piece for piece in pieces if piece not in titles)


def _is_headline(block: Block) -> bool:
    """A short line of prose that is no sentence and holds no contact details: "Designer | Leeds"."""
    text = block.text
    if block.kind is not BlockKind.PROSE or len(text) > _HEADLINE_MAX_CHARS or text.endswith((".", "!", "?")):
        return False
    return not _CONTACT_LINE.search(text)
