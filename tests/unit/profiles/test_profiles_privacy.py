"""Protected characteristics may be in a document but never in a chunk's text, title or tags."""

import json

import pytest

from twin.domain.chunks import Chunk, chunk_profile
from twin.domain.privacy import without_protected
from twin.profiles import load_profile

_PROTECTED_VALUES = ("1990-01-01", "Married", "married", "34", "Female", "she/her", "Buddhist", "asthma", "two kids")

_WORKSHOP = {
    "personal": {
        "name": "Jane Doe",
        "location": "Melbourne",
        "age": 34,
        "gender": "Female",
        "pronouns": "she/her",
        "maritalStatus": "Married",
        "date_of_birth": "1990-01-01",
        "nationality": "Australian",
        "details": {"religion": "Buddhist", "health": "asthma"},
    },
    "experience": [{"company": "Acme", "title": "Engineer", "duration": "2020 - Present"}],
}
_JSON_RESUME = {
    "basics": {"name": "Jane Doe", "location": {"city": "Melbourne"}, "gender": "Female", "birthDate": "1990-01-01"},
    "work": [{"name": "Acme", "position": "Engineer", "startDate": "2020-01", "maritalStatus": "Married"}],
    "interests": [{"name": "Chess", "keywords": ["openings"]}],
    "religion": "Buddhist",
}
_CONTENT_CHUNKS = {
    "metadata": {"name": "Jane Doe", "age": 34, "location": "Melbourne"},
    "content_chunks": [
        {"id": "bio", "type": "summary", "content": "I am 34, married with two kids. I am an engineer in Melbourne."},
        {"id": "job", "type": "experience", "content": "I work as Engineer at Acme.", "metadata": {"gender": "Female"}},
        {"id": "me", "type": "personal", "content": "Pronouns: she/her. Religion: Buddhist. Health: asthma."},
    ],
}
_MARKDOWN = """# Jane Doe

Engineer in Melbourne.

Date of birth: 1990-01-01 | Marital status: Married | Gender: Female

## Personal details

- Pronouns: she/her
- Religion: Buddhist
- Health: asthma
- Nationality: Australian

## Experience

### Engineer, Acme (2020 – present)

- Built the platform. I am 34 years old.
"""


def _chunks(document: str) -> list[Chunk]:
    return chunk_profile("twin", load_profile(document))


@pytest.mark.parametrize(
    "document",
    [json.dumps(_WORKSHOP), json.dumps(_JSON_RESUME), json.dumps(_CONTENT_CHUNKS), _MARKDOWN],
    ids=["workshop", "json_resume", "content_chunks", "markdown"],
)
def test_no_chunk_carries_a_protected_characteristic_but_the_rest_stays(document: str) -> None:
    chunks = _chunks(document)
    everything = " ".join(" ".join((chunk.title, chunk.text, *chunk.tags)) for chunk in chunks)

    assert [value for value in _PROTECTED_VALUES if value in everything] == []
    assert "Melbourne" in everything
    assert "Engineer" in everything
    assert "Acme" in everything


def test_nationality_is_not_protected_so_it_answers_whether_someone_can_work_here() -> None:
    everything = " ".join(chunk.text for chunk in _chunks(json.dumps(_WORKSHOP)) + _chunks(_MARKDOWN))

    assert everything.count("Australian") == 2


def test_the_profile_summary_has_no_protected_characteristics() -> None:
    profile = load_profile(json.dumps(_CONTENT_CHUNKS))

    assert profile.summary == "I am an engineer in Melbourne."


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Date of birth: 1990-01-01 | Marital status: Married", ""),
        ("Melbourne | Age: 34 | jane@example.com", "Melbourne | jane@example.com"),
        ("I am 34, married with two kids. I build data platforms.", "I build data platforms."),
        ("**Date of Birth:** 01/02/1990", ""),
        ("I married data engineering with design.", "I married data engineering with design."),
        ("I led a team of 12 people.", "I led a team of 12 people."),
        ("I have 9 years of experience.", "I have 9 years of experience."),
        ("Kids taught: 45", "Kids taught: 45"),
    ],
)
def test_only_protected_pairs_and_sentences_are_removed_from_free_text(text: str, kept: str) -> None:
    assert without_protected(text) == kept


def test_a_field_that_names_work_in_health_or_medicine_is_kept() -> None:
    nurse = {
        "personal": {"name": "Ann Lee", "title": "Clinical Informatics Nurse", "health": "asthma"},
        "skills": {"health_informatics": ["HL7 FHIR", "EPR build"], "medical_devices": ["infusion pumps"]},
    }

    everything = " ".join(chunk.text for chunk in _chunks(json.dumps(nurse)))

    assert "HL7 FHIR" in everything
    assert "infusion pumps" in everything
    assert "asthma" not in everything


def test_a_list_item_naming_the_persons_children_goes_alone_and_the_other_items_stay() -> None:
    workshop = {
        "personal": {"name": "Kofi Mensah"},
        "hobbies_and_interests": ["Football (Sunday league)", "Highlife records", "Teaching my kids to code"],
    }

    everything = " ".join(chunk.text for chunk in _chunks(json.dumps(workshop)))

    assert "kids" not in everything
    assert "Football (Sunday league)" in everything
    assert "Highlife records" in everything


@pytest.mark.parametrize(
    "hobbies",
    [["Mother of two, wheelchair user", "Chess"], ["Mother of two", "wheelchair user", "Chess"]],
    ids=["one item", "items apart"],
)
def test_a_parent_who_is_a_wheelchair_user_leaks_neither_from_a_list(hobbies: list[str]) -> None:
    workshop = {"personal": {"name": "Ann Lee"}, "hobbies": hobbies}

    everything = " ".join(chunk.text for chunk in _chunks(json.dumps(workshop)))

    assert "two" not in everything
    assert "wheelchair" not in everything
    assert "Chess" in everything


def test_a_parent_who_is_a_wheelchair_user_leaks_neither_from_a_sentence() -> None:
    assert without_protected("Mother of two, wheelchair user, keen cyclist. I build data platforms.") == (
        "I build data platforms."
    )
