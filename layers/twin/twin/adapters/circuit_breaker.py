"""A circuit breaker whose state lives in the shared cache, so every container sees the same state.

After `failures` failures in a row the circuit opens for `cooldown_seconds`: callers skip the service.
The counts are read-then-written, so two containers failing at once may count one failure instead of
two; the breaker opens a call later, which is harmless.
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

    def is_open(self) -> bool:
        open_until = self._cache.get(self._open_key)
        return open_until is not None and float(open_until) > self._clock()

    def record_success(self) -> None:
        if self._cache.get(self._failures_key) not in (None, "0"):
            self._cache.set(self._failures_key, "0", self._cooldown_seconds)

    def record_failure(self) -> None:
        failures = int(self._cache.get(self._failures_key) or 0) + 1
        if failures >= self._threshold:
            self._cache.set(self._open_key, str(self._clock() + self._cooldown_seconds), self._cooldown_seconds)
            failures = 0
        self._cache.set(self._failures_key, str(failures), self._cooldown_seconds * 10)
