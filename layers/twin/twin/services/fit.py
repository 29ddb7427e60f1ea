"""Role fit: a job description in, each of its requirements with the profile's evidence and a strength out."""

from dataclasses import replace
from typing import Final

from twin.domain.fit import FitCase, FitReport, evaluate
from twin.domain.questions import Question, understand
from twin.domain.requirements import split_requirements
from twin.ports import FitModel, ProfileStore, Telemetry, VectorIndex
from twin.services import validation
from twin.services.profile import ProfileService
from twin.services.retrieval import retrieve

PASSAGES_PER_REQUIREMENT: Final = 4
_UNKNOWN_PERSONA: Final = "the candidate"


class FitService:
    def __init__(
        self, *, twin_id: str, index: VectorIndex, profiles: ProfileStore, model: FitModel, telemetry: Telemetry
    ) -> None:
        self._index = index
        self._profile = ProfileService(twin_id=twin_id, index=index, profiles=profiles)
        self._model = model
        self._telemetry = telemetry

    def evaluate(self, job_description: str) -> FitReport:
        profile = self._profile.current()
        cases = self._cases(profile.namespace, job_description)
        with self._telemetry.timed("Model"):
            report = self._model.assess(profile.name or _UNKNOWN_PERSONA, cases) if cases else evaluate(())
        self._telemetry.count("FitEvaluated")
        self._telemetry.annotate(model=report.model, fallback=report.fallback, requirements=len(report.requirements))
        return report

    def evidence(self, job_description: str) -> list[FitCase]:
        """The requirements of `job_description`, each with the passages found for it: what a judge reads."""
        return self._cases(self._profile.current().namespace, job_description)

    def _cases(self, namespace: str, job_description: str) -> list[FitCase]:
        """Each requirement's evidence is what the retrieval finds for it, as for a question."""
        text = validation.job_description(job_description)
        return [
            FitCase(
                requirement,
                tuple(
                    retrieve(
                        self._index,
                        self._telemetry,
                        namespace,
                        _as_asked(requirement.text),
                        top_k=PASSAGES_PER_REQUIREMENT,
                    )
                ),
            )
            for requirement in split_requirements(text)
        ]


def _as_asked(requirement: str) -> Question:
    """A requirement read for what it names, not as a question ("machine learning" is no "what are you learning?"):
    its words and the thesaurus's, without the intents' words and the section types they prefer."""
    question = understand(requirement)
    return replace(question, intents=(), search_text=" ".join([requirement, *question.phrases]))
