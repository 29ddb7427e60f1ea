"""SQLite connections for the embedded adapters: one per adapter, shared by threads behind its lock."""

import contextlib
import os
import sqlite3
from pathlib import Path

from twin.settings import MEMORY


def connect(path: str, *, private: bool = False) -> sqlite3.Connection:
    """One connection per adapter, shared by threads behind the adapter's lock.

    A `private` file is readable by its owner only (SQLite gives its journal files the same mode).
    """
    if path != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if private and not Path(path).exists():
            # Only when it is new: closing any descriptor of an open database drops this process's POSIX locks
            # on it, those of SQLite's other connections too.
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    if path != MEMORY:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA busy_timeout=5000")
    connection.row_factory = sqlite3.Row
    return connection
