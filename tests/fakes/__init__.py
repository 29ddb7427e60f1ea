"""Small stand-ins the tests share."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import NoReturn

from twin.errors import BackendUnavailableError
from twin.ports import Annotation


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class RecordingTelemetry:
    """Telemetry that remembers what was counted, timed and annotated."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.timed_names: list[str] = []
        self.annotations: dict[str, Annotation] = {}

    def count(self, name: str, value: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + value

    def timed(self, name: str) -> AbstractContextManager[None]:
        self.timed_names.append(name)
        return nullcontext()

    def annotate(self, **values: Annotation) -> None:
        self.annotations.update(values)


class Outage:
    """Stands in for any store or service: every call fails as a cloud backend that is down."""

    def __init__(self, service: str = "upstash-redis", retry_after_seconds: int | None = 7) -> None:
        self.service = service
        self.retry_after_seconds = retry_after_seconds
        self.calls = 0

    def __getattr__(self, name: str) -> Callable[..., NoReturn]:
        def fail(*_: object, **__: object) -> NoReturn:
            self.calls += 1
            raise BackendUnavailableError(self.service, "connection refused", self.retry_after_seconds)

        return fail
