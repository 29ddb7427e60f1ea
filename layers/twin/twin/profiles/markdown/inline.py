"""Inline Markdown (links, emphasis, code spans, escapes, HTML) as the plain text a sentence holds.

markdown-it-py parses it as CommonMark does; the tokens are then written out as text: a link as
"label (url)", an image as its alt text and address, an autolink as its address, code as written.
"""

import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# "[label][ref]" whose definition is missing: CommonMark leaves it as text; the label is what reads.
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_BREAKS = frozenset({"softbreak", "hardbreak"})
_EMPHASIS = frozenset({"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"})
_BOLD_MAX_CHARS = 80
_LABEL_MAX_CHARS = 60
_AFTER_BOLD = re.compile(r"\s*:?\s*")


@dataclass(frozen=True, slots=True)
class InlineLine:
    """One line of inline Markdown as text, and whether it is all bold or starts with a bold label."""

    text: str
    bold: str | None = None
    labelled: bool = False


@cache
def parser() -> "MarkdownIt":
    """CommonMark with tables and strikethrough; no indented code, for a CV indents text for layout."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("code")


def inline_lines(tokens: "list[Token]") -> list[InlineLine]:
    """A paragraph's inline tokens line by line, as its soft and hard line breaks divide it."""
    lines: list[list[Token]] = [[]]
    for token in tokens:
        if token.type in _BREAKS:
            lines.append([])
        else:
            lines[-1].append(token)
    return [_line(line) for line in lines]


def source_line(source: str, env: MutableMapping[str, object]) -> InlineLine:
    """One line of inline Markdown (a line of an HTML block), links resolved by the document's definitions."""
    tokens = parser().parseInline(source, env)
    return _line(tokens[0].children or [] if tokens else [])


def plain(tokens: "list[Token]") -> str:
    """Inline tokens as readable text; link URLs kept in parentheses, code spans as is."""
    return " ".join(_REFERENCE_LINK.sub(r"\1", _text(tokens)).split())


def _line(tokens: "list[Token]") -> InlineLine:
    text = plain(tokens)
    body = [index for index, token in enumerate(tokens) if token.type != "text" or token.content.strip()]
    if not body or tokens[body[0]].type != "strong_open":
        return InlineLine(text)
    start, end = body[0], body[-1] + 1
    close = next((index for index in range(start + 1, end) if tokens[index].type in _EMPHASIS), None)
    if close is None or tokens[close].type != "strong_close":
        return InlineLine(text)  # emphasis inside the bold, or bold that goes on to the next line
    inside, after = plain(tokens[start + 1 : close]), plain(tokens[close + 1 : end])
    is_bold = 2 <= len(inside) <= _BOLD_MAX_CHARS and _AFTER_BOLD.fullmatch(after) is not None
    labelled = len(inside) <= _LABEL_MAX_CHARS and (inside.endswith(":") or after.startswith(":"))
    if inside.endswith(".") and after and not is_bold:
        # "**Quillfeather earn-out.** £12m over two years": the lead-in names what its sentence is about, so
        # it reads as a label of that sentence, not as a sentence of its own.
        text = f"{inside[:-1]}: {after}"
    return InlineLine(text, inside if is_bold else None, labelled)


def _text(tokens: "list[Token]") -> str:
    out: list[str] = []
    link: list[tuple[str, int]] = []  # (url, where its label starts in `out`) of each open link
    for token in tokens:
        match token.type:
            case "link_open":
                link.append((str(token.attrGet("href") or ""), len(out)))
            case "link_close" if link:
                url, start = link.pop()
                label = "".join(out[start:])
                del out[start:]
                out.append(_link(label, url))
            case "image":
                out.append(_link(_text(token.children or []), str(token.attrGet("src") or "")))
            case "html_inline":
                out.append(" ")
            case "softbreak" | "hardbreak":
                out.append(" ")
            case "text" | "text_special" | "code_inline":
                out.append(token.content)
    return "".join(out)


def _link(label: str, url: str) -> str:
    label, url = label.strip(), url.removeprefix("mailto:")
    if not url or label == url:
        return label or url
    return f"{label} ({url})" if label else url
