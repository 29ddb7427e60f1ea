"""A circuit breaker whose state lives in the shared cache, so every container sees the same state.

After `failures` failures in a row the circuit opens for `cooldown_seconds`: callers skip the service.
A container reads the shared state only when its own call fails, so a call to a working service costs
no cache round trip: it learns that another container opened the circuit at its next failure (one
failed call, instead of `failures` of them). The counts are read-then-written, so two containers failing
at once may count one failure instead of two; the breaker opens a call later, which is harmless.
"""

import time
from collections.abc import Callable

from twin.ports import Cache


class CircuitBreaker:
    def __init__(
        self,
        cache: Cache,
        name: str,
        *,
        failures: int,
        cooldown_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._cache = cache
        self._failures_key = f"breaker:{name}:failures"
        self._open_key = f"breaker:{name}:open-until"
        self._threshold = failures
        self._cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._open_until = 0.0
        self._counted = False
        """This container's failures are in the shared count: a success must reset it."""

    def is_open(self) -> bool:
        return self._open_until > self._clock()

    def record_success(self) -> None:
        if self._counted:
            self._cache.set(self._failures_key, "0", self._cooldown_seconds)
            self._counted = False

    def record_failure(self) -> None:
        open_until = float(self._cache.get(self._open_key) or 0)
        if open_until > self._clock():  # another container opened it
            self._open_until = open_until
            return
        failures = int(self._cache.get(self._failures_key) or 0) + 1
        self._counted = failures < self._threshold
        if not self._counted:
            self._open_until = self._clock() + self._cooldown_seconds
            self._cache.set(self._open_key, str(self._open_until), self._cooldown_seconds)
            failures = 0
        self._cache.set(self._failures_key, str(failures), self._cooldown_seconds * 10)
