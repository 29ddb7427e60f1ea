"""Inline Markdown (links, emphasis, code spans, escapes) as the plain text a sentence holds."""

import re

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


def inline(text: str) -> str:
    """Markdown inline syntax as readable text; link URLs kept in parentheses, code spans as is."""
    pieces = _CODE_SPAN.split(text)
    return " ".join("".join(_plain(piece) if index % 2 == 0 else piece for index, piece in enumerate(pieces)).split())


def _plain(text: str) -> str:
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
