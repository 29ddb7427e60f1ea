"""The fields of a JSON object, taken by name."""

from collections.abc import Callable

from twin.profiles.json_values import JsonValue, Pairs, is_empty
from twin.profiles.keys import match_key
from twin.profiles.phrasing import join_sentences
from twin.profiles.rendering import render, render_pairs


class Fields:
    """The non-empty entries of a JSON object: known ones are taken by name, the rest rendered.

    Keys match after normalising, so "Job Title" is taken as "job_title"; a second key that
    normalises the same way ("Name" and "name") stays in the rest, so its value is not lost.
    """

    def __init__(self, pairs: Pairs) -> None:
        self._entries = [(key, value) for key, value in pairs if not is_empty(value)]
        self._taken = [False] * len(self._entries)
        self._index: dict[str, list[int]] = {}
        for index, (key, _) in enumerate(self._entries):
            self._index.setdefault(match_key(key), []).append(index)

    @classmethod
    def of(cls, value: JsonValue) -> "Fields":
        return cls(value.items() if isinstance(value, dict) else ())

    def take_entry(self, *names: str) -> tuple[str, JsonValue] | None:
        for name in names:
            for index in self._index.get(match_key(name), ()):
                if not self._taken[index]:
                    self._taken[index] = True
                    return self._entries[index]
        return None

    def take(self, *names: str) -> JsonValue:
        entry = self.take_entry(*names)
        return None if entry is None else entry[1]

    def text(self, *names: str) -> str:
        return render(self.take(*names))

    def take_all(self, *names: str) -> list[tuple[str, JsonValue]]:
        wanted = {match_key(name) for name in names}
        return self.take_where(lambda key: match_key(key) in wanted)

    def take_where(self, predicate: Callable[[str], bool]) -> list[tuple[str, JsonValue]]:
        found: list[tuple[str, JsonValue]] = []
        for index, (key, value) in enumerate(self._entries):
            if not self._taken[index] and predicate(key):
                self._taken[index] = True
                found.append((key, value))
        return found

    def rest(self) -> list[tuple[str, JsonValue]]:
        return [entry for index, entry in enumerate(self._entries) if not self._taken[index]]

    def rest_text(self) -> str:
        """Every field not taken, as "Label: value." sentences."""
        return join_sentences(*(render_pairs([entry]) for entry in self.rest()))
