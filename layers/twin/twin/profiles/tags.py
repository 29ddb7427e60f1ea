"""Tags from lists and text separated by commas, bullets or bars."""

import re
from collections.abc import Iterable, Sequence

from twin.profiles.fields import Fields
from twin.profiles.items import NAME_KEYS
from twin.profiles.json_values import JsonValue, as_list
from twin.profiles.phrasing import PARENTHESES, clean
from twin.profiles.rendering import render

_LIST_SEPARATORS = re.compile(r"[,;\n•·|]")
_MAX_TAG_CHARS = 40
_MAX_TAG_WORDS = 4


def split_items(value: JsonValue) -> list[JsonValue]:
    """List items; a string such as "Python, Go; SQL" becomes its parts (commas in brackets kept)."""
    items: list[JsonValue] = []
    for item in as_list(value):
        items.extend(split_text(item) if isinstance(item, str) else [item])
    return items


def split_text(text: str) -> list[str]:
    if "(" not in text:
        return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth <= 0 and _LIST_SEPARATORS.fullmatch(char):
            parts.append("".join(current))
            current = []
            depth = 0
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def tags(words: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, deduplicated, order kept; long phrases are not tags."""
    found: dict[str, None] = {}
    for word in words:
        tag = clean(PARENTHESES.sub(" ", word)).lower()
        if any(char.isalpha() for char in tag) and len(tag) <= _MAX_TAG_CHARS and len(tag.split()) <= _MAX_TAG_WORDS:
            found[tag] = None
    return tuple(found)


def keyword_tags(*values: JsonValue, names: Sequence[str] = NAME_KEYS) -> tuple[str, ...]:
    """Tags from keyword-like values: list items, comma-separated strings, names of objects."""
    words: list[str] = []
    for value in values:
        for item in split_items(value):
            words.append(Fields.of(item).text(*names) if isinstance(item, dict) else render(item))
    return tags(words)
