"""The tuning split of the answer-quality benchmark as a floor: a change that makes answers worse fails here.

Only the tuning split: the held-out split is for the benchmark's report, so nobody tunes against a test on it.
The floors sit a few points under what the tuning split measures, so noise in a rule change passes and a
real regression does not.
"""

import pytest

from bench.answers import SplitReport, evaluate, labelled_questions


@pytest.fixture(scope="module")
def tuning() -> SplitReport:
    return evaluate("tune", repeat=0)


def test_the_labelled_sets_are_large_and_cover_every_format() -> None:
    tune, heldout = labelled_questions("tune"), labelled_questions("heldout")

    assert len(tune) + len(heldout) >= 150
    assert len({q.profile for q in tune} | {f"heldout/{q.profile}" for q in heldout}) >= 8
    assert all(q.facts for q in (*tune, *heldout) if q.answerable)
    assert any(not q.answerable for q in tune)
    assert any(not q.answerable for q in heldout)


def test_answers_state_the_expected_facts(tuning: SplitReport) -> None:
    assert tuning.answer_facts >= 0.9


def test_i_dont_know_is_said_when_and_only_when_the_profile_has_no_answer(tuning: SplitReport) -> None:
    assert tuning.abstention_precision >= 0.87
    assert tuning.abstention_recall >= 0.9


def test_the_passages_that_hold_the_answer_are_retrieved(tuning: SplitReport) -> None:
    assert tuning.recall_at_1 >= 0.85
    assert tuning.recall_at_5 >= 0.96


def test_snippets_show_the_part_of_a_passage_that_holds_the_answer(tuning: SplitReport) -> None:
    assert tuning.snippet_recall_at_5 >= 0.9
