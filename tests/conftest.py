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
