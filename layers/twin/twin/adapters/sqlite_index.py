"""The embedded `VectorIndex`: SQLite with FTS5, ranked by BM25. A file path or `:memory:`."""

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from twin.adapters.lexical import keywords, match_expression
from twin.adapters.sqlite import connect
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import SectionType

# BM25 relevance is unbounded; r / (r + k) maps it into [0, 1) without changing the order.
_SCORE_HALF_POINT = 5.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    id TEXT NOT NULL,
    path TEXT NOT NULL,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    start TEXT,
    "end" TEXT,
    tags TEXT NOT NULL,
    keywords TEXT NOT NULL,
    UNIQUE (namespace, id)
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, text, keywords,
    content='chunks', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS chunks_added AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, title, text, keywords)
    VALUES (new.rowid, new.title, new.text, new.keywords);
END;
CREATE TRIGGER IF NOT EXISTS chunks_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, title, text, keywords)
    VALUES ('delete', old.rowid, old.title, old.text, old.keywords);
END;
"""

_INSERT = """
INSERT INTO chunks (namespace, id, path, type, title, text, start, "end", tags, keywords)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_FETCH = """
SELECT id, path, type, title, text, start, "end", tags FROM chunks
WHERE namespace = ? AND id IN (SELECT value FROM json_each(?))
"""
# Weights of title, text, keywords: title words say most about a chunk; the section vocabulary is
# shared by every chunk of a kind, so it weighs less than the title but more than a body word.
_QUERY = """
SELECT c.id, c.path, c.type, c.title, c.text, c.start, c."end", c.tags,
       bm25(chunks_fts, 6.0, 1.0, 2.5) AS rank
FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid
WHERE chunks_fts MATCH ? AND c.namespace = ? AND (? IS NULL OR c.type = ?)
ORDER BY rank LIMIT ?
"""


class SqliteIndex:
    def __init__(self, path: str) -> None:
        self._db = connect(path)
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(_SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def upsert(self, namespace: str, chunks: Sequence[Chunk]) -> None:
        with self._transaction() as db:
            for chunk in chunks:
                # Delete then insert, so the FTS triggers see the old row leave and the new one arrive.
                db.execute("DELETE FROM chunks WHERE namespace = ? AND id = ?", (namespace, chunk.id))
                db.execute(
                    _INSERT,
                    (
                        namespace,
                        chunk.id,
                        chunk.path,
                        chunk.type.value,
                        chunk.title,
                        chunk.text,
                        chunk.start,
                        chunk.end,
                        json.dumps(chunk.tags),
                        keywords(chunk),
                    ),
                )

    def delete(self, namespace: str, ids: Sequence[str]) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM chunks WHERE namespace = ? AND id = ?", [(namespace, id_) for id_ in ids])

    def list_ids(self, namespace: str) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT id FROM chunks WHERE namespace = ? ORDER BY rowid", (namespace,)).fetchall()
        return [row["id"] for row in rows]

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        with self._lock:
            rows = self._db.execute(_FETCH, (namespace, json.dumps(wanted))).fetchall()
        by_id = {row["id"]: _chunk(row) for row in rows}
        return [by_id[id_] for id_ in wanted if id_ in by_id]

    def query(self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None) -> list[ScoredChunk]:
        expression = match_expression(text)
        if expression is None:
            return []
        kind = section.value if section is not None else None
        with self._lock:
            rows = self._db.execute(_QUERY, (expression, namespace, kind, kind, top_k)).fetchall()
        return [ScoredChunk(_chunk(row), _score(-row["rank"])) for row in rows]


def _chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        id=row["id"],
        path=row["path"],
        type=SectionType(row["type"]),
        title=row["title"],
        text=row["text"],
        start=row["start"],
        end=row["end"],
        tags=tuple(json.loads(row["tags"])),
    )


def _score(relevance: float) -> float:
    return relevance / (relevance + _SCORE_HALF_POINT) if relevance > 0 else 0.0
