"""Ingest: a profile document in, published as a new version of the twin's profile when anything changed.

The owner's approved answers are kept apart from the document and published with every version, as `faq` sections:
an ingest of the document keeps them, and adding or removing one publishes the current version's other sections
with the answers as they now are (`republish`).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from twin.domain.chunks import Chunk, chunk_profile
from twin.domain.faq import faq_section
from twin.domain.profile import IndexedProfile, Profile, ProfileDocument, ProfileFormat, SectionType, version_namespace
from twin.errors import ConcurrentIngestError, ProfileFormatError
from twin.ports import ApprovedAnswerStore, ProfileDocuments, ProfilePublisher, ProfileStore, VectorIndex
from twin.profiles import kept_document, load_profile
from twin.security.audit import audit


@dataclass(frozen=True, slots=True)
class IngestReport:
    twin_id: str
    version: int
    source_format: ProfileFormat
    added: int
    updated: int
    removed: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


class IngestService:
    def __init__(
        self,
        *,
        twin_id: str,
        environment: str,
        index: VectorIndex,
        profiles: ProfileStore,
        publisher: ProfilePublisher,
        documents: ProfileDocuments,
        approved: ApprovedAnswerStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._twin_id = twin_id
        self._environment = environment
        self._index = index
        self._profiles = profiles
        self._publisher = publisher
        self._documents = documents
        self._approved = approved
        self._clock = clock

    def ingest(self, document: bytes | str, *, actor: str = "local", version_floor: int = 0) -> IngestReport:
        """Parse first, so a document that fails to load leaves the index exactly as it was.

        The new version is published whole or not at all (see `ProfilePublisher`): a reader never sees an
        empty twin, or a mix of two profiles, mid-ingest. Then the document is kept for backups (`kept_document`).
        A new version is numbered at least `version_floor` (a restore carries the backup's number on).
        """
        resource = f"twin:{self._twin_id}"
        try:
            report = self._ingest(document, version_floor)
        except ProfileFormatError as error:
            audit("ingest", actor=actor, resource=resource, outcome="refused", reason=error.location)
            raise
        except ConcurrentIngestError:
            audit("ingest", actor=actor, resource=resource, outcome="refused", reason="concurrent ingest")
            raise
        kept = ProfileDocument(version=report.version, content=kept_document(document))
        self._documents.put_document(self._twin_id, kept)
        audit("ingest", actor=actor, resource=resource, outcome=f"version {report.version}")
        return report

    def check(self, document: bytes | str) -> None:
        """Raises ProfileFormatError where `ingest` would, changing nothing."""
        self._load(document)

    def republish(self) -> IngestReport | None:
        """The version served, its approved answers replaced by those in the store now; None before any ingest,
        whose first version will hold them. Raises ConcurrentIngestError when an ingest published meanwhile."""
        current = self._profiles.get(self._twin_id)
        if current is None:
            return None
        existing = self._index.fetch(current.namespace, self._index.list_ids(current.namespace))
        document = [chunk for chunk in existing if chunk.type is not SectionType.FAQ]
        profile = Profile(current.name, current.headline, current.summary, (), current.source_format)
        report = self._diff(profile, document + self._faq_chunks(profile), current, existing, floor=0)
        # The kept document names the version served from it, so a backup restores the number the twin is at.
        kept = self._documents.get_document(self._twin_id)
        if kept is not None and kept.version != report.version:
            self._documents.put_document(self._twin_id, replace(kept, version=report.version))
        return report

    def _load(self, document: bytes | str) -> tuple[Profile, list[Chunk]]:
        profile = load_profile(document)
        chunks = chunk_profile(self._twin_id, profile)
        if not chunks:
            raise ProfileFormatError("$", "a profile with at least one section of text")
        return profile, chunks

    def _ingest(self, document: bytes | str, version_floor: int) -> IngestReport:
        profile, chunks = self._load(document)
        current = self._profiles.get(self._twin_id)
        existing = self._index.fetch(current.namespace, self._index.list_ids(current.namespace)) if current else []
        return self._diff(profile, chunks + self._faq_chunks(profile), current, existing, floor=version_floor)

    def _faq_chunks(self, profile: Profile) -> list[Chunk]:
        sections = tuple(faq_section(answer) for answer in self._approved.list())
        return chunk_profile(self._twin_id, replace(profile, sections=sections))

    def _diff(
        self,
        profile: Profile,
        chunks: list[Chunk],
        current: IndexedProfile | None,
        existing: list[Chunk],
        *,
        floor: int,
    ) -> IngestReport:
        chunks = list({chunk.id: chunk for chunk in chunks}.values())
        wanted_ids = {chunk.id for chunk in chunks}
        existing_ids = {chunk.id for chunk in existing}
        new = [chunk for chunk in chunks if chunk.id not in existing_ids]
        stale = [chunk for chunk in existing if chunk.id not in wanted_ids]

        replaced_paths = {chunk.path for chunk in stale} & {chunk.path for chunk in new}
        version = self._publish(profile, chunks, current, changed=bool(new or stale), floor=floor)
        return IngestReport(
            twin_id=self._twin_id,
            version=version,
            source_format=profile.source_format,
            added=len(new) - len(replaced_paths),
            updated=len(replaced_paths),
            removed=len(stale) - len(replaced_paths),
            unchanged=len(chunks) - len(new),
        )

    def _publish(
        self, profile: Profile, chunks: list[Chunk], current: IndexedProfile | None, *, changed: bool, floor: int
    ) -> int:
        version = max((current.version if current else 0) + 1, floor)
        record = IndexedProfile(
            twin_id=self._twin_id,
            version=version,
            namespace=version_namespace(self._environment, self._twin_id, version, (chunk.id for chunk in chunks)),
            name=profile.name,
            headline=profile.headline,
            summary=profile.summary,
            source_format=profile.source_format,
            chunk_count=len(chunks),
            updated_at=self._clock().isoformat(timespec="seconds"),
        )
        # Same chunks and same name, headline, summary: nothing a reader could notice has changed.
        if current and not changed and _card(record) == _card(current):
            return current.version
        self._publisher.publish(record, chunks, replacing=current)
        return record.version


def _card(profile: IndexedProfile) -> IndexedProfile:
    """The record without what every publication changes."""
    return replace(profile, version=0, namespace="", updated_at="")
