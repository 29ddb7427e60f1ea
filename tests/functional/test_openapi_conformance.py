"""Schemathesis, with every check, against `twin serve`'s app in-process: the OpenAPI document is the truth.

The app is the one `twin serve` runs (embedded defaults, a fresh state directory, the sample profile),
called over ASGI with a development token that holds every scope. Generation is derandomized and bounded,
so the run is the same each time and short.
"""

from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from schemathesis import Case, HookContext, Response
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import AcceptedNegativeData, Failure
from schemathesis.engine import events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.openapi.checks import RejectedPositiveData

from twin.composition import build_services, seed_if_empty
from twin.entrypoints.local_server import create_local_app
from twin.parameters import local_jwt_secret
from twin.security.identity import Scope
from twin.security.policy import Resources
from twin.settings import Secret, Settings

API_URL = "http://localhost"
MAX_EXAMPLES = 50
# Whether a document is a profile is not a question JSON Schema can answer (it needs at least one section of
# text, in any of four formats, told apart by content): a schema-valid body may be refused as `invalid_profile`.
INGEST_MAY_REFUSE = {
    "include-name": "POST /v1/admin/ingest",
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "422", "429"]}},
}


def served_app(state_dir: Path) -> tuple[FastAPI, str]:
    secret = local_jwt_secret(state_dir)
    unlimited = 1_000_000  # requests per window: the run never meets a rate limit
    settings = Settings(
        state_dir=state_dir,
        jwt_secret=Secret(secret),
        public_chat=True,
        rate_limit_free=unlimited,
        rate_limit_pro=unlimited,
        rate_limit_partner=unlimited,
        rate_limit_public=unlimited,
    )
    services = build_services(settings)
    seed_if_empty(services)
    resources = Resources(api_url=API_URL)
    # The development token `twin serve` prints: every scope, the partner tier.
    token = services.token_issuer.issue(
        subject="local-developer",
        audiences=resources.audiences,
        scopes=[scope.value for scope in Scope],
        ttl_seconds=3600,
        tier="partner",
    )
    return create_local_app(services, services.authenticator, resources), token


def test_the_server_conforms_to_its_openapi_document_under_every_check(tmp_path: Path) -> None:
    app, token = served_app(tmp_path)
    config = SchemathesisConfig.from_dict(
        {
            "headers": {"Authorization": f"Bearer {token}"},
            "checks": {"enabled": True},
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
            "operations": [INGEST_MAY_REFUSE],
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    schema.hook(filter_failure)

    failures = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(repr(event))
        if isinstance(event, events.ScenarioFinished):
            failures += [
                failure(event.recorder, case_id, check.name)
                for case_id, checks in event.recorder.checks.items()
                for check in checks
                if check.status.value == "failure"
            ]
        if isinstance(event, events.EngineFinished):
            assert event.stop_reason.value == "completed"

    assert not failures, "\n".join(sorted(set(failures)))


def filter_failure(_: HookContext, failure: Failure, case: Case[Any], response: Response) -> bool:
    """Every failure counts but two, neither a disagreement between the server and its document."""
    return not (_whole_float_refused(failure, case, response) or _text_sent_as_markdown(failure, case))


def _whole_float_refused(failure: Failure, case: Case[Any], response: Response) -> bool:
    """JSON Schema 2020-12 (OpenAPI 3.1) counts `5.0` as an integer and no keyword can say otherwise, but the
    API refuses it on purpose: its numbers are strict, like its booleans (issue 13)."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 422 or not isinstance(case.body, dict):
        return False
    values = [case.body.get(detail["field"]) for detail in response.json()["error"]["details"]]
    return all(isinstance(value, float) and value.is_integer() for value in values)


def _text_sent_as_markdown(failure: Failure, case: Case[Any]) -> bool:
    """A "non-string" body sent as text/markdown arrives as text, which is all a Markdown profile is: Schemathesis
    knows that of text/plain only."""
    return (
        isinstance(failure, AcceptedNegativeData)
        and case.media_type == "text/markdown"
        and not isinstance(case.body, str)
    )


def failure(recorder: ScenarioRecorder, case_id: str, check: str) -> str:
    """The check that failed, with the request and the response that made it fail."""
    interaction = recorder.interactions.get(case_id)
    if interaction is None:
        return f"{recorder.label}: {check}"
    request, response = interaction.request, interaction.response
    answer = f"{response.status_code} {response.content[:300]!r}" if response else "no response"
    case = recorder.cases[case_id].value
    return f"{recorder.label}: {check}: {request.method} {request.uri} {case.media_type} {case.body!r:.300} -> {answer}"
