"""The document as markdown-it-py parses it (CommonMark and tables), as the lines a CV is read in.

Headings, the lines of paragraphs, list items (a nested item is one of its own), table rows and lines of
fenced code all come from the parser's tokens. HTML comments are left out; other HTML leaves its text.
"""

import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from twin.profiles.markdown.inline import InlineLine, inline_lines, parser, plain, source_line
from twin.profiles.markdown.syntax import Line, LineKind
from twin.profiles.wrapping import continues, join_wrapped

if TYPE_CHECKING:
    from markdown_it.token import Token

# The info string of a fence that holds a whole CV, as chat assistants return one.
_WRAPPERS = frozenset({"", "markdown", "md"})
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# "•" and friends, bullets pasted from Word or Google Docs, and "2." inside a paragraph (where CommonMark
# starts a list only at "1."): list items to a reader, text to CommonMark.
_PASTED_ITEM = re.compile(r"(?:[•▪●◦‣]|\d{1,9}[.)])[ \t]+(\S.*)")
_SETEXT = frozenset({"=", "-"})
# "Languages: Go, Python": a line of a paragraph that starts with a label of a few words, as pasted skills read.
_LABEL_LINE = re.compile(r"[A-Z][\w&/+'’-]*(?: [\w&/+'’-]+){0,3}:\s+\S.*")


def unwrapped(text: str) -> str:
    """The Markdown inside a fence that holds the whole document, else the document."""
    if not text.lstrip().startswith(("```", "~~~")):
        return text
    tokens = parser().parse(text)
    if len(tokens) == 1 and tokens[0].type == "fence" and tokens[0].info.strip().lower() in _WRAPPERS:
        return tokens[0].content
    return text


def document_lines(text: str) -> list[Line]:
    env: MutableMapping[str, object] = {}
    reader = _Reader(env)
    for token in parser().parse(text, env):
        reader.take(token)
    return reader.lines


@dataclass
class _Item:
    """The text of the list item being read, until a nested list, code or table or its end."""

    pieces: list[str] = field(default_factory=list)
    after_blank: bool | None = None


class _Reader:
    """Tokens into lines: what a paragraph says depends on whether it is in a list item or a quote."""

    def __init__(self, env: MutableMapping[str, object]) -> None:
        self.lines: list[Line] = []
        self._env = env
        self._containers: list[_Item | None] = []  # the open list items, and None for each open quote
        self._block: Token | None = None  # the paragraph or heading whose inline content comes next
        self._row: list[str] = []
        self._row_after_blank = False
        self._end = 0  # the line after the last block read

    def take(self, token: "Token") -> None:
        match token.type:
            case "paragraph_open" | "heading_open":
                self._block = token
            case "inline" if self._block is not None:
                self._inline(self._block, token)
                self._block = None
            case "inline":  # a table cell's
                self._row.append(plain(token.children or []))
            case "table_open":
                self._end_item_text()
                self._row_after_blank = self._after_blank(token)
            case "tr_close":
                self._add(LineKind.ROW, " | ".join(cell for cell in self._row if cell), self._row_after_blank)
                self._row, self._row_after_blank = [], False
            case "list_item_open":
                self._end_item_text()
                self._containers.append(_Item())
            case "blockquote_open":
                self._containers.append(None)
            case "list_item_close" | "blockquote_close":
                self._end_item_text()
                self._containers.pop()
            case "fence":
                self._end_item_text()
                after_blank = self._after_blank(token)
                for line in (line.rstrip() for line in token.content.splitlines()):
                    self._add(LineKind.CODE, line, after_blank)
                    after_blank = after_blank and not line
            case "html_block":
                content = _COMMENT.sub("", token.content)
                self._text([source_line(line, self._env) for line in content.splitlines()], self._after_blank(token))
            case "hr":
                self._after_blank(token)

    def _inline(self, block: "Token", inline: "Token") -> None:
        after_blank = self._after_blank(block)
        is_heading = block.type == "heading_open" and not self._containers
        # A setext underline below a paragraph of several lines is a rule between blocks, not a heading.
        if is_heading and not (block.markup in _SETEXT and "\n" in inline.content):
            self.lines.append(
                Line(LineKind.HEADING, plain(inline.children or []), int(block.tag[1:]), after_blank=after_blank)
            )
            return
        self._text(inline_lines(inline.children or []), after_blank)

    def _text(self, lines: list[InlineLine], after_blank: bool) -> None:
        """A paragraph's lines: text, or the text of the list item or the quote they are in."""
        container = self._containers[-1] if self._containers else None
        opens = True
        in_pasted_item = False  # the line above is a pasted item, which a line the PDF wrapped goes on with
        for line in lines:
            pasted = _PASTED_ITEM.fullmatch(line.text)
            wraps = in_pasted_item and not pasted and continues(self.lines[-1].text, line.text)
            if isinstance(container, _Item):
                if pasted:
                    self._end_item_text()
                self._item_text(container, pasted[1] if pasted else line.text, after_blank)
            elif pasted:
                self._add(LineKind.ITEM, pasted[1], after_blank)
            elif wraps:
                self.lines[-1] = replace(self.lines[-1], text=join_wrapped(self.lines[-1].text, line.text))
            elif line.text:
                kind = LineKind.QUOTE if self._containers else LineKind.TEXT
                labelled = line.labelled or (not opens and _is_label_line(self.lines[-1].text, line.text))
                self.lines.append(
                    Line(kind, line.text, bold=line.bold, labelled=labelled, opens=opens, after_blank=after_blank)
                )
                opens = False
            after_blank = False
            in_pasted_item = not isinstance(container, _Item) and bool(pasted or wraps)

    def _item_text(self, item: _Item, text: str, after_blank: bool) -> None:
        if text:
            item.pieces.append(text)
            item.after_blank = after_blank if item.after_blank is None else item.after_blank

    def _end_item_text(self) -> None:
        """The open list item's text so far as a line, before what is nested in it."""
        item = self._containers[-1] if self._containers else None
        if isinstance(item, _Item) and item.pieces:
            self._add(LineKind.ITEM, " ".join(item.pieces), bool(item.after_blank))
            item.pieces.clear()
            item.after_blank = None

    def _add(self, kind: LineKind, text: str, after_blank: bool) -> None:
        if text.strip():
            self.lines.append(Line(kind, text, after_blank=after_blank))

    def _after_blank(self, block: "Token") -> bool:
        """Whether a blank line stands between the block and the one before it."""
        start, end = block.map or (self._end, self._end)
        after_blank = start > self._end
        self._end = max(self._end, end)
        return after_blank


def _is_label_line(previous: str, line: str) -> bool:
    """A labelled line under another line of its paragraph, which it does not wrap on from."""
    return _LABEL_LINE.fullmatch(line) is not None and not continues(previous, line)
