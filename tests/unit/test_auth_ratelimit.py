"""Per-principal rate limits (Flask-Limiter) and the audit tail."""
from __future__ import annotations

import pytest
from flask import Flask

from portal.auth import ratelimit
from portal.auth.audit import AuditLog


def test_limit_keeps_the_rate_and_allows_half_a_minute_of_burst():
    assert ratelimit.limit_for(300) == "150 per 30 second"
    assert ratelimit.limit_for(120) == "60 per 30 second"
    assert ratelimit.limit_for(20) == "10 per 30 second"  # never a burst below 10
    assert ratelimit.limit_for(1) == "10 per 600 second"  # ... so a slow rate gets a long window
    assert ratelimit.limit_for(0) is None


def _app(storage: str | None = None, per_minute: int = 20) -> Flask:
    app = Flask("limits")
    app.config.update(GDC_RATE_LIMIT_ANONYMOUS=per_minute, GDC_RATE_LIMIT_SIGNED_IN=per_minute)
    if storage:
        app.config["GDC_RATE_LIMIT_STORAGE"] = storage
    ratelimit.init_app(app, key=lambda: (app.config["who"], True), exempt=lambda: False,
                       breach=lambda retry: ({"retry": retry}, 429, {"Retry-After": str(retry)}))
    app.add_url_rule("/", "home", lambda: "ok")
    app.add_url_rule("/other", "other", lambda: "ok")
    return app


def test_one_budget_per_principal_across_every_page():
    app = _app()
    app.config["who"] = "ip:192.0.2.1"
    client = app.test_client()
    statuses = [client.get("/" if n % 2 else "/other").status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]
    refused = client.get("/")
    # The window is 30 s; the hint is rounded up to whole seconds (``math.ceil`` of the limiter's float
    # reset time, which CI once read as 31): never shorter than the wait, so a client that waits it is not
    # refused again.
    assert 1 <= int(refused.headers["Retry-After"]) <= 31 and refused.json["retry"] >= 1
    app.config["who"] = "ip:192.0.2.2"
    assert client.get("/").status_code == 200


def test_memory_storage_is_per_process():
    first, second = _app("memory://"), _app("memory://")
    for app in (first, second):
        app.config["who"] = "ip:192.0.2.1"
    a, b = first.test_client(), second.test_client()
    assert [a.get("/").status_code for _ in range(11)][-1] == 429
    assert b.get("/").status_code == 200  # its own count: N workers allow N times the limit


def test_an_unusable_storage_is_refused_by_name():
    with pytest.raises(ValueError, match="GDC_RATE_LIMIT_STORAGE"):
        _app("nosuchstore://somewhere")


def test_zero_switches_the_limit_off():
    app = _app(per_minute=0)
    app.config["who"] = "ip:192.0.2.1"
    client = app.test_client()
    assert {client.get("/").status_code for _ in range(50)} == {200}


def test_audit_tail_filters_newest_first(tmp_path):
    log = AuditLog(tmp_path / "a.jsonl")
    log.append("disclosure", who="a", ids=["x"])
    log.append("disclosure", who="b", ids=["y"])
    log.append("sign_in", who="a")
    (tmp_path / "a.jsonl").open("a").write("not json\n")
    assert [e["event"] for e in log.tail(who="a")] == ["sign_in", "disclosure"]
    assert [e["who"] for e in log.tail(record_id="y")] == ["b"]
    assert len(log.tail(limit=1)) == 1
