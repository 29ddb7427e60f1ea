"""Reading one JSON object of a backup file, each field checked as it is read: an error names the field's place
in the file and what it should hold, never what it holds."""

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Final

from twin.errors import BackupFormatError
from twin.security.identity import Scope

SHA256_HEX: Final = re.compile(r"[0-9a-f]{64}")
MAX_TEXT_CHARS: Final = 10_000


class Fields:
    def __init__(self, value: object, location: str) -> None:
        if not isinstance(value, dict):
            raise BackupFormatError(location, "an object")
        self._fields: dict[str, object] = value
        self.location = location

    def error(self, name: str, expected: str) -> BackupFormatError:
        return BackupFormatError(f"{self.location}.{name}", expected)

    def text(self, name: str, *, pattern: re.Pattern[str] | None = None, max_chars: int = MAX_TEXT_CHARS) -> str:
        value = self._fields.get(name)
        if not isinstance(value, str) or not value or len(value) > max_chars:
            raise self.error(name, f"a string of 1 to {max_chars} characters")
        if pattern is not None and not pattern.fullmatch(value):
            raise self.error(name, f"a string matching {pattern.pattern}")
        return value

    def choice(self, name: str, choices: Sequence[str]) -> str:
        value = self._fields.get(name)
        if value not in choices:
            raise self.error(name, f"one of {', '.join(choices)}")
        return str(value)

    def optional_timestamp(self, name: str) -> str | None:
        return None if self._fields.get(name) is None else self.timestamp(name)

    def timestamp(self, name: str) -> str:
        value = self.text(name, max_chars=40)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise self.error(name, "an ISO 8601 time with its offset")
        return value

    def optional_integer(self, name: str, *, minimum: int) -> int | None:
        return None if self._fields.get(name) is None else self.integer(name, minimum=minimum)

    def integer(self, name: str, *, minimum: int) -> int:
        value = self._fields.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value < 2**53:
            raise self.error(name, f"a whole number from {minimum}")
        return value

    def boolean(self, name: str) -> bool:
        value = self._fields.get(name)
        if not isinstance(value, bool):
            raise self.error(name, "true or false")
        return value

    def texts(self, name: str, *, max_items: int = 100) -> tuple[str, ...]:
        value = self._fields.get(name)
        items = value if isinstance(value, list) else None
        if items is None or len(items) > max_items or not all(isinstance(item, str) and item for item in items):
            raise self.error(name, f"a list of at most {max_items} strings")
        return tuple(items)

    def object(self, name: str) -> dict[str, object]:
        value = self._fields.get(name)
        if not isinstance(value, dict):
            raise self.error(name, "an object")
        return value

    def scopes(self, name: str, allowed: Iterable[Scope]) -> frozenset[Scope]:
        choices = {scope.value: scope for scope in allowed}
        value = self._fields.get(name)
        items = value if isinstance(value, list) else []
        if not items or not all(isinstance(item, str) and item in choices for item in items):
            raise self.error(name, f"a list of scopes among {', '.join(sorted(choices))}")
        return frozenset(choices[item] for item in items)
