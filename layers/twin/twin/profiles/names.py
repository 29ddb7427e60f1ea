"""A person's name apart from the links, emoji and credentials written with it."""

import re
import unicodedata

from twin.profiles.json_values import JsonValue
from twin.profiles.phrasing import clean
from twin.profiles.rendering import render

_URL_OR_EMAIL = re.compile(r"\(?(?:https?://|www\.)\S+\)?|\S+@\S+\.\w+|\(\s*\)")
_LINK = re.compile(r"(?:https?://|www\.)[^\s()]+|[^\s()<>|,;]+@[^\s()<>|,;]+\.\w+")
_NAME_SEPARATOR = re.compile(r"\s[|·•—–-]\s|[|·•]")
_MAX_CREDENTIAL_CHARS = 12


def name_and_links(value: JsonValue) -> tuple[str, str]:
    """A name field's name and the links or emails written with it (for the contact section).

    Text after a separator is cut off only when it is links: "Jane Doe | Senior Engineer" is kept whole.
    """
    if not isinstance(value, str):
        return render(value), ""
    first, *rest = name_pieces(value)
    links = ", ".join(_LINK.findall(value))
    if all(_LINK.search(piece) for piece in rest):
        return first, links
    return person_name(value), links


def name_pieces(text: str) -> list[str]:
    """A name line split at its separators, the name first: "Jane Doe 🚀 | jane@x.com" -> two pieces."""
    pieces = [clean(piece) for piece in _NAME_SEPARATOR.split(text)]
    return [person_name(pieces[0]), *(piece for piece in pieces[1:] if piece)]


def person_name(text: str) -> str:
    """The text without links, emails, emoji and credentials: "Jane Doe, PhD 🚀 (https://jane.dev)"
    gives "Jane Doe"."""
    return _name_and_credentials(text)[0]


def post_nominals(value: JsonValue) -> str:
    """The credentials written after a name: "Kwame Asante, P.Eng., PMP" gives "P.Eng., PMP"."""
    if not isinstance(value, str):
        return ""
    return _name_and_credentials(_NAME_SEPARATOR.split(value)[0])[1]


def _name_and_credentials(text: str) -> tuple[str, str]:
    name = clean("".join(char for char in _URL_OR_EMAIL.sub(" ", text) if not _is_symbol(char))).strip(" ,;:")
    first, *others = name.split(", ")
    if others and not _NAME_SEPARATOR.search(name) and all(_is_credential(other) for other in others):
        return first.strip(" ,;:"), ", ".join(others)
    return name, ""


def _is_credential(word: str) -> bool:
    """A post-nominal after a name's comma ("PhD", "P.Eng.", "PMP"); a place like "Calgary" is not one."""
    capitals = sum(char.isupper() for char in word)
    return (
        len(word) <= _MAX_CREDENTIAL_CHARS
        and word[:1].isupper()
        and not any(char.isspace() for char in word)
        and (capitals >= 2 or "." in word)
    )


def _is_symbol(char: str) -> bool:
    """Emoji and other pictographs, with the joiners and selectors that build them."""
    return unicodedata.category(char) in {"So", "Sk", "Cf"} or "\ufe00" <= char <= "\ufe0f"
