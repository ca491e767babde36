"""The anonymous answers cache: shared by anonymous visitors only, for a short time."""
from __future__ import annotations

from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search.cache import AnonymousCache

ANALYST = Principal("analyst", "somchai", (Grant(frozenset({"personal"}), 3),))


def test_anonymous_visitors_share_one_answer_until_it_expires(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("portal.search.cache.time.monotonic", lambda: clock[0])
    cache, calls = AnonymousCache(30), []

    def compute():
        calls.append(1)
        return len(calls)

    assert [cache.get("home", ANONYMOUS, compute) for _ in range(3)] == [1, 1, 1]
    clock[0] += 31
    assert cache.get("home", ANONYMOUS, compute) == 2
    assert cache.get("other", ANONYMOUS, compute) == 3  # keys are separate


def test_signed_in_principals_are_never_served_from_the_cache():
    cache, calls = AnonymousCache(30), []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.get("home", ANONYMOUS, compute) == 1
    assert cache.get("home", ANALYST, compute) == 2  # computed with their grants (and audited)
    assert cache.get("home", ANALYST, compute) == 3
    assert cache.get("home", Principal("admin", "root"), compute) == 4
    assert cache.get("home", ANONYMOUS, compute) == 1


def test_zero_seconds_switches_it_off():
    cache, calls = AnonymousCache(0), []
    assert [cache.get("home", ANONYMOUS, lambda: calls.append(1) or len(calls)) for _ in range(2)] == [1, 2]


def test_it_holds_at_most_its_bound_and_drops_the_least_recently_used_first():
    cache, calls = AnonymousCache(30, max_entries=2), []

    def compute():
        calls.append(1)
        return len(calls)

    assert [cache.get(k, ANONYMOUS, compute) for k in ("a", "b", "a", "c")] == [1, 2, 1, 3]
    assert cache.get("a", ANONYMOUS, compute) == 1  # kept: used more recently than b
    assert cache.get("b", ANONYMOUS, compute) == 4  # dropped to make room for c
