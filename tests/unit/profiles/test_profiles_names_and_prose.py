import json

import pytest

from twin.domain.profile import Profile, Section, SectionType
from twin.profiles import load_profile, sample_profile


def _by_path(profile: Profile) -> dict[str, Section]:
    return {section.path: section for section in profile.sections}


@pytest.mark.parametrize(
    "name", ["Jane Doe (https://jane.dev)", "Jane Doe https://jane.dev", "Jane Doe 🚀 | https://jane.dev"]
)
@pytest.mark.parametrize(
    "document",
    [
        lambda name: {"personal": {"name": name}, "skills": ["Go"]},
        lambda name: {"basics": {"name": name}, "work": []},
        lambda name: {"metadata": {"name": name}, "content_chunks": [{"content": "I code."}]},
    ],
)
def test_a_name_with_a_url_after_it_keeps_only_the_name(name: str, document: object) -> None:
    assert callable(document)
    profile = load_profile(json.dumps(document(name)))

    assert profile.name == "Jane Doe"


def test_the_url_after_a_workshop_name_goes_to_contact() -> None:
    profile = load_profile('{"personal": {"name": "Jane Doe (https://jane.dev)"}}')

    assert "https://jane.dev" in _by_path(profile)["$.personal.contact"].text
    assert _by_path(profile)["$.personal"].text == "I am Jane Doe."


def test_a_document_with_content_chunks_and_workshop_keys_keeps_both() -> None:
    document = {
        "personal": {"name": "Sam Lind", "title": "Designer", "summary": "I design tools."},
        "experience": [{"company": "Klarbo", "title": "Lead Designer", "duration": "2020 - Present"}],
        "skills": ["Figma"],
        "content_chunks": [
            {"id": "bio", "type": "summary", "content": "I design B2B analytics tools."},
            {"id": "skills", "type": "skills", "content": "My skills: Figma."},
        ],
    }

    profile = load_profile(json.dumps(document))
    sections = _by_path(profile)

    assert profile.name == "Sam Lind"
    assert sections['$.content_chunks["bio"]'].text == "I design B2B analytics tools."
    assert sections["$.experience[0]"].text.startswith("I work as Lead Designer at Klarbo")
    assert (sections["$.experience[0]"].start, sections["$.experience[0]"].end) == ("2020", "present")
    assert "$.personal" in sections
    assert [section.text for section in profile.sections].count("My skills: Figma.") == 1


def test_salary_and_location_read_as_first_person_sentences() -> None:
    text = _by_path(load_profile(sample_profile()))["$.salary_location"].text

    assert text == (
        "My salary expectation is AUD 185,000 – 205,000 base plus superannuation. "
        "I am based in Melbourne, Victoria. "
        "My location preferences: Melbourne (hybrid, 2 days in office); Remote within Australia. "
        "I am open to relocating: Open to Sydney or Auckland for the right staff role. "
        "My work authorization is Australian citizen. My notice period is 4 weeks."
    )


def test_star_achievements_read_as_a_story_not_field_labels() -> None:
    achievement = _by_path(load_profile(sample_profile()))["$.experience[1].achievements_star[0]"]

    assert achievement.text == (
        "At Bluegum Retail Group, as Data Engineer. Stock forecasts were built in spreadsheets and refreshed weekly. "
        "My task: Automate demand forecasting for 30,000 SKUs. "
        "What I did: Built a feature pipeline in PySpark on Databricks and deployed LightGBM models with MLflow "
        "tracking. The result: Forecast error (MAPE) fell from 31% to 19%, saving an estimated AUD 1.2 million "
        "a year in overstock."
    )


def test_conference_entries_read_as_phrases_not_field_dumps() -> None:
    sections = _by_path(load_profile(sample_profile()))

    assert sections["$.professional_development.conferences_attended"].text == (
        "Conferences I have attended: Current 2023 (Kafka Summit) in San Jose, as attendee; "
        "PyCon AU 2024 in Melbourne, as speaker, talk: Lineage diffs in CI with Harbour."
    )
    assert "Location:" not in " ".join(section.text for section in sections.values())


def test_other_personal_details_are_sentences_not_a_field_dump() -> None:
    profile = load_profile('{"personal": {"name": "Ada", "nationality": "Irish", "Remote OK": true}}')

    assert profile.sections[0].text == "I am Ada. My nationality is Irish. Remote OK: yes."
    assert profile.sections[0].type is SectionType.SUMMARY
