import pytest

from tests.conftest import MARKDOWN_PROFILE
from twin.composition import Services
from twin.domain.profile import SectionType
from twin.errors import SectionNotFoundError


def test_overview_has_the_card_and_every_section_grouped_by_kind(services: Services) -> None:
    overview = services.profile.overview()

    assert overview.profile.name == "Sam Rivera"
    assert overview.profile.version == 1
    kinds = [section.type for section in overview.sections]
    assert kinds == sorted(kinds, key=list(SectionType).index)
    experience = [section.title for section in overview.sections if section.type is SectionType.EXPERIENCE]
    assert sorted(experience) == ["Software Engineer at Tidewater Bank", "Staff Engineer at Acme Payments"]


def test_the_overview_of_a_new_version_lists_its_sections(services: Services) -> None:
    before = services.profile.overview()
    bank = "### Software Engineer, Tidewater Bank\n\nI built the bank's first public API in Go and Postgres."
    services.ingest.ingest(MARKDOWN_PROFILE.replace(bank, ""))

    after = services.profile.overview()

    assert (before.profile.version, after.profile.version) == (1, 2)
    titles = {section.title for section in before.sections} - {section.title for section in after.sections}
    assert titles == {"Software Engineer at Tidewater Bank"}


def test_a_section_is_returned_in_full_by_its_id(services: Services) -> None:
    listed = services.profile.overview().sections[0]

    assert services.profile.section(listed.id) == listed


@pytest.mark.parametrize("section_id", ["0" * 24, "not-an-id", "", "a" * 25, "../" * 8])
def test_an_unknown_or_malformed_section_id_is_not_found(services: Services, section_id: str) -> None:
    with pytest.raises(SectionNotFoundError):
        services.profile.section(section_id)
