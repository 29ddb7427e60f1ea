"""The shared helpers' rules, which every loader's section text depends on."""

import pytest

from twin.profiles.dates import parse_period
from twin.profiles.fields import Every, Fields
from twin.profiles.json_values import JsonValue, Number
from twin.profiles.keys import humanise, match_key
from twin.profiles.phrasing import short_title
from twin.profiles.rendering import render


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("salary_expectations", "Salary expectations"),
        ("Full Name", "Full name"),
        ("startDate", "Start date"),
        ("ai_ml", "AI/ML"),
        ("github_url", "GitHub URL"),
        ("short_term", "Short-term"),
        ("Hobbies & Interests", "Hobbies & interests"),
        ("JavaScript", "JavaScript"),
        ("GPA", "GPA"),
    ],
)
def test_keys_become_human_labels(key: str, label: str) -> None:
    assert humanise(key) == label


def test_keys_match_whatever_their_case_and_separators() -> None:
    assert match_key("Full Name") == match_key("full_name") == match_key("fullName") == match_key("FULL-NAME")


@pytest.mark.parametrize(
    ("raw", "period"),
    [
        ("Jan 2021 - Present (3.5 years)", ("2021-01", "present")),
        ("2019", ("2019", None)),
        ("2017-09", ("2017-09", None)),
        ("03/2018 – 11/2020", ("2018-03", "2020-11")),
        ("September 2015 to June 2019", ("2015-09", "2019-06")),
        ("2014-06-29", ("2014-06-29", None)),
        ("2019-2021", ("2019", "2021")),
        ("Engineer (2019 – 2021)", ("2019", "2021")),
        ("Intern (Jun–Aug 2024)", ("2024-06", "2024-08")),
        ("three years", ("three years", None)),
        ("  ", (None, None)),
    ],
)
def test_dates_and_durations_are_normalised(raw: str, period: tuple[str | None, str | None]) -> None:
    assert parse_period(raw) == period


def test_values_render_as_readable_text() -> None:
    value: JsonValue = {
        "salary_expectations": "90k",
        "remote": True,
        "years": Number("3.50"),
        "empty": None,
        "tools": ["Go", "SQL"],
        "people": [{"name": "A", "role": "lead"}, {"name": "B"}],
        "address": {"city": "Oslo", "country": "Norway"},
    }

    assert render(value) == (
        "Salary expectations: 90k; Remote: yes; Years: 3.50; Tools: Go, SQL; "
        "People: (Name: A, Role: lead); Name: B; Address: (City: Oslo, Country: Norway)"
    )
    assert render([{"name": "A", "year": Number("2020")}, {"name": "B"}]) == "Name: A, Year: 2020; Name: B"
    assert render(["First sentence.", "Second one."]) == "First sentence. Second one."


def test_titles_are_the_first_clause_of_a_sentence() -> None:
    assert short_title("Cut costs by 38% (AUD 20k) and hit the SLA on 99% of days.") == "Cut costs by 38%"
    assert short_title("Reduced event latency from 45 minutes to under 90 seconds for 40 TB a day") == (
        "Reduced event latency from 45 minutes to under 90 seconds"
    )


JOB = {"Job Title": "Engineer", "title": "Lead", "company": "Acme", "email": "a@acme.example", "team": "Payments"}


def job_fields() -> Fields:
    return Fields(JOB.items(), ("title",), ("role", "title", "job_title"), ("company",), Every(("email", "phone")))


def test_what_fields_hold_does_not_depend_on_the_order_they_are_read_in() -> None:
    first, second = job_fields(), job_fields()

    rest_before = first.rest()
    role, title = ("role", "title", "job_title"), ("title",)
    read_first = (first.text(*title), first.text(*role), first.every("email", "phone"))
    read_second = (second.every("email", "phone"), second.text(*role), second.text(*title))

    # "title" goes to the field declared first, so the role falls back to "Job Title", whichever is read first.
    assert read_first == ("Lead", "Engineer", [("email", "a@acme.example")])
    assert read_second == ([("email", "a@acme.example")], "Engineer", "Lead")
    assert rest_before == first.rest() == second.rest() == [("team", "Payments")]


def test_a_field_read_without_being_declared_is_a_programming_error() -> None:
    with pytest.raises(LookupError):
        job_fields().text("team")
    with pytest.raises(LookupError):
        Fields(JOB.items()).rest()
