"""The embedded `RateLimiter`: a token bucket per key, in-process.

A bucket holds `requests` tokens and refills at `requests / window_seconds` per second, so a client
may burst up to the limit and then continues at the sustained rate.
"""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from twin.domain.rate_limits import RateDecision, RateLimit


@dataclass
class _Bucket:
    tokens: float
    updated_at: float


class MemoryRateLimiter:
    def __init__(self, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()

    def hit_each(self, hits: Sequence[tuple[str, RateLimit]]) -> list[RateDecision]:
        decisions: list[RateDecision] = []
        for key, limit in hits:
            decisions.append(self.hit(key, limit))
            if not decisions[-1].allowed:
                break
        return decisions

    def hit(self, key: str, limit: RateLimit) -> RateDecision:
        rate = limit.requests / limit.window_seconds
        with self._lock:
            now = self._clock()
            bucket = self._buckets.pop(key, None) or _Bucket(tokens=limit.requests, updated_at=now)
            bucket.tokens = min(limit.requests, bucket.tokens + (now - bucket.updated_at) * rate)
            bucket.updated_at = now
            allowed = bucket.tokens >= 1
            if allowed:
                bucket.tokens -= 1
            self._buckets[key] = bucket
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
            tokens = bucket.tokens
        return RateDecision(
            allowed=allowed,
            limit=limit.requests,
            remaining=math.floor(tokens),
            reset_seconds=math.ceil((limit.requests - tokens) / rate),
            retry_after_seconds=0 if allowed else math.ceil((1 - tokens) / rate),
        )
