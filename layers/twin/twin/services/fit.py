"""Role fit: a job description in, each of its requirements with the profile's evidence and a strength out."""

import hashlib
from dataclasses import replace
from typing import Final

from twin.domain.fit import FitCase, FitReport, decode_report, encode_report, evaluate
from twin.domain.questions import Question, understand
from twin.domain.requirements import split_requirements
from twin.ports import Cache, FitModel, ProfileStore, Telemetry, VectorIndex
from twin.services import validation
from twin.services.profile import ProfileService
from twin.services.retrieval import retrieve

PASSAGES_PER_REQUIREMENT: Final = 4
_UNKNOWN_PERSONA: Final = "the candidate"
# Part of every cache key: a deploy that changes how a fit is judged or kept must not serve the fits of the code
# before it.
FIT_FORMAT: Final = "f1"


class FitService:
    def __init__(
        self,
        *,
        twin_id: str,
        index: VectorIndex,
        profiles: ProfileStore,
        model: FitModel,
        cache: Cache,
        cache_ttl_seconds: int,
        telemetry: Telemetry,
    ) -> None:
        self._index = index
        self._profile = ProfileService(twin_id=twin_id, index=index, profiles=profiles)
        self._model = model
        self._cache = cache
        self._cache_ttl_seconds = cache_ttl_seconds
        self._telemetry = telemetry

    def evaluate(self, job_description: str) -> FitReport:
        """The same description against the same profile version is judged once while the cache keeps it: a
        chat model's judgement costs seconds and tokens. A fallback is never kept, so the model judges again."""
        text = validation.job_description(job_description)
        profile = self._profile.current()
        key = _cache_key(profile.namespace, text)
        cached = self._cache.get(key)
        report = decode_report(cached) if cached is not None else self._judged(profile.name, profile.namespace, text)
        if cached is None and not report.fallback:
            self._cache.set(key, encode_report(report), self._cache_ttl_seconds)
        self._telemetry.count("FitEvaluated")
        self._telemetry.annotate(
            model=report.model,
            fallback=report.fallback,
            requirements=len(report.requirements),
            cached=cached is not None,
        )
        return report

    def _judged(self, name: str | None, namespace: str, text: str) -> FitReport:
        cases = self._cases(namespace, text)
        with self._telemetry.timed("Model"):
            return self._model.assess(name or _UNKNOWN_PERSONA, cases) if cases else evaluate(())

    def evidence(self, job_description: str) -> list[FitCase]:
        """The requirements of `job_description`, each with the passages found for it: what a judge reads."""
        text = validation.job_description(job_description)
        return self._cases(self._profile.current().namespace, text)

    def _cases(self, namespace: str, text: str) -> list[FitCase]:
        """Each requirement's evidence is what the retrieval finds for it, as for a question."""
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


def _cache_key(namespace: str, job_description: str) -> str:
    """Keyed on the namespace of the version judged against, as answers are (services/ask.py)."""
    return f"fit:{FIT_FORMAT}:{namespace}:{hashlib.sha256(job_description.encode()).hexdigest()}"


def _as_asked(requirement: str) -> Question:
    """A requirement read for what it names, not as a question ("machine learning" is no "what are you learning?"):
    its words and the thesaurus's, without the intents' words and the section types they prefer."""
    question = understand(requirement)
    return replace(question, intents=(), search_text=" ".join([requirement, *question.phrases]))
