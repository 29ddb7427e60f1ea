"""The embedded `VectorIndex`: SQLite with FTS5, ranked by BM25. A file path or `:memory:`.

The chunks themselves are also kept in memory, as read at the database's current version: SQLite finds and
ranks them, and a request reuses the chunks instead of building every one it returns again. The embedded
index holds one profile's sections, so keeping them costs little.
"""

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

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
_ALL = 'SELECT rowid, namespace, id, path, type, title, text, start, "end", tags FROM chunks ORDER BY rowid'
# Weights of title, text, keywords: title words say most about a chunk; the section vocabulary is
# shared by every chunk of a kind, so it weighs less than the title but more than a body word.
# Every match, best first: the namespace and section are filtered on the chunks in memory, which costs
# less than looking each matching row up in `chunks`.
_QUERY = "SELECT rowid, bm25(chunks_fts, 6.0, 1.0, 2.5) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank"


@dataclass(frozen=True, slots=True)
class _Chunks:
    data_version: int
    """SQLite's `data_version` when they were read: it moves when another connection commits."""
    by_rowid: dict[int, tuple[str, Chunk]]
    """In rowid order: each chunk with its namespace."""
    by_id: dict[tuple[str, str], Chunk]
    """By (namespace, id)."""


class SqliteIndex:
    def __init__(self, path: str) -> None:
        self._db = connect(path)
        self._lock = threading.Lock()
        self._chunks: _Chunks | None = None
        with self._lock:
            self._db.executescript(_SCHEMA)

    def _current_chunks(self) -> _Chunks:
        """Every chunk of the index as it is now; the caller holds the lock."""
        data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if self._chunks is None or self._chunks.data_version != data_version:
            rows = self._db.execute(_ALL).fetchall()
            by_rowid = {row["rowid"]: (row["namespace"], _chunk(row)) for row in rows}
            by_id = {(namespace, chunk.id): chunk for namespace, chunk in by_rowid.values()}
            self._chunks = _Chunks(data_version, by_rowid, by_id)
        return self._chunks

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._chunks = None  # `data_version` does not move for this connection's own commits
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            # Each write adds FTS5 segments, and a query reads every segment for every one of its terms:
            # merged into one, a search's many-term MATCH costs a third.
            self._db.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')")
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
            chunks = self._current_chunks()
        return [chunk.id for chunk_namespace, chunk in chunks.by_rowid.values() if chunk_namespace == namespace]

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]:
        with self._lock:
            by_id = self._current_chunks().by_id
        return [by_id[(namespace, id_)] for id_ in dict.fromkeys(ids) if (namespace, id_) in by_id]

    def query(self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None) -> list[ScoredChunk]:
        expression = match_expression(text)
        if expression is None:
            return []
        with self._lock:
            rows = self._db.execute(_QUERY, (expression,)).fetchall()
            # Read after the query, so at least as new: a row it found can be missing only when another
            # process deleted it in between.
            by_rowid = self._current_chunks().by_rowid
        hits: list[ScoredChunk] = []
        for rowid, rank in rows:
            chunk_namespace, chunk = by_rowid.get(rowid, ("", None))
            if chunk is not None and chunk_namespace == namespace and (section is None or chunk.type is section):
                hits.append(ScoredChunk(chunk, _score(-rank)))
                if len(hits) == top_k:
                    break
        return hits


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
