"""The per-principal token bucket."""
from __future__ import annotations

from portal.auth.audit import AuditLog
from portal.auth.ratelimit import RateLimiter


def test_bucket_allows_a_burst_then_refills_at_the_rate():
    limiter = RateLimiter(per_minute=60, burst=3)
    assert [limiter.hit("user:a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.hit("user:a", now=0.0) > 0.9
    assert limiter.hit("user:b", now=0.0) == 0.0
    assert limiter.hit("user:a", now=1.01) == 0.0


def test_memory_stays_bounded():
    limiter = RateLimiter(per_minute=60, burst=2, max_keys=10)
    for n in range(100):
        limiter.hit(f"ip:{n}", now=float(n))
    assert len(limiter._buckets) <= 10


def test_audit_tail_filters_newest_first(tmp_path):
    log = AuditLog(tmp_path / "a.jsonl")
    log.append("disclosure", who="a", ids=["x"])
    log.append("disclosure", who="b", ids=["y"])
    log.append("sign_in", who="a")
    (tmp_path / "a.jsonl").open("a").write("not json\n")
    assert [e["event"] for e in log.tail(who="a")] == ["sign_in", "disclosure"]
    assert [e["who"] for e in log.tail(record_id="y")] == ["b"]
    assert len(log.tail(limit=1)) == 1
