from collections.abc import Callable, Sequence

import pytest

from tests.conftest import MARKDOWN_PROFILE
from twin.composition import Services
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.profile import ProfileDocument, ProfileFormat, SectionType
from twin.errors import ConcurrentIngestError, ProfileFormatError
from twin.ports import VectorIndex
from twin.services.ingest import IngestService


def indexed_ids(services: Services) -> set[str]:
    return {section.id for section in services.profile.overview().sections}


def test_first_ingest_adds_every_section_and_starts_at_version_one(empty_services: Services) -> None:
    report = empty_services.ingest.ingest(MARKDOWN_PROFILE)

    assert report.source_format is ProfileFormat.MARKDOWN
    assert report.added == len(indexed_ids(empty_services)) > 0
    assert (report.updated, report.removed, report.unchanged, report.version) == (0, 0, 0, 1)


def test_re_ingesting_the_same_profile_changes_nothing(services: Services) -> None:
    before = indexed_ids(services)

    report = services.ingest.ingest(MARKDOWN_PROFILE)

    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert report.unchanged == len(before)
    assert report.version == 1
    assert indexed_ids(services) == before


def test_an_edited_section_replaces_its_old_chunk(services: Services) -> None:
    edited = MARKDOWN_PROFILE.replace("a little Rust", "a lot of Rust")

    report = services.ingest.ingest(edited)

    assert (report.added, report.updated, report.removed, report.version) == (0, 1, 0, 2)
    assert services.search.search("a lot of Rust")[0].chunk.text.endswith("a lot of Rust.")
    assert not any("a little Rust" in hit.chunk.text for hit in services.search.search("Rust", top_k=20))


def test_a_section_gone_from_the_profile_leaves_the_index(services: Services) -> None:
    bank = "### Software Engineer, Tidewater Bank\n\nI built the bank's first public API in Go and Postgres."
    without_bank = MARKDOWN_PROFILE.replace(bank, "")
    assert without_bank != MARKDOWN_PROFILE

    report = services.ingest.ingest(without_bank)

    assert (report.removed, report.version) == (1, 2)
    hits = services.search.search("Tidewater bank public API", top_k=20)
    assert all("Tidewater" not in hit.chunk.title + hit.chunk.text for hit in hits)


def test_a_profile_that_fails_to_load_changes_nothing(services: Services) -> None:
    before = services.profile.overview()

    with pytest.raises(ProfileFormatError):
        services.ingest.ingest('{"content_chunks": [{"id": "x", "content": ""}]}')

    assert services.profile.overview() == before


class Overtaking:
    """The index as an ingest reads it, while another ingest publishes in between: once, on the first listing."""

    def __init__(self, index: VectorIndex, other_ingest: Callable[[], object]) -> None:
        self._index = index
        self._other_ingest: Callable[[], object] | None = other_ingest

    def list_ids(self, namespace: str) -> list[str]:
        ids = self._index.list_ids(namespace)
        if self._other_ingest is not None:
            other_ingest, self._other_ingest = self._other_ingest, None
            other_ingest()
        return ids

    def fetch(self, namespace: str, ids: Sequence[str]) -> list[Chunk]:
        return self._index.fetch(namespace, ids)

    def query(self, namespace: str, text: str, *, top_k: int, section: SectionType | None = None) -> list[ScoredChunk]:
        return self._index.query(namespace, text, top_k=top_k, section=section)


def test_an_ingest_that_another_overtakes_is_refused_and_the_other_profile_is_served_whole(services: Services) -> None:
    haskell = MARKDOWN_PROFILE.replace("a little Rust", "Haskell")
    overtaken = IngestService(
        twin_id=services.settings.twin_id,
        environment=services.settings.environment,
        index=Overtaking(services.storage.writable_index, lambda: services.ingest.ingest(haskell)),
        profiles=services.storage.profiles,
        publisher=services.storage.publisher,
        documents=services.storage.profile_documents,
        approved=services.storage.approved_answers,
    )

    with pytest.raises(ConcurrentIngestError):
        overtaken.ingest(MARKDOWN_PROFILE.replace("Lisbon", "Porto"))

    overview = services.profile.overview()
    assert overview.profile.version == 2
    assert any("Haskell" in chunk.text for chunk in overview.sections)
    assert not any("Porto, building" in chunk.text or "a little Rust" in chunk.text for chunk in overview.sections)


def test_nothing_from_a_linkedin_exports_private_files_reaches_the_index(empty_services: Services) -> None:
    from tests.unit.profiles.test_profiles_documents import PRIVATE_VALUES, document

    empty_services.ingest.ingest(document("linkedin_export.zip"))

    indexed = empty_services.profile.overview().sections
    text = "\n".join(f"{chunk.title} {chunk.text} {' '.join(chunk.tags)}" for chunk in indexed)
    assert "Lantau Mobility" in text
    assert [value for value in PRIVATE_VALUES if value in text] == []


def test_each_ingest_keeps_the_document_it_read_and_the_version_it_made(services: Services) -> None:
    edited = MARKDOWN_PROFILE.replace("a little Rust", "a lot of Rust").encode()
    twin_id = services.settings.twin_id
    first = services.storage.profile_documents.get_document(twin_id)

    services.ingest.ingest(edited)

    assert first == ProfileDocument(version=1, content=MARKDOWN_PROFILE.encode())
    assert services.storage.profile_documents.get_document(twin_id) == ProfileDocument(version=2, content=edited)


def test_a_document_that_fails_to_load_is_not_kept(services: Services) -> None:
    with pytest.raises(ProfileFormatError):
        services.ingest.ingest(b"%PDF-1.7 not really")

    document = services.storage.profile_documents.get_document(services.settings.twin_id)
    assert document == ProfileDocument(version=1, content=MARKDOWN_PROFILE.encode())


def test_a_new_version_is_numbered_at_least_the_floor_asked_for(services: Services) -> None:
    edited = MARKDOWN_PROFILE.replace("a little Rust", "a lot of Rust")

    raised = services.ingest.ingest(edited, version_floor=7)
    unchanged = services.ingest.ingest(edited, version_floor=9)

    assert (raised.version, unchanged.version) == (7, 7), "an ingest that changes nothing publishes no version"
