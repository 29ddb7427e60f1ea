"""The state directory of the embedded defaults and the files in it (SQLite databases, the local JWT secret):
private to their owner."""

import os
import tempfile
from pathlib import Path

PRIVATE_FILE_MODE = 0o600


def state_directory(path: Path) -> None:
    """Make the directory `path` owner-only (0700) if it is missing; a directory that exists is left as it is."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def write_private_file(path: Path, content: bytes) -> None:
    """`content` to `path`, private to its owner (0600), whole or not at all: written beside it, then renamed over."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
