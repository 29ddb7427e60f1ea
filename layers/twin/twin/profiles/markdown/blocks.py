"""The lines under a heading as blocks of text: paragraphs, list items, table rows, code."""

import re
from dataclasses import dataclass

from twin.profiles.markdown.inline import inline
from twin.profiles.markdown.syntax import LIST_ITEM, LineKind

_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_REFERENCE_DEFINITION = re.compile(r"\[([^\]]+)\]:[ \t]*(\S+)")
# "**Languages:** Python": a labelled line, which stays a line of its own inside a paragraph.
_BOLD_LABEL = re.compile(r"(\*\*|__)[^*_\n]{1,60}?(?::\1|\1:)")
_TABLE_SEPARATOR = frozenset("|-: \t")


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    is_code: bool = False


def text_blocks(lines: list[tuple[LineKind, str]]) -> list[Block]:
    """Paragraphs, list items, table rows and code lines as plain text, one block each."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    last_was_item = False

    def flush() -> None:
        if paragraph:
            blocks.append(Block(" ".join(paragraph)))
            paragraph.clear()

    for kind, line in lines:
        stripped = line.strip()
        if kind is LineKind.CODE:
            flush()
            if stripped:
                blocks.append(Block(line.rstrip(), is_code=True))
            last_was_item = False
            continue
        if kind is LineKind.FENCE or not stripped or _THEMATIC_BREAK.fullmatch(line):
            flush()
            last_was_item = last_was_item and not stripped
            continue
        if last_was_item and line[:1] in (" ", "\t") and not paragraph and not LIST_ITEM.fullmatch(stripped):
            blocks[-1] = Block(f"{blocks[-1].text} {inline(stripped)}")  # a list item's continuation line
            continue
        text = _unquote(stripped)
        block = _block(text)
        last_was_item = bool(LIST_ITEM.fullmatch(text))
        if block is None:
            if _BOLD_LABEL.match(text):
                flush()
            paragraph.append(inline(text))
        else:
            flush()
            if block:
                blocks.append(Block(block))
    flush()
    return [block for block in blocks if block.text.strip()]


def _unquote(text: str) -> str:
    while text.startswith(">"):
        text = text[1:].lstrip()
    return text


def _block(text: str) -> str | None:
    """A line that stands on its own (list item, table row, link definition); None for prose."""
    item = LIST_ITEM.fullmatch(text)
    if item:
        marker = item[1] if item[1][0].isdigit() else "-"
        return f"{marker} {inline(item[2])}"
    if text.startswith("|"):
        if set(text) <= _TABLE_SEPARATOR:
            return ""
        cells = (inline(cell.strip()) for cell in text.strip("|").split("|"))
        return " | ".join(cell for cell in cells if cell)
    definition = _REFERENCE_DEFINITION.fullmatch(text)
    if definition:
        return f"{definition[1]}: {definition[2]}"
    return None
