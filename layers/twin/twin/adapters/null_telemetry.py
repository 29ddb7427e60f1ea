"""The embedded `Telemetry`: metrics and traces go nowhere (locally there are logs and the benchmark)."""

from contextlib import AbstractContextManager, nullcontext


class NullTelemetry:
    def count(self, name: str, value: int = 1) -> None:
        pass

    def timed(self, name: str) -> AbstractContextManager[None]:
        return nullcontext()
