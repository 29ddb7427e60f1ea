"""The embedded `InviteStore` and `OAuthStore`: invites (hashes only) and the authorization server's records, in
one SQLite file in the state directory that only its owner can read."""

import sqlite3
import threading
import time
from collections.abc import Sequence

from twin.adapters.sqlite import connect, transaction
from twin.ports import ExpiringRecord
from twin.security.identity import parse_scopes
from twin.security.invites import InviteRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS invites (
    invite_id TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    max_uses INTEGER,
    uses INTEGER NOT NULL DEFAULT 0,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS oauth_records (
    key TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    expires_at REAL NOT NULL
);
"""
_INVITE_VALUES = """
INTO invites
    (invite_id, code_hash, name, scopes, created_at, expires_at, max_uses, uses, last_used_at, revoked_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_PUT_RECORD = "INSERT OR REPLACE INTO oauth_records (key, record, expires_at) VALUES (?, ?, ?)"
_ADD_INVITE = f"INSERT {_INVITE_VALUES}"
_REPLACE_INVITE = f"INSERT OR REPLACE {_INVITE_VALUES}"
_SELECT_INVITES = """
SELECT invite_id, code_hash, name, scopes, created_at, expires_at, max_uses, uses, last_used_at, revoked_at FROM invites
"""


class SqliteOAuthDatabase:
    """The file both stores share; each store takes the connection and its lock.

    Every statement is read to its end (`fetchall`, even for one row): a statement left mid-way keeps its read
    transaction open, and in WAL mode the connection would go on seeing the database as it was then, missing
    a revocation made by `twin invites revoke` in another process.
    """

    def __init__(self, path: str) -> None:
        self.db = connect(path)
        self.lock = threading.Lock()
        with self.lock:
            self.db.executescript(_SCHEMA)


class SqliteInviteStore:
    def __init__(self, database: SqliteOAuthDatabase) -> None:
        self._db = database.db
        self._lock = database.lock

    def add(self, record: InviteRecord) -> None:
        with self._lock:
            self._db.execute(_ADD_INVITE, _invite_row(record))

    def find(self, code_hash: str) -> InviteRecord | None:
        with self._lock:
            rows = self._db.execute(_SELECT_INVITES + " WHERE code_hash = ?", (code_hash,)).fetchall()
        return _invite(rows[0]) if rows else None

    def get(self, invite_id: str) -> InviteRecord | None:
        with self._lock:
            rows = self._db.execute(_SELECT_INVITES + " WHERE invite_id = ?", (invite_id,)).fetchall()
        return _invite(rows[0]) if rows else None

    def export_records(self) -> list[InviteRecord]:
        return self.list()

    def list(self) -> list[InviteRecord]:
        with self._lock:
            rows = self._db.execute(_SELECT_INVITES + " ORDER BY created_at, invite_id").fetchall()
        return [_invite(row) for row in rows]

    def revoke(self, invite_id: str, revoked_at: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "UPDATE invites SET revoked_at = ? WHERE invite_id = ? AND revoked_at IS NULL", (revoked_at, invite_id)
            )
        return cursor.rowcount == 1

    def use(self, invite_id: str, used_at: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "UPDATE invites SET uses = uses + 1, last_used_at = ? WHERE invite_id = ? AND revoked_at IS NULL"
                " AND (max_uses IS NULL OR uses < max_uses)",
                (used_at, invite_id),
            )
        return cursor.rowcount == 1

    def import_records(self, records: Sequence[InviteRecord]) -> None:
        with self._lock, transaction(self._db):
            self._db.executemany(_REPLACE_INVITE, [_invite_row(record) for record in records])


class SqliteOAuthStore:
    def __init__(self, database: SqliteOAuthDatabase) -> None:
        self._db = database.db
        self._lock = database.lock

    def put(self, key: str, record: str, ttl_seconds: int) -> None:
        now = time.time()
        with self._lock:
            self._db.execute("DELETE FROM oauth_records WHERE expires_at <= ?", (now,))
            self._db.execute(_PUT_RECORD, (key, record, now + ttl_seconds))

    def get(self, key: str) -> str | None:
        with self._lock:
            rows = self._db.execute(
                "SELECT record FROM oauth_records WHERE key = ? AND expires_at > ?", (key, time.time())
            ).fetchall()
        return str(rows[0]["record"]) if rows else None

    def take(self, key: str) -> str | None:
        with self._lock:
            rows = self._db.execute(
                "DELETE FROM oauth_records WHERE key = ? RETURNING record, expires_at", (key,)
            ).fetchall()
        return str(rows[0]["record"]) if rows and rows[0]["expires_at"] > time.time() else None

    def delete(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM oauth_records WHERE key = ?", (key,))

    def export_records(self) -> list[ExpiringRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key, record, expires_at FROM oauth_records WHERE expires_at > ? ORDER BY key", (time.time(),)
            ).fetchall()
        return [ExpiringRecord(key=row["key"], record=row["record"], expires_at=row["expires_at"]) for row in rows]

    def import_records(self, records: Sequence[ExpiringRecord]) -> None:
        now = time.time()
        rows = [(record.key, record.record, record.expires_at) for record in records if record.expires_at > now]
        with self._lock, transaction(self._db):
            self._db.executemany(_PUT_RECORD, rows)


def _invite_row(record: InviteRecord) -> tuple[str | int | None, ...]:
    return (
        record.invite_id,
        record.code_hash,
        record.name,
        " ".join(sorted(record.scopes)),
        record.created_at,
        record.expires_at,
        record.max_uses,
        record.uses,
        record.last_used_at,
        record.revoked_at,
    )


def _invite(row: sqlite3.Row) -> InviteRecord:
    return InviteRecord(**{**dict(row), "scopes": parse_scopes(row["scopes"])})
