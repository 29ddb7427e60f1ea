"""How an item of a list reads: "PyCon AU 2024 in Melbourne, as speaker"."""

from collections.abc import Sequence

from twin.profiles.fields import Fields
from twin.profiles.json_values import JsonValue, as_list
from twin.profiles.keys import humanise, lower_label
from twin.profiles.rendering import join_items, render, render_inner

NAME_KEYS = (
    "name",
    "title",
    "language",
    "skill",
    "technology",
    "tool",
    "platform",
    "database",
    "framework",
    "certification",
    "organization",
    "organisation",
    "company",
    "institution",
    "event",
    "conference",
    "project",
    "network",
)


# How a detail of an item reads after its name: "PyCon AU 2024 in Melbourne, as speaker".
_DETAIL_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("location", "city", "place", "where", "venue", "publisher"), "in {}"),
    (("role", "position"), "as {}"),
    (("url", "link", "website"), "at {}"),
)
_DATE_DETAILS = ("year", "date", "when")


def item_phrase(item: JsonValue, names: Sequence[str] = NAME_KEYS, plain: Sequence[str] = ()) -> str:
    """An object as "Name (plain, values) in Place, as Role, label: value"; anything else as it is."""
    if not isinstance(item, dict):
        return render(item)
    fields = Fields(
        item.items(),
        tuple(names),
        *((key,) for key in _qualifier_keys(plain)),
        *(keys for keys, _ in _DETAIL_PHRASES),
    )
    name = fields.text(*names)
    qualifiers = ", ".join(text for text in (fields.text(key) for key in _qualifier_keys(plain)) if text)
    details = [template.format(text) for keys, template in _DETAIL_PHRASES if (text := fields.text(*keys))]
    details += [f"{lower_label(humanise(key))}: {render_inner(value)}" for key, value in fields.rest()]
    if not name:
        return ", ".join(part for part in (qualifiers, *details) if part)
    head = f"{name} ({qualifiers})" if qualifiers else name
    return " ".join((head, ", ".join(details))) if details else head


def _qualifier_keys(plain: Sequence[str]) -> list[str]:
    """The plain keys, then the date keys, each once ("year" may be both)."""
    return list(dict.fromkeys((*plain, *_DATE_DETAILS)))


def phrases(value: JsonValue, names: Sequence[str] = NAME_KEYS, plain: Sequence[str] = ()) -> str:
    """A list of items (objects or not) as readable text."""
    if not isinstance(value, list):
        return item_phrase(value, names, plain) if isinstance(value, dict) else render(value)
    parts = [item_phrase(item, names, plain) for item in as_list(value)]
    return join_items([part for part in parts if part], structured=False)
