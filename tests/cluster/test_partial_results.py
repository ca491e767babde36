"""Partial results are never shown as complete: a shard that cannot answer fails the request.

The alias points at the real corpus index and at one more index whose only shard can never be
allocated (``routing.allocation.require._name`` names no node), so Elasticsearch answers every
search with ``_shards.failed: 1`` and whatever the other shard found — the same answer it gives
when a node holding a shard without a replica is lost. The red index would turn a shared node's
health red, so this runs on the tier's own single node.
"""
from __future__ import annotations

import uuid

import pytest

from indexer import mapping
from indexer.settings import Settings
from portal import create_app
from portal.es import PartialResults, client as portal_client
from tests.integration.api_corpus import OPEN_IDS, corpus
from tests.support import load_records

pytestmark = pytest.mark.cluster

# Not "/": the home page may be answered from its short cache (by design); its searches are checked below.
PATHS = ["/search?q=โควิด", "/search", "/dataset/covid-daily", "/organization", "/api/v1/search",
         "/api/v1/search?q=budget", "/api/v1/datasets/covid-daily", "/api/v1/organizations",
         "/api/v1/suggest?q=งบ", "/api/3/action/package_search?q=โควิด", "/api/3/action/package_list",
         "/sitemap.xml", "/catalog.ttl", "/widget?q=งบ"]


@pytest.fixture
def es(single_es):
    return single_es


@pytest.fixture
def corpus_alias(es):
    alias = f"test_partial_{uuid.uuid4().hex[:8]}"
    load_records(es, alias, corpus())
    yield alias
    for index in es.indices.get_alias(name=alias):
        es.options(ignore_status=404).indices.delete(index=index)


@pytest.fixture
def app(corpus_alias, es, single, tmp_path):
    tmp = tmp_path
    unassigned = f"{corpus_alias}-unassigned"
    es.indices.create(index=unassigned, wait_for_active_shards="0", settings={"number_of_shards": 1, "number_of_replicas": 0,
                                                  "index.routing.allocation.require._name": "no-such-node"})
    app = create_app({"TESTING": True, "GDC_INDEX": corpus_alias, "SECRET_KEY": "test",
                      "GDC_SETTINGS": Settings.from_env({"GDC_ES_URL": single.url, "GDC_INDEX": corpus_alias}),
                      "GDC_AUTH_DB": str(tmp / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp / "audit.jsonl"),
                      "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
    app.unassigned = unassigned
    yield app
    es.options(ignore_status=404).indices.delete(index=unassigned)


def _attach(es, alias, index, attached):
    """Behind the catalogue alias and its open twin: visitors read the open one only."""
    action = "add" if attached else "remove"
    es.indices.update_aliases(actions=[{action: {"index": index, "alias": name}}
                                       for name in (alias, mapping.open_alias(alias))])


def test_every_page_and_api_answers_completely_while_all_shards_answer(app, es, corpus_alias):
    client = app.test_client()
    for path in PATHS:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/search").get_json()["total"] == len(OPEN_IDS)


def test_a_missing_shard_fails_the_request_instead_of_showing_part(app, es, corpus_alias):
    _attach(es, corpus_alias, app.unassigned, True)
    try:
        raw = es.search(index=corpus_alias, size=0)
        assert raw["_shards"]["failed"] == 1, "the setup must really produce partial results"
        client = app.test_client()
        for path in PATHS:
            response = client.get(path)
            body = response.get_data(as_text=True)
            assert response.status_code == 503, f"{path} answered {response.status_code} with partial results"
            assert "no_shard_available" not in body and "Traceback" not in body and "unassigned" not in body
        problem = client.get("/api/v1/search").get_json()
        assert problem["status"] == 503 and problem["title"] == "Search is temporarily unavailable"
        ckan = client.get("/api/3/action/package_search").get_json()
        assert ckan["success"] is False and ckan["error"]["__type"] == "Search Error"
        with app.app_context(), pytest.raises(PartialResults, match=r"1 of \d+ shards failed"):
            portal_client().count(index=corpus_alias)
    finally:
        _attach(es, corpus_alias, app.unassigned, False)
    assert app.test_client().get("/api/v1/search").status_code == 200
