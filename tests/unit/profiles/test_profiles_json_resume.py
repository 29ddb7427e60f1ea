import json
from collections.abc import Callable

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.profiles import load_profile

ReadFixture = Callable[[str], bytes]
MissingValues = Callable[[bytes | str, Profile], list[str]]


def _by_path(profile: Profile) -> dict[str, Section]:
    return {section.path: section for section in profile.sections}


def _load(read_fixture: ReadFixture) -> Profile:
    return load_profile(read_fixture("json_resume.json"))


def test_json_resume_gives_one_section_per_entry_with_the_right_type(read_fixture: ReadFixture) -> None:
    profile = _load(read_fixture)

    assert profile.source_format is ProfileFormat.JSON_RESUME
    assert [(section.path, section.type) for section in profile.sections] == [
        ("$.basics", SectionType.SUMMARY),
        ("$.basics.contact", SectionType.CONTACT),
        ("$.work[0]", SectionType.EXPERIENCE),
        ("$.work[1]", SectionType.EXPERIENCE),
        ("$.volunteer[0]", SectionType.VOLUNTEER),
        ("$.education[0]", SectionType.EDUCATION),
        ("$.education[1]", SectionType.EDUCATION),
        ("$.awards[0]", SectionType.AWARD),
        ("$.certificates[0]", SectionType.CERTIFICATION),
        ("$.publications[0]", SectionType.PUBLICATION),
        ("$.skills[0]", SectionType.SKILLS),
        ("$.skills[1]", SectionType.SKILLS),
        ("$.skills[2]", SectionType.SKILLS),
        ("$.languages", SectionType.LANGUAGE),
        ("$.interests", SectionType.INTEREST),
        ("$.references[0]", SectionType.REFERENCE),
        ("$.projects[0]", SectionType.PROJECT),
    ]


def test_basics_give_name_headline_summary_and_contact(read_fixture: ReadFixture) -> None:
    profile = _load(read_fixture)
    contact = _by_path(profile)["$.basics.contact"]

    assert profile.name == "Priya Natarajan"
    assert profile.headline == "Machine Learning Engineer · San Francisco, California, US"
    assert profile.summary == "ML engineer who ships ranking and recommendation models to production."
    assert "GitHub: https://github.com/priya-n-example (priya-n-example)" in contact.text
    assert "Postal code: 94105" in contact.text


def test_work_entries_include_highlights_dates_and_tense(read_fixture: ReadFixture) -> None:
    sections = _by_path(_load(read_fixture))

    current, ended = sections["$.work[0]"], sections["$.work[1]"]
    assert current.title == "Senior ML Engineer at Orbitly"
    assert current.text.startswith("I work as Senior ML Engineer at Orbitly (2021-06-01 – present).")
    # Each highlight a line of its own: an answer quotes the one asked about, not a "Highlights: a; b" line.
    assert "Raised booking conversion by 6.1% with a learning-to-rank model.\nCut feature pipeline" in current.text
    assert "Highlights: Built a readmission-risk model used in 12 hospitals." in ended.text
    assert (current.start, current.end) == ("2021-06-01", "present")
    assert current.tags == ("pytorch", "lightgbm", "feast")
    assert ended.text.startswith("I worked as ML Engineer at Cobalt Health (2018-01-15 – 2021-05-31).")
    assert sections["$.volunteer[0]"].text.startswith("I volunteer as Meetup co-organiser at Women in ML")


def test_education_skills_languages_and_interests_read_naturally(read_fixture: ReadFixture) -> None:
    sections = _by_path(_load(read_fixture))

    assert sections["$.education[1]"].text == (
        "I studied Bachelor of Engineering in Computer Science at Anna University, graduating 2016."
    )
    assert sections["$.skills[1]"].text == "My Data Engineering skills (Advanced): Spark, Airflow, Feast."
    assert sections["$.skills[1]"].tags == ("data engineering", "spark", "airflow", "feast")
    assert sections["$.languages"].text == "Languages I speak: English (Native speaker), Tamil (Fluent)."
    assert sections["$.interests"].text == "My interests: Bouldering (V5, Bay Area gyms); Birdwatching."


def test_json_resume_keeps_every_value_except_document_metadata(
    read_fixture: ReadFixture, missing_values: MissingValues
) -> None:
    document = json.loads(read_fixture("json_resume.json"))
    profile = load_profile(json.dumps(document))
    del document["$schema"], document["meta"]

    assert missing_values(json.dumps(document), profile) == []
    assert "lastModified" not in " ".join(section.text for section in profile.sections)


def test_json_resume_tolerates_strings_for_lists_and_missing_fields(missing_values: MissingValues) -> None:
    document = json.dumps(
        {
            "basics": {"name": "Li Wei", "location": "Taipei", "profiles": "github.com/liwei-example"},
            "work": {"name": "Acme", "highlights": "Built the billing system", "extra": {"team": 4}},
            "skills": "Python, SQL",
            "languages": "Mandarin, English",
            "interests": ["Go (the board game)"],
            "projects": [{"description": "An unnamed tool"}],
            "favourite_quote": "Make it work, make it right, make it fast",
        }
    )

    profile = load_profile(document)

    assert missing_values(document, profile) == []
    assert profile.headline == "Taipei"
    assert _by_path(profile)["$.work"].text.startswith("I have worked at Acme.")
    assert _by_path(profile)["$.favourite_quote"].type is SectionType.OTHER


def test_an_education_score_that_is_a_grade_point_average_reads_as_the_gpa_and_any_other_as_the_grade() -> None:
    document = {
        "basics": {"name": "Dana"},
        "education": [
            {"institution": "Clemson University", "studyType": "M.Eng.", "score": "3.8"},
            {"institution": "University of Leeds", "studyType": "LLB", "score": "First-class honours"},
            {"institution": "Universitat de València", "studyType": "Grado", "score": "8.1/10"},
        ],
    }

    masters, law, grado = (section.text for section in load_profile(json.dumps(document)).sections[1:])

    assert "GPA: 3.8." in masters
    assert "Grade: First-class honours." in law
    assert "Grade: 8.1/10." in grado
