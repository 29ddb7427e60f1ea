"""Blocks of a laid-out document (a PDF's lines, a Word file's paragraphs) written out as Markdown.

The PDF and DOCX readers find what each block is from fonts and styles; the Markdown reader then does what
it does for every CV: sections by heading, a job's line with its dates, bullets into sentences.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from twin.profiles._sections import infer_type
from twin.profiles.dates import split_dates
from twin.profiles.keys import key_words
from twin.profiles.markdown.splitting import is_dates_line

__all__ = ["Block", "BlockKind", "is_dates_line", "is_section_heading", "to_markdown"]

_BULLET = re.compile(r"([•▪●◦‣○■□➤►▶✓✔∙·*–—-])\s*(\S.*)")
_NUMBERED = re.compile(r"\d{1,3}[.)]\s+\S.*")
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>])")
_BLOCK_SYNTAX = re.compile(r"[#>|+=-]|\d{1,9}[.)]")
_ENTRY_MAX_CHARS = 120
# LinkedIn's "(4 years 11 months)" after a job's dates: counted on the day of the export, and the dates say it.
_DURATION = re.compile(r"\(\s*(?:\d+\s+(?:years?|yrs?|months?|mos?)\s*)+\)", re.IGNORECASE)
_CAPITALS = re.compile(r"[A-Z][A-Z0-9&/,' .-]*")
_SECTION_LEVEL = 2


class BlockKind(Enum):
    NAME = "name"
    HEADING = "heading"
    TEXT = "text"
    ROW = "row"


@dataclass(frozen=True, slots=True)
class Block:
    """One heading (`level` 2 for a section, 3 inside one), paragraph, list item or table row."""

    kind: BlockKind
    text: str
    bold: bool = False
    level: int = 2
    cells: tuple[str, ...] = ()

    @staticmethod
    def starts_item(text: str) -> bool:
        return bool(_BULLET.fullmatch(text) or _NUMBERED.fullmatch(text))


def to_markdown(blocks: Iterable[Block]) -> str:
    return "\n".join(_lines(list(blocks))) + "\n"


def _lines(blocks: list[Block]) -> Iterator[str]:
    organisation = ""  # a heading naming where, above the role lines that follow it (LinkedIn's layout)
    table_row = 0
    skipped = -1
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind is BlockKind.ROW:
            yield from _row(block.cells, table_row)
            table_row += 1
            continue
        if table_row:
            yield ""
            table_row = 0
        if block.kind is BlockKind.NAME:
            organisation = ""
            yield f"# {_escape(block.text)}"
        elif block.kind is BlockKind.HEADING and block.level <= _SECTION_LEVEL:
            organisation = ""
            yield f"{'#' * block.level} {_escape(block.text)}"
        elif block.kind is BlockKind.HEADING:
            organisation = block.text
            after = blocks[index + 2] if index + 2 < len(blocks) else None
            if following is not None and _opens_entry(following, after):
                continue
            if following is not None and (dated := _dated_entry(following)) is not None:
                # LinkedIn's school above "Degree, Field · (2008 - 2010)": one entry, the degree first.
                skipped = index + 1
                yield f"{'#' * block.level} {_escape(dated[0])} | {_escape(block.text)}"
                yield ""
                yield dated[1]
            else:
                yield f"{'#' * block.level} {_escape(block.text)}"
        elif index == skipped:
            continue
        elif _opens_entry(block, following):
            where = f" | {organisation}" if organisation and organisation not in block.text else ""
            yield f"### {_escape(block.text)}{_escape(where)}"
        else:
            yield _text(block)
        yield ""


def is_section_heading(heading: str) -> bool:
    """Whether a heading names a section ("Experience", "WORK HISTORY") rather than a job or a school."""
    return infer_type(key_words(heading)) is not None or heading.isupper()


def _opens_entry(block: Block, following: Block | None) -> bool:
    """A short line right above a line of dates names a job, a degree or a project."""
    if following is None or following.kind is not BlockKind.TEXT or not is_dates_line(following.text):
        return False
    text = block.text
    return len(text) <= _ENTRY_MAX_CHARS and not text.endswith((".", "!", "?", ":")) and not is_dates_line(text)


def _dated_entry(block: Block) -> tuple[str, str] | None:
    """(what, dates) of a short line that ends in its dates: "Master of Science · (2008 - 2010)"."""
    if block.kind is not BlockKind.TEXT or len(block.text) > _ENTRY_MAX_CHARS or is_dates_line(block.text):
        return None
    rest, dates = split_dates(block.text)
    what = rest.strip(" ·|,;-–—()")
    if not dates or not what or not block.text.rstrip(" )").endswith(dates.rstrip(" )")):
        return None
    return what, dates


def _text(block: Block) -> str:
    bullet = _BULLET.fullmatch(block.text)
    if bullet:
        return f"- {_escape(bullet[2])}"
    if _NUMBERED.fullmatch(block.text):
        return block.text.replace("\\", "\\\\")
    text = _escape(block.text)
    if block.bold and len(block.text) <= _ENTRY_MAX_CHARS:
        return f"**{text}**"
    if is_dates_line(block.text):
        return _DURATION.sub("", text).strip()
    if _CAPITALS.fullmatch(block.text):
        return f"- {text}"  # "SAP APO" in a list of skills: an item, where a Markdown reader would see a heading
    return f"\\{text}" if _BLOCK_SYNTAX.match(text) else text


def _row(cells: tuple[str, ...], number: int) -> Iterator[str]:
    yield "| " + " | ".join(_escape(cell).replace("|", "\\|") for cell in cells) + " |"
    if number == 0:
        yield "|" + "---|" * len(cells)


def _escape(text: str) -> str:
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)
