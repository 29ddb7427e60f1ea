"""Any JSON value as readable text: "Label: value; Label: value", lists joined, sentences of facts."""

from twin.domain.privacy import without_protected
from twin.profiles.json_values import JsonValue, Number, Pairs
from twin.profiles.keys import humanise, lower_label
from twin.profiles.phrasing import clean, join_sentences


def render(value: JsonValue) -> str:
    """Any JSON value as readable text: "Label: value; Label: value", lists comma-separated."""
    if isinstance(value, dict):
        return render_pairs(value.items())
    if isinstance(value, list):
        parts = [render_pairs(item.items(), ", ") if isinstance(item, dict) else render_inner(item) for item in value]
        return join_items(_unprotected(parts), structured=has_structure(value))
    return _render_scalar(value)


def render_pairs(pairs: Pairs, separator: str = "; ") -> str:
    parts = (labelled(key, render_inner(value)) for key, value in pairs)
    return separator.join(part for part in parts if part)


def facts(pairs: Pairs) -> str:
    """Fields as first-person sentences: "My notice period is 4 weeks. Remote OK: yes."."""
    return join_sentences(*(fact(key, value) for key, value in pairs))


def fact(key: str, value: JsonValue) -> str:
    """One field as a sentence: "My currency is GBP", "My favourite numbers: 7, 3.50"; "" when empty."""
    text = render_inner(value) if not isinstance(value, dict) else render_pairs(value.items(), ", ")
    label = humanise(key)
    if not text or not label:
        return text
    if isinstance(value, bool):
        return f"{label}: {text}"
    if isinstance(value, dict | list):
        return f"My {lower_label(label)}: {text}"
    verb = "are" if label.endswith("s") and not label.endswith("ss") else "is"
    return f"My {lower_label(label)} {verb} {text}"


def with_label(label: str, value: JsonValue) -> str:
    """ "Label: value", or "" when the value renders to nothing."""
    text = render(value)
    return f"{label}: {text}" if text else ""


def labelled(key: str, text: str) -> str:
    if not text:
        return ""
    label = humanise(key)
    return f"{label}: {text}" if label else text


def render_inner(value: JsonValue) -> str:
    """A value inside a larger text: an object of several fields in brackets."""
    if isinstance(value, dict):
        text = render_pairs(value.items(), ", ")
        return f"({text})" if ", " in text else text
    if isinstance(value, list):
        parts = [render_inner(item) for item in value]
        return join_items(_unprotected(parts), structured=has_structure(value))
    return _render_scalar(value)


def _render_scalar(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Number):
        return value.text
    if isinstance(value, str):
        return clean(value)
    return ""


def _unprotected(parts: list[str]) -> list[str]:
    """A list's items but those that state a protected characteristic: each item is a fact of its own, so
    "Teaching my kids to code" goes alone instead of taking the whole list with it when the text is filtered."""
    return [part for part in parts if part and without_protected(part) == part]


def has_structure(items: list[JsonValue]) -> bool:
    return any(isinstance(item, dict | list) for item in items)


def join_items(parts: list[str], *, structured: bool) -> str:
    """Short items joined by commas; sentences by spaces; long items or ones with commas by semicolons."""
    if parts and all(part.endswith((".", "!", "?")) for part in parts):
        return " ".join(parts)
    wordy = any(", " in part or len(part.split()) > 4 for part in parts)
    return ("; " if structured or wordy else ", ").join(parts)


def place(value: JsonValue) -> str:
    """A location as "City, Country", whether it is a string, a list or an object of parts."""
    if isinstance(value, dict):
        return ", ".join(text for text in (render_inner(item) for item in value.values()) if text)
    return render(value)
