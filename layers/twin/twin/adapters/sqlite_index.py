"""The embedded index: SQLite with FTS5, ranked by BM25, in a file or `:memory:`.

The chunks and the profile record share the file, so one transaction publishes a version: a reader, a
concurrent ingest, or a process killed midway sees the old version whole or the new one whole.

Each reader also keeps what the file holds in memory, as read at its current `PRAGMA data_version` (which
moves when another connection, e.g. `twin ingest`, commits): SQLite finds and ranks the chunks, and a request
reuses the records and chunks instead of building every one it returns again. A read and the full-text match
it makes are one read transaction, so they see the same version.
"""

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

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
_ALL_CHUNKS = 'SELECT rowid, namespace, id, path, type, title, text, start, "end", tags FROM chunks ORDER BY rowid'
_ALL_RECORDS = "SELECT twin_id, record FROM profiles"
# Weights of title, text, keywords: title words say most about a chunk; the section vocabulary is
# shared by every chunk of a kind, so it weighs less than the title but more than a body word.
# Every match, best first: the namespace and section are filtered on the chunks in memory, which costs
# less than looking each matching row up in `chunks`.
_QUERY = "SELECT rowid, bm25(chunks_fts, 6.0, 1.0, 2.5) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank"
# Each write adds FTS5 segments, and a MATCH reads every segment for each of its terms: merged into one after
# each publish, a search's many-term MATCH costs a third.
_MERGE_SEGMENTS = "INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')"


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """The whole file as read at one `data_version`."""

    data_version: int
    profiles: dict[str, IndexedProfile]
    """By twin id."""
    by_rowid: dict[int, tuple[str, Chunk]]
    """Each chunk with its namespace."""
    namespaces: dict[str, dict[str, Chunk]]
    """Each namespace's chunks by id, in the order they were stored."""

    @classmethod
    def read(cls, db: sqlite3.Connection, data_version: int) -> "_Snapshot":
        profiles = {row["twin_id"]: _profile(row["record"], row["twin_id"]) for row in db.execute(_ALL_RECORDS)}
        by_rowid = {row["rowid"]: (row["namespace"], _chunk(row)) for row in db.execute(_ALL_CHUNKS)}
        namespaces: dict[str, dict[str, Chunk]] = {}
        for namespace, chunk in by_rowid.values():
            namespaces.setdefault(namespace, {})[chunk.id] = chunk
        return cls(data_version, profiles, by_rowid, namespaces)


class SqliteIndex:
    """The embedded `VectorIndex`, `ProfileStore`, `ProfilePublisher` and `ProfileDocuments`, on one connection."""

    def __init__(self, path: str) -> None:
        self._db = connect(path)
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        with self._lock:
            self._db.executescript(_SCHEMA)

    def get(self, twin_id: str) -> IndexedProfile | None:
        return self._current().profiles.get(twin_id)

    def publish(self, profile: IndexedProfile, chunks: Sequence[Chunk], *, replacing: IndexedProfile | None) -> None:
        """The chunks `replacing` shares with `profile` move to the new namespace; the others leave or arrive."""
        namespace = profile.namespace
        with self._publishing(profile.twin_id) as db:
            current = _stored_profile(db, profile.twin_id)
            if _version(current) != _version(replacing):
                raise ConcurrentIngestError(profile.twin_id)
            if replacing is not None:
                db.execute("UPDATE chunks SET namespace = ? WHERE namespace = ?", (namespace, replacing.namespace))
            wanted = json.dumps([chunk.id for chunk in chunks])
            db.execute(_DELETE_ALL_BUT, (namespace, wanted))
            kept = {row["id"] for row in db.execute("SELECT id FROM chunks WHERE namespace = ?", (namespace,))}
            db.executemany(_INSERT, [_row(namespace, chunk) for chunk in chunks if chunk.id not in kept])
            db.execute(_PUT_RECORD, (profile.twin_id, json.dumps(dataclasses.asdict(profile))))
            db.execute(_MERGE_SEGMENTS)

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
        return list(self._current().namespaces.get(namespace, {}))

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]:
        chunks = self._current().namespaces.get(namespace, {})
        return [chunks[id_] for id_ in dict.fromkeys(ids) if id_ in chunks]

    def query(self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None) -> list[ScoredChunk]:
        expression = match_expression(text)
        if expression is None:
            return []
        with self._reading() as snapshot:
            rows = self._db.execute(_QUERY, (expression,)).fetchall()
        hits: list[ScoredChunk] = []
        for rowid, rank in rows:
            # The same transaction read both: every row the match finds is in the snapshot.
            chunk_namespace, chunk = snapshot.by_rowid[rowid]
            if chunk_namespace == namespace and (section is None or chunk.type is section):
                hits.append(ScoredChunk(chunk, _score(-rank)))
                if len(hits) == top_k:
                    break
        return hits

    def _current(self) -> _Snapshot:
        """The snapshot of the file as it is now. A read that needs nothing but the snapshot looks at `data_version`
        alone (one statement, not a transaction of three) and reads the file only when it moved."""
        with self._lock:
            snapshot = self._snapshot
            if snapshot is not None and snapshot.data_version == self._db.execute("PRAGMA data_version").fetchone()[0]:
                return snapshot
        with self._reading() as snapshot:
            return snapshot

    @contextmanager
    def _reading(self) -> Iterator[_Snapshot]:
        """One read transaction, and the snapshot of the version it reads (read again only if it moved)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                data_version: int = self._db.execute("PRAGMA data_version").fetchone()[0]
                if self._snapshot is None or self._snapshot.data_version != data_version:
                    self._snapshot = _Snapshot.read(self._db, data_version)
                yield self._snapshot
            finally:
                self._db.execute("COMMIT")

    @contextmanager
    def _publishing(self, twin_id: str) -> Iterator[sqlite3.Connection]:
        """One write transaction. While another process holds the file's write lock, it is publishing, and
        will have replaced the version this ingest started from when it lets go: so no waiting for it."""
        with self._lock:
            # `data_version` does not move for this connection's own commits: the next read reads the file again.
            self._snapshot = None
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


def _stored_profile(db: sqlite3.Connection, twin_id: str) -> IndexedProfile | None:
    row = db.execute("SELECT record FROM profiles WHERE twin_id = ?", (twin_id,)).fetchone()
    return None if row is None else _profile(row["record"], twin_id)


def _profile(stored: str, twin_id: str) -> IndexedProfile:
    record = json.loads(stored)
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
