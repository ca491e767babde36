"""``make serve`` from the outside: it serves pages and the API from a real node, logs every request,
and on SIGTERM finishes the request it is in the middle of before it exits."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.integration import search_corpus
from tests.servers import free_port
from tests.support import PROJECT_ROOT

pytestmark = pytest.mark.timeout(180)


class SlowProxy(ThreadingHTTPServer):
    """Forwards everything to the real node; while ``delay`` is set, searches wait that long first."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream = urllib.parse.urlsplit(upstream)
        self.delay = 0.0
        self.search_arrived = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "_search" in self.path and self.server.delay:
            self.server.search_arrived.set()
            time.sleep(self.server.delay)
        target = self.server.upstream
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        answer = upstream.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _forward


def _wait_ready(base: str, server: subprocess.Popen, log_path, path: str = "/readyz") -> None:
    """Until ``path`` answers 200 (``/readyz``: the index is reachable; ``/healthz``: the process is up)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, f"make serve exited early:\n{log_path.read_text()}"
        try:
            if requests.get(f"{base}{path}", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or workers still booting
            pass
        time.sleep(0.3)
    pytest.fail(f"make serve did not answer {path}:\n{log_path.read_text()}")


def _group_gone(server: subprocess.Popen, within: float) -> bool:
    """``make`` and gunicorn (master and workers) have all exited."""
    deadline = time.monotonic() + within
    pgid = server.pid
    try:
        server.wait(within)  # reap make, or its zombie would keep the group alive
    except subprocess.TimeoutExpired:
        return False
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def corpus(es):
    alias = search_corpus.load(es, search_corpus.open_records())
    yield alias
    search_corpus.drop(es, alias)


@pytest.fixture
def proxy(settings):
    server = SlowProxy(settings.es_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_make_serve_serves_and_finishes_in_flight_requests_on_sigterm(corpus, proxy, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path, access_log = tmp_path / "serve.log", tmp_path / "access.log"
    env = {**os.environ, "GDC_ES_URL": proxy.url, "GDC_INDEX": corpus, "GDC_PORT": str(port),
           "GDC_HOST": "127.0.0.1", "GDC_WORKERS": "2", "GDC_THREADS": "2", "GDC_ES_TIMEOUT": "20",
           "GDC_REQUEST_TIMEOUT": "20", "GDC_ACCESS_LOG": str(access_log), "GDC_VAR_DIR": str(tmp_path),
           "GDC_SECRET_KEY": "serve-test"}
    with open(log_path, "w") as log:
        server = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=PROJECT_ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_ready(base, server, log_path)
        ready = requests.get(f"{base}/readyz", timeout=10).json()
        assert ready["status"] == "ready" and ready["alias"] == corpus

        api = requests.get(f"{base}/api/v1/search", params={"q": "โรงเรียน"}, timeout=30)
        assert api.status_code == 200
        assert api.json()["total"] > 0
        page = requests.get(f"{base}/search", params={"q": "โรงเรียน"}, timeout=30)
        assert page.status_code == 200 and "โรงเรียน" in page.text

        # A search in flight (the node answers in 3 s) when the server is told to stop.
        proxy.delay = 3.0
        outcome: dict = {}

        def slow_search() -> None:
            try:
                outcome["response"] = requests.get(f"{base}/api/v1/search", params={"q": "น้ำฝน"},
                                                   timeout=30)
            except requests.RequestException as exc:
                outcome["error"] = exc

        client = threading.Thread(target=slow_search)
        client.start()
        assert proxy.search_arrived.wait(15), "the search never reached Elasticsearch"
        stopped_at = time.monotonic()
        os.killpg(server.pid, signal.SIGTERM)  # what a terminal's Ctrl-C or systemd's stop sends
        client.join(30)
        assert "error" not in outcome, outcome.get("error")
        response = outcome["response"]
        assert response.status_code == 200
        assert response.json()["total"] > 0
        assert time.monotonic() - stopped_at >= 2.0  # it really waited for the node's answer

        assert _group_gone(server, 20), "the server did not exit after finishing its requests"
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{base}/healthz", timeout=5)
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(10)

    logged = access_log.read_text()
    assert "GET /readyz" in logged and "GET /search?q=" in logged
    assert logged.count('"GET /api/v1/search?q=') == 2
    lines = log_path.read_text()
    assert "gunicorn" in lines and "Traceback" not in lines
