"""Shared fixtures. Integration and browser tiers need a real node: a missing one fails, never skips."""
from __future__ import annotations

import uuid

import pytest

from indexer.client import make_client
from indexer.settings import Settings
from tests.esutil import drop_indices


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
def es(settings):
    client = make_client(settings)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="30s")
    except Exception as exc:  # noqa: BLE001 - report any reason the node is unusable
        pytest.fail(f"Elasticsearch at {settings.es_url} is not reachable: {exc}")
    return client


@pytest.fixture
def test_alias(es):
    """A unique ``test_``-prefixed alias; every index behind it is deleted afterwards."""
    alias = f"test_{uuid.uuid4().hex[:10]}"
    yield alias
    drop_indices(es, alias)



def pytest_collection_modifyitems(config, items):
    """pytest-xdist schedules tests by node id and silently runs one of several tests that share one
    (schemathesis gives all the cases of its operation-parametrized test the same id): under xdist, such a
    test fails and says so instead (the Makefile runs those modules without workers: SINGLE_PROCESS_TESTS)."""
    if not hasattr(config, "workerinput"):
        return
    seen: set[str] = set()
    shared = {item.nodeid for item in items if item.nodeid in seen or seen.add(item.nodeid)}
    for item in items:
        if item.nodeid in shared:
            message = f"{item.nodeid} shares its node id with other tests: pytest-xdist would run only one of them"
            item.runtest = lambda message=message: pytest.fail(message, pytrace=False)
