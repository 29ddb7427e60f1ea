"""The embedded `ApprovedAnswerStore`: the owner's approved answers in SQLite, beside the index that publishes them."""

import threading
from collections.abc import Sequence

from twin.adapters.sqlite import connect, transaction
from twin.domain.faq import ApprovedAnswer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS approved_answers (
    twin_id TEXT NOT NULL,
    id TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (twin_id, id)
)
"""
_COLUMNS = "approved_answers (twin_id, id, question, answer, created_at) VALUES (?, ?, ?, ?, ?)"
_INSERT = f"INSERT INTO {_COLUMNS}"
_REPLACE = f"INSERT OR REPLACE INTO {_COLUMNS}"
_LIST = "SELECT id, question, answer, created_at FROM approved_answers WHERE twin_id = ? ORDER BY created_at, id"


class SqliteApprovedAnswerStore:
    def __init__(self, path: str, twin_id: str) -> None:
        self._db = connect(path)
        self._twin_id = twin_id
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute(_SCHEMA)

    def add(self, answer: ApprovedAnswer) -> None:
        with self._lock:
            self._db.execute(_INSERT, self._row(answer))

    def export_records(self) -> list[ApprovedAnswer]:
        return self.list()

    def import_records(self, records: Sequence[ApprovedAnswer]) -> None:
        with self._lock, transaction(self._db):
            self._db.executemany(_REPLACE, [self._row(answer) for answer in records])

    def _row(self, answer: ApprovedAnswer) -> tuple[str, str, str, str, str]:
        return (self._twin_id, answer.id, answer.question, answer.answer, answer.created_at)

    def list(self) -> list[ApprovedAnswer]:
        with self._lock:
            rows = self._db.execute(_LIST, (self._twin_id,)).fetchall()
        return [ApprovedAnswer(row["id"], row["question"], row["answer"], row["created_at"]) for row in rows]

    def remove(self, answer_id: str) -> bool:
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM approved_answers WHERE twin_id = ? AND id = ?", (self._twin_id, answer_id)
            )
        return cursor.rowcount == 1
