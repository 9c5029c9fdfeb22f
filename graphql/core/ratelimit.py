"""Per-client token buckets (in memory, per worker): a burst, refilled at a steady rate.

Headers follow GitHub's names: ``x-ratelimit-limit`` (the burst), ``x-ratelimit-remaining`` (whole
requests left now), ``x-ratelimit-reset`` (seconds until the bucket is full again); a refusal also
carries ``retry-after`` (seconds until one request is allowed).
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        headers = {"x-ratelimit-limit": str(self.limit), "x-ratelimit-remaining": str(self.remaining),
                   "x-ratelimit-reset": str(self.reset_seconds)}
        if not self.allowed:
            headers["retry-after"] = str(self.retry_after)
        return headers


class RateLimiter:
    def __init__(self, *, max_keys: int = 50_000, clock=time.monotonic) -> None:
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key → (tokens, at)
        self._lock = threading.Lock()
        self._max_keys = max_keys
        self._clock = clock

    def take(self, key: str, *, burst: int, per_second: float, cost: float = 1.0) -> Decision:
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(burst), now))
            tokens = min(float(burst), tokens + (now - at) * per_second)
            allowed = tokens >= cost
            if allowed:
                tokens -= cost
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
        return Decision(allowed, burst, int(tokens), math.ceil((burst - tokens) / per_second),
                        0 if allowed else math.ceil((cost - tokens) / per_second))
