import json

import pytest

from twin.domain.profile import Section, SectionType
from twin.profiles import load_profile


def _roles(document: object) -> list[Section]:
    text = document if isinstance(document, str) else json.dumps(document)
    roles = {SectionType.EXPERIENCE, SectionType.VOLUNTEER}
    return [section for section in load_profile(text).sections if section.type in roles]


def test_a_json_resume_job_without_an_end_date_is_the_current_job() -> None:
    document = {
        "basics": {"name": "Li Wei"},
        "work": [
            {"name": "Acme", "position": "Engineer", "startDate": "2021-03"},
            {"name": "Old Co", "position": "Analyst", "startDate": "2018-01", "endDate": "2021-02"},
        ],
        "volunteer": [{"organization": "Code Club", "position": "Mentor", "startDate": "2019-05"}],
    }

    current, ended, volunteer = _roles(document)

    assert current.text.startswith("I work as Engineer at Acme (2021-03 – present).")
    assert (current.start, current.end) == ("2021-03", "present")
    assert (ended.start, ended.end) == ("2018-01", "2021-02")
    assert volunteer.text.startswith("I volunteer as Mentor at Code Club")
    assert (volunteer.start, volunteer.end) == ("2019-05", "present")


@pytest.mark.parametrize(
    "dates",
    [
        {"duration": "Mar 2021 - Present"},
        {"start_date": "Mar 2021", "current": True},
        {"start_date": "2021-03", "end_date": None},
        {"from": "March 2021", "to": "now"},
        {"start_date": "03/2021"},
    ],
)
def test_a_workshop_job_that_has_not_ended_is_current(dates: dict[str, object]) -> None:
    document = {"personal": {"name": "Ada"}, "experience": [{"company": "Acme", "title": "Engineer", **dates}]}

    (job,) = _roles(document)

    assert (job.start, job.end) == ("2021-03", "present")
    assert job.text.startswith("I work as Engineer at Acme")


def test_a_workshop_job_flagged_not_current_is_not_made_current() -> None:
    document = {"experience": [{"company": "Acme", "title": "Engineer", "start_date": "2021-03", "current": False}]}

    (job,) = _roles(document)

    assert (job.start, job.end) == ("2021-03", None)
    assert job.text.startswith("I worked as Engineer at Acme")


@pytest.mark.parametrize(
    "metadata",
    [
        {"duration": "Jan 2022 – Present"},
        {"start_date": "2022-01", "end_date": None},
        {"start_date": "January 2022", "current": True},
    ],
)
def test_a_content_chunk_role_that_has_not_ended_is_current(metadata: dict[str, object]) -> None:
    document = {"content_chunks": [{"type": "experience", "content": "I lead design at Klarbo.", "metadata": metadata}]}

    (role,) = _roles(document)

    assert (role.start, role.end) == ("2022-01", "present")


def test_a_content_chunk_course_with_only_a_start_date_is_not_made_current() -> None:
    document = {"content_chunks": [{"type": "education", "content": "MSc at KTH.", "metadata": {"start_date": "2015"}}]}

    (course,) = load_profile(json.dumps(document)).sections

    assert (course.start, course.end) == ("2015", None)


@pytest.mark.parametrize(
    ("entry", "start"),
    [
        ("### Engineer | Acme | 2021 – Present\n\n- Built X\n", "2021"),
        ("### Engineer, Acme (Jun 2022 – present)\n\n- Built X\n", "2022-06"),
        ("### Engineer — Acme\n\n*Mar 2019 – current*\n\n- Built X\n", "2019-03"),
    ],
)
def test_a_markdown_job_heading_that_runs_to_present_is_the_current_job(entry: str, start: str) -> None:
    (job,) = _roles(f"# Kai\n\nI build things.\n\n## Experience\n\n{entry}")

    assert (job.start, job.end) == (start, "present")
    assert job.text.startswith("I work as Engineer at Acme (")
