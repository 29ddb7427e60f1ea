"""A profile as every loader produces it, whatever the file format it came from."""

from dataclasses import dataclass
from enum import StrEnum


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
    """What is known about the profile currently in the index.

    `version` grows by one on every ingest that changes a chunk; cached answers are keyed on it,
    so they cannot outlive the profile they were made from.
    """

    twin_id: str
    version: int
    name: str
    headline: str
    summary: str
    source_format: ProfileFormat
    chunk_count: int
    updated_at: str
