"""Reading a job description as the requirements a candidate is measured against."""

import pytest

from twin.domain.requirements import MAX_REQUIREMENT_CHARS, MAX_REQUIREMENTS, Importance, split_requirements


def texts(job_description: str) -> list[str]:
    return [requirement.text for requirement in split_requirements(job_description)]


def test_each_bullet_is_a_requirement_whatever_its_marker() -> None:
    job = "Requirements:\n- Python\n* SQL and dbt\n• Airflow experience\n1. A degree in physics\n2) Kafka streams"

    assert texts(job) == ["Python", "SQL and dbt", "Airflow experience", "A degree in physics", "Kafka streams"]


def test_prose_keeps_only_the_sentences_that_read_like_requirements() -> None:
    job = (
        "We build maps for cyclists. You have five years of experience with Python. "
        "Our office has a dog. Knowledge of PostGIS is essential."
    )

    assert texts(job) == ["You have five years of experience with Python.", "Knowledge of PostGIS is essential."]


@pytest.mark.parametrize(
    "heading",
    ["About us", "About the company", "Benefits", "What we offer", "Why join us?", "Equal opportunity", "How to apply"],
)
def test_a_boilerplate_section_holds_no_requirement_whatever_it_says(heading: str) -> None:
    job = f"Requirements\n- Experience with Go\n\n{heading}\n- Experience with our great team\n- Strong coffee skills"

    assert texts(job) == ["Experience with Go"]


def test_equal_opportunity_and_benefit_lines_are_dropped_wherever_they_stand() -> None:
    job = (
        "- Experience with Terraform\n"
        "- We are an equal opportunity employer and welcome applicants regardless of religion\n"
        "- Health insurance and a pension\n"
        "- Apply now via our careers page"
    )

    assert texts(job) == ["Experience with Terraform"]


@pytest.mark.parametrize("heading", ["Nice to have", "## Bonus points", "**Preferred qualifications**", "DESIRABLE:"])
def test_under_a_nice_to_have_heading_requirements_are_preferred_and_the_next_heading_ends_it(heading: str) -> None:
    job = f"Must have\n- Python skills\n\n{heading}\n- Rust skills\n\nRequirements\n- SQL skills"

    found = split_requirements(job)

    assert [(r.text, r.importance) for r in found] == [
        ("Python skills", Importance.REQUIRED),
        ("Rust skills", Importance.PREFERRED),
        ("SQL skills", Importance.REQUIRED),
    ]


def test_a_label_on_the_line_says_how_much_it_counts_and_is_not_part_of_the_requirement() -> None:
    found = split_requirements("Must have: Python and SQL\nNice to have: AWS certification\n- Go is a plus")

    assert [(r.text, r.importance) for r in found] == [
        ("Python and SQL", Importance.REQUIRED),
        ("AWS certification", Importance.PREFERRED),
        ("Go is a plus", Importance.PREFERRED),
    ]


def test_a_short_line_that_names_a_skill_is_no_heading() -> None:
    assert texts("Experience\n- Experience with Kafka\nExperience with Kafka and Flink is required.") == [
        "Experience with Kafka",
        "Experience with Kafka and Flink is required.",
    ]


def test_repeats_are_dropped_and_the_count_and_length_are_bounded() -> None:
    bullets = "\n".join(f"- Experience with tool number {number}" for number in range(MAX_REQUIREMENTS + 10))
    long_one = "- Experience with " + "very " * 200 + "long things"

    found = texts(f"- Experience with Go\n- experience with go\n{long_one}\n{bullets}")

    assert found[0] == "Experience with Go"
    assert len(found) == MAX_REQUIREMENTS
    assert len(found[1]) <= MAX_REQUIREMENT_CHARS
    assert found[1].endswith("…")


def test_a_text_with_nothing_a_candidate_must_bring_has_no_requirements() -> None:
    assert texts("About us\nWe are a friendly bakery in Leeds.\n\nBenefits\n- Free bread") == []
