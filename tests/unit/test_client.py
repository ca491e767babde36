"""The one client constructor: the indexer's bulk profile and the portal's request profile."""
from __future__ import annotations

import socket
import threading
import time

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elasticsearch import ConnectionTimeout

from indexer.client import BULK, REQUEST, make_client
from indexer.settings import Settings


def test_gdc_es_timeout_is_read_from_the_environment():
    assert Settings.from_env({}).es_timeout == 5.0
    assert Settings.from_env({"GDC_ES_TIMEOUT": "1.5"}).es_timeout == 1.5


@pytest.mark.parametrize("raw", ["0", "-1", "soon", "inf", "nan"])
def test_a_bad_gdc_es_timeout_is_refused_by_name(raw):
    with pytest.raises(ValueError, match="GDC_ES_TIMEOUT"):
        Settings.from_env({"GDC_ES_TIMEOUT": raw})


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="profile"):
        make_client(Settings(), profile="fast")
    assert {BULK, REQUEST} == {"bulk", "request"}


@pytest.fixture
def silent_node():
    """A socket that accepts connections and never answers (a hung node); counts connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_request_profile_gives_up_on_a_hung_node_after_one_timeout(silent_node):
    port, accepted = silent_node
    es = make_client(Settings(es_url=f"http://127.0.0.1:{port}", es_timeout=0.5), profile=REQUEST)
    started = time.monotonic()
    with pytest.raises(ConnectionTimeout):
        es.search(index="anything", size=0)
    elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 5.0, elapsed  # GDC_ES_TIMEOUT, not the bulk profile's 30 s
    assert len(accepted) == 1  # a timed-out request is not sent again


def test_request_profile_retries_a_refused_connection_once(monkeypatch):
    es = make_client(Settings(es_url="http://127.0.0.1:9", es_timeout=1), profile=REQUEST)
    node = next(iter(es.transport.node_pool.all()))
    calls = []
    original = node.perform_request

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(node, "perform_request", counting)
    with pytest.raises(Exception):
        es.search(index="anything", size=0)
    assert len(calls) == 2  # the first attempt and exactly one retry


def test_bulk_profile_rides_out_a_hung_node_with_retries(silent_node):
    """The indexer's profile (the default) retries a timed-out request three times."""
    port, accepted = silent_node
    es = make_client(Settings(es_url=f"http://127.0.0.1:{port}"), request_timeout=0.2, retry_backoff_cap=0)
    with pytest.raises(ConnectionTimeout):
        es.search(index="anything", size=0)
    assert len(accepted) == 4  # the first attempt and three retries


def test_overrides_win_over_the_profile(silent_node):
    port, accepted = silent_node
    es = make_client(Settings(es_url=f"http://127.0.0.1:{port}", es_timeout=0.2), profile=REQUEST,
                     retry_on_timeout=True, max_retries=2, retry_backoff_cap=0)
    with pytest.raises(ConnectionTimeout):
        es.search(index="anything", size=0)
    assert len(accepted) == 3


def test_web_requests_use_the_request_profile(silent_node, tmp_path):
    """The portal's pages and probes answer a clean 503 within GDC_ES_TIMEOUT when the node hangs."""
    from portal import create_app

    port, accepted = silent_node
    settings = Settings(es_url=f"http://127.0.0.1:{port}", es_timeout=0.5, var_dir=tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "GDC_SETTINGS": settings,
                      "GDC_INDEX": "test_hung", "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"),
                      "GDC_AUDIT_LOG": str(tmp_path / "audit.jsonl")})
    client = app.test_client()
    for path in ("/readyz", "/api/v1/search?q=x"):
        started = time.monotonic()
        response = client.get(path)
        assert response.status_code == 503, path
        # 0.5 s timeout plus the portal's own work on a busy shared machine; the bulk profile would take 30 s+
        assert time.monotonic() - started < 10.0, path
    # At most one attempt per request, no retry after a timeout; a request soon after a failure fails
    # fast without connecting (portal.es.GuardedTransport), so the second may not connect at all.
    assert 1 <= len(accepted) <= 2


class _SlowSearchNode(ThreadingHTTPServer):
    """A node that answers every search at once, except those on the index ``slow`` (after 3 s)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SlowSearchHandler)


class _SlowSearchHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/slow/"):
            time.sleep(3.0)
        body = b'{"took":1,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},' \
               b'"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (its timeout)
            pass


@pytest.fixture
def slow_search_node():
    server = _SlowSearchNode()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _portal_client(url: str):
    from portal.es import GuardedTransport

    return make_client(Settings(es_url=url, es_timeout=0.5), profile=REQUEST, transport_class=GuardedTransport)


def test_a_slow_search_on_a_live_node_fails_alone(slow_search_node):
    """One search past GDC_ES_TIMEOUT while the node answers the others: that search fails (503), and
    the searches after it are sent, not failed fast as if the node were gone."""
    es = _portal_client(slow_search_node)
    outcome = {}

    def slow() -> None:
        try:
            es.search(index="slow")
        except ConnectionTimeout as exc:
            outcome["slow"] = exc

    thread = threading.Thread(target=slow)
    thread.start()
    deadline = time.monotonic() + 5
    while thread.is_alive() and time.monotonic() < deadline:
        es.search(index="fast")  # answered while the slow one waits
        time.sleep(0.05)
    thread.join()
    assert isinstance(outcome.get("slow"), ConnectionTimeout)
    for _ in range(3):
        assert es.search(index="fast")["hits"]["total"]["value"] == 0


def test_a_timeout_with_no_answer_at_all_fails_the_next_requests_fast(silent_node):
    from elasticsearch import ConnectionError as ESConnectionError

    port, accepted = silent_node
    es = _portal_client(f"http://127.0.0.1:{port}")
    with pytest.raises(ConnectionTimeout):
        es.search(index="anything")
    started = time.monotonic()
    with pytest.raises(ESConnectionError):
        es.search(index="anything")
    assert time.monotonic() - started < 0.4 and len(accepted) == 1  # failed fast, not sent
