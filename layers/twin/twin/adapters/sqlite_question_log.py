"""The embedded question log: a SQLite file in the state directory, private to its owner like the other stores.

An ask adds one row and waits on no disk flush: in WAL mode with `synchronous=NORMAL` a commit only appends to the
write-ahead log, which SQLite flushes at checkpoints (a crash of the machine may lose the last few questions; the
database stays whole). What is past keeping, or beyond the size bound, goes when the log opens and then once every
`SWEEP_EVERY` writes; a read never returns it.
"""

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence

from twin.adapters.sqlite import connect, transaction
from twin.domain.question_log import Channel, LoggedQuestion, Retention

SWEEP_EVERY = 100
_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    asked_at REAL NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    sections TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_by_time ON questions (asked_at);
"""
_INSERT = "INSERT INTO questions (asked_at, channel, question, answered, sections) VALUES (?, ?, ?, ?, ?)"
_SWEEP = """
DELETE FROM questions WHERE asked_at < :cutoff OR rowid IN (
    SELECT rowid FROM questions ORDER BY asked_at DESC, rowid DESC LIMIT -1 OFFSET :keep
)
"""


class SqliteQuestionLog:
    def __init__(self, path: str, *, retention: Retention, clock: Callable[[], float] = time.time) -> None:
        self._db = connect(path)
        self._lock = threading.Lock()
        self._retention = retention
        self._clock = clock
        self._writes = 0
        with self._lock:
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._sweep()

    def add(self, entry: LoggedQuestion) -> None:
        row = (entry.asked_at, entry.channel.value, entry.question, entry.answered, json.dumps(entry.sections))
        with self._lock:
            self._db.execute(_INSERT, row)
            self._writes += 1
            if self._writes % SWEEP_EVERY == 0:
                self._sweep()

    def since(self, start: float) -> list[LoggedQuestion]:
        start = max(start, self._retention.cutoff(self._clock()))
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM questions WHERE asked_at >= ? ORDER BY asked_at, rowid", (start,)
            ).fetchall()
        return [_entry(row) for row in rows]

    def export_records(self) -> list[LoggedQuestion]:
        return self.since(0.0)

    def import_records(self, records: Sequence[LoggedQuestion]) -> None:
        rows = [(e.asked_at, e.channel.value, e.question, e.answered, json.dumps(e.sections)) for e in records]
        with self._lock, transaction(self._db):
            self._db.executemany(_INSERT, rows)

    def purge(self, before: float | None = None) -> int:
        with self._lock:
            if before is None:
                return self._db.execute("DELETE FROM questions").rowcount
            return self._db.execute("DELETE FROM questions WHERE asked_at < ?", (before,)).rowcount

    def _sweep(self) -> None:
        self._db.execute(_SWEEP, {"cutoff": self._retention.cutoff(self._clock()), "keep": self._retention.max_entries})


def _entry(row: sqlite3.Row) -> LoggedQuestion:
    return LoggedQuestion(
        question=row["question"],
        asked_at=row["asked_at"],
        channel=Channel(row["channel"]),
        answered=bool(row["answered"]),
        sections=tuple(json.loads(row["sections"])),
    )
