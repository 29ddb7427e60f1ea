"""ZIP files (a Word document, a LinkedIn data export) opened with care: they come from the caller.

Nothing is ever written to disk, so a name like "../../etc/passwd" could do no harm here; it is refused all
the same, as is an archive of too many files, or one whose files would expand far beyond their packed size
(a "zip bomb"), since every file read is held in memory.
"""

import io
import zipfile
from pathlib import PurePosixPath

from twin.errors import ProfileFormatError

MAX_FILES = 1_000
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_EXPANSION = 100  # a file's size over its packed size; text compresses some 10 times, a bomb 1000s


def open_archive(document: bytes, kind: str) -> zipfile.ZipFile:
    """The ZIP in `document`, its table of contents checked; `kind` names it in errors ("ZIP", "DOCX")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(document))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ProfileFormatError(kind, "a ZIP file that is not damaged") from None
    members = archive.infolist()
    if len(members) > MAX_FILES:
        raise ProfileFormatError(kind, f"an archive of at most {MAX_FILES} files")
    for member in members:
        if _escapes(member.filename):
            raise ProfileFormatError(kind, "file names inside the archive without '..', drive letters or a leading '/'")
    return archive


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, kind: str) -> bytes:
    """One file of the archive, refused when it would expand beyond the limits (whatever its header claims)."""
    where = f"{kind} file {member.filename}"
    if member.flag_bits & 0x1:
        raise ProfileFormatError(where, "a file without a password")
    packed = max(member.compress_size, 1)
    if member.file_size > MAX_FILE_BYTES or member.file_size > packed * MAX_EXPANSION + 1024:
        raise ProfileFormatError(where, f"a file that expands at most {MAX_EXPANSION} times, to {MAX_FILE_BYTES} bytes")
    try:
        with archive.open(member) as stream:
            data = stream.read(member.file_size + 1)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError, RuntimeError):
        raise ProfileFormatError(where, "a file that is not damaged") from None
    if len(data) > member.file_size:
        raise ProfileFormatError(where, "a file as long as the archive says it is")
    return data


def _escapes(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")
