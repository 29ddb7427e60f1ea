from collections.abc import Sequence
from typing import Any, cast

from tests.fakes import FakeClock, Outage, RecordingTelemetry
from twin.adapters.circuit_breaker import CircuitBreaker
from twin.adapters.extractive_fit import ExtractiveFitModel
from twin.adapters.extractive_model import MODEL_NAME, ExtractiveModel
from twin.adapters.fallback_model import FallbackFitModel, FallbackModel
from twin.adapters.memory_cache import MemoryCache
from twin.domain.answers import Reply
from twin.domain.chunks import Chunk, ScoredChunk
from twin.domain.fit import FitCase, FitReport
from twin.domain.profile import SectionType
from twin.domain.prompt import Prompt
from twin.domain.requirements import Requirement
from twin.errors import BackendUnavailableError

PROMPT = Prompt(
    "Sam",
    "Which programming languages?",
    (ScoredChunk(Chunk("$.s", SectionType.SKILLS, "Skills", "My languages: Go and Python.", id="a" * 24), 0.5),),
)


class CountingModel:
    def __init__(self) -> None:
        self.calls = 0

    def answer(self, prompt: Prompt) -> Reply:
        self.calls += 1
        return Reply(text="I write Go.", model="llm", prompt_tokens=10, completion_tokens=4)


def fallback_model(primary: Any, clock: FakeClock, telemetry: RecordingTelemetry) -> FallbackModel:
    breaker = CircuitBreaker(MemoryCache(clock=clock), "model", failures=2, cooldown_seconds=60, clock=clock)
    return FallbackModel(primary, ExtractiveModel(), breaker, telemetry)


def test_a_working_model_answers_itself() -> None:
    reply = fallback_model(CountingModel(), FakeClock(), RecordingTelemetry()).answer(PROMPT)

    assert (reply.text, reply.model, reply.fallback) == ("I write Go.", "llm", False)


def test_a_failing_model_is_replaced_by_the_extractive_answer_marked_as_fallback() -> None:
    telemetry = RecordingTelemetry()

    reply = fallback_model(cast(Any, Outage("groq")), FakeClock(), telemetry).answer(PROMPT)

    assert reply.model == MODEL_NAME
    assert reply.fallback
    assert "Go and Python" in reply.text
    assert telemetry.counts == {"ModelFallback": 1}


def test_after_repeated_failures_the_model_is_skipped_until_the_cool_down_ends() -> None:
    clock, outage = FakeClock(), Outage("groq")
    model = fallback_model(cast(Any, outage), clock, RecordingTelemetry())

    for _ in range(5):
        model.answer(PROMPT)
    assert outage.calls == 2

    clock.now += 61
    model.answer(PROMPT)
    assert outage.calls == 3


def test_a_success_resets_the_count_of_failures() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(MemoryCache(clock=clock), "model", failures=2, cooldown_seconds=60, clock=clock)

    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()

    assert not breaker.is_open()


class CountingCache(MemoryCache):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock=clock)
        self.calls = 0

    def get(self, key: str) -> str | None:
        self.calls += 1
        return super().get(key)

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self.calls += 1
        super().set(key, value, ttl_seconds)


def test_a_working_model_costs_the_shared_cache_nothing() -> None:
    clock = FakeClock()
    cache = CountingCache(clock)
    breaker = CircuitBreaker(cache, "model", failures=2, cooldown_seconds=60, clock=clock)
    model = FallbackModel(CountingModel(), ExtractiveModel(), breaker, RecordingTelemetry())

    for _ in range(3):
        model.answer(PROMPT)

    assert cache.calls == 0


def test_a_container_learns_at_its_first_failure_that_another_opened_the_circuit() -> None:
    clock = FakeClock()
    shared = MemoryCache(clock=clock)  # Redis, shared by the containers
    first, second = (CircuitBreaker(shared, "model", failures=2, cooldown_seconds=60, clock=clock) for _ in range(2))
    first.record_failure()
    first.record_failure()
    assert first.is_open()
    assert not second.is_open()

    second.record_failure()

    assert second.is_open()
    clock.now += 61
    assert not second.is_open()


class JudgeOutage:
    def assess(self, persona: str, cases: Sequence[FitCase]) -> FitReport:
        raise BackendUnavailableError("groq", "malformed_fit")


def test_a_fit_the_model_cannot_judge_is_judged_by_the_extractive_judge_marked_as_fallback() -> None:
    telemetry = RecordingTelemetry()
    clock = FakeClock()
    breaker = CircuitBreaker(MemoryCache(clock=clock), "model", failures=2, cooldown_seconds=60, clock=clock)
    model = FallbackFitModel(JudgeOutage(), ExtractiveFitModel(), breaker, telemetry)
    cases = [FitCase(Requirement("Python"), PROMPT.passages)]

    report = model.assess("Sam", cases)

    assert (report.model, report.fallback) == ("extractive", True)
    assert report.requirements[0].strength.value == "strong"
    assert telemetry.counts["ModelFallback"] == 1
