"""The fit service: a job description in, its requirements judged against the profile out, counted as it is."""

import pytest

from tests.fakes import RecordingTelemetry
from twin.composition import Services
from twin.domain import limits
from twin.domain.fit import Strength
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


def fit_service(services: Services, telemetry: RecordingTelemetry) -> FitService:
    return FitService(
        twin_id=services.settings.twin_id,
        index=services.index,
        profiles=services.profiles,
        model=services.fit_model,
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
