"""JSON values as the loaders see them: numbers kept as written, empty values, lists and entries."""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from twin.domain.privacy import is_protected_key


@dataclass(frozen=True, slots=True)
class Number:
    """A JSON number exactly as written: "3.50" stays "3.50" and a 5,000-digit one cannot overflow."""

    text: str

    def __str__(self) -> str:
        return self.text


type JsonValue = dict[str, JsonValue] | list[JsonValue] | str | Number | bool | None
type JsonObject = dict[str, JsonValue]
type Pairs = Iterable[tuple[str, JsonValue]]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_empty(value: JsonValue) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(item) for item in value)
    if isinstance(value, dict):
        return all(is_empty(item) for item in value.values())
    return False


def as_list(value: JsonValue) -> list[JsonValue]:
    """The non-empty items of a list; any other non-empty value as a list of one."""
    if isinstance(value, list):
        return [item for item in value if not is_empty(item)]
    return [] if is_empty(value) else [value]


def entries(value: JsonValue, path: str) -> list[tuple[str, JsonValue]]:
    """The entries of a section with their paths: list items, or the values of an object of objects."""
    if isinstance(value, list):
        return [(f"{path}[{index}]", item) for index, item in enumerate(value) if not is_empty(item)]
    if isinstance(value, dict) and len(value) > 1 and all(isinstance(item, dict) for item in value.values()):
        return [(child_path(path, key), item) for key, item in value.items() if not is_empty(item)]
    return [] if is_empty(value) else [(path, value)]


def children(value: dict[str, JsonValue], path: str) -> Iterator[tuple[str, JsonValue, str]]:
    """The non-empty entries of an object, each with its key and path."""
    for key, item in value.items():
        if not is_empty(item):
            yield key, item, child_path(path, key)


def child_path(path: str, key: str) -> str:
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def without_protected_keys(data: JsonObject) -> JsonObject:
    """The object without fields that hold protected characteristics (age, gender...), at any depth."""
    return {key: _without_protected(value) for key, value in data.items() if not is_protected_key(key)}


def _without_protected(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return without_protected_keys(value)
    if isinstance(value, list):
        return [_without_protected(item) for item in value]
    return value
