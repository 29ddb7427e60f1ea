"""Role fit by Groq through the real `groq` SDK against a loopback OpenAI-compatible server."""

import json
from pathlib import Path

import pytest

from tests.conftest import MARKDOWN_PROFILE
from tests.contract.test_groq_model import MODEL, groq_model
from tests.fakes.openai_compatible import FakeOpenAI, ok
from tests.unit.domain.test_fit_prompt import CASES, reply
from twin.adapters.groq_fit_model import GroqFitModel
from twin.composition import build_services
from twin.domain.fit import Strength
from twin.errors import BackendUnavailableError
from twin.settings import Secret, Settings


def fit_model(fake: FakeOpenAI) -> GroqFitModel:
    return GroqFitModel(lambda: groq_model(fake), max_tokens=2048)


def test_the_request_asks_for_json_with_the_fit_token_budget_and_the_fit_messages(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(ok(reply()))

    fit_model(fake_openai).assess("Sam Rivera", CASES)

    (request,) = fake_openai.requests
    assert request.body["response_format"] == {"type": "json_object"}
    assert request.body["max_tokens"] == 2048
    assert request.body["model"] == MODEL
    assert "<requirements>" in request.body["messages"][1]["content"]


def test_a_valid_reply_is_the_report_with_the_models_name(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(ok(reply()))

    report = fit_model(fake_openai).assess("Sam Rivera", CASES)

    assert report.model == MODEL
    assert [fit.strength for fit in report.requirements] == [Strength.STRONG, Strength.NONE]


@pytest.mark.parametrize(
    "content",
    ["Here is the JSON you asked for", json.dumps({"requirements": [], "summary": "x"}), reply(summary="")],
)
def test_a_reply_that_fails_the_checks_is_a_failure_of_the_model(fake_openai: FakeOpenAI, content: str) -> None:
    fake_openai.queue(ok(content))

    with pytest.raises(BackendUnavailableError) as raised:
        fit_model(fake_openai).assess("Sam Rivera", CASES)

    assert (raised.value.service, raised.value.reason) == ("groq", "malformed_fit")


def test_the_sdk_is_made_on_the_first_assessment_only() -> None:
    made: list[int] = []

    def make() -> object:
        made.append(1)
        raise BackendUnavailableError("groq", "never reached")

    model = GroqFitModel(make, max_tokens=2048)  # type: ignore[arg-type]  # a stand-in factory

    assert made == []
    with pytest.raises(BackendUnavailableError):
        model.assess("Sam", CASES)
    assert made == [1]


def test_with_a_groq_key_the_fit_service_uses_the_model_and_falls_back_on_a_reply_it_cannot_use(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    settings = Settings(
        state_dir=tmp_path,
        index_path=":memory:",
        groq_api_key=Secret(fake_openai.api_key),
        groq_base_url=fake_openai.url,
        cache_ttl_seconds=0,  # each evaluation of the same job reaches the model
    )
    services = build_services(settings)
    services.ingest.ingest(MARKDOWN_PROFILE)
    job = "- Experience with Kafka\n- Kubernetes in production"
    kafka = next(hit for hit in services.search.search("Kafka streaming", top_k=1))
    judged = {
        "requirements": [
            {"index": 1, "strength": "strong", "evidence": [{"passage": 1, "quote": "streaming with Kafka"}]},
            {"index": 2, "strength": "none", "evidence": []},
        ],
        "summary": "I know Kafka well; Kubernetes I have not run.",
    }
    fake_openai.queue(ok(json.dumps(judged)), ok("Sure! Here is my assessment: strong, none."))

    by_model = services.fit.evaluate(job)
    stood_in = services.fit.evaluate(job)

    assert (by_model.model, by_model.fallback) == (MODEL, False)
    assert by_model.summary == judged["summary"]
    assert by_model.requirements[0].evidence[0].source_id == kafka.chunk.id
    assert (stood_in.model, stood_in.fallback) == ("extractive", True)
    assert [fit.strength for fit in stood_in.requirements] == [Strength.STRONG, Strength.NONE]
    assert fake_openai.requests[1].body["response_format"] == {"type": "json_object"}
