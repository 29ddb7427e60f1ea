import pytest

from twin.domain.answers import Answer, Source
from twin.domain.profile import SectionType
from twin.domain.question_log import Asked, Channel, LoggedQuestion, Retention, loggable


def test_a_question_is_kept_on_one_line_with_its_spaces_collapsed() -> None:
    assert loggable("  Where do you\n work   now?\t") == "Where do you work now?"


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("I'm at ada.lovelace+jobs@example.co.uk, are you free?", "I'm at [email], are you free?"),
        ("Call me on +44 20 7946 0958 about the role", "Call me on [phone] about the role"),
        ("My number is (03) 9123-4567 8", "My number is ([phone]"),
        ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl what is this?", "[credential] what is this?"),
        ("Does twk_0a1b2c3d4e5f6a7b8c9d work as a key?", "Does [credential] work as a key?"),
        ("Is gsk_live_secret your Groq key?", "Is [credential] your Groq key?"),
        ("What is 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c?", "What is [credential]?"),
    ],
)
def test_contact_details_and_credentials_are_blanked_out(question: str, kept: str) -> None:
    assert loggable(question) == kept


@pytest.mark.parametrize(
    "question",
    [
        "What did you do from 2019-2023 at Acme?",
        "Do you know C++, C# and node.js?",
        "How did you cut costs by 38% in 12 months?",
        "Tell me about your internationalisation-and-localisation work",
    ],
)
def test_ordinary_questions_are_kept_as_asked(question: str) -> None:
    assert loggable(question) == question


def test_an_entry_holds_what_the_answer_cited_and_nothing_of_the_answer_itself() -> None:
    sources = tuple(
        Source(id=section_id, title="Acme", section=SectionType.EXPERIENCE, score=0.5, snippet="I lead payments.")
        for section_id in ("a" * 24, "b" * 24)
    )
    answer = Answer(text="I lead payments [1].", sources=sources, model="extractive", cached=True, session_id="s-1")

    entry = Asked.of("Where do you work?  ", Channel.PUBLIC_CHAT, 1_800_000_000.5).answered_by(answer)

    assert entry == LoggedQuestion(
        question="Where do you work?",
        asked_at=1_800_000_000.5,
        channel=Channel.PUBLIC_CHAT,
        answered=True,
        sections=("a" * 24, "b" * 24),
    )


def test_an_abstention_is_logged_unanswered_with_no_sections() -> None:
    answer = Answer(
        text="I don't know that.", sources=(), model="extractive", cached=False, session_id="s", answered=False
    )

    entry = Asked.of("Favourite colour?", Channel.MCP, 1.0).answered_by(answer)

    assert (entry.answered, entry.sections) == (False, ())


def test_questions_older_than_the_retention_period_are_past_keeping() -> None:
    assert Retention(days=30, max_entries=100).cutoff(now=40 * 86_400.0) == 10 * 86_400.0
