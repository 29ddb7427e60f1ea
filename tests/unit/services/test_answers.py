"""Approved answers: part of the profile from the moment they are added, preferred for their question, kept
across re-ingests of the document, gone (with the answers cached from them) when removed."""

import pytest

from tests.conftest import MARKDOWN_PROFILE
from tests.unit.services.test_guard import RecordingModel
from twin.adapters.null_telemetry import NullTelemetry
from twin.composition import Services
from twin.domain import limits
from twin.domain.profile import SectionType
from twin.errors import AnswerNotFoundError, ConcurrentIngestError, InvalidRequestError
from twin.services.ask import AskService

NOTICE = "What is your notice period?"
ANSWER = "I can start four weeks after an offer, sooner if my team can spare me."


def faq_titles(services: Services) -> list[str]:
    return [chunk.title for chunk in services.profile.overview().sections if chunk.type is SectionType.FAQ]


def test_an_approved_answer_publishes_a_version_with_it_as_a_faq_section(services: Services) -> None:
    before = services.profile.current().version

    published = services.answers.add(f"  {NOTICE} ", f"{ANSWER}\n", actor="test")

    assert published.answer.question == NOTICE
    assert published.answer.answer == ANSWER
    assert published.answer.id.startswith("ans_")
    assert published.version == before + 1 == services.profile.current().version
    assert faq_titles(services) == [NOTICE]
    assert services.answers.list() == [published.answer]


def test_a_question_that_means_the_same_gets_the_approved_answer_quoted_whole_and_cited(services: Services) -> None:
    services.answers.add(NOTICE, ANSWER, actor="test")

    answer = services.ask.ask("When could you start?")

    assert answer.text == f"{ANSWER} [1]"
    assert answer.answered
    assert (answer.sources[0].section, answer.sources[0].title) == (SectionType.FAQ, NOTICE)


def test_an_unrelated_question_is_answered_from_the_rest_of_the_profile(services: Services) -> None:
    services.answers.add(NOTICE, ANSWER, actor="test")

    answer = services.ask.ask("Which programming languages do you know?")

    assert "Go" in answer.text
    assert ANSWER not in answer.text
    assert SectionType.FAQ not in {source.section for source in answer.sources}


def test_answers_cached_before_an_approved_answer_are_not_served_after_it(services: Services) -> None:
    first = services.ask.ask("When could you start?")
    assert services.ask.ask("When could you start?").cached

    services.answers.add(NOTICE, ANSWER, actor="test")
    after = services.ask.ask("When could you start?")

    assert first.text != after.text
    assert not after.cached
    assert after.text.startswith(ANSWER)


def test_re_ingesting_the_document_keeps_the_approved_answers_and_changes_nothing_else(services: Services) -> None:
    services.answers.add(NOTICE, ANSWER, actor="test")
    version = services.profile.current().version

    report = services.ingest.ingest(MARKDOWN_PROFILE)

    assert not report.changed
    assert report.version == version
    assert faq_titles(services) == [NOTICE]


def test_ingesting_a_changed_document_publishes_it_with_the_approved_answers(services: Services) -> None:
    services.answers.add(NOTICE, ANSWER, actor="test")

    report = services.ingest.ingest(MARKDOWN_PROFILE.replace("a little Rust", "Haskell"))

    assert report.updated == 1
    assert faq_titles(services) == [NOTICE]
    assert "Haskell" in services.ask.ask("Which programming languages do you know?").text


def test_removing_an_approved_answer_publishes_a_version_without_it(services: Services) -> None:
    published = services.answers.add(NOTICE, ANSWER, actor="test")

    removed = services.answers.remove(published.answer.id, actor="test")

    assert published.version is not None
    assert removed.version == published.version + 1
    assert faq_titles(services) == []
    assert ANSWER not in services.ask.ask("When could you start?").text
    with pytest.raises(AnswerNotFoundError):
        services.answers.remove(published.answer.id, actor="test")


def test_approving_the_same_question_again_replaces_the_answer(services: Services) -> None:
    services.answers.add(NOTICE, "Four weeks.", actor="test")

    services.answers.add(NOTICE.upper(), "Two weeks.", actor="test")

    assert [answer.answer for answer in services.answers.list()] == ["Two weeks."]
    assert services.ask.ask("How long is your notice?").text == "Two weeks. [1]"


def test_before_any_ingest_an_answer_is_kept_and_the_first_ingest_publishes_it(empty_services: Services) -> None:
    published = empty_services.answers.add(NOTICE, ANSWER, actor="test")

    assert published.version is None
    empty_services.ingest.ingest(MARKDOWN_PROFILE)
    assert faq_titles(empty_services) == [NOTICE]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("", ANSWER),
        ("   ", ANSWER),
        (NOTICE, ""),
        ("x" * (limits.MAX_APPROVED_QUESTION_CHARS + 1), ANSWER),
        (NOTICE, "x" * (limits.MAX_APPROVED_ANSWER_CHARS + 1)),
    ],
)
def test_an_empty_or_too_long_question_or_answer_is_refused_and_nothing_changes(
    services: Services, question: str, answer: str
) -> None:
    version = services.profile.current().version

    with pytest.raises(InvalidRequestError):
        services.answers.add(question, answer, actor="test")

    assert services.answers.list() == []
    assert services.profile.current().version == version


def test_an_ingest_that_publishes_first_is_retried_over_so_the_answer_is_published(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    republish = services.ingest.republish
    refusals = iter([ConcurrentIngestError("twin")])

    def overtaken() -> object:
        for refusal in refusals:
            raise refusal
        return republish()

    monkeypatch.setattr(services.ingest, "republish", overtaken)

    published = services.answers.add(NOTICE, ANSWER, actor="test")

    assert published.version == services.profile.current().version
    assert faq_titles(services) == [NOTICE]


def test_a_chat_model_gets_the_approved_answer_as_the_first_passage(services: Services) -> None:
    services.answers.add(NOTICE, ANSWER, actor="test")
    model = RecordingModel()
    ask = AskService(
        twin_id=services.settings.twin_id,
        index=services.storage.index,
        store=services.storage.ask_store,
        model=model,
        telemetry=NullTelemetry(),
    )

    ask.ask("How soon can you join?")

    first = model.prompts[0].passages[0].chunk
    assert (first.type, first.title, first.text) == (SectionType.FAQ, NOTICE, ANSWER)
    assert 'section="faq" title="What is your notice period?"' in model.prompts[0].context_block()
