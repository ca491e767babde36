"""Engine faults against the real portal process: a node that refuses, a node that hangs.

The portal runs as its own server process — ``make run``'s waitress (8 threads) and ``make serve``'s
gunicorn (1 worker × 8 threads) — with ``GDC_ES_TIMEOUT=2``. A hanging node is a socket that accepts and never replies. Every page and API
must answer a clean 503 within the timeout (plus scheduling slack on a busy 2-core machine), with no
stack trace or backend detail; static assets and ``/healthz`` keep answering; a burst of concurrent
requests larger than the server's thread pool never leaves a thread stuck beyond the timeout.
A stopped node that comes back is tested in ``tests/cluster/test_node_restart.py``.
"""
from __future__ import annotations

import concurrent.futures
import time

import pytest

from portal.es import GuardedTransport
from tests.servers import HangingSocket, PortalProcess, fetch, free_port

pytestmark = pytest.mark.integration

TIMEOUT_S = 2.0
SLACK_S = 1.5  # process scheduling on a loaded 2-core machine

PAGES = ["/", "/search?q=โควิด", "/search", "/dataset/covid-daily", "/organization", "/organization/ddc",
         "/widget?q=x"]
APIS = ["/sitemap.xml", "/catalog.ttl", "/api/v1/search?q=x", "/api/v1/datasets/x", "/api/v1/organizations", "/api/v1/suggest?q=ab",
        "/search/suggest?q=ab", "/api/3/action/package_search?q=x", "/api/3/action/package_show?id=x"]
# Backend detail a visitor must never see: the node's address, client and exception names, traces.
LEAKS = ("Traceback", "urllib3", "elastic_transport", "ConnectionTimeout", "ConnectionError", "Read timed out",
         "File \"")


def _assert_clean_503(answer, path, node_url: str):
    assert answer.status == 503, f"{path}: {answer.status}"
    for leak in (*LEAKS, node_url.rsplit(":", 1)[-1]):
        assert leak not in answer.body, f"{path} shows {leak!r}"


def _assert_unavailable(base: str, node_url: str, limit: float) -> None:
    for path in PAGES + APIS + ["/readyz"]:
        answer = fetch(base + path, timeout=30)
        _assert_clean_503(answer, path, node_url)
        assert answer.seconds <= limit, f"{path} took {answer.seconds:.1f} s"
        if path.startswith("/api/v1"):
            assert answer.content_type.startswith("application/problem+json"), path
        if path in PAGES:
            assert answer.content_type.startswith("text/html"), f"{path}: {answer.content_type}"
            assert "ระบบค้นหาไม่พร้อมให้บริการชั่วคราว" in answer.body, path
    problem = fetch(base + "/api/v1/search", headers={"Accept-Language": "en"})
    assert problem.status == 503 and '"status":503' in problem.body.replace(" ", "")


def _warm_up(portal) -> None:
    """The first search of a process loads the Thai dictionaries and glossary (seconds on a busy
    machine): done before anything is timed, so the times below are the portal's, not a cold start's."""
    for path in ("/search?q=โควิด", "/api/v1/search?q=budget"):
        assert fetch(portal.url + path, timeout=60).status == 503
    time.sleep(GuardedTransport.FAIL_FAST_S + 0.2)  # the next request probes the node again


@pytest.fixture(params=["waitress", "gunicorn"])
def server(request):
    return request.param


@pytest.fixture
def var_dir(tmp_path):
    return tmp_path


def test_stopped_node_is_a_fast_clean_503_everywhere(var_dir, server):
    stopped_node = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with PortalProcess(None, {"GDC_ES_URL": stopped_node, "GDC_ES_TIMEOUT": str(TIMEOUT_S)}, var_dir, server) as portal:
        _warm_up(portal)
        _assert_unavailable(portal.url, stopped_node, limit=1.0)
        assert fetch(portal.url + "/healthz").status == 200


def test_hanging_node_is_a_clean_503_within_the_timeout(var_dir, server):
    with HangingSocket() as node, \
            PortalProcess(None, {"GDC_ES_URL": node.url, "GDC_ES_TIMEOUT": str(TIMEOUT_S)}, var_dir, server) as portal:
        _warm_up(portal)
        first = fetch(portal.url + "/search?q=x", timeout=60)
        _assert_clean_503(first, "/search?q=x", node.url)
        assert TIMEOUT_S - 0.2 <= first.seconds <= TIMEOUT_S + SLACK_S, f"first request took {first.seconds:.1f} s"
        assert node.connections >= 1, "the portal never reached the hanging node"
        _assert_unavailable(portal.url, node.url, limit=TIMEOUT_S + SLACK_S)
        for path in ("/healthz", "/static/css/portal.css", "/static/js/portal.js"):
            answer = fetch(portal.url + path, timeout=5)
            assert answer.status == 200 and answer.seconds < 1.0, f"{path}: {answer.status} in {answer.seconds:.1f} s"


def test_hang_never_exhausts_the_server_threads(var_dir, server):
    """Three bursts of 32 concurrent requests (4× the 8 threads) during a hang: each request
    ends within twice the timeout, /healthz and static files answer during every burst, and the
    portal fails fast instead of tying up threads (one probe per process waits out the timeout)."""
    burst = 32
    with HangingSocket() as node, \
            PortalProcess(None, {"GDC_ES_URL": node.url, "GDC_ES_TIMEOUT": str(TIMEOUT_S)}, var_dir, server) as portal, \
            concurrent.futures.ThreadPoolExecutor(max_workers=burst + 4) as pool:
        _warm_up(portal)
        for round_ in range(3):
            started = time.monotonic()
            paths = [(PAGES + APIS)[i % len(PAGES + APIS)] for i in range(burst)]
            searches = [pool.submit(fetch, portal.url + path, 60) for path in paths]
            time.sleep(0.3)
            health = pool.submit(fetch, portal.url + "/healthz", 60)
            static = pool.submit(fetch, portal.url + "/static/css/portal.css", 60)
            answers = [future.result() for future in searches]
            wall = time.monotonic() - started
            for path, answer in zip(paths, answers):
                _assert_clean_503(answer, path, node.url)
                assert answer.seconds <= 2 * TIMEOUT_S + SLACK_S, f"round {round_}: {path} took {answer.seconds:.1f} s"
            assert health.result().status == 200 and static.result().status == 200
            # Whatever the burst, healthz waits at most for one timeout, never for the whole queue.
            assert health.result().seconds <= TIMEOUT_S + SLACK_S, f"round {round_}: /healthz {health.result().seconds:.1f} s"
            # The burst fails fast: at most the probe of each process waits out one timeout.
            assert wall < TIMEOUT_S + SLACK_S, f"{server} round {round_}: burst took {wall:.1f} s"
        assert fetch(portal.url + "/healthz", timeout=5).seconds < 1.0
