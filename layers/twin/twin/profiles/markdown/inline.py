"""Inline Markdown (links, emphasis, code spans, escapes, HTML) as the plain text a sentence holds.

markdown-it-py parses it as CommonMark does; the tokens are then written out as text: a link as
"label (url)", an image as its alt text and address, an autolink as its address, code as written.
"""

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# "[label][ref]" whose definition is elsewhere in the CV: CommonMark leaves it as text; the label is what reads.
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")


def inline(text: str) -> str:
    """Markdown inline syntax as readable text; link URLs kept in parentheses, code spans as is."""
    tokens = _parser().parseInline(text)
    children = tokens[0].children or [] if tokens else []
    return " ".join(_REFERENCE_LINK.sub(r"\1", _text(children)).split())


@cache
def _parser() -> "MarkdownIt":
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough")


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
