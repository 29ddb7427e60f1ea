"""The embedded `Telemetry`: metrics and traces go nowhere (locally there are logs and the benchmark)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the authorizer loads this module and never needs the ports
    from twin.ports import Annotation


class NullTelemetry:
    def count(self, name: str, value: int = 1) -> None:
        pass

    def timed(self, name: str) -> AbstractContextManager[None]:
        return nullcontext()

    def annotate(self, **values: Annotation) -> None:
        pass
