"""The fit service: a job description in, its requirements judged against the profile out, counted as it is."""

from collections.abc import Sequence
from dataclasses import replace

import pytest

from tests.conftest import MARKDOWN_PROFILE
from tests.fakes import RecordingTelemetry
from twin.adapters.memory_cache import MemoryCache
from twin.composition import Services
from twin.domain import limits
from twin.domain.fit import FitCase, FitReport, Strength, evaluate
from twin.errors import InvalidRequestError, ProfileNotIngestedError
from twin.services.fit import FitService

JOB = """Staff Engineer, Payments

Requirements:
- Experience with Kafka and streaming
- Go and Python
- Kubernetes in production

About us
We are a bank.
"""


class CountingJudge:
    """The extractive judge, counting its calls; `failing` makes each report a fallback."""

    def __init__(self, *, failing: bool = False) -> None:
        self.calls = 0
        self.failing = failing

    def assess(self, name: str, cases: Sequence[FitCase]) -> FitReport:
        self.calls += 1
        return replace(evaluate(cases), fallback=self.failing)


def fit_service(services: Services, telemetry: RecordingTelemetry, model: CountingJudge | None = None) -> FitService:
    return FitService(
        twin_id=services.settings.twin_id,
        index=services.storage.index,
        profiles=services.storage.profiles,
        model=model or services.models.fit_model,
        cache=MemoryCache(),
        cache_ttl_seconds=3600,
        telemetry=telemetry,
    )


def test_each_requirement_is_judged_from_the_profile_and_the_evaluation_is_counted(services: Services) -> None:
    telemetry = RecordingTelemetry()

    report = fit_service(services, telemetry).evaluate(JOB)

    assert [(fit.requirement.text, fit.strength) for fit in report.requirements] == [
        ("Experience with Kafka and streaming", Strength.STRONG),
        ("Go and Python", Strength.STRONG),
        ("Kubernetes in production", Strength.NONE),
    ]
    assert "streaming with Kafka" in report.requirements[0].evidence[0].quote
    assert report.model == "extractive"
    assert telemetry.counts["FitEvaluated"] == 1
    assert telemetry.annotations["requirements"] == 3


def test_a_text_without_requirements_gets_a_summary_that_says_so(services: Services) -> None:
    report = services.fit.evaluate("About us\nWe are a bank in Lisbon.")

    assert report.requirements == ()
    assert report.summary.startswith("I found no requirements")


@pytest.mark.parametrize("job", ["", "  \n ", "x" * (limits.MAX_JOB_DESCRIPTION_CHARS + 1)])
def test_an_empty_or_too_long_job_description_is_refused(services: Services, job: str) -> None:
    with pytest.raises(InvalidRequestError, match="job_description"):
        services.fit.evaluate(job)


def test_before_any_ingest_there_is_nothing_to_judge_against(empty_services: Services) -> None:
    with pytest.raises(ProfileNotIngestedError):
        empty_services.fit.evaluate(JOB)


def test_the_same_description_against_the_same_version_is_judged_once_and_read_back_the_same(
    services: Services,
) -> None:
    judge, telemetry = CountingJudge(), RecordingTelemetry()
    service = fit_service(services, telemetry, judge)

    first = service.evaluate(JOB)
    second = service.evaluate(JOB)

    assert judge.calls == 1
    assert second == first
    assert telemetry.annotations["cached"] is True
    assert telemetry.counts["FitEvaluated"] == 2


def test_a_new_profile_version_or_another_description_is_judged_afresh(services: Services) -> None:
    judge = CountingJudge()
    service = fit_service(services, RecordingTelemetry(), judge)
    service.evaluate(JOB)

    service.evaluate(JOB.replace("Go and Python", "Go and Rust"))
    services.ingest.ingest(MARKDOWN_PROFILE + "\n## Certifications\n- CKA: Certified Kubernetes Administrator\n")
    service.evaluate(JOB)

    assert judge.calls == 3


def test_a_fallback_judgement_is_not_kept_so_the_model_judges_the_next_time(services: Services) -> None:
    judge = CountingJudge(failing=True)
    service = fit_service(services, RecordingTelemetry(), judge)

    service.evaluate(JOB)
    service.evaluate(JOB)

    assert judge.calls == 2
