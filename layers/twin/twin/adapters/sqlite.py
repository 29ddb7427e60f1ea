"""SQLite connections for the embedded adapters: one per adapter, shared by threads behind its lock."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from twin.settings import MEMORY
from twin.state_files import PRIVATE_FILE_MODE, state_directory

BUSY_TIMEOUT_MS = 5000


def connect(path: str) -> sqlite3.Connection:
    """One connection per adapter, shared by threads behind the adapter's lock. A file is private to its owner."""
    if path != MEMORY:
        state_directory(Path(path).parent)
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    if path != MEMORY:
        # By path, never through a descriptor of our own: closing one would drop this process's SQLite locks on
        # the file. Before the write-ahead log exists, since SQLite gives its -wal and -shm files the same mode.
        Path(path).chmod(PRIVATE_FILE_MODE)
        connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.row_factory = sqlite3.Row
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """The statements of the block as one write transaction: all of them, or none if the block raises."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
