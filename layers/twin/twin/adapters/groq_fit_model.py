"""The Groq `FitModel`: the hosted model judges the requirements and writes the summary, in JSON mode.

A reply that fails the checks of `twin.domain.fit_prompt` (not JSON, a requirement missed, a quote the profile does
not hold) is a failure like an outage: BackendUnavailableError, so the extractive judge stands in.
"""

from collections.abc import Callable, Sequence
from functools import cached_property

from twin.adapters.groq_model import SERVICE, GroqModel
from twin.domain.fit import FitCase, FitReport
from twin.domain.fit_prompt import fit_messages, parsed_fit
from twin.errors import BackendUnavailableError


class GroqFitModel:
    def __init__(self, make: Callable[[], GroqModel], *, max_tokens: int) -> None:
        """`make` is called on the first assessment: a process that never evaluates a fit never imports the SDK."""
        self._make = make
        self._max_tokens = max_tokens

    @cached_property
    def _groq(self) -> GroqModel:
        return self._make()

    def assess(self, persona: str, cases: Sequence[FitCase]) -> FitReport:
        completion = self._groq.complete(fit_messages(persona, cases), max_tokens=self._max_tokens, json_object=True)
        report = parsed_fit(completion.text, cases, model=completion.model)
        if report is None:
            raise BackendUnavailableError(SERVICE, "malformed_fit")
        return report
