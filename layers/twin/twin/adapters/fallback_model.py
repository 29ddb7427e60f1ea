"""Models that answer with the embedded extractive one when the configured one fails: a `ChatModel` for answers
and a `FitModel` for role fit.

The result says so (`fallback`), a metric counts it, and after repeated failures the circuit breaker skips the
failing model for a while instead of making every visitor wait for its timeout.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from twin.adapters.circuit_breaker import CircuitBreaker
from twin.domain.answers import Reply
from twin.domain.fit import FitCase, FitReport
from twin.domain.prompt import Prompt
from twin.errors import BackendUnavailableError
from twin.ports import ChatModel, FitModel, Telemetry

_log = logging.getLogger("twin.model")


class _Fallback:
    def __init__(self, breaker: CircuitBreaker, telemetry: Telemetry) -> None:
        self._breaker = breaker
        self._telemetry = telemetry

    def _first[T](self, primary: Callable[[], T], fallback: Callable[[], T]) -> tuple[T, bool]:
        """What `primary` gives, or else what `fallback` gives and True."""
        if self._breaker.is_open():
            return self._fall_back(fallback, "circuit open"), True
        try:
            result = primary()
        except BackendUnavailableError as error:
            self._breaker.record_failure()
            return self._fall_back(fallback, f"{error.service}: {error.reason}"), True
        self._breaker.record_success()
        return result, False

    def _fall_back[T](self, fallback: Callable[[], T], why: str) -> T:
        _log.warning("answering with the extractive model: %s", why)
        self._telemetry.count("ModelFallback")
        return fallback()


class FallbackModel(_Fallback):
    def __init__(self, primary: ChatModel, fallback: ChatModel, breaker: CircuitBreaker, telemetry: Telemetry) -> None:
        super().__init__(breaker, telemetry)
        self._primary = primary
        self._fallback = fallback

    def answer(self, prompt: Prompt) -> Reply:
        reply, fell_back = self._first(lambda: self._primary.answer(prompt), lambda: self._fallback.answer(prompt))
        return replace(reply, fallback=True) if fell_back else reply


class FallbackFitModel(_Fallback):
    def __init__(self, primary: FitModel, fallback: FitModel, breaker: CircuitBreaker, telemetry: Telemetry) -> None:
        super().__init__(breaker, telemetry)
        self._primary = primary
        self._fallback = fallback

    def assess(self, persona: str, cases: Sequence[FitCase]) -> FitReport:
        report, fell_back = self._first(
            lambda: self._primary.assess(persona, cases), lambda: self._fallback.assess(persona, cases)
        )
        return replace(report, fallback=True) if fell_back else report
