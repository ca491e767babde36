"""Rate limits hold across gunicorn's worker processes when their counts live in Redis.

``make serve`` runs with two workers and ``GDC_RATE_LIMIT_STORAGE=redis://…`` (a ``redis-server`` this
test starts on a free loopback port and stops). Requests go on fresh connections until the access log
shows that *each* worker answered at least the limit's burst: counted per process (``memory://``), each
worker would then have let a whole burst through, twice the limit in all. Through Redis exactly one
burst is let through, whichever worker answers.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from portal.auth.ratelimit import limit_for
from tests.integration.test_serve import _group_gone, _wait_ready
from tests.servers import free_port
from tests.support import PROJECT_ROOT

pytestmark = pytest.mark.timeout(180)

PER_MINUTE = 1   # → "10 per 600 second": one burst of 10 fits the whole test, no refill meanwhile
BURST = 10
MAX_REQUESTS = 400


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of the test's own on a free loopback port, without persistence; stopped after."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)")
    port = free_port()
    server = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path), "--protected-mode", "yes"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(b"PING\r\n")
                if probe.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"redis-server did not start on port {port}")
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def _pids(access_log) -> Counter:
    """Requests answered per worker pid (the access log's last field)."""
    lines = access_log.read_text().splitlines() if access_log.exists() else []
    return Counter(line.rsplit(" ", 1)[-1] for line in lines if "/api/v1/codelists" in line)


def test_the_limit_holds_across_workers_with_redis_storage(redis_url, settings, tmp_path):
    assert limit_for(PER_MINUTE) == f"{BURST} per 600 second"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path, access_log = tmp_path / "serve.log", tmp_path / "access.log"
    env = {**os.environ, "GDC_ES_URL": settings.es_url, "GDC_PORT": str(port), "GDC_HOST": "127.0.0.1",
           "GDC_WORKERS": "2", "GDC_THREADS": "2", "GDC_ACCESS_LOG": str(access_log),
           "GDC_VAR_DIR": str(tmp_path), "GDC_SECRET_KEY": "rate-limit-test",
           "GDC_RATE_LIMIT_STORAGE": redis_url, "GDC_RATE_LIMIT_ANONYMOUS": str(PER_MINUTE)}
    with open(log_path, "w") as log:
        server = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=PROJECT_ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_ready(base, server, log_path, "/healthz")  # never limited; the page asked for needs no index

        def fetch(_: int) -> int:
            # A fresh connection each time, so that either worker may accept it.
            return requests.get(f"{base}/api/v1/codelists", headers={"Connection": "close"},
                                timeout=30).status_code

        statuses: list[int] = []
        with ThreadPoolExecutor(4) as pool:
            while len(statuses) < MAX_REQUESTS:
                statuses += pool.map(fetch, range(20))
                served = _pids(access_log)
                if len(served) >= 2 and min(served.values()) >= BURST:
                    break
        served = _pids(access_log)
        assert len(served) == 2 and min(served.values()) >= BURST, (
            f"the requests did not reach both workers often enough to tell: {dict(served)}")
        assert Counter(statuses) == {200: BURST, 429: len(statuses) - BURST}, dict(Counter(statuses))
        # Counted in Redis, not in the workers' own memory (their fallback when Redis is unreachable).
        assert "falling back" not in log_path.read_text(), log_path.read_text()
        assert any(b"gdc" in key for key in redis.Redis.from_url(redis_url).keys()), "nothing counted in Redis"
    finally:
        os.killpg(server.pid, 15)
        assert _group_gone(server, 40), "make serve did not stop on SIGTERM"
