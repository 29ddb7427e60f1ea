"""The embedded `KeyStore`: API-key records (hashes only) in SQLite in the state directory."""

import sqlite3
import threading
from collections.abc import Sequence

from twin.adapters.sqlite import connect, transaction
from twin.security.api_keys import ApiKeyRecord
from twin.security.identity import parse_scopes

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    tier TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
"""
_VALUES = """
INTO api_keys (key_id, key_hash, client_id, tier, scopes, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
"""
_ADD = f"INSERT {_VALUES}"
_REPLACE = f"INSERT OR REPLACE {_VALUES}"
_SELECT = "SELECT key_id, key_hash, client_id, tier, scopes, created_at, revoked_at FROM api_keys"


class SqliteKeyStore:
    def __init__(self, path: str) -> None:
        self._db = connect(path)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute(_SCHEMA)

    def add(self, record: ApiKeyRecord) -> None:
        with self._lock:
            self._db.execute(_ADD, _row(record))

    def find(self, key_hash: str) -> ApiKeyRecord | None:
        with self._lock:
            row = self._db.execute(_SELECT + " WHERE key_hash = ?", (key_hash,)).fetchone()
        return _record(row) if row else None

    def export_records(self) -> list[ApiKeyRecord]:
        return self.list()

    def list(self) -> list[ApiKeyRecord]:
        with self._lock:
            rows = self._db.execute(_SELECT + " ORDER BY created_at, key_id").fetchall()
        return [_record(row) for row in rows]

    def revoke(self, key_id: str, revoked_at: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (revoked_at, key_id),
            )
        return cursor.rowcount == 1

    def import_records(self, records: Sequence[ApiKeyRecord]) -> None:
        with self._lock, transaction(self._db):
            self._db.executemany(_REPLACE, [_row(record) for record in records])


def _row(record: ApiKeyRecord) -> tuple[str | None, ...]:
    return (
        record.key_id,
        record.key_hash,
        record.client_id,
        record.tier,
        " ".join(sorted(record.scopes)),
        record.created_at,
        record.revoked_at,
    )


def _record(row: sqlite3.Row) -> ApiKeyRecord:
    return ApiKeyRecord(
        key_id=row["key_id"],
        key_hash=row["key_hash"],
        client_id=row["client_id"],
        tier=row["tier"],
        scopes=parse_scopes(row["scopes"]),
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )
