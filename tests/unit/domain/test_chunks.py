from dataclasses import replace

from twin.domain.chunks import MAX_CHUNK_CHARS, chunk_profile
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
    assert " ".join(chunk.text for chunk in chunks).split() == long_section.text.split()


def test_a_single_enormous_sentence_is_still_cut_to_size() -> None:
    section = Section("$.blob", SectionType.OTHER, "Blob", "x" * (MAX_CHUNK_CHARS * 3 + 5))

    chunks = chunk_profile("twin", profile_of(section))

    assert [len(chunk.text) for chunk in chunks] == [MAX_CHUNK_CHARS] * 3 + [5]
