"""The cluster tier: nodes of its own, started here and stopped here (never the shared node).

A three-node cluster on 9230–9232 (transport 9330–9332) and one more single node on 9234 that
shares the cluster's snapshot directory, both under ``var/test-*``. ``test_secure_node.py`` starts one
more node of its own, with security (``gdc-es start --secure``), on free ports. Run with
``pytest -m cluster tests/cluster`` (``make test`` runs this tier as its second stage).
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import threading

import pytest

from indexer import localnode
from indexer.client import make_client
from indexer.settings import PROJECT_ROOT, Settings

CLUSTER_PORT = 9230
SINGLE_PORT = 9234
NODES = 3


@pytest.fixture(scope="session")
def nodes():
    """Start the cluster and the single node side by side; stop both at the end of the session."""
    root = PROJECT_ROOT / "var" / f"test-cluster-{os.getpid()}"
    cluster = localnode.default_paths(port=CLUSTER_PORT, var=root / "cluster")
    single = dataclasses.replace(localnode.default_paths(port=SINGLE_PORT, var=root / "single"),
                                 repo=cluster.var / "snapshots")
    errors: list[str] = []

    def start(paths, count):
        try:
            localnode.start(paths, nodes=count)
        except localnode.NodeError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=start, args=(cluster, NODES)), threading.Thread(target=start, args=(single, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        if errors:
            pytest.fail("could not start the test nodes: " + "\n".join(errors))
        yield {"cluster": cluster, "single": single}
    finally:
        localnode.stop(cluster)
        localnode.stop(single)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def members(nodes) -> list[localnode.NodePaths]:
    return localnode.cluster_paths(nodes["cluster"], NODES)


@pytest.fixture(scope="session")
def cluster_url(members) -> str:
    return ",".join(member.url for member in members)


@pytest.fixture(scope="session")
def cluster_es(cluster_url):
    return make_client(Settings.from_env({"GDC_ES_URL": cluster_url}))


@pytest.fixture(scope="session")
def single(nodes) -> localnode.NodePaths:
    return nodes["single"]


@pytest.fixture
def single_es(single):
    """A client for the single node, which a test may have stopped: started again if needed."""
    if not localnode.health(single):
        localnode.start(single)
    return make_client(Settings.from_env({"GDC_ES_URL": single.url}))
