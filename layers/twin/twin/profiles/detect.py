"""Decoding a document and telling its format from its content."""

import json
import re
from dataclasses import dataclass

from twin.domain.limits import MAX_DOCUMENT_BYTES
from twin.domain.profile import ProfileFormat
from twin.errors import ProfileFormatError
from twin.profiles.json_values import JsonObject, JsonValue, Number, child_path, without_protected_keys
from twin.profiles.keys import match_key

MAX_DEPTH = 32

_UTF8_BOM = b"\xef\xbb\xbf"
# A PDF's "%PDF-" may follow up to 1 KiB of other bytes (ISO 32000-1, annex H); a ZIP starts with its first entry.
_PDF_MAGIC = b"%PDF-"
_PDF_MAGIC_WITHIN = 1024
_ZIP_MAGIC = b"PK\x03\x04"
_DOCX_PART = "word/document.xml"
# Tab, newline, carriage return and form feed are text; other control characters mean a binary file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Detected:
    format: ProfileFormat
    text: str
    data: JsonObject | None


def detect(document: bytes | str) -> Detected:
    """The document's text and format; a JSON document also parsed (and checked for depth)."""
    text = decode(document)
    if not text.strip():
        raise ProfileFormatError("line 1", "a non-empty profile document")
    control = _CONTROL.search(text)
    if control:
        location = _line_column(text, control.start())
        raise ProfileFormatError(location, f"text without control characters (found U+{ord(control[0]):04X})")
    data = parse_json(text)
    if data is None:
        return Detected(ProfileFormat.MARKDOWN, text, None)
    return Detected(json_format(data), text, without_protected_keys(data))


def binary_format(document: bytes | str) -> ProfileFormat | None:
    """PDF, DOCX or a LinkedIn export ZIP, told by their bytes (never by a file name); None for text."""
    if isinstance(document, str):
        return None
    is_pdf = document.startswith(_PDF_MAGIC) or (
        _PDF_MAGIC in document[: _PDF_MAGIC_WITHIN + len(_PDF_MAGIC)] and not _is_utf8(document)
    )
    if not is_pdf and not document.startswith(_ZIP_MAGIC):
        return None
    if len(document) > MAX_DOCUMENT_BYTES:  # before a parser spends any time on it
        raise ProfileFormatError(f"byte {MAX_DOCUMENT_BYTES + 1}", f"a document of at most {MAX_DOCUMENT_BYTES} bytes")
    return ProfileFormat.PDF if is_pdf else _zip_format(document)


def _is_utf8(document: bytes) -> bool:
    """A Markdown CV that mentions "%PDF-" is still text; a PDF's own bytes are not UTF-8."""
    try:
        document.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _zip_format(document: bytes) -> ProfileFormat:
    from twin.profiles import archive, linkedin

    names = archive.open_archive(document, "ZIP").namelist()
    if _DOCX_PART in names:
        return ProfileFormat.DOCX
    if linkedin.is_export(names):
        return ProfileFormat.LINKEDIN_EXPORT
    raise ProfileFormatError("ZIP", "a Word document (.docx) or a LinkedIn data export (with Profile.csv)")


def decode(document: bytes | str) -> str:
    if isinstance(document, str):
        return document.removeprefix("\ufeff")
    body = document.removeprefix(_UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + len(document) - len(body)
        raise ProfileFormatError(f"byte {offset}", "UTF-8 text") from None


def json_format(data: JsonObject) -> ProfileFormat:
    keys = {match_key(key) for key in data}
    if "contentchunks" in keys:
        return ProfileFormat.CONTENT_CHUNKS
    if "basics" in keys or ("work" in keys and "experience" not in keys):
        return ProfileFormat.JSON_RESUME
    return ProfileFormat.WORKSHOP


def parse_json(text: str) -> JsonObject | None:
    """The JSON object in `text`; None when the text is not JSON at all (so it is Markdown)."""
    looks_like_json = text.lstrip()[:1] in ("{", "[")
    try:
        value: JsonValue = json.loads(text, parse_int=Number, parse_float=Number, parse_constant=Number)
    except json.JSONDecodeError as error:
        if not looks_like_json:
            return None
        raise ProfileFormatError(f"line {error.lineno}, column {error.colno}", f"valid JSON ({error.msg})") from None
    except RecursionError:
        raise ProfileFormatError(_too_deep_location(text), _DEPTH_EXPECTED) from None
    if not isinstance(value, dict):
        raise ProfileFormatError("$", "a JSON object")
    _check_depth(value, "$", 1)
    return value


_DEPTH_EXPECTED = f"JSON nested at most {MAX_DEPTH} levels deep"


def _check_depth(value: JsonValue, path: str, depth: int) -> None:
    if not isinstance(value, dict | list):
        return
    if depth > MAX_DEPTH:
        raise ProfileFormatError(path, _DEPTH_EXPECTED)
    if isinstance(value, dict):
        for key, item in value.items():
            _check_depth(item, child_path(path, key), depth + 1)
    else:
        for index, item in enumerate(value):
            _check_depth(item, f"{path}[{index}]", depth + 1)


def _too_deep_location(text: str) -> str:
    """Where nesting first goes past the limit, for JSON too deep for the parser itself."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_column(text, offset)
        elif char in "]}":
            depth -= 1
    return "line 1"


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"
