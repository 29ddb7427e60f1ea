"""A `ChatModel` that answers with the embedded extractive model when the configured one fails.

The answer says so (`fallback`), a metric counts it, and after repeated failures the circuit breaker
skips the failing model for a while instead of making every visitor wait for its timeout.
"""

import logging
from dataclasses import replace

from twin.adapters.circuit_breaker import CircuitBreaker
from twin.domain.answers import Reply
from twin.domain.prompt import Prompt
from twin.errors import BackendUnavailableError
from twin.ports import ChatModel, Telemetry

_log = logging.getLogger("twin.model")


class FallbackModel:
    def __init__(self, primary: ChatModel, fallback: ChatModel, breaker: CircuitBreaker, telemetry: Telemetry) -> None:
        self._primary = primary
        self._fallback = fallback
        self._breaker = breaker
        self._telemetry = telemetry

    def answer(self, prompt: Prompt) -> Reply:
        if self._breaker.is_open():
            return self._fall_back(prompt, "circuit open")
        try:
            reply = self._primary.answer(prompt)
        except BackendUnavailableError as error:
            self._breaker.record_failure()
            return self._fall_back(prompt, f"{error.service}: {error.reason}")
        self._breaker.record_success()
        return reply

    def _fall_back(self, prompt: Prompt, why: str) -> Reply:
        _log.warning("answering with the extractive model: %s", why)
        self._telemetry.count("ModelFallback")
        return replace(self._fallback.answer(prompt), fallback=True)
