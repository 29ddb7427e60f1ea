"""Profile documents in any supported format, read into the one `Profile` model.

`load_profile` tells the format from the content: bytes starting "%PDF-" are a PDF; a ZIP holding
`word/document.xml` is a Word document, one holding LinkedIn's `Profile.csv` (or another of its profile
files) a LinkedIn data export; a JSON object with `content_chunks` is the flat workshop format, one with
`basics` (or `work` and no `experience`) is JSON Resume, any other JSON object is the workshop's
`digitaltwin.json`, and text that is not JSON is Markdown.
"""

from pathlib import Path

from twin.domain.profile import Profile, ProfileFormat
from twin.profiles.detect import binary_format, detect

__all__ = ["kept_document", "load_profile", "sample_profile"]

_SAMPLE = "sample/digitaltwin.json"


def load_profile(document: bytes | str) -> Profile:
    """The profile in `document`; raises `ProfileFormatError` (and nothing else) when it is malformed.

    Only the reader of the document's format is imported (the ingest function's cold start).
    """
    if isinstance(document, bytes):  # PDF, Word and ZIP files only ever arrive as bytes
        match binary_format(document):
            case ProfileFormat.PDF:
                from twin.profiles import pdf

                return pdf.load(document)
            case ProfileFormat.DOCX:
                from twin.profiles import docx

                return docx.load(document)
            case ProfileFormat.LINKEDIN_EXPORT:
                from twin.profiles import linkedin

                return linkedin.load(document)
    detected = detect(document)
    if detected.data is None:
        from twin.profiles import markdown

        return markdown.load(detected.text)
    match detected.format:
        case ProfileFormat.CONTENT_CHUNKS:
            from twin.profiles import content_chunks

            return content_chunks.load(detected.data)
        case ProfileFormat.JSON_RESUME:
            from twin.profiles import json_resume

            return json_resume.load(detected.data)
        case _:
            from twin.profiles import workshop

            return workshop.load(detected.data)


def kept_document(document: bytes | str) -> bytes:
    """What is kept of a document that loaded, for backups: a LinkedIn export only its profile files (the rest of
    the export is never opened, and so never kept); any other document as it came."""
    if isinstance(document, str):
        return document.encode()
    if binary_format(document) is ProfileFormat.LINKEDIN_EXPORT:
        from twin.profiles import linkedin

        return linkedin.profile_files_only(document)
    return document


def sample_profile() -> bytes:
    """The bundled fictional sample profile (workshop format), shown on first run."""
    return (Path(__file__).parent / _SAMPLE).read_bytes()
