"""A real node stopped under a running portal, then started again: 503s, then recovery without restart."""
from __future__ import annotations

import time

import pytest

from indexer import localnode
from indexer.settings import PROJECT_ROOT
from tests.integration.api_corpus import OPEN_IDS, corpus
from tests.servers import PortalProcess, fetch
from tests.support import load_records

pytestmark = pytest.mark.cluster

TIMEOUT_S = 2.0
SLACK_S = 1.5
# Not "/": the home page may be answered from its short cache while the node is down (by design).
PATHS = ["/search?q=budget", "/dataset/covid-daily", "/api/v1/search", "/api/v1/datasets/covid-daily",
         "/api/3/action/package_search"]


def test_stopped_node_gives_503_and_the_portal_recovers_by_itself(single, single_es, tmp_path, capsys):
    alias = "test_restart"
    load_records(single_es, alias, corpus())
    env = {"GDC_ES_URL": single.url, "GDC_INDEX": alias, "GDC_ES_TIMEOUT": str(TIMEOUT_S)}
    with PortalProcess(None, env, tmp_path) as portal:
        for path in PATHS + ["/readyz"]:
            assert fetch(portal.url + path).status == 200, path

        localnode.stop(single)
        for path in PATHS + ["/readyz"]:
            answer = fetch(portal.url + path, timeout=30)
            assert answer.status == 503 and answer.seconds <= TIMEOUT_S + SLACK_S, (path, answer)
            assert "Traceback" not in answer.body and str(single.port) not in answer.body, path
        assert fetch(portal.url + "/api/v1/search").content_type.startswith("application/problem+json")
        assert fetch(portal.url + "/healthz").status == 200

        localnode.start(single)
        started = time.monotonic()
        while fetch(portal.url + "/api/v1/search").status != 200:
            assert time.monotonic() - started < 60, "the portal did not recover within 60 s of the node's start"
            time.sleep(0.1)
        recovered = time.monotonic() - started
        assert fetch(portal.url + "/readyz").status == 200
        body = fetch(portal.url + "/api/v1/search").body
        assert f'"total":{len(OPEN_IDS)}' in body.replace(" ", "")
        for path in PATHS:
            assert fetch(portal.url + path).status == 200, path
    figures = f"single node stopped and started under a running portal: recovered {recovered:.2f} s after the node was healthy"
    with (PROJECT_ROOT / "var" / "cluster-figures.txt").open("a") as out:
        out.write(figures + "\n")
    with capsys.disabled():
        print("\n" + figures)
