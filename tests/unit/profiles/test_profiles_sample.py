import json
from collections.abc import Callable

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.profiles import load_profile, sample_profile


def _by_path(profile: Profile) -> dict[str, Section]:
    return {section.path: section for section in profile.sections}


def test_sample_profile_is_a_fictional_workshop_profile() -> None:
    profile = load_profile(sample_profile())

    assert profile.source_format is ProfileFormat.WORKSHOP
    assert profile.name == "Avery Quinn"
    assert profile.headline == "Senior Data Engineer · Melbourne, Australia"
    assert profile.summary.startswith("Data engineer with 9 years")
    assert "@example.com" in _by_path(profile)["$.personal.contact"].text


def test_sample_profile_has_every_workshop_section_type() -> None:
    types = {section.type for section in load_profile(sample_profile()).sections}

    assert types >= {
        SectionType.SUMMARY,
        SectionType.CONTACT,
        SectionType.COMPENSATION,
        SectionType.EXPERIENCE,
        SectionType.ACHIEVEMENT,
        SectionType.SKILLS,
        SectionType.CERTIFICATION,
        SectionType.EDUCATION,
        SectionType.PROJECT,
        SectionType.GOALS,
        SectionType.INTERVIEW,
        SectionType.DEVELOPMENT,
        SectionType.PUBLICATION,
        SectionType.OTHER,
    }


def test_sample_profile_drops_no_value(missing_values: Callable[[bytes | str, Profile], list[str]]) -> None:
    document = sample_profile()

    assert missing_values(document, load_profile(document)) == []


def test_current_job_reads_in_present_tense_and_ended_job_in_past_tense() -> None:
    sections = _by_path(load_profile(sample_profile()))

    current, ended = sections["$.experience[0]"], sections["$.experience[1]"]
    assert current.text.startswith(
        "I work as Senior Data Engineer at Northwind Analytics (Mar 2021 - Present), a 200-person"
    )
    assert "Technologies I use there: Python, Apache Kafka" in current.text
    assert ended.text.startswith("I worked as Data Engineer at Bluegum Retail Group")
    assert "Technologies I used there:" in ended.text
    assert (current.start, current.end) == ("2021-03", "present")
    assert (ended.start, ended.end) == ("2018-02", "2021-02")


def test_each_star_achievement_is_a_section_that_names_its_company_and_role() -> None:
    profile = load_profile(sample_profile())
    achievements = [section for section in profile.sections if section.type is SectionType.ACHIEVEMENT]

    assert len(achievements) == 7
    first = achievements[0]
    assert first.path == "$.experience[0].achievements_star[0]"
    assert first.title == "Cut pipeline costs by 38% — Northwind Analytics"
    assert first.text.startswith("At Northwind Analytics, as Senior Data Engineer. Nightly Airflow")
    assert "My task: Reduce cost" in first.text
    assert "What I did: Profiled the 140 DAGs" in first.text
    assert "The result: Cut pipeline costs by 38%" in first.text
    assert first.tags == ("airflow", "dbt", "snowflake")


def test_skill_objects_read_as_level_years_and_frameworks() -> None:
    section = _by_path(load_profile(sample_profile()))["$.skills.technical.programming_languages"]

    assert section.title == "Programming languages"
    assert section.text.startswith(
        "My programming languages: Python (expert, 9 years; PySpark, FastAPI, Flask, pandas), SQL (expert"
    )
    assert section.tags[:3] == ("python", "sql", "scala")


def test_goals_interview_and_development_get_one_section_per_key() -> None:
    sections = _by_path(load_profile(sample_profile()))

    short_term = sections["$.career_goals.short_term"]
    assert (short_term.type, short_term.title) == (SectionType.GOALS, "Short-term career goal")
    assert short_term.text.startswith("My short-term career goal: Move into a staff")
    behavioral = sections["$.interview_prep.common_questions.behavioral"]
    assert behavioral.text.startswith("Interview preparation — behavioral questions I have prepared for:")
    weakness = sections["$.interview_prep.weakness_mitigation[0]"]
    assert weakness.text.startswith("A weakness and how I handle it: I can over-engineer internal tools.")
    assert sections["$.professional_development.publications"].type is SectionType.PUBLICATION
    assert sections["$.work_style"].type is SectionType.OTHER


def test_section_titles_are_human_labels_not_json_keys() -> None:
    titles = [section.title for section in load_profile(sample_profile()).sections]

    assert all("_" not in title and title[:1].isupper() for title in titles), titles


def test_loading_twice_gives_the_same_sections() -> None:
    assert load_profile(sample_profile()) == load_profile(sample_profile())


def test_editing_one_section_changes_only_that_section() -> None:
    document = json.loads(sample_profile())
    before = _by_path(load_profile(json.dumps(document)))
    document["skills"]["soft_skills"].append("Facilitation")
    document["projects_portfolio"].append({"name": "Quay", "description": "a new side project"})

    after = _by_path(load_profile(json.dumps(document)))

    changed = [path for path in before if before[path] != after[path]]
    assert changed == ["$.skills.soft_skills"]
    assert set(after) - set(before) == {"$.projects_portfolio[3]"}


def test_editing_an_achievement_changes_it_and_its_job_summary_only() -> None:
    document = json.loads(sample_profile())
    before = _by_path(load_profile(json.dumps(document)))
    document["experience"][1]["achievements_star"][1]["result"] = "Retired 9 reports."

    after = _by_path(load_profile(json.dumps(document)))

    changed = [path for path in before if before[path] != after[path]]
    assert changed == ["$.experience[1]", "$.experience[1].achievements_star[1]"]
