"""A profile as every loader produces it, whatever the file format it came from, and the version of it served."""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

_DIGEST_CHARS = 16


class SectionType(StrEnum):
    SUMMARY = "summary"
    CONTACT = "contact"
    EXPERIENCE = "experience"
    ACHIEVEMENT = "achievement"
    PROJECT = "project"
    SKILLS = "skills"
    EDUCATION = "education"
    CERTIFICATION = "certification"
    GOALS = "goals"
    COMPENSATION = "compensation"
    INTERVIEW = "interview"
    DEVELOPMENT = "development"
    PUBLICATION = "publication"
    AWARD = "award"
    LANGUAGE = "language"
    INTEREST = "interest"
    REFERENCE = "reference"
    VOLUNTEER = "volunteer"
    FAQ = "faq"
    """An answer the owner approved for a question (`twin answers add`): never read from a profile document."""
    OTHER = "other"


class ProfileFormat(StrEnum):
    WORKSHOP = "workshop"
    CONTENT_CHUNKS = "content_chunks"
    JSON_RESUME = "json_resume"
    MARKDOWN = "markdown"
    PDF = "pdf"
    DOCX = "docx"
    LINKEDIN_EXPORT = "linkedin_export"


@dataclass(frozen=True, slots=True)
class Section:
    """One self-contained piece of a profile.

    `path` locates it in the source document (a JSON path or a heading trail) and stays the same
    while the piece is edited, so a changed section replaces its old chunk instead of adding one.
    `text` must read well on its own: it carries its context (company and role on an achievement).
    """

    path: str
    type: SectionType
    title: str
    text: str
    start: str | None = None
    end: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    headline: str
    summary: str
    sections: tuple[Section, ...]
    source_format: ProfileFormat


@dataclass(frozen=True, slots=True)
class IndexedProfile:
    """What is known about the profile currently in the index: the record readers find its chunks through.

    `version` grows by one on every ingest that changes something. `namespace` is where the version's chunks
    are (`version_namespace`); cached answers are keyed on it, so they cannot outlive the chunks they were
    made from.
    """

    twin_id: str
    version: int
    namespace: str
    name: str
    headline: str
    summary: str
    source_format: ProfileFormat
    chunk_count: int
    updated_at: str


@dataclass(frozen=True, slots=True)
class ProfileDocument:
    """A profile document as it was ingested (the file's bytes) and the version the twin served after it."""

    version: int
    content: bytes = field(repr=False)


def version_namespace(environment: str, twin_id: str, version: int, chunk_ids: Iterable[str]) -> str:
    """The index namespace of one profile version, named by its environment, twin, number and chunks.

    Each version has its own, so a new one is written beside the one readers use. Two ingests racing to
    publish the same version number share a namespace only if they write the same chunks.
    """
    digest = hashlib.sha256("\n".join(sorted(chunk_ids)).encode()).hexdigest()[:_DIGEST_CHARS]
    return f"{environment}:{twin_id}:v{version}:{digest}"


def namespace_version(namespace: str, *, sibling: str) -> int | None:
    """The version `namespace` holds when it is a version namespace of the same environment and twin as
    `sibling` (another one); None for any other namespace."""
    environment_and_twin = sibling.rsplit(":", 2)[0]
    found = re.fullmatch(rf"{re.escape(environment_and_twin)}:v(\d+):[0-9a-f]{{{_DIGEST_CHARS}}}", namespace)
    return int(found[1]) if found else None
