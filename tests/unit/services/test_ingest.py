import pytest

from tests.conftest import MARKDOWN_PROFILE
from twin.composition import Services
from twin.domain.profile import ProfileFormat
from twin.errors import ProfileFormatError


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


def test_nothing_from_a_linkedin_exports_private_files_reaches_the_index(empty_services: Services) -> None:
    from tests.unit.profiles.test_profiles_documents import PRIVATE_VALUES, document

    empty_services.ingest.ingest(document("linkedin_export.zip"))

    indexed = empty_services.profile.overview().sections
    text = "\n".join(f"{chunk.title} {chunk.text} {' '.join(chunk.tags)}" for chunk in indexed)
    assert "Lantau Mobility" in text
    assert [value for value in PRIVATE_VALUES if value in text] == []
