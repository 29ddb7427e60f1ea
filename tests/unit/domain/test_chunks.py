from dataclasses import replace

from twin.domain.chunks import MAX_CHUNK_CHARS, Chunk, chunk_profile
from twin.domain.profile import Profile, ProfileFormat, Section, SectionType
from twin.profiles import load_profile, sample_profile


def profile_of(*sections: Section) -> Profile:
    return Profile("Sam", "Engineer", "", sections, ProfileFormat.MARKDOWN)


SKILLS = Section("$.skills", SectionType.SKILLS, "Skills", "Go and Python.")
DEGREE = Section("$.education[0]", SectionType.EDUCATION, "BSc", "I studied at Porto.", end="2012")


def test_chunk_ids_are_the_same_on_every_run() -> None:
    first = [chunk.id for chunk in chunk_profile("twin", load_profile(sample_profile()))]
    second = [chunk.id for chunk in chunk_profile("twin", load_profile(sample_profile()))]

    assert first == second
    assert len(set(first)) == len(first)


def test_editing_one_section_changes_only_its_chunk_id() -> None:
    before = chunk_profile("twin", profile_of(SKILLS, DEGREE))
    after = chunk_profile("twin", profile_of(replace(SKILLS, text="Go, Python and Rust."), DEGREE))

    assert before[0].id != after[0].id
    assert before[1].id == after[1].id


def test_the_same_content_in_another_twin_or_place_has_another_id() -> None:
    ours = chunk_profile("twin", profile_of(SKILLS))[0].id

    assert chunk_profile("other-twin", profile_of(SKILLS))[0].id != ours
    assert chunk_profile("twin", profile_of(replace(SKILLS, path="$.skills2")))[0].id != ours


def test_metadata_is_part_of_the_content_that_makes_the_id() -> None:
    original = chunk_profile("twin", profile_of(DEGREE))[0].id

    assert chunk_profile("twin", profile_of(replace(DEGREE, end="2013")))[0].id != original
    assert chunk_profile("twin", profile_of(replace(DEGREE, tags=("porto",))))[0].id != original


def test_a_long_section_is_split_at_paragraphs_into_numbered_readable_parts() -> None:
    paragraphs = [f"Paragraph {number}. " + "word " * 150 for number in range(4)]
    long_section = Section("$.story", SectionType.OTHER, "Story", "\n\n".join(paragraphs))

    chunks = chunk_profile("twin", profile_of(long_section))

    assert len(chunks) > 1
    assert all(len(chunk.text) <= MAX_CHUNK_CHARS for chunk in chunks)
    assert [chunk.path for chunk in chunks] == [f"$.story#{n}" for n in range(1, len(chunks) + 1)]
    assert chunks[0].title == f"Story (1/{len(chunks)})"
    # Later parts restate the first sentence for context; behind it, the parts are the text in order.
    continuations = [chunk.text.removeprefix("Paragraph 0.\n") for chunk in chunks[1:]]
    assert " ".join([chunks[0].text, *continuations]).split() == long_section.text.split()


def test_a_single_enormous_sentence_is_still_cut_to_size() -> None:
    section = Section("$.blob", SectionType.OTHER, "Blob", "x" * (MAX_CHUNK_CHARS * 3 + 5))

    chunks = chunk_profile("twin", profile_of(section))

    assert [len(chunk.text) for chunk in chunks] == [MAX_CHUNK_CHARS] * 3 + [5]


_BULLET = "- Rebuilt the billing service so that invoices reach customers on time " + "and reliably " * 8


def _long_job_chunks(heading: str) -> list[Chunk]:
    cv = f"# Sam\n\n## Experience\n\n### {heading}\n\n" + "\n".join([_BULLET] * 12)
    return [chunk for chunk in chunk_profile("twin", load_profile(cv)) if chunk.path.startswith("Experience > ")]


def test_each_later_part_of_a_split_section_starts_with_its_first_sentence_of_at_most_forty_words() -> None:
    chunks = _long_job_chunks("Engineer | Acme | 2019 – 2022")

    assert [chunk.title for chunk in chunks[:2]] == ["Engineer at Acme (1/2)", "Engineer at Acme (2/2)"]
    assert all(chunk.text.startswith("I worked as Engineer at Acme (2019 – 2022).\n") for chunk in chunks)
    assert chunks[1].text.count("I worked as Engineer at Acme") == 1
    assert all(len(chunk.text) <= MAX_CHUNK_CHARS for chunk in chunks)
    wordy = "I " + "really " * 40 + "liked it."
    section = Section("$.story", SectionType.OTHER, "Story", wordy + "\n" + "\n".join([_BULLET] * 12))
    assert not any(chunk.text.startswith("I really") for chunk in chunk_profile("twin", profile_of(section))[1:])


def test_a_long_section_is_split_between_its_bullets_never_inside_a_story() -> None:
    story = "I under-scoped project {0}. " + "The team worked weekends to catch up. " * 5 + "Lesson {0}."
    stories = [story.format(number) for number in range(6)]
    section = Section("$.job", SectionType.EXPERIENCE, "Engineer", "I worked as Engineer.\n" + "\n".join(stories))

    chunks = chunk_profile("twin", profile_of(section))

    assert len(chunks) > 1
    assert all(len(chunk.text) <= MAX_CHUNK_CHARS for chunk in chunks)
    assert all(sum(told in chunk.text for chunk in chunks) == 1 for told in stories)
