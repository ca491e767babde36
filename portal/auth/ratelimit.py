"""Per-principal rate limits: enumeration by many small queries becomes slow.

A token bucket per key (``user:<name>`` for signed-in principals and tokens, ``ip:<address>`` for
anonymous visitors): ``per_minute`` requests a minute on average, bursts up to ``burst``. Kept in the
worker's memory: with N worker processes a client gets at most N times the limit, which still makes
enumerating a catalogue of tens of thousands of records by single-word probes take hours.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int, burst: int | None = None, max_keys: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(burst or per_minute)
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> float:
        """Take one request from ``key``'s bucket: ``0`` when allowed, else seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._forget_full(now)
                bucket = self._buckets[key] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate if self.rate else 60.0

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely (they carry no state worth keeping)."""
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.updated) * self.rate >= self.capacity:
                del self._buckets[key]
        if len(self._buckets) >= self.max_keys:
            self._buckets.clear()
