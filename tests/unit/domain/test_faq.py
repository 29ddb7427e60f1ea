"""Approved answers: which questions an approved one answers, and how retrieval puts it first."""

import pytest

from twin.domain.chunks import Chunk, ScoredChunk, chunk_profile
from twin.domain.faq import MATCH_THRESHOLD, ApprovedAnswer, faq_section, likeness, preferred
from twin.domain.profile import Profile, ProfileFormat, SectionType
from twin.domain.questions import understand

NOTICE = "What is your notice period?"


def alike(asked: str, approved: str) -> bool:
    return likeness(understand(asked), understand(approved)) >= MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("asked", "approved"),
    [
        ("When could you start?", NOTICE),
        ("How soon can you join?", NOTICE),
        ("Are you willing to move to Berlin?", "Would you relocate to Berlin?"),
        ("Have you worked with k8s?", "Do you have experience with Kubernetes?"),
        ("Why did you leave your job at Bluegum?", "Why did you leave Bluegum Retail?"),
        ("Would you consider a contract role?", "Are you open to contract work?"),
        ("How much do you expect to earn?", "What are your salary expectations?"),
        ("Can you speak German?", "Do you speak German?"),
        ("What is your notice period", NOTICE),
    ],
)
def test_a_paraphrase_of_the_approved_question_matches_it(asked: str, approved: str) -> None:
    assert alike(asked, approved)


@pytest.mark.parametrize(
    ("asked", "approved"),
    [
        ("What is your current role?", NOTICE),
        ("What are your salary expectations?", NOTICE),
        ("How many years of experience do you have?", NOTICE),
        ("Would you relocate to London?", "Would you relocate to Berlin?"),
        ("Are you open to relocation?", "Are you open to contract work?"),
        ("Do you have experience with Kafka?", "Do you have experience with Kubernetes?"),
        ("What did you do at Bluegum Retail?", "Why did you leave Bluegum Retail?"),
        ("Why are you leaving Northwind?", "Why did you leave Bluegum Retail?"),
        ("What languages do you speak?", "What is your favourite programming language?"),
        ("Hello", "Hi"),
    ],
)
def test_a_question_about_something_else_does_not_match(asked: str, approved: str) -> None:
    assert not alike(asked, approved)


def test_an_approved_answer_is_a_faq_section_titled_with_its_question_and_chunked_like_any_other() -> None:
    approved = ApprovedAnswer("ans_0123456789ab", NOTICE, "Four weeks.", "2026-01-01T00:00:00+00:00")

    section = faq_section(approved)
    (chunk,) = chunk_profile("twin", Profile("Sam", "", "", (section,), ProfileFormat.MARKDOWN))

    assert (section.type, section.title, section.text) == (SectionType.FAQ, NOTICE, "Four weeks.")
    assert chunk.path == "faq/ans_0123456789ab"


def hit(type_: SectionType, title: str, text: str, score: float, id_: str) -> ScoredChunk:
    return ScoredChunk(Chunk(f"$.{id_}", type_, title, text, id=id_ * 24), score)


def test_the_approved_answer_to_the_question_comes_first_and_the_unrelated_ones_not_at_all() -> None:
    ranked = [
        hit(SectionType.COMPENSATION, "Salary and location", "My notice period is 4 weeks.", 0.6, "a"),
        hit(SectionType.FAQ, "Would you relocate to Berlin?", "Yes.", 0.5, "b"),
        hit(SectionType.FAQ, NOTICE, "Four weeks, sooner if needed.", 0.4, "c"),
    ]

    found = preferred(understand("When could you start?"), ranked)

    assert [h.chunk.id[0] for h in found] == ["c", "a"]
    assert found[0].score >= found[1].score
    assert found[0].score < 1


def test_without_approved_answers_the_ranking_is_unchanged() -> None:
    ranked = [hit(SectionType.SKILLS, "Skills", "Go.", 0.6, "a"), hit(SectionType.SUMMARY, "About", "Hi.", 0.5, "b")]

    assert preferred(understand("What do you know?"), ranked) == ranked
