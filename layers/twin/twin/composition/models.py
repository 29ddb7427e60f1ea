"""Who answers and judges: the extractive defaults, or Groq with them standing in behind one circuit breaker."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

from twin.parameters import secret
from twin.settings import Settings

if TYPE_CHECKING:
    from twin.adapters.circuit_breaker import CircuitBreaker
    from twin.adapters.groq_model import GroqModel, ReasoningEffort
    from twin.composition.storage import Storage
    from twin.ports import ChatModel, FitModel, Telemetry


class Models:
    def __init__(self, settings: Settings, telemetry: Telemetry, storage: Storage) -> None:
        self.settings = settings
        self.telemetry = telemetry
        self._storage = storage

    @cached_property
    def model(self) -> ChatModel:
        from twin.adapters.extractive_model import ExtractiveModel

        if not self._has_groq:
            return ExtractiveModel()
        from twin.adapters.deferred_model import DeferredModel
        from twin.adapters.fallback_model import FallbackModel

        return FallbackModel(DeferredModel(self._groq), ExtractiveModel(), self._model_breaker, self.telemetry)

    @cached_property
    def fit_model(self) -> FitModel:
        """Groq judges when it is configured, with the extractive judge standing in; the two share one breaker."""
        from twin.adapters.extractive_fit import ExtractiveFitModel

        if not self._has_groq:
            return ExtractiveFitModel()
        from twin.adapters.fallback_model import FallbackFitModel
        from twin.adapters.groq_fit_model import GroqFitModel

        primary = GroqFitModel(self._groq, max_tokens=self.settings.groq_fit_max_tokens)
        return FallbackFitModel(primary, ExtractiveFitModel(), self._model_breaker, self.telemetry)

    @property
    def _has_groq(self) -> bool:
        return self._groq_api_key is not None

    @cached_property
    def _groq_api_key(self) -> str | None:
        return secret(self.settings, "groq_api_key")

    def _groq(self) -> GroqModel:
        """Made when first used (importing the SDK costs a cold start): `DeferredModel` and `GroqFitModel` call it."""
        return self._groq_model

    @cached_property
    def _groq_model(self) -> GroqModel:
        from twin.adapters.groq_model import GroqModel

        settings = self.settings
        return GroqModel(
            cast(str, self._groq_api_key),
            model=settings.groq_model,
            temperature=settings.groq_temperature,
            max_tokens=settings.groq_max_tokens,
            timeout_seconds=settings.groq_timeout_seconds,
            max_retries=settings.groq_max_retries,
            base_url=settings.groq_base_url,
            reasoning_effort=cast("ReasoningEffort | None", settings.groq_reasoning_effort),
        )

    @cached_property
    def _model_breaker(self) -> CircuitBreaker:
        from twin.adapters.circuit_breaker import CircuitBreaker

        settings = self.settings
        return CircuitBreaker(
            self._storage.cache,
            "model",
            failures=settings.model_breaker_failures,
            cooldown_seconds=settings.model_breaker_cooldown_seconds,
        )
