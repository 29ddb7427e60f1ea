"""Backups: what the profile document does not rebuild, in one versioned JSON file, and restored from it.

The file is `{"format": "digital-twin-backup", "version": 1, "created_at", "twin_id", "environment", "parts": {…}}`,
with one entry in `parts` per `BackupPart` (docs/operations.md describes each). A restore reads and checks the whole
file before it writes anything, and writes each part so that restoring the same file twice is restoring it once.
"""

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final, Protocol

from twin.errors import BackupFormatError, BackupVersionError
from twin.security.audit import audit
from twin.services.backup_fields import Fields

FORMAT: Final = "digital-twin-backup"
FORMAT_VERSION: Final = 1
"""Raised when a part's records change in a way an older twin would misread; adding a part does not raise it (an
older twin refuses a part it does not know, as it refuses a later version)."""
_PART_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")
_NAME: Final = re.compile(r"[a-z0-9-]{1,63}")
"""A twin's or an environment's name: what the report repeats of the file prints only what it should."""


@dataclass(frozen=True, slots=True)
class PartReport:
    part: str
    written: int
    """Records written to the state."""
    kept: int
    """Records of the file the state already had as they are (or newer), or that expired since."""
    note: str | None = None


type Restore = Callable[[str], PartReport]
"""A part's writes, checked and ready, run (with who restores) once every part has read its share of the file."""


class BackupPart(Protocol):
    """One store's share of a backup, under `parts.<name>` in the file."""

    @property
    def name(self) -> str: ...

    def export(self) -> list[dict[str, object]] | dict[str, object] | None:
        """The part's records as JSON values: never a plain secret."""
        ...

    def prepare(self, data: object, location: str) -> Restore:
        """Reads the part's share of a file (`data`, at `location`), writing nothing.

        Raises BackupFormatError naming where it does not read.
        """
        ...


@dataclass(frozen=True, slots=True)
class CreatedBackup:
    content: bytes = field(repr=False)
    records: dict[str, int]
    """How many records each part holds."""


@dataclass(frozen=True, slots=True)
class RestoreReport:
    twin_id: str
    environment: str
    created_at: str
    """Of the backup restored."""
    parts: list[PartReport]


class BackupService:
    def __init__(
        self,
        *,
        parts: Sequence[BackupPart],
        twin_id: str,
        environment: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._parts = list(parts)
        self._twin_id = twin_id
        self._environment = environment
        self._clock = clock

    def create(self, *, actor: str) -> CreatedBackup:
        exported = {part.name: part.export() for part in self._parts}
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": self._clock().isoformat(timespec="seconds"),
            "twin_id": self._twin_id,
            "environment": self._environment,
            "parts": exported,
        }
        audit("backup_created", actor=actor, resource=f"twin:{self._twin_id}", outcome="created")
        content = json.dumps(document, indent=1, ensure_ascii=False).encode() + b"\n"
        return CreatedBackup(content=content, records={name: _count(value) for name, value in exported.items()})

    def restore(self, content: bytes, *, actor: str) -> RestoreReport:
        """Checks the whole file, then writes each part in turn. A part that fails to write (a backend down) leaves
        the ones before it restored: restoring the file again finishes the work."""
        resource = f"twin:{self._twin_id}"
        try:
            document, restores = self._prepare(content)
        except (BackupFormatError, BackupVersionError) as error:
            audit("backup_restored", actor=actor, resource=resource, outcome="refused", reason=error.code)
            raise
        reports = [restore(actor) for restore in restores]
        audit("backup_restored", actor=actor, resource=resource, outcome="restored")
        return RestoreReport(
            twin_id=document["twin_id"],
            environment=document["environment"],
            created_at=document["created_at"],
            parts=reports,
        )

    def _prepare(self, content: bytes) -> tuple[dict[str, str], list[Restore]]:
        try:
            document = json.loads(content)
        except (ValueError, RecursionError):
            raise BackupFormatError("$", "a JSON document") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise BackupFormatError("$.format", f"{FORMAT!r}: this is not a Digital Twin backup")
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise BackupFormatError("$.version", "a format version, a whole number from 1")
        if version > FORMAT_VERSION:
            raise BackupVersionError(f"format version {version}", FORMAT_VERSION)
        header = Fields(document, "$")
        about = {
            "created_at": header.timestamp("created_at"),
            "twin_id": header.text("twin_id", pattern=_NAME),
            "environment": header.text("environment", pattern=_NAME),
        }
        parts = document.get("parts")
        if not isinstance(parts, dict):
            raise BackupFormatError("$.parts", "an object of parts")
        known = {part.name for part in self._parts}
        for name in parts:
            if name not in known:
                raise BackupVersionError(f"part {name!r}" if _PART_NAME.fullmatch(name) else "a part", FORMAT_VERSION)
        present = [part for part in self._parts if part.name in parts]
        return about, [part.prepare(parts[part.name], f"$.parts.{part.name}") for part in present]


def _count(records: object) -> int:
    return len(records) if isinstance(records, list) else int(records is not None)
