"""The embedded `ProfileStore`: one row per twin in SQLite, beside the index."""

import dataclasses
import json
import threading

from twin.adapters.sqlite import connect
from twin.domain.profile import IndexedProfile, ProfileFormat

_SCHEMA = "CREATE TABLE IF NOT EXISTS profiles (twin_id TEXT PRIMARY KEY, record TEXT NOT NULL)"


class SqliteProfileStore:
    def __init__(self, path: str) -> None:
        self._db = connect(path)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute(_SCHEMA)

    def get(self, twin_id: str) -> IndexedProfile | None:
        with self._lock:
            row = self._db.execute("SELECT record FROM profiles WHERE twin_id = ?", (twin_id,)).fetchone()
        if row is None:
            return None
        record = json.loads(row["record"])
        record["source_format"] = ProfileFormat(record["source_format"])
        return IndexedProfile(**record)

    def put(self, profile: IndexedProfile) -> None:
        record = json.dumps(dataclasses.asdict(profile))
        with self._lock:
            self._db.execute(
                "INSERT INTO profiles (twin_id, record) VALUES (?, ?) "
                "ON CONFLICT (twin_id) DO UPDATE SET record = excluded.record",
                (profile.twin_id, record),
            )
