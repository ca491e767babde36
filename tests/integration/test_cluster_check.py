"""The start-up check against the real node: reachable is said as reachable, whatever the distribution.

The local node (Maven Central's integ-test distribution) has no ``GET /`` (the rest-root module is not
in it: 405), which the check used to print as "answered 405" although every search worked.
"""
from __future__ import annotations

import pytest

from indexer.client import REQUEST, check_cluster, make_client

pytestmark = pytest.mark.integration


def test_a_healthy_node_is_reported_reachable(settings, es):
    line = check_cluster(make_client(settings, profile=REQUEST), settings)
    assert not line.startswith("warning"), line
    assert line.startswith("Elasticsearch") and settings.es_url in line, line
