import json
import random
from collections.abc import Callable

import pytest

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.errors import ProfileFormatError
from twin.profiles import load_profile

ReadFixture = Callable[[str], bytes]
MissingValues = Callable[[bytes | str, Profile], list[str]]


def _by_path(profile: Profile) -> dict[str, Section]:
    return {section.path: section for section in profile.sections}


def _load(read_fixture: ReadFixture) -> Profile:
    return load_profile(read_fixture("messy_workshop.json"))


def test_messy_workshop_keeps_every_non_empty_leaf_value_in_some_section(
    read_fixture: ReadFixture, missing_values: MissingValues
) -> None:
    document = read_fixture("messy_workshop.json")

    assert missing_values(document, load_profile(document)) == []


def test_messy_workshop_matches_keys_with_spaces_and_mixed_case(read_fixture: ReadFixture) -> None:
    profile = _load(read_fixture)
    sections = _by_path(profile)

    assert profile.source_format is ProfileFormat.WORKSHOP
    assert profile.name == "Jordan Reyes-Okafor"
    assert profile.headline == "Staff Backend Engineer · Leeds, United Kingdom"
    details = sections['$["Personal Info"]']
    assert "34" not in details.text
    assert "My name is J. Reyes-Okafor." in details.text
    assert sections["$.EXPERIENCE[1]"].title == "Backend Developer at Ferrous Logistics"


def test_top_level_personal_fields_join_the_personal_sections(read_fixture: ReadFixture) -> None:
    contact = _by_path(_load(read_fixture))['$["Personal Info"].Contact']

    assert contact.type is SectionType.CONTACT
    assert "jordan@example.org | +44 7700 900123" in contact.text
    assert "Email: jordan.alt@example.org" in contact.text


def test_a_string_where_achievements_should_be_a_list_becomes_one_achievement(
    read_fixture: ReadFixture,
) -> None:
    achievement = _by_path(_load(read_fixture))["$.EXPERIENCE[0].achievements_star"]

    assert achievement.type is SectionType.ACHIEVEMENT
    assert achievement.text.startswith("At Kestrel Payments, as Staff Backend Engineer. Led the migration")
    assert achievement.title.endswith("— Kestrel Payments")
    assert (achievement.start, achievement.end) == ("2021-01", "present")


def test_achievement_lists_skip_empty_items_but_keep_their_positions(read_fixture: ReadFixture) -> None:
    paths = [section.path for section in _load(read_fixture).sections if section.type is SectionType.ACHIEVEMENT]

    assert paths == [
        "$.EXPERIENCE[0].achievements_star",
        "$.EXPERIENCE[1].Achievements_STAR[0]",
        "$.EXPERIENCE[1].Achievements_STAR[1]",
    ]


def test_a_comma_separated_string_of_languages_is_read_as_a_list(read_fixture: ReadFixture) -> None:
    languages = _by_path(_load(read_fixture))["$.skills.technical.programming_languages"]

    assert languages.text == "My programming languages: Go, Python, Rust, SQL."
    assert languages.tags == ("go", "python", "rust", "sql")


def test_education_as_a_single_object_is_one_section_at_the_object_path(read_fixture: ReadFixture) -> None:
    education = [section for section in _load(read_fixture).sections if section.type is SectionType.EDUCATION]

    assert [section.path for section in education] == ["$.education"]
    assert education[0].text.startswith(
        "I studied MEng Software Engineering at University of Sheffield, graduating 2014."
    )
    assert education[0].end == "2014"


def test_unknown_sections_get_a_type_from_their_name(read_fixture: ReadFixture) -> None:
    sections = _by_path(_load(read_fixture))

    assert sections['$["Hobbies & Interests"]'].type is SectionType.INTEREST
    assert sections['$["Hobbies & Interests"]'].title == "Hobbies & interests"
    assert sections["$.Misc"].type is SectionType.OTHER
    assert sections['$.skills["Spoken Languages"]'].type is SectionType.LANGUAGE
    assert sections["$.skills.certifications"].type is SectionType.CERTIFICATION


def test_an_unknown_list_of_objects_gives_one_section_per_object(read_fixture: ReadFixture) -> None:
    sections = _by_path(_load(read_fixture))

    first, second = sections["$.Volunteering[0]"], sections["$.Volunteering[1]"]
    assert (first.type, first.title) == (SectionType.VOLUNTEER, "Code Club Leeds")
    assert first.text == ("Volunteering — Code Club Leeds. Role: Mentor. Years: 2019-2023. Kids taught: 45.")
    assert (first.start, first.end) == ("2019", "2023")
    assert second.title == "Parkrun"


def test_empty_and_null_sections_produce_nothing(read_fixture: ReadFixture) -> None:
    paths = set(_by_path(_load(read_fixture)))

    assert not paths & {'$["Empty Section"]', '$["Also Null"]', '$["Personal Info"]["Elevator-Pitch"]'}
    assert '$["Lucky Number"]' in paths


def test_numbers_and_booleans_are_rendered_as_written(read_fixture: ReadFixture) -> None:
    sections = _by_path(_load(read_fixture))

    assert "My favourite numbers: 7, 3.50, -2." in sections['$["Personal Info"]'].text
    assert "Remote OK: yes." in sections['$["Personal Info"]'].text
    assert "No, I am not open to relocating." in sections["$.Salary_Location"].text


def test_nested_unknown_objects_are_rendered_with_their_labels(read_fixture: ReadFixture) -> None:
    misc = _by_path(_load(read_fixture))["$.Misc"]

    assert misc.text == "My misc — preferences: (Editor: Neovim, Keyboard: (Layout: Colemak, Split: yes))."


def test_wrong_types_in_every_known_section_load_without_losing_values(missing_values: MissingValues) -> None:
    document = json.dumps(
        {
            "personal": "I design payment systems.",
            "salary_location": ["60k", "Remote"],
            "experience": {"company": "Solo Co", "achievements_star": {"result": "Shipped 3 apps"}},
            "skills": ["Go", 7, True],
            "education": [1999, {"degree": ["BSc", "MSc"], "gpa": 3.8}],
            "projects_portfolio": {"a": {"name": "Alpha"}, "b": {"name": "Beta", "technologies": "Go, Rust"}},
            "career_goals": ["Lead a team"],
            "interview_prep": "Practise system design",
            "professional_development": {"open_source": {"project": "gopls", "prs": 2}},
        }
    )

    profile = load_profile(document)

    assert missing_values(document, profile) == []
    assert {"$.projects_portfolio.a", "$.projects_portfolio.b"} <= {section.path for section in profile.sections}


def test_top_level_name_and_title_without_a_personal_section_are_the_summary() -> None:
    profile = load_profile('{"Full Name": "Ada Byrne", "Job Title": "SRE", "experience": []}')

    assert (profile.name, profile.headline) == ("Ada Byrne", "SRE")
    assert profile.sections[0].path == "$"
    assert profile.sections[0].text == "I am Ada Byrne, SRE."


def test_a_workshop_document_with_no_values_is_an_error() -> None:
    with pytest.raises(ProfileFormatError) as raised:
        load_profile('{"personal": {}, "experience": [null, ""]}')

    assert raised.value.location == "$"


_TOP_KEYS = ["personal", "Full Name", "salary_location", "experience", "skills", "education"]
_TOP_KEYS += ["projects_portfolio", "career_goals", "interview_prep", "professional_development", "misc"]
_INNER_KEYS = ["name", "Job Title", "company", "duration", "start_date", "current", "achievements_star"]
_INNER_KEYS += ["result", "technical", "programming_languages", "years", "frameworks", "degree", "graduation"]
_INNER_KEYS += ["technologies", "github_url", "short_term", "common_questions", "weakness", "contact", "x y"]
_SCALARS: list[object] = [None, True, False, 0, 42, "", " ", "Jan 2021 - Present", "a, b", "word (aside)"]


def _random_value(rng: random.Random, depth: int) -> object:
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        value = rng.choice(_SCALARS)
        return f"{value}{rng.randint(0, 999)}" if isinstance(value, str) and value.strip() else value
    if roll < 0.7:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(_INNER_KEYS): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_randomly_shaped_workshop_documents_drop_no_value(missing_values: MissingValues) -> None:
    rng = random.Random(7)
    for _ in range(300):
        keys = rng.sample(_TOP_KEYS, rng.randint(1, 5))
        document = json.dumps({key: _random_value(rng, 1) for key in keys})
        try:
            profile = load_profile(document)
        except ProfileFormatError:
            continue
        assert missing_values(document, profile) == [], document


_CONFLICT = (
    "The backend lead wanted to keep REST for everything while I pushed for GraphQL. Instead of arguing I "
    "proposed a two-week spike where we each built the endpoints our way and measured payload size and dev time."
)
_JOB_WITH_STORIES = {
    "company": "Brightloom",
    "role": "Senior Frontend Engineer",
    "dates": "Apr 2021 – present",
    "technical_skills_used": ["React", "GraphQL"],
    "failures_and_lessons": [
        {
            "what_happened": "I pushed the lesson player to all users after testing only on laptops.",
            "lesson": "I now insist on a staged rollout.",
        }
    ],
    "conflict_example": _CONFLICT,
    "team_notes": " ".join(["We paired on every release and wrote the runbook together for the on-call rota."] * 2),
    "office": "Leeds, near the station",
    "responsibilities": " ".join(["I owned the learner app and its build pipeline end to end for the team."] * 3),
}


def _job_sections() -> dict[str, Section]:
    return _by_path(load_profile(json.dumps({"experience": [_JOB_WITH_STORIES]})))


def test_stories_inside_a_job_become_achievements_titled_by_their_key_and_company() -> None:
    sections = _job_sections()

    conflict = sections["$.experience[0].conflict_example"]
    assert (conflict.type, conflict.title) == (SectionType.ACHIEVEMENT, "Conflict example — Brightloom")
    assert conflict.text == f"At Brightloom, as Senior Frontend Engineer. {_CONFLICT}"
    assert (conflict.start, conflict.end) == ("2021-04", "present")
    assert conflict.tags == ("graphql",)
    lessons = sections["$.experience[0].failures_and_lessons"]
    assert (lessons.type, lessons.title) == (SectionType.ACHIEVEMENT, "Failures and lessons — Brightloom")


def test_a_story_told_as_an_object_reads_as_prose_with_its_lesson() -> None:
    lessons = _job_sections()["$.experience[0].failures_and_lessons"]

    assert lessons.text == (
        "At Brightloom, as Senior Frontend Engineer. I pushed the lesson player to all users after testing only "
        "on laptops. The lesson: I now insist on a staged rollout."
    )


def test_a_jobs_stories_are_not_folded_into_its_text_but_its_description_and_short_fields_stay() -> None:
    sections = _job_sections()
    job = sections["$.experience[0]"]

    assert "REST" not in job.text
    assert "lesson player" not in job.text
    assert "I owned the learner app" in job.text
    assert "Office: Leeds, near the station." in job.text
    assert sections["$.experience[0].team_notes"].title == "Team notes — Brightloom"


@pytest.mark.parametrize(
    ("result", "title"),
    [
        ("Completed in 9 weeks, with zero legal claims.", "Led the restructuring talks — Lunaris"),
        ("Attrition fell from 18% to 9%.", "Attrition fell from 18% to 9% — Lunaris"),
    ],
)
def test_a_star_story_is_titled_by_its_result_unless_the_result_only_says_how_the_work_went(
    result: str, title: str
) -> None:
    story = {"situation": "Costs had to fall.", "action": "Led the restructuring talks.", "result": result}
    document = {"experience": [{"company": "Lunaris", "role": "HRBP", "achievements_star": [story]}]}

    titles = [section.title for section in load_profile(json.dumps(document)).sections]

    assert title in titles
