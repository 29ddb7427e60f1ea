"""A PDF CV (or LinkedIn's "Save to PDF" profile): its text laid out again as Markdown, then read as Markdown.

pdfminer.six gives each line of text with its place on the page and its font, which is what finding
sections needs: headings by size, weight and capitals; columns by the empty gutter between them; a wrapped
line by whether the next line's first word would have fitted on it. Reading order comes from the page's
geometry, not from the order a program happened to draw the text in.
"""

import io
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from twin.domain.limits import MAX_DOCUMENT_PAGES
from twin.domain.profile import Profile, ProfileFormat
from twin.errors import ProfileFormatError
from twin.profiles import markdown

if TYPE_CHECKING:
    from pdfminer.layout import LTPage

from twin.profiles.layout import Block, BlockKind, is_dates_line, is_section_heading, to_markdown
from twin.profiles.wrapping import join_wrapped

# Header and footer bands: a line this close to the page's top or bottom edge may be a running header.
_MARGIN_BAND = 0.07
_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|[-–—]\s*\d{1,3}\s*[-–—]", re.IGNORECASE)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold", re.IGNORECASE)
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\xad": ""})
_MIN_GUTTER = 12.0  # points: narrower gaps are spaces between words, not between columns
_MIN_COLUMN_LINES = 3
# A full-width name or title over both columns would bridge the gutter: this many top lines may.
_MAX_SPANNING_LINES = 3
_HEADING_SCALE = 1.12
_NAME_SCALE = 1.3
_PARAGRAPH_LEADING = 1.5  # top-to-top distance, in font sizes, beyond which a new paragraph starts
_HEADING_MAX_WORDS = 8
_NAME_BLOCK_LINES = 3
_SECTION_LEVEL = 2
_COLUMN_TOLERANCE = 24.0  # points: headings this close to each other's left edge are in one column
_SIZE_TOLERANCE = 0.5


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    # The right edge of the line's column, which a wrapped line nearly reaches; set in reading order.
    right: float = 0.0


@dataclass(frozen=True, slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: tuple[_Line, ...]
    has_images: bool


def load(document: bytes) -> Profile:
    pages = _read(document)
    lines = [line for page in _without_running_lines(pages) for line in _reading_order(page)]
    if not lines:
        if any(page.has_images for page in pages):
            raise ProfileFormatError(
                "page 1",
                "a PDF with text: its pages are only images, as a scan's are, and scans are not read (no OCR); "
                "export the CV to PDF from the program that made it",
            )
        raise ProfileFormatError("page 1", "a PDF with text")
    profile = markdown.load(to_markdown(_blocks(lines)))
    return replace(profile, source_format=ProfileFormat.PDF)


# --- reading the file ------------------------------------------------------------------------


def _read(document: bytes) -> list[_Page]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    # Columns a sidebar's width apart stay apart: characters join a line only when closer than 1.5 widths.
    parameters = LAParams(char_margin=1.5)
    try:
        pages: list[_Page] = []
        for layout in extract_pages(io.BytesIO(document), laparams=parameters, maxpages=MAX_DOCUMENT_PAGES + 1):
            if len(pages) == MAX_DOCUMENT_PAGES:
                raise ProfileFormatError(f"page {len(pages) + 1}", f"a CV of at most {MAX_DOCUMENT_PAGES} pages")
            pages.append(_page(layout, len(pages) + 1))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ProfileFormatError(
            "PDF", "a PDF without a password: this one is encrypted; save it again without protection"
        ) from None
    except ProfileFormatError:
        raise
    except Exception:
        raise ProfileFormatError("PDF", "a PDF file that is not damaged") from None
    return pages


def _page(layout: "LTPage", number: int) -> _Page:
    from pdfminer.layout import LTChar, LTContainer, LTImage, LTTextLineHorizontal

    lines: list[_Line] = []
    has_images = False
    pending: list[object] = list(layout)
    while pending:
        element = pending.pop()
        if isinstance(element, LTImage):
            has_images = True
        elif isinstance(element, LTTextLineHorizontal):
            chars = [char for char in element if isinstance(char, LTChar)]
            text = _clean(element.get_text())
            if text and chars:
                bold = sum(len(char.get_text()) for char in chars if _BOLD_FONT.search(char.fontname))
                lines.append(
                    _Line(
                        text=text,
                        x0=element.x0,
                        x1=element.x1,
                        top=layout.height - element.y1,
                        bottom=layout.height - element.y0,
                        size=statistics.median(char.size for char in chars),
                        bold=bold * 2 > len(chars),
                        page=number,
                    )
                )
        elif isinstance(element, LTContainer):
            pending.extend(element)
    return _Page(number, layout.width, layout.height, tuple(lines), has_images)


def _clean(text: str) -> str:
    text = _UNMAPPED_GLYPH.sub("", text.translate(_LIGATURES))
    return " ".join("".join(char for char in text if char.isprintable() or char.isspace()).split())


# --- headers, footers and columns --------------------------------------------------------------


def _without_running_lines(pages: list[_Page]) -> list[_Page]:
    """Pages without page numbers and without lines repeated in the top or bottom band of several pages."""

    def in_band(line: _Line, page: _Page) -> bool:
        return line.top < page.height * _MARGIN_BAND or line.bottom > page.height * (1 - _MARGIN_BAND)

    repeated = Counter(line.text for page in pages for line in {*page.lines} if in_band(line, page))
    return [
        replace(
            page,
            lines=tuple(
                line
                for line in page.lines
                if not (in_band(line, page) and (_PAGE_NUMBER.fullmatch(line.text) or repeated[line.text] > 1))
            ),
        )
        for page in pages
    ]


def _reading_order(page: _Page) -> list[_Line]:
    """Full-width lines at the top, then each column top to bottom, left column first."""
    by_top = sorted(page.lines, key=lambda line: (line.top, line.x0))
    for spanning in range(min(_MAX_SPANNING_LINES, len(by_top)) + 1):
        columns = _columns(by_top[spanning:])
        if len(columns) > 1:
            return [*_measured(by_top[:spanning]), *(line for column in columns for line in _measured(column))]
    return _measured(by_top)


def _measured(lines: list[_Line]) -> list[_Line]:
    right = max((line.x1 for line in lines), default=0.0)
    return [replace(line, right=right) for line in lines]


def _columns(lines: list[_Line]) -> list[list[_Line]]:
    """The lines split at every vertical gutter no line crosses, when each side holds a few lines."""
    edges: list[float] = []
    reach = None
    for line in sorted(lines, key=lambda line: line.x0):
        if reach is not None and line.x0 - reach >= _MIN_GUTTER:
            edges.append((reach + line.x0) / 2)
        reach = line.x1 if reach is None else max(reach, line.x1)
    columns = [[line for line in lines if low <= line.x0 < high] for low, high in _spans(edges)]
    if any(len(column) < _MIN_COLUMN_LINES for column in columns):
        return [lines]
    return columns


def _spans(edges: list[float]) -> list[tuple[float, float]]:
    bounds = [float("-inf"), *edges, float("inf")]
    return list(itertools.pairwise(bounds))


# --- lines into blocks -------------------------------------------------------------------------


def _blocks(lines: list[_Line]) -> list[Block]:
    """Headings, the name and paragraphs (wrapped lines joined again), from sizes, weights and spacing."""
    body = _body_size(lines)
    name_index = _name_index(lines, body)
    levels = _heading_levels(lines, body)
    order = list(range(len(lines)))
    if name_index is not None:
        # The name and the lines under it open the document, even when a sidebar comes first in reading order.
        block_end = name_index + 1
        while (
            block_end < len(lines)
            and block_end - name_index <= _NAME_BLOCK_LINES
            and levels[block_end] != _SECTION_LEVEL
            and lines[block_end].page == lines[name_index].page
        ):
            levels[block_end] = None
            block_end += 1
        order = [*range(name_index, block_end), *range(name_index), *range(block_end, len(lines))]
    blocks: list[Block] = []
    previous: _Line | None = None
    for index in order:
        line, level = lines[index], levels[index]
        if index == name_index:
            blocks.append(Block(BlockKind.NAME, line.text))
        elif level is not None:
            blocks.append(Block(BlockKind.HEADING, line.text, level=level))
        elif previous is not None and blocks and blocks[-1].kind is BlockKind.TEXT and _continues(previous, line):
            blocks[-1] = replace(blocks[-1], text=join_wrapped(blocks[-1].text, line.text))
        else:
            blocks.append(Block(BlockKind.TEXT, line.text, bold=line.bold))
        previous = line
    return blocks


def _heading_levels(lines: list[_Line], body: float) -> list[int | None]:
    """2 for a section's heading, 3 for a heading inside one (LinkedIn's company names), None for text.

    A heading that names a section ("Education") but is smaller than the section headings in the same
    column is inside a section: "Chalmers University of Technology" under "Education".
    """
    headings = [_is_heading(line, body) for line in lines]
    section_size: dict[int, float] = {}
    for line, heading in zip(lines, headings, strict=True):
        if heading and is_section_heading(line.text):
            column = round(line.x0 / _COLUMN_TOLERANCE)
            section_size[column] = max(section_size.get(column, 0.0), line.size)
    levels: list[int | None] = []
    for line, heading in zip(lines, headings, strict=True):
        largest = section_size.get(round(line.x0 / _COLUMN_TOLERANCE), line.size)
        if not heading:
            levels.append(None)
        elif is_section_heading(line.text) and line.size >= largest - _SIZE_TOLERANCE:
            levels.append(_SECTION_LEVEL)
        else:
            levels.append(_SECTION_LEVEL + 1)
    return levels


def _body_size(lines: list[_Line]) -> float:
    sizes = Counter[float]()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0]


def _name_index(lines: list[_Line], body: float) -> int | None:
    """The largest line on the first page, when it stands out; else a short first line."""
    first_page = [index for index, line in enumerate(lines) if line.page == lines[0].page]
    largest = max(first_page, key=lambda index: lines[index].size)
    if lines[largest].size >= body * _NAME_SCALE:
        return largest
    return None


def _is_heading(line: _Line, body: float) -> bool:
    words = line.text.split()
    if len(words) > _HEADING_MAX_WORDS or line.text.endswith((".", ",", ";")) or is_dates_line(line.text):
        return False
    capitals = line.text.isupper() and len(line.text) > 3
    return line.size >= body * _HEADING_SCALE or (line.bold and capitals)


def _continues(previous: _Line, line: _Line) -> bool:
    """Whether `line` wraps on from `previous`: same style, close below it, and `previous` ran out of room."""
    if line.page != previous.page or line.bold != previous.bold or abs(line.size - previous.size) > _SIZE_TOLERANCE:
        return False
    leading = line.top - previous.top
    if leading <= 0 or leading > previous.size * _PARAGRAPH_LEADING:
        return False
    if Block.starts_item(line.text) or is_dates_line(line.text) or is_dates_line(previous.text):
        return False
    if line.text[:1].islower():
        return True  # a sentence goes on; the line's measure is no help when a long link overflows it
    first_word = line.text.split()[0]
    char_width = (line.x1 - line.x0) / max(len(line.text), 1)
    return previous.x1 + (len(first_word) + 1) * char_width >= previous.right
