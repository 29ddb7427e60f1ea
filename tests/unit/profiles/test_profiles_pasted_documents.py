"""CVs and profiles as people really write them: pasted from Word, personal blocks by other names."""

import json

import pytest

from twin.domain.profile import Profile, Section, SectionType
from twin.profiles import load_profile

_PASTED_CV = """# Hannah Moss

**Learning Designer** | Leeds, West Yorkshire
hannah@example.co.uk · 07700 900 418 · linkedin.com/in/hannah-example

## Profile

Former teacher now designing digital learning.

**Experience**

**Senior Learning Designer – Northgate Learning, Leeds**
11/2022 – present

• Built a 12-module onboarding programme
• Line manage 2 junior designers

Learning Designer (contract) – Brightwell Housing
03/2021 – 10/2022
- Moved 14 induction sessions online

TEACHING

Teacher of Science – Kirkstall Park Academy, Leeds
Sept 2013 - Feb 2021
• Taught biology and chemistry

GCSE Biology Examiner - Summer 2018, Summer 2019
• Marked ~900 scripts per series

## Education

BSc (Hons) Biology, University of Sheffield — 2009 - 2012

### Key skills

Storyboarding | Articulate Storyline 360

__Certifications & training__
- Qualified Teacher Status (QTS), 2013

AWARDS
Teacher of the Year staff vote, 2019

Languages: English (native), Spanish (B2)

Interests - fell running, board games

References available on request
"""


def _by_title(profile: Profile) -> dict[str, Section]:
    return {section.title: section for section in profile.sections}


def _pasted() -> dict[str, Section]:
    return _by_title(load_profile(_PASTED_CV))


def test_a_bold_line_alone_is_a_section_heading() -> None:
    sections = _pasted()

    assert sections["Certifications & training"].type is SectionType.CERTIFICATION
    assert "Qualified Teacher Status" in sections["Certifications & training"].text
    assert "Qualified Teacher Status" not in sections["Key skills"].text


def test_a_job_line_above_a_line_of_dates_is_an_experience_section_with_its_dates() -> None:
    sections = _pasted()

    senior = sections["Senior Learning Designer at Northgate Learning, Leeds"]
    contract = sections["Learning Designer (contract) at Brightwell Housing"]
    assert (senior.type, senior.start, senior.end) == (SectionType.EXPERIENCE, "2022-11", "present")
    assert (contract.type, contract.start, contract.end) == (SectionType.EXPERIENCE, "2021-03", "2022-10")
    assert "Line manage 2 junior designers" in senior.text
    assert "Moved 14 induction sessions online" in contract.text


def test_an_all_caps_heading_of_no_known_type_holding_dated_jobs_is_experience() -> None:
    sections = _pasted()

    teacher = sections["Teacher of Science at Kirkstall Park Academy, Leeds"]
    examiner = sections["GCSE Biology Examiner"]
    assert (teacher.type, teacher.start, teacher.end) == (SectionType.EXPERIENCE, "2013-09", "2021-02")
    assert teacher.path.startswith("TEACHING > ")
    assert (examiner.type, examiner.start, examiner.end) == (SectionType.EXPERIENCE, "2018", "2019")
    assert "Marked ~900 scripts" in examiner.text
    assert "Marked ~900 scripts" not in teacher.text


def test_labelled_lines_at_the_end_of_a_cv_are_sections_of_their_own() -> None:
    sections = _pasted()

    assert sections["Languages"].type is SectionType.LANGUAGE
    assert "Spanish (B2)" in sections["Languages"].text
    assert sections["Interests"].type is SectionType.INTEREST
    assert "fell running" in sections["Interests"].text
    assert sections["References"].type is SectionType.REFERENCE
    assert "Spanish" not in sections["Awards"].text
    assert "request" not in sections["Interests"].text


@pytest.mark.parametrize("heading", ["OTHER", "MISC", "ADDITIONAL INFORMATION"])
def test_an_all_caps_catch_all_heading_right_above_its_text_starts_a_section(heading: str) -> None:
    document = f"JUN-SEO PARK\nFirmware Engineer\n\nLANGUAGES\nKorean (native)\n\n{heading}\nEU Blue Card holder.\n"

    sections = _by_title(load_profile(document))

    assert "Blue Card" not in sections["Languages"].text
    assert "Blue Card" in sections[heading.capitalize()].text


def test_a_notice_period_line_under_goals_is_a_section_of_its_own_but_a_jobs_location_stays_in_the_job() -> None:
    document = (
        "# Aoife Byrne\n\nProgrammer.\n\n## Experience\n\n### Programmer, Kelpie Forge\n\nLocation: Dundee\n\n"
        "- Built the camera.\n\n## What I'm after\n\nA lead role.\n\nNotice period: 1 month.\n"
    )

    sections = _by_title(load_profile(document))

    assert sections["Notice period"].type is SectionType.COMPENSATION
    assert "1 month" not in sections["What I'm after"].text
    assert "Location: Dundee" in sections["Programmer at Kelpie Forge"].text


def test_a_skills_heading_under_education_is_a_skills_section_not_part_of_education() -> None:
    sections = _pasted()

    assert sections["Key skills"].type is SectionType.SKILLS
    assert sections["Key skills"].path == "Key skills"


def test_the_line_under_the_name_is_the_headline_and_the_contact_line_is_contact() -> None:
    profile = load_profile(_PASTED_CV)

    assert profile.headline == "Learning Designer · Leeds, West Yorkshire"
    assert "hannah@example.co.uk" in _by_title(profile)["Contact"].text
    assert profile.summary == "Former teacher now designing digital learning."


def test_a_place_marked_with_a_pin_goes_after_the_title_in_the_headline() -> None:
    profile = load_profile("# Ana Ruiz\n📍 Leeds · Designer\n\n## Skills\n\n- Figma\n")

    assert profile.headline == "Designer · Leeds"


def test_labelled_lines_inside_a_skills_section_stay_in_it() -> None:
    profile = load_profile("# Kai\n\n## Skills\n\nLanguages: Python, Go\n\nTools: Docker\n")

    assert [section.type for section in profile.sections if section.type is not SectionType.SUMMARY] == [
        SectionType.SKILLS
    ]


@pytest.mark.parametrize("key", ["about", "profile", "me", "bio"])
def test_a_personal_block_by_any_common_name_gives_name_headline_and_contact(key: str) -> None:
    document = {
        key: {
            "full_name": "Aoife Brennan",
            "headline": "Clinical Informatics Nurse",
            "based_in": "Cork, Ireland",
            "email": "aoife@example.com",
            "mobile": "+353 87 555 0142",
        },
        "experience": [{"company": "SMUH", "role": "Nurse", "dates": "2022 - present"}],
    }

    profile = load_profile(json.dumps(document))

    assert profile.name == "Aoife Brennan"
    assert profile.headline == "Clinical Informatics Nurse · Cork, Ireland"
    contact = [section for section in profile.sections if section.type is SectionType.CONTACT]
    assert len(contact) == 1
    assert "+353 87 555 0142" in contact[0].text


@pytest.mark.parametrize("key", ["outside_work", "outside_of_work", "hobbies_and_volunteering"])
def test_life_outside_work_is_interests_not_a_job(key: str) -> None:
    profile = load_profile(json.dumps({"personal": {"name": "Ada"}, key: {"interests": ["Sea swimming"]}}))

    assert profile.sections[-1].type is SectionType.INTEREST


@pytest.mark.parametrize("key", ["development_areas", "areas_for_improvement", "weaknesses"])
def test_development_areas_are_weaknesses_for_the_interview(key: str) -> None:
    document = {"personal": {"name": "Ada"}, key: {"weakness": "I am not a programmer; I am learning Python."}}

    section = load_profile(json.dumps(document)).sections[-1]

    assert section.type is SectionType.INTERVIEW
    assert "I am not a programmer" in section.text


def test_certifications_inside_qualifications_are_a_certification_section() -> None:
    document = {
        "personal": {"name": "Ada"},
        "qualifications": {
            "degrees": [{"degree": "MSc Health Informatics", "institution": "Trinity College Dublin", "year": 2021}],
            "certifications": [{"name": "ITIL 4 Foundation", "issuer": "AXELOS", "year": 2023}],
        },
    }

    sections = load_profile(json.dumps(document)).sections

    types = {section.type: section for section in sections}
    assert "ITIL 4 Foundation" in types[SectionType.CERTIFICATION].text
    assert "ITIL" not in types[SectionType.EDUCATION].text
    assert types[SectionType.EDUCATION].title == "MSc Health Informatics, Trinity College Dublin"


def _chunk_types(*chunks: dict[str, str]) -> list[SectionType]:
    document = {"metadata": {"name": "Kwame"}, "content_chunks": [{"content": "x", **chunk} for chunk in chunks]}
    return [section.type for section in load_profile(json.dumps(document)).sections]


@pytest.mark.parametrize("kind", ["story", "example", "people"])
def test_story_chunks_are_achievements(kind: str) -> None:
    assert _chunk_types({"type": kind, "title": "Settling the dewatering claim"}) == [SectionType.ACHIEVEMENT]


@pytest.mark.parametrize("kind", ["lang", "languages"])
def test_language_chunks_of_spoken_languages_are_languages_and_of_code_are_skills(kind: str) -> None:
    spoken = {"type": kind, "content": "I speak English and Twi, and intermediate French."}
    code = {"type": kind, "content": "Python, TypeScript and SQL."}

    assert _chunk_types(spoken, code) == [SectionType.LANGUAGE, SectionType.SKILLS]


def test_a_misc_chunk_is_typed_by_its_title_or_else_its_id() -> None:
    assert _chunk_types(
        {"type": "misc", "title": "Weakness"},
        {"type": "misc", "title": "Talks"},
        {"type": "misc", "title": "Something I'm working on", "id": "weak"},
    ) == [SectionType.INTERVIEW, SectionType.PUBLICATION, SectionType.INTERVIEW]


def test_kudos_are_awards_a_kit_is_skills_and_practicalities_are_compensation() -> None:
    assert _chunk_types(
        {"type": "kudos"},
        {"type": "misc", "title": "Day-to-day kit"},
        {"type": "misc", "title": "Practicalities"},
    ) == [SectionType.AWARD, SectionType.SKILLS, SectionType.COMPENSATION]


@pytest.mark.parametrize(
    "document",
    [
        {"metadata": {"name": "Kwame Asante, P.Eng., PMP"}, "content_chunks": [{"content": "I build roads."}]},
        {"personal": {"name": "Kwame Asante, P.Eng., PMP"}, "skills": ["P6"]},
        {"basics": {"name": "Kwame Asante, P.Eng., PMP"}, "work": []},
        "# Kwame Asante, P.Eng., PMP\n\n## Skills\n\n- P6\n",
    ],
)
def test_credentials_after_a_name_are_not_the_name_but_stay_in_the_headline(document: object) -> None:
    profile = load_profile(document if isinstance(document, str) else json.dumps(document))

    assert profile.name == "Kwame Asante"
    assert "PMP" in profile.headline


def test_a_comma_before_a_word_that_is_no_credential_keeps_the_name_whole() -> None:
    assert load_profile('{"personal": {"name": "Doe, Jane"}}').name == "Doe, Jane"


def test_a_plain_title_case_line_of_section_words_standing_alone_is_a_heading() -> None:
    document = (
        "Aoife Byrne\naoife@example.com\n\nProfile\nEcology student.\n\nEducation\nUniversity of Leeds, BSc, 2022\n\n"
        "Skills & tools\nR, QGIS, ArcGIS Pro and Python\n\nOther\nIrish citizen.\n"
    )

    sections = _by_title(load_profile(document))

    assert sections["Profile"].type is SectionType.SUMMARY
    assert sections["Education"].type is SectionType.EDUCATION
    assert sections["Skills & tools"].type is SectionType.SKILLS
    assert "Irish citizen" in sections["Other"].text
    assert "QGIS" not in sections["Education"].text


@pytest.mark.parametrize("line", ["Project Manager", "Experience.", "Leadership matters to me"])
def test_a_job_title_or_a_sentence_standing_alone_is_not_a_heading(line: str) -> None:
    document = f"# Aoife Byrne\n\n## Summary\n\nEcologist.\n\n{line}\nI ran the survey.\n"

    sections = _by_title(load_profile(document))

    assert list(sections) == ["Summary"]
    assert line in sections["Summary"].text


def test_labelled_lines_of_a_catch_all_section_are_sections_of_their_own_and_the_rest_reads_without_a_lead() -> None:
    document = (
        "# Imogen Reyes\n\nArchitect.\n\n## Other\n\n- Languages: English (native), basic Dutch\n"
        "- Full UK driving licence\n- Notice: 3 months\n- Outside work: fell running\n"
    )

    sections = _by_title(load_profile(document))

    assert sections["Languages"].type is SectionType.LANGUAGE
    assert sections["Notice"].type is SectionType.COMPENSATION
    assert "3 months" in sections["Notice"].text
    assert sections["Outside work"].type is SectionType.INTEREST
    assert sections["Other"].text == "Full UK driving licence."
