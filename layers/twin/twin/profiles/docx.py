"""A Word CV: headings by their style, lists, tables and the page header, then read as Markdown.

The Title style (or the first Heading 1 when there is no title) is the name; Heading 1 starts a section,
Heading 2 an entry in it; a list paragraph is an item; a table becomes rows of cells (a skills matrix); the
page header, where a CV often keeps its contact line, comes under the name. Text boxes are not read.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from twin.domain.profile import Profile, ProfileFormat
from twin.errors import ProfileFormatError
from twin.profiles import markdown
from twin.profiles.archive import open_archive, read_member
from twin.profiles.layout import Block, BlockKind, to_markdown

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

_HEADING_STYLE = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_MAIN_PART = "word/document.xml"


def load(document: bytes) -> Profile:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    _check_parts(document)
    try:
        word = Document(io.BytesIO(document))
    except (PackageNotFoundError, KeyError, ValueError):
        raise ProfileFormatError("DOCX", "a Word document (.docx) that is not damaged") from None
    profile = markdown.load(to_markdown(_blocks(word)))
    return replace(profile, source_format=ProfileFormat.DOCX)


def _check_parts(document: bytes) -> None:
    """Every part python-docx would read, through the archive checks first (it reads them all into memory)."""
    archive = open_archive(document, "DOCX")
    for member in archive.infolist():
        read_member(archive, member, "DOCX")
    if _MAIN_PART not in archive.namelist():
        raise ProfileFormatError("DOCX", "a Word document (.docx) with a word/document.xml part")


def _blocks(word: "WordDocument") -> list[Block]:
    body = list(_body_blocks(word))
    if body and not any(block.kind is BlockKind.NAME for block in body):
        first = next((index for index, block in enumerate(body) if block.kind is BlockKind.HEADING), None)
        if first is not None:
            body[first] = Block(BlockKind.NAME, body[first].text)
    seen = {block.text for block in body}
    header = [
        Block(BlockKind.TEXT, text)
        for section in word.sections
        for paragraph in section.header.paragraphs
        if (text := " ".join(paragraph.text.split())) and text not in seen
    ]
    header += [
        Block(BlockKind.ROW, "", cells=cells)
        for section in word.sections
        for table in section.header.tables
        for cells in _rows(table)
    ]
    name = next((index for index, block in enumerate(body) if block.kind is BlockKind.NAME), -1)
    # The name, the line under it (the headline), then the header's contact line.
    at = name + 2 if name >= 0 and name + 1 < len(body) and body[name + 1].kind is BlockKind.TEXT else name + 1
    return [*body[:at], *dict.fromkeys(header), *body[at:]]


def _body_blocks(word: "WordDocument") -> Iterator[Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in word.iter_inner_content():
        if isinstance(item, Table):
            yield from (Block(BlockKind.ROW, "", cells=cells) for cells in _rows(item))
        elif isinstance(item, Paragraph) and (block := _paragraph(item)) is not None:
            yield block


def _paragraph(paragraph: "Paragraph") -> Block | None:
    text = " ".join(paragraph.text.split())
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None and paragraph.style.name else ""
    if style.casefold() == "title":
        return Block(BlockKind.NAME, text)
    heading = _HEADING_STYLE.fullmatch(style.strip())
    if heading:
        return Block(BlockKind.HEADING, text, level=min(int(heading[1]) + 1, 6))
    properties = paragraph._p.pPr
    if "list" in style.casefold() or (properties is not None and properties.numPr is not None):
        return Block(BlockKind.TEXT, f"• {text}")
    runs = [run for run in paragraph.runs if run.text.strip()]
    bold = bool(runs) and all(run.bold for run in runs)
    return Block(BlockKind.TEXT, text, bold=bold)


def _rows(table: "Table") -> Iterator[tuple[str, ...]]:
    for row in table.rows:
        cells = tuple(dict.fromkeys(" ".join(cell.text.split()) for cell in row.cells))  # merged cells repeat
        if any(cells):
            yield cells
