"""The embedded index: SQLite with FTS5, ranked by BM25, in a file or `:memory:`.

The chunks and the profile record share the file, so one transaction publishes a version: a reader, a
concurrent ingest, or a process killed midway sees the old version whole or the new one whole.
"""

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from twin.adapters.lexical import keywords, match_expression
from twin.adapters.sqlite import BUSY_TIMEOUT_MS, connect
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import IndexedProfile, ProfileDocument, ProfileFormat, SectionType
from twin.errors import ConcurrentIngestError

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
CREATE TABLE IF NOT EXISTS profiles (twin_id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS profile_documents (
    twin_id TEXT PRIMARY KEY, version INTEGER NOT NULL, content BLOB NOT NULL
);
"""

_INSERT = """
INSERT INTO chunks (namespace, id, path, type, title, text, start, "end", tags, keywords)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_DELETE_ALL_BUT = "DELETE FROM chunks WHERE namespace = ? AND id NOT IN (SELECT value FROM json_each(?))"
_PUT_RECORD = (
    "INSERT INTO profiles (twin_id, record) VALUES (?, ?) ON CONFLICT (twin_id) DO UPDATE SET record = excluded.record"
)
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
    """The embedded `VectorIndex`, `ProfileStore`, `ProfilePublisher` and `ProfileDocuments`, on one connection."""

    def __init__(self, path: str) -> None:
        self._db = connect(path)
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(_SCHEMA)

    def get(self, twin_id: str) -> IndexedProfile | None:
        with self._lock:
            return self._record(twin_id)

    def publish(self, profile: IndexedProfile, chunks: Sequence[Chunk], *, replacing: IndexedProfile | None) -> None:
        """The chunks `replacing` shares with `profile` move to the new namespace; the others leave or arrive."""
        namespace = profile.namespace
        with self._publishing(profile.twin_id) as db:
            current = self._record(profile.twin_id)
            if _version(current) != _version(replacing):
                raise ConcurrentIngestError(profile.twin_id)
            if replacing is not None:
                db.execute("UPDATE chunks SET namespace = ? WHERE namespace = ?", (namespace, replacing.namespace))
            wanted = json.dumps([chunk.id for chunk in chunks])
            db.execute(_DELETE_ALL_BUT, (namespace, wanted))
            kept = {row["id"] for row in db.execute("SELECT id FROM chunks WHERE namespace = ?", (namespace,))}
            db.executemany(_INSERT, [_row(namespace, chunk) for chunk in chunks if chunk.id not in kept])
            db.execute(_PUT_RECORD, (profile.twin_id, json.dumps(dataclasses.asdict(profile))))

    def put_document(self, twin_id: str, document: ProfileDocument) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO profile_documents (twin_id, version, content) VALUES (?, ?, ?)",
                (twin_id, document.version, document.content),
            )

    def get_document(self, twin_id: str) -> ProfileDocument | None:
        with self._lock:
            rows = self._db.execute(
                "SELECT version, content FROM profile_documents WHERE twin_id = ?", (twin_id,)
            ).fetchall()
        return ProfileDocument(version=rows[0]["version"], content=bytes(rows[0]["content"])) if rows else None

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

    @contextmanager
    def _publishing(self, twin_id: str) -> Iterator[sqlite3.Connection]:
        """One write transaction. While another process holds the file's write lock, it is publishing, and
        will have replaced the version this ingest started from when it lets go: so no waiting for it."""
        with self._lock:
            self._db.execute("PRAGMA busy_timeout = 0")
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                    raise
                raise ConcurrentIngestError(twin_id) from None
            finally:
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _record(self, twin_id: str) -> IndexedProfile | None:
        row = self._db.execute("SELECT record FROM profiles WHERE twin_id = ?", (twin_id,)).fetchone()
        if row is None:
            return None
        record = json.loads(row["record"])
        record["source_format"] = ProfileFormat(record["source_format"])
        record.setdefault("namespace", twin_id)  # a record from before versions had namespaces
        return IndexedProfile(**record)


def _version(profile: IndexedProfile | None) -> int:
    return profile.version if profile is not None else 0


def _row(namespace: str, chunk: Chunk) -> tuple[str | None, ...]:
    return (
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
    )


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
