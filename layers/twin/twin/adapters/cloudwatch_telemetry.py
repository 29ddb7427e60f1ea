"""`Telemetry` in Lambda: Powertools EMF metrics (CloudWatch) and X-Ray subsegments."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from twin.adapters.xray_daemon import XRayDaemon

if TYPE_CHECKING:  # the authorizer loads this module and never needs the ports
    from twin.ports import Annotation


class CloudWatchTelemetry:
    def __init__(self, metrics: Metrics, xray: XRayDaemon | None = None) -> None:
        self._metrics = metrics
        self._xray = xray

    def count(self, name: str, value: int = 1) -> None:
        self._metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        span: AbstractContextManager[object] = self._xray.subsegment(name) if self._xray else nullcontext()
        start = time.perf_counter()
        try:
            with span:
                yield
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            self._metrics.add_metric(name=f"{name}Latency", unit=MetricUnit.Milliseconds, value=elapsed)

    def annotate(self, **values: Annotation) -> None:
        if self._xray is not None:
            self._xray.annotate(**values)
