"""The state directory of the embedded defaults and the files in it (SQLite databases, the local JWT secret):
private to their owner."""

from pathlib import Path

PRIVATE_FILE_MODE = 0o600


def state_directory(path: Path) -> None:
    """Make the directory `path` owner-only (0700) if it is missing; a directory that exists is left as it is."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
