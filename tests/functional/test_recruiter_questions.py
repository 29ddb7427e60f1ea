"""The twelve questions recruiters ask most, through `twin serve` over HTTP, answered from the sample profile."""

import re

import httpx
import pytest

from tests.functional.conftest import RunningServer
from twin.domain.prompt import ABSTENTION

# Each question, and facts its answer must state (regular expressions, case-insensitive).
RECRUITER_QUESTIONS = [
    ("What do you do?", [r"Senior Data Engineer", r"Northwind Analytics"]),
    ("Tell me about yourself.", [r"9 years", r"data engineer"]),
    ("What is your current role?", [r"Senior Data Engineer at Northwind Analytics"]),
    ("Why should we hire you?", [r"38%|40 TB|14 to 2"]),
    ("How many years of experience do you have?", [r"9 years of experience"]),
    ("What programming languages are you most comfortable with?", [r"Python", r"SQL"]),
    ("What is your greatest achievement?", [r"38%|45 minutes|14 times|31%|11 conflicting|same-day|Zero failed"]),
    ("Have you led or mentored people?", [r"[Mm]entored 3 engineers|guild"]),
    ("Where did you study?", [r"University of Melbourne"]),
    (
        "What certifications do you hold?",
        [r"AWS Certified Data Engineer", r"Databricks Certified", r"Confluent Certified"],
    ),
    ("What are your short- and long-term goals?", [r"staff data engineer", r"15 to 20 engineers"]),
    ("What are your salary expectations?", [r"AUD 185,000"]),
]


@pytest.fixture(scope="module")
def client(server: RunningServer) -> httpx.Client:
    return server.http()


@pytest.mark.parametrize(("question", "facts"), RECRUITER_QUESTIONS, ids=[q for q, _ in RECRUITER_QUESTIONS])
def test_a_common_recruiter_question_is_answered_with_its_facts(
    client: httpx.Client, question: str, facts: list[str]
) -> None:
    response = client.post("/v1/ask", json={"question": question})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["answered"] is True
    assert body["answer"] != ABSTENTION
    for fact in facts:
        assert re.search(fact, body["answer"], re.IGNORECASE), f"{fact!r} missing from {body['answer']!r}"
    assert body["sources"], "an answer names the passages it came from"


def test_a_question_the_profile_cannot_answer_says_so_and_cites_nothing(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": "Have you worked with Kubernetes?"}).json()

    assert body["answered"] is False
    assert body["answer"] == ABSTENTION
    assert body["sources"] == []
