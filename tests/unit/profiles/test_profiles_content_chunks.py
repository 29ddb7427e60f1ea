import json
from collections.abc import Callable

import pytest

from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.errors import ProfileFormatError
from twin.profiles import load_profile

ReadFixture = Callable[[str], bytes]


def _by_path(profile: Profile) -> dict[str, Section]:
    return {section.path: section for section in profile.sections}


def test_each_chunk_becomes_one_section_with_its_id_in_the_path(read_fixture: ReadFixture) -> None:
    profile = load_profile(read_fixture("content_chunks.json"))

    assert profile.source_format is ProfileFormat.CONTENT_CHUNKS
    assert [(section.path, section.type) for section in profile.sections] == [
        ('$.content_chunks["summary_main"]', SectionType.SUMMARY),
        ('$.content_chunks["exp_klarbo"]', SectionType.EXPERIENCE),
        ('$.content_chunks["skills-design"]', SectionType.SKILLS),
        ("$.content_chunks[3]", SectionType.EDUCATION),
        ('$.content_chunks["goals"]', SectionType.GOALS),
        ('$.content_chunks["42"]', SectionType.INTEREST),
        ('$.content_chunks["salary"]', SectionType.COMPENSATION),
    ]


def test_chunk_titles_fall_back_to_the_id_or_the_first_words(read_fixture: ReadFixture) -> None:
    titles = [section.title for section in load_profile(read_fixture("content_chunks.json")).sections]

    assert titles == [
        "Professional summary",
        "Lead Designer at Klarbo",
        "Skills design",
        "Education",
        "Goals",
        "Outside work I build mechanical keyboards",
        "Salary expectations",
    ]


def test_chunk_metadata_gives_tags_and_dates(read_fixture: ReadFixture) -> None:
    sections = _by_path(load_profile(read_fixture("content_chunks.json")))

    experience = sections['$.content_chunks["exp_klarbo"]']
    assert experience.tags == ("figma", "design systems")
    assert (experience.start, experience.end) == ("2020-04", "present")
    assert sections['$.content_chunks["skills-design"]'].tags == ("figma", "prototyping", "accessibility")
    assert (sections["$.content_chunks[3]"].start, sections["$.content_chunks[3]"].end) == ("2015", "2017")


def test_a_job_chunk_without_dates_in_its_metadata_takes_the_period_or_closing_year_its_text_opens_with() -> None:
    chunks = [
        {"id": "job2", "type": "job", "content": "- 2017 to 2021\n- ran the pass fri/sat"},
        {"id": "job3", "type": "job", "content": "line cook at a few places 2012-2017. incl 8 months in Lyon"},
        {"id": "job4", "type": "job", "content": "In 2019 I ran the pass. Later I ran the kitchen."},
        {"id": "job5", "type": "job", "content": "Before that, supply teaching in south London, 2010. Tough."},
        {"id": "job6", "type": "job", "content": "I ran the pass in 2019. Later I ran the kitchen."},
    ]
    document = {"metadata": {"name": "Ro"}, "content_chunks": chunks}

    periods = [(section.start, section.end) for section in load_profile(json.dumps(document)).sections]

    assert periods == [("2017", "2021"), ("2012", "2017"), (None, None), ("2010", None), (None, None)]


def test_an_untitled_job_chunk_is_titled_by_its_role_and_employer_or_its_text_never_its_id() -> None:
    chunks = [
        {"id": "job-1", "type": "job", "content": "I lead a team.", "metadata": {"role": "Lead", "company": "Acme"}},
        {"id": "job-london", "type": "job", "content": "Before that, supply teaching in London, 2010. Tough."},
        {"id": "skills-design", "type": "skills", "content": "Figma, prototyping."},
    ]

    titles = [section.title for section in load_profile(json.dumps({"content_chunks": chunks})).sections]

    assert titles == ["Lead at Acme", "Supply teaching in London", "Skills design"]


def test_name_headline_and_summary_come_from_metadata_and_the_summary_chunk(
    read_fixture: ReadFixture,
) -> None:
    profile = load_profile(read_fixture("content_chunks.json"))

    assert profile.name == "Sam Lindqvist"
    assert profile.headline == "Product Designer · Stockholm"
    assert profile.summary.startswith("I am a product designer with 7 years")


def test_the_name_stays_empty_when_nothing_names_the_person() -> None:
    profile = load_profile('{"content_chunks": [{"type": "bio", "content": "I am a chemist."}]}')

    assert (profile.name, profile.headline, profile.summary) == ("", "", "I am a chemist.")


def test_chunk_paths_stay_the_same_when_chunks_are_reordered(read_fixture: ReadFixture) -> None:
    document = json.loads(read_fixture("content_chunks.json"))
    before = _by_path(load_profile(json.dumps(document)))
    document["content_chunks"] = [chunk for chunk in reversed(document["content_chunks"]) if "id" in chunk]

    after = _by_path(load_profile(json.dumps(document)))

    assert {path: after[path] for path in after} == {path: before[path] for path in after}


@pytest.mark.parametrize(
    ("chunk_type", "expected"),
    [
        ("experience", SectionType.EXPERIENCE),
        ("skill", SectionType.SKILLS),
        ("projects", SectionType.PROJECT),
        ("career_goals", SectionType.GOALS),
        ("compensation", SectionType.COMPENSATION),
        ("personal", SectionType.SUMMARY),
        ("bio", SectionType.SUMMARY),
        ("contact", SectionType.CONTACT),
        ("STAR achievement", SectionType.ACHIEVEMENT),
        ("something-else", SectionType.OTHER),
        # Only the owner's approved answers are faq sections: a document's "faq" is one of its own.
        ("faq", SectionType.OTHER),
        *((section_type.value, section_type) for section_type in SectionType if section_type is not SectionType.FAQ),
    ],
)
def test_chunk_types_map_onto_section_types(chunk_type: str, expected: SectionType) -> None:
    document = json.dumps({"content_chunks": [{"type": chunk_type, "content": "Some text."}]})

    assert load_profile(document).sections[0].type is expected


@pytest.mark.parametrize(
    ("chunks", "location", "expected"),
    [
        (
            '[{"content": "ok"}, {"id": "b", "content": ""}]',
            "$.content_chunks[1].content",
            "a non-empty string",
        ),
        ('[{"content": "ok"}, {"id": "b"}]', "$.content_chunks[1].content", "a non-empty string"),
        ('[{"content": ["a list"]}]', "$.content_chunks[0].content", "a non-empty string"),
        ('[{"content": "ok"}, "text"]', "$.content_chunks[1]", "a JSON object"),
        ('{"content": "ok"}', "$.content_chunks", "a list of chunk objects"),
        ("[]", "$.content_chunks", "a profile with at least one non-empty section"),
    ],
)
def test_malformed_chunks_are_reported_at_their_path(chunks: str, location: str, expected: str) -> None:
    with pytest.raises(ProfileFormatError) as raised:
        load_profile(f'{{"content_chunks": {chunks}}}')

    assert (raised.value.location, raised.value.expected) == (location, expected)


def test_duplicate_chunk_ids_do_not_share_a_path() -> None:
    document = '{"content_chunks": [{"id": "a", "content": "One."}, {"id": "a", "content": "Two."}]}'

    paths = [section.path for section in load_profile(document).sections]

    assert paths == ['$.content_chunks["a"]', "$.content_chunks[1]"]


@pytest.mark.parametrize(
    ("chunk_type", "expected"),
    [
        ("leadership", SectionType.ACHIEVEMENT),
        ("teamwork", SectionType.ACHIEVEMENT),
        ("conflict", SectionType.ACHIEVEMENT),
        ("lessons learned", SectionType.ACHIEVEMENT),
        ("failures", SectionType.ACHIEVEMENT),
        ("challenges", SectionType.ACHIEVEMENT),
        ("stories", SectionType.ACHIEVEMENT),
        ("presentations", SectionType.PUBLICATION),
        ("scholarships", SectionType.AWARD),
        ("spoken", SectionType.LANGUAGE),
        ("availability", SectionType.COMPENSATION),
    ],
)
def test_behavioural_and_near_miss_chunk_types_map_onto_section_types(chunk_type: str, expected: SectionType) -> None:
    document = json.dumps({"content_chunks": [{"type": chunk_type, "content": "Some text."}]})

    assert load_profile(document).sections[0].type is expected


def test_a_chunk_whose_type_names_no_section_takes_its_type_from_its_title() -> None:
    chunks = [
        {"type": "misc", "title": "Disagreement with IT operations", "content": "We disagreed."},
        {"type": "other", "title": "Awards", "content": "An explicit other stays other."},
    ]

    sections = load_profile(json.dumps({"content_chunks": chunks})).sections

    assert [section.type for section in sections] == [SectionType.ACHIEVEMENT, SectionType.OTHER]


def test_where_the_metadata_says_the_person_is_based_closes_the_summary_that_does_not_say_it() -> None:
    document = {
        "metadata": {"name": "Gráinne Reyes", "location": "Milton Keynes, UK"},
        "content_chunks": [
            {"id": "bio", "type": "bio", "content": "Warehouse operations manager, 14 years in logistics."},
            {"id": "job", "type": "job", "content": "I run the Milton Keynes site for Halvard Logistics."},
        ],
    }

    summary = _by_path(load_profile(json.dumps(document)))['$.content_chunks["bio"]']

    assert summary.text == "Warehouse operations manager, 14 years in logistics. I am based in Milton Keynes, UK."


def test_a_summary_that_says_where_the_person_is_based_is_left_as_written() -> None:
    bio = "I'm a designer based in Leeds, West Yorkshire."
    document = {
        "metadata": {"location": "Leeds, West Yorkshire"},
        "content_chunks": [{"id": "bio", "type": "summary", "content": bio}],
    }

    assert _by_path(load_profile(json.dumps(document)))['$.content_chunks["bio"]'].text == bio


def test_a_location_with_no_summary_to_join_becomes_one() -> None:
    document = {
        "metadata": {"location": "Cork, Ireland"},
        "content_chunks": [{"id": "job", "type": "job", "content": "Nurse at South Munster University Hospital."}],
    }

    summaries = [s for s in load_profile(json.dumps(document)).sections if s.type is SectionType.SUMMARY]

    assert [summary.text for summary in summaries] == ["I am based in Cork, Ireland."]


@pytest.mark.parametrize(
    ("kind", "title", "section_type"),
    [
        ("the-switch", "Why I swapped the tools for a laptop", SectionType.OTHER),
        ("honest bit", "Not my strong suit", SectionType.INTERVIEW),
        ("next-steps", "Where I want to go", SectionType.GOALS),
        ("quals", "Tickets & quals", SectionType.CERTIFICATION),
        ("logistics", "Start date / where", SectionType.COMPENSATION),
        ("life", "Off the clock", SectionType.INTEREST),
        ("gig", "Sunward Renewables — Project Manager", SectionType.EXPERIENCE),
    ],
)
def test_a_chunk_type_no_section_is_named_after_is_typed_by_what_it_means(
    kind: str, title: str, section_type: SectionType
) -> None:
    chunk = {"id": "c", "title": title, "type": kind, "content": "I did that for a while."}

    assert load_profile(json.dumps({"content_chunks": [chunk]})).sections[0].type is section_type


def test_a_job_chunk_dated_only_in_its_title_takes_its_period_from_the_title() -> None:
    chunk = {"id": "c", "title": "BrightRoof Solar — Installer (2019–2022)", "type": "gig", "content": "I wired roofs."}

    section = load_profile(json.dumps({"content_chunks": [chunk]})).sections[0]

    assert (section.start, section.end) == ("2019", "2022")


def test_casework_and_before_chunks_are_jobs_and_a_hard_days_chunk_is_a_story() -> None:
    chunks = [
        {"id": "c2", "title": "Cardiff Council", "type": "casework", "content": "Hold a caseload of 14 cases."},
        {"id": "c4", "type": "before", "content": "Before qualifying I was a support worker in Swansea."},
        {"id": "c5", "title": "The secondment", "type": "policy-ish", "content": "Since 2024 I work on the Act 2014."},
        {"id": "c8", "type": "hard-days", "content": "The toughest disagreement I had was with a police sergeant."},
    ]

    sections = load_profile(json.dumps({"content_chunks": chunks})).sections

    assert [section.type for section in sections] == [
        SectionType.EXPERIENCE,
        SectionType.EXPERIENCE,
        SectionType.EXPERIENCE,
        SectionType.ACHIEVEMENT,
    ]
    assert (sections[2].start, sections[2].end) == (None, None)


def test_an_untitled_chunk_whose_id_is_a_code_is_titled_by_its_opening_clause() -> None:
    chunks = [
        {"id": "c1", "type": "hello", "content": "I'm Siobhán. I've been a social worker for ten years."},
        {"id": "c11", "type": "practicalities", "content": "I'm on a 12-week notice with the council, though less."},
    ]

    titles = [section.title for section in load_profile(json.dumps({"content_chunks": chunks})).sections]

    assert titles == ["I'm Siobhán", "I'm on a 12-week notice with the council"]


def test_a_qualifications_chunk_gives_its_degrees_as_education_and_keeps_its_registration_a_certification() -> None:
    content = "Registered with Social Care Wales since 2015. MA Social Work, Cardiff University, 2015."
    chunks = [{"id": "c6", "type": "quals", "title": "Registration & study", "content": content}]

    sections = load_profile(json.dumps({"content_chunks": chunks})).sections

    assert [(section.type, section.text) for section in sections] == [
        (SectionType.CERTIFICATION, "Registered with Social Care Wales since 2015."),
        (SectionType.EDUCATION, "MA Social Work, Cardiff University, 2015."),
    ]
