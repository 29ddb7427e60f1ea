"""The lines under a heading as blocks of text: paragraphs, list items, table rows, lines of code."""

import functools
from dataclasses import dataclass
from enum import Enum

from twin.profiles.markdown.syntax import Line, LineKind
from twin.profiles.wrapping import join_wrapped, starts_entry


class BlockKind(Enum):
    PROSE = "prose"  # a paragraph, a quote or a table row
    ITEM = "item"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    kind: BlockKind = BlockKind.PROSE
    bold: bool = False  # a paragraph of one line, all of it bold ("**Project Architect**")


_KINDS = {LineKind.ITEM: BlockKind.ITEM, LineKind.CODE: BlockKind.CODE, LineKind.ROW: BlockKind.PROSE}


def text_blocks(lines: list[Line]) -> list[Block]:
    """Each paragraph as one block, a labelled line ("**Languages:** Python") or an entry's line one of its own;
    other lines one each."""
    blocks: list[Block] = []
    paragraph: list[Line] = []

    def flush() -> None:
        if paragraph:
            text = functools.reduce(join_wrapped, (line.text for line in paragraph))
            blocks.append(Block(text, bold=len(paragraph) == 1 and paragraph[0].bold is not None))
            paragraph.clear()

    for line in lines:
        if line.kind in _KINDS:
            flush()
            blocks.append(Block(line.text, _KINDS[line.kind]))
            continue
        if line.opens or line.labelled or (paragraph and starts_entry(paragraph[-1].text, line.text)):
            flush()
        paragraph.append(line)
    flush()
    return blocks
