"""The fields of a JSON object, read by name, and the rest: the fields no reader asked for.

A reader that renders the rest declares up front every field it reads, in order of priority
(`Fields(item, _COMPANY, _ROLE, ...)`): each declared field claims its entry when the `Fields` is made,
so what `rest` holds never depends on which getter runs first. Without declarations the getters are
plain look-ups and there is no rest to ask for.
"""

from collections.abc import Callable
from dataclasses import dataclass

from twin.profiles.json_values import JsonValue, Pairs, is_empty
from twin.profiles.keys import match_key
from twin.profiles.phrasing import join_sentences
from twin.profiles.rendering import render, render_pairs

type Names = tuple[str, ...]
type Entry = tuple[str, JsonValue]


@dataclass(frozen=True, slots=True)
class Every:
    """Every entry whose key is one of `names` ("email", "phone"...), not only the first."""

    names: Names


@dataclass(frozen=True, slots=True)
class Matching:
    """Every entry `accepts` (by key and value) that no field declared before it claimed."""

    accepts: Callable[[str, JsonValue], bool]


type Field = Names | Every | Matching


class Fields:
    """The non-empty entries of a JSON object.

    Keys match after normalising, so "Job Title" is read as "job_title"; a second key that
    normalises the same way ("Name" and "name") stays in the rest, so its value is not lost.
    """

    def __init__(self, pairs: Pairs, *declared: Field) -> None:
        self._entries = [(key, value) for key, value in pairs if not is_empty(value)]
        self._keys = [match_key(key) for key, _ in self._entries]
        self._index: dict[str, list[int]] = {}
        for index, key in enumerate(self._keys):
            self._index.setdefault(key, []).append(index)
        self._claimed = [False] * len(self._entries)
        self._found: dict[Field, list[int]] = {}
        for field in declared:
            if field in self._found:
                raise ValueError(f"{field} is declared twice")
            found = self._find(field)
            for index in found:
                self._claimed[index] = True
            self._found[field] = found

    @classmethod
    def of(cls, value: JsonValue, *declared: Field) -> "Fields":
        return cls(value.items() if isinstance(value, dict) else (), *declared)

    def entry(self, *names: str) -> Entry | None:
        """The first entry of the first of `names` that has one."""
        found = self._read(names)
        return self._entries[found[0]] if found else None

    def value(self, *names: str) -> JsonValue:
        entry = self.entry(*names)
        return None if entry is None else entry[1]

    def text(self, *names: str) -> str:
        return render(self.value(*names))

    def every(self, *names: str) -> list[Entry]:
        return [self._entries[index] for index in self._read(Every(names))]

    def matching(self, accepts: Callable[[str, JsonValue], bool]) -> list[Entry]:
        return [self._entries[index] for index in self._read(Matching(accepts))]

    def rest(self) -> list[Entry]:
        """The entries no declared field claimed."""
        if not self._found:
            raise LookupError("declare the fields a reader reads before asking for the rest")
        return [entry for index, entry in enumerate(self._entries) if not self._claimed[index]]

    def rest_text(self) -> str:
        """Every field not claimed, as "Label: value." sentences."""
        return join_sentences(*(render_pairs([entry]) for entry in self.rest()))

    def _read(self, field: Field) -> list[int]:
        if not self._found:
            return self._find(field)
        if field not in self._found:
            raise LookupError(f"{field} is read but was not declared")
        return self._found[field]

    def _find(self, field: Field) -> list[int]:
        """The unclaimed entries a field names, in the order its names give."""
        match field:
            case Every(names):
                wanted = {match_key(name) for name in names}
                return [index for index, key in enumerate(self._keys) if key in wanted and not self._claimed[index]]
            case Matching(accepts):
                return [
                    index
                    for index, claimed in enumerate(self._claimed)
                    if not claimed and accepts(*self._entries[index])
                ]
            case _:
                for name in field:
                    for index in self._index.get(match_key(name), ()):
                        if not self._claimed[index]:
                            return [index]
                return []
