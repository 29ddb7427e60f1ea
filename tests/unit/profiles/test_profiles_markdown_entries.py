"""A Markdown CV that lays out a job over two lines and names its sections as a profession does."""

import pytest

from twin.domain.profile import Profile, Section, SectionType
from twin.profiles import load_profile

_LAWYER_CV = """# Eleanor Achterberg

## Experience

### Halloran Pryce LLP — Manchester
**Senior Associate, Corporate** · September 2021 – present

- Run mid-market private equity transactions.

### Dunmore Legal — Leeds
**Paralegal** · July 2013 – August 2014

- Ran data rooms on small acquisitions.

## Key matters

- **Sale of Quillfeather Learning (2022).** Acted for the founders on its £68m sale.

## How I work

- I keep a single issues list that everyone on a deal works from.

## Professional qualifications

- Solicitor of the Senior Courts of England and Wales, admitted September 2016.

## Education

- LLB Law with French, University of Leeds, 2012.
"""


def _profile() -> Profile:
    return load_profile(_LAWYER_CV)


def _sections() -> dict[str, Section]:
    return {section.title: section for section in _profile().sections}


def test_a_firm_heading_over_a_line_of_title_and_dates_gives_the_firm_as_company_and_the_title_as_role() -> None:
    sections = _sections()

    current = sections["Senior Associate, Corporate at Halloran Pryce LLP, Manchester"]
    first = sections["Paralegal at Dunmore Legal, Leeds"]
    assert (current.type, current.start, current.end) == (SectionType.EXPERIENCE, "2021-09", "present")
    assert current.text.startswith(
        "I work as Senior Associate, Corporate at Halloran Pryce LLP, Manchester (September 2021 – present).\n"
    )
    assert first.text.startswith("I worked as Paralegal at Dunmore Legal, Leeds (July 2013 – August 2014).\n")


def test_professional_qualifications_are_certifications_not_education() -> None:
    sections = _sections()

    assert sections["Professional qualifications"].type is SectionType.CERTIFICATION
    assert sections["Education"].type is SectionType.EDUCATION


def test_key_matters_are_achievements_and_how_the_person_works_is_no_job() -> None:
    sections = _sections()

    assert sections["Key matters"].type is SectionType.ACHIEVEMENT
    assert sections["How I work"].type is SectionType.OTHER


def test_a_bold_lead_in_stays_in_the_sentence_it_introduces() -> None:
    assert "Sale of Quillfeather Learning (2022): Acted for the founders on its £68m sale." in (
        _sections()["Key matters"].text
    )


_PASTED_CAREER = """# Sheun Adeyemi

## Career History

**Kessington Partners** (strategy consultancy) — London
*Engagement Manager*, Jan 2022 – Present
*Associate*, Sep 2017 – Dec 2021

- Ran the integration office for 11 workstreams.

**First Meridian Bank** — Lagos
*Analyst, Corporate Banking*, Jul 2015 – Aug 2017
- Credit analysis for oil & gas corporates.

## Beyond work

Mentor with SEO London since 2019. Marathon runner.
"""


def test_a_firm_line_over_its_role_lines_is_one_job_from_its_earliest_start_naming_every_role() -> None:
    sections = {section.title: section for section in load_profile(_PASTED_CAREER).sections}

    firm = sections["Engagement Manager at Kessington Partners (strategy consultancy), London"]
    bank = sections["Analyst, Corporate Banking at First Meridian Bank, Lagos"]
    assert (firm.type, firm.start, firm.end) == (SectionType.EXPERIENCE, "2017-09", "present")
    assert (
        "I worked as Associate at Kessington Partners (strategy consultancy), London (Sep 2017 – Dec 2021)."
        in firm.text
    )
    assert "11 workstreams" in firm.text
    assert (bank.start, bank.end) == ("2015-07", "2017-08")
    assert bank.text.startswith(
        "I worked as Analyst, Corporate Banking at First Meridian Bank, Lagos (Jul 2015 – Aug 2017)."
    )
    assert "Credit analysis" in bank.text


def test_life_beyond_work_is_interests_not_a_job() -> None:
    sections = {section.title: section for section in load_profile(_PASTED_CAREER).sections}

    assert sections["Beyond work"].type is SectionType.INTEREST


_ARCHITECT_CV = """# Imogen Reyes

## Professional experience

### Halden Street Architects — Manchester
**Associate Director**, March 2020 – present
80-person practice; I lead the education sector team.

- Project lead on Brackenfield Primary School.

**Key achievements**
- Castlegate won the RIBA North West Award 2025.

### Pennine Leigh Partnership — Leeds
**Project Architect**, September 2014 – February 2020

- Introduced Revit to the practice.

**Key achievements**
- Otterburn was shortlisted for the Wood Awards 2019.
"""


def _architect_jobs() -> list[Section]:
    return [section for section in load_profile(_ARCHITECT_CV).sections if section.type is SectionType.EXPERIENCE]


def test_a_bold_line_under_a_job_heading_is_part_of_that_job_and_the_next_heading_is_the_next_job() -> None:
    current, earlier = _architect_jobs()

    assert "Castlegate won the RIBA North West Award 2025." in current.text
    assert (earlier.start, earlier.end) == ("2014-09", "2020-02")
    assert "Otterburn was shortlisted for the Wood Awards 2019." in earlier.text
    assert not any(section.type is SectionType.ACHIEVEMENT for section in load_profile(_ARCHITECT_CV).sections)


def test_a_role_and_dates_line_over_the_jobs_own_paragraph_still_names_the_role_and_dates() -> None:
    current = _architect_jobs()[0]

    assert (current.title, current.start, current.end) == (
        "Associate Director at Halden Street Architects, Manchester",
        "2020-03",
        "present",
    )
    assert current.text.startswith(
        "I work as Associate Director at Halden Street Architects, Manchester (March 2020 – present).\n"
        "80-person practice; I lead the education sector team."
    )


@pytest.mark.parametrize(
    ("heading", "section_type"),
    [
        ("Core competencies", SectionType.SKILLS),
        ("Software", SectionType.SKILLS),
    ],
)
def test_a_heading_naming_competencies_or_software_is_skills(heading: str, section_type: SectionType) -> None:
    document = f"# Imogen Reyes\n\n## {heading}\n\n- Revit, AutoCAD, MArch 2012\n"

    assert {section.title: section for section in load_profile(document).sections}[heading].type is section_type


def test_a_job_heading_that_opens_with_software_stays_a_job() -> None:
    document = "# Imogen Reyes\n\n## Experience\n\n### Software Engineer\n\n- Built the bid tool.\n"

    assert {section.title: section for section in load_profile(document).sections}[
        "Software Engineer"
    ].type is SectionType.EXPERIENCE


def test_a_firm_heading_over_a_bold_title_without_dates_names_the_title_as_role_and_the_firm_as_company() -> None:
    document = (
        "# Imogen Reyes\n\n## Experience\n\n### Marsh & Okafor Architects — London\n"
        "**Part 2 Architectural Assistant**\n\n- Housing work in Lewisham.\n"
    )

    job = next(section for section in load_profile(document).sections if section.type is SectionType.EXPERIENCE)

    assert job.title == "Part 2 Architectural Assistant at Marsh & Okafor Architects, London"
    assert job.text.startswith("I have worked as Part 2 Architectural Assistant at Marsh & Okafor Architects, London.")
