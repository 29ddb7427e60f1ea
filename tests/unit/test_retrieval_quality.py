"""The labelled question set of the retrieval benchmark, as a quality floor for the embedded index."""

import pytest

from bench.retrieval import answer_fact_rate, labelled_questions, recall_at, sample_services
from twin.composition import Services

QUESTIONS = labelled_questions()


@pytest.fixture(scope="module")
def sample() -> Services:
    return sample_services()


def test_the_question_set_is_large_enough_to_mean_something() -> None:
    assert len(QUESTIONS) >= 20
    assert all(question.facts for question in QUESTIONS)


def test_recall_at_5_meets_the_target(sample: Services) -> None:
    assert recall_at(sample, QUESTIONS, 5) >= 0.95


def test_most_facts_are_stated_in_the_extractive_answers(sample: Services) -> None:
    assert answer_fact_rate(sample, QUESTIONS) >= 0.9
