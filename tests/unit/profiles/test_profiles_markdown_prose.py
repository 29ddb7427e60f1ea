import pytest

from twin.domain.profile import Profile, Section, SectionType
from twin.profiles import load_profile

_CV = """# Jane Doe 🚀 | [LinkedIn](https://linkedin.com/in/jane-example) | jane@example.com

AI engineer · Berlin

PROFESSIONAL EXPERIENCE

### AI Builder Intern | Foo Labs | Jun 2025 – Present
- Built an evaluation harness
- Shipped **agents** to 3 teams

### Data Analyst | Bar GmbH | 2021 – 2024
- Automated reporting

SKILLS

- **Languages:** Python, Go
- **Tools:** Docker

TALKS

- Agents in production, PyData Berlin 2024

## Summary

I build AI agents that ship to production and stay there.
"""


def _by_title(profile: Profile) -> dict[str, Section]:
    return {section.title: section for section in profile.sections}


def test_a_cv_wrapped_in_one_markdown_fence_is_read_as_the_markdown_inside() -> None:
    for fence in ("```markdown", "```", "~~~md"):
        closing = fence[:3]
        profile = load_profile(f"{fence}\n{_CV}{closing}\n")

        assert profile.name == "Jane Doe"
        assert "Introduction" not in _by_title(profile)
        assert _by_title(profile)["Skills"].type is SectionType.SKILLS


def test_a_fence_that_is_only_part_of_the_document_stays_code() -> None:
    profile = load_profile("# Kai\n\nI code.\n\n## Projects\n\n```\n# not a heading\n```\n")

    assert _by_title(profile)["Projects"].text.endswith("# not a heading")


def test_the_header_line_gives_the_name_and_its_links_go_to_contact() -> None:
    profile = load_profile(_CV)

    assert profile.name == "Jane Doe"
    assert profile.headline == "AI engineer · Berlin"
    contact = _by_title(profile)["Contact"]
    assert contact.type is SectionType.CONTACT
    assert "https://linkedin.com/in/jane-example" in contact.text
    assert "jane@example.com" in contact.text


@pytest.mark.parametrize(
    "header",
    ["# Jane Doe — https://jane.dev", "# Jane Doe (https://jane.dev)", "# Jane Doe | [Site](https://jane.dev)"],
)
def test_a_url_in_the_header_is_not_part_of_the_name(header: str) -> None:
    profile = load_profile(f"{header}\n\nI design APIs.\n")

    assert profile.name == "Jane Doe"
    assert "https://jane.dev" in _by_title(profile)["Contact"].text


def test_the_summary_is_the_summary_paragraph_never_the_header_line() -> None:
    profile = load_profile(_CV)
    summaries = [section for section in profile.sections if section.type is SectionType.SUMMARY]

    assert profile.summary == "I build AI agents that ship to production and stay there."
    assert [section.text for section in summaries] == [
        "I am Jane Doe, AI engineer · Berlin.\nI build AI agents that ship to production and stay there."
    ]


def test_job_headings_read_as_first_person_sentences_with_bullets_as_lines() -> None:
    sections = _by_title(load_profile(_CV))

    current = sections["AI Builder Intern at Foo Labs"]
    assert current.text == (
        "I work as AI Builder Intern at Foo Labs (Jun 2025 – Present).\n"
        "Built an evaluation harness.\nShipped agents to 3 teams."
    )
    past = sections["Data Analyst at Bar GmbH"]
    assert past.text.startswith("I worked as Data Analyst at Bar GmbH (2021 – 2024).")
    assert " > " not in current.text + past.text


def test_all_caps_lines_are_section_headings_with_types() -> None:
    profile = load_profile(_CV)

    types = {section.title: section.type for section in profile.sections}
    assert types["AI Builder Intern at Foo Labs"] is SectionType.EXPERIENCE
    assert (types["Skills"], types["Talks"]) == (SectionType.SKILLS, SectionType.PUBLICATION)


@pytest.mark.parametrize(
    ("heading", "section_type"),
    [
        ("WORK HISTORY", SectionType.EXPERIENCE),
        ("EDUCATION", SectionType.EDUCATION),
        ("CERTIFICATIONS", SectionType.CERTIFICATION),
        ("PROJECTS", SectionType.PROJECT),
        ("INTERESTS", SectionType.INTEREST),
    ],
)
def test_each_all_caps_heading_maps_to_its_section_type(heading: str, section_type: SectionType) -> None:
    (section,) = load_profile(f"{heading}\n\n- Something I did\n").sections

    assert section.type is section_type


def test_bold_labels_in_skills_read_as_plain_sentences() -> None:
    skills = _by_title(load_profile(_CV))["Skills"]

    assert skills.text == "My skills:\nLanguages: Python, Go.\nTools: Docker."
    assert skills.tags == ("python", "go", "docker")


def test_bold_labelled_lines_of_one_paragraph_stay_separate_lines() -> None:
    cv = "# Noor\n\n## SKILLS\n\n**Languages:** Python, Go\n**Frameworks:** FastAPI\n**Tools:** Docker\n"

    skills = _by_title(load_profile(cv))["Skills"]

    assert skills.text == "My skills:\nLanguages: Python, Go.\nFrameworks: FastAPI.\nTools: Docker."
    assert skills.tags == ("python", "go", "fastapi", "docker")


@pytest.mark.parametrize(
    "lines",
    [
        "MSc Embedded Systems, TU Eindhoven, 2015\nExchange year, KAIST, 2013",
        "MSc Embedded Systems, TU Eindhoven, with distinction\nBEng Electronic Engineering, KAIST, 2013",
        "Exchange semester, KAIST, with honours\n2013 – 2015 teaching assistant for embedded systems, TU Eindhoven",
    ],
)
def test_entries_on_lines_of_one_paragraph_stay_separate_lines(lines: str) -> None:
    first, second = lines.split("\n")

    education = _by_title(load_profile(f"# Noor\n\n## EDUCATION\n\n{lines}\n"))["Education"]

    assert education.text == f"My education:\n{first}.\n{second}."


def test_a_paragraph_wrapped_by_hand_is_one_line() -> None:
    cv = "# Noor\n\n## Projects\n\nA bootloader I wrote for\nPhilips and kept up since\n2015 for the\nMedical range.\n"

    projects = _by_title(load_profile(cv))["Projects"]

    assert projects.text.endswith("\nA bootloader I wrote for Philips and kept up since 2015 for the Medical range.")


@pytest.mark.parametrize(
    ("heading", "title", "lead"),
    [
        ("WHAT I'M LOOKING FOR", "What I'm looking for", "What I'm looking for:"),
        ("Looking for", "Looking for", "Looking for:"),
        ("What I want next", "What I want next", "What I want next:"),
        ("Next role", "Next role", "My next role:"),
    ],
)
def test_headings_about_the_next_role_are_goals_with_a_natural_lead(heading: str, title: str, lead: str) -> None:
    cv = f"# Noor\n\n## {heading}\n\nMid-level AI engineer roles in Manchester.\n"

    section = load_profile(cv).sections[-1]

    assert (section.type, section.title) == (SectionType.GOALS, title)
    assert section.text == f"{lead}\nMid-level AI engineer roles in Manchester."


@pytest.mark.parametrize(
    "heading",
    [
        "AI Engineer | Kestrel Robotics | Jan 2025 – Present",
        "AI Engineer — Kestrel Robotics (Jan 2025 – Present)",
        "AI Engineer, Kestrel Robotics, Jan 2025 – Present",
    ],
)
def test_a_job_heading_gives_a_role_at_company_title_without_dates(heading: str) -> None:
    cv = f"# Noor\n\n## Experience\n\n### {heading}\n\n- Built Fieldwise\n"

    job = load_profile(cv).sections[-1]

    assert job.title == "AI Engineer at Kestrel Robotics"
    assert job.text == "I work as AI Engineer at Kestrel Robotics (Jan 2025 – Present).\nBuilt Fieldwise."
    assert (job.start, job.end) == ("2025-01", "present")


@pytest.mark.parametrize("separator", [" · ", " • ", " | ", ", "])
def test_a_skills_line_splits_into_tags_at_middle_dots_bullets_bars_and_commas(separator: str) -> None:
    cv = f"# Noor\n\n## Toolbox\n\nC++, C#{separator}Unreal Engine 4/5, Unity{separator}Superluminal\n"

    toolbox = _by_title(load_profile(cv))["Toolbox"]

    assert toolbox.tags == ("c++", "c#", "unreal engine 4/5", "unity", "superluminal")
