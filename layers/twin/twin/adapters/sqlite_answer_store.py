"""The embedded `ApprovedAnswerStore`: the owner's approved answers in SQLite, beside the index that publishes them."""

import threading

from twin.adapters.sqlite import connect
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
            self._db.execute(
                "INSERT INTO approved_answers (twin_id, id, question, answer, created_at) VALUES (?, ?, ?, ?, ?)",
                (self._twin_id, answer.id, answer.question, answer.answer, answer.created_at),
            )

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
