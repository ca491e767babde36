"""The semantic layer's vector search (``portal.search.hybrid``) never lets a record through that the
principal may not see in full: not in the hits, the counts, the facets, the suggestions, nor the order.

The canary corpus is indexed *with* meaning vectors, twice: ``full`` and ``open_only`` (as in the
rest of the suite). Queries are the canary words and paraphrases of the sensitive records' text —
what would bring those records nearest in meaning. The ``knn`` section is also sent straight to the
index holding every record, with the filter a principal's page would carry: its neighbours must all be
records that principal sees in full.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from urllib.parse import quote

import pytest

from analyzers import embedding
from indexer import rebuild
from indexer import mapping as m
from indexer.settings import Settings
from indexer.vectors import Embedder, VectorCache, passage, passages
from portal import create_app
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.auth.visibility import access_tier, scope_for
from portal.search import hybrid, queries
from portal.search.queries import SearchParams
from portal.search.queries.matching import match_query
from tests.canary import (BY_LETTER, FULL_GRANT, NAME_GRANT, NEAR_MISS_GRANTS, NON_OPEN, OPEN, canaries_of,
                          leaked, normalised)
from tests.esutil import drop_indices
from tests.integration.leak.conftest import Portal
from tests.support import TEST_OPTIONS, WITH_VECTORS

pytestmark = pytest.mark.integration

# Paraphrases of what the sensitive records say (their titles, descriptions, tags), in both languages.
PARAPHRASES = ["ทะเบียนลับ", "รายละเอียดลับ ข้อมูลผู้ป่วย", "ผู้ป่วย อำเภอปาย แม่ฮ่องสอน", "secret register",
               "patients in Pai district", "สุขภาพ", "ข้อมูลผู้ป่วย", "ทะเบียน"]
QUERIES = PARAPHRASES + [canaries_of(letter)[0] for letter in ("alpha", "charlie", "echo", "india")]


def _principal(who: str) -> Principal:
    grants = {"name": [NAME_GRANT], "full": [FULL_GRANT], "nearmiss": NEAR_MISS_GRANTS}.get(who)
    if who == "anonymous":
        return ANONYMOUS
    if who == "admin":
        return Principal(kind="admin", username="root")
    return Principal(kind="analyst", username=who, grants=tuple(
        Grant(frozenset(c), level, frozenset(orgs) if orgs else None, full)
        for c, level, orgs, full in grants))


@pytest.fixture(scope="module")
def vector_aliases(es):
    """``(full, open_only)`` with meaning vectors (an in-memory vector cache: nothing left behind)."""
    embedder = Embedder(VectorCache(None))
    aliases = [f"test_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for alias, records in zip(aliases, (OPEN + NON_OPEN, OPEN)):
        options = rebuild.Options(**TEST_OPTIONS, vectors=embedder)
        summary = rebuild.rebuild_records(es, alias, records, options)
        assert summary.counts.indexed == len(records), summary.lines()
    assert embedder.embedded == len(OPEN + NON_OPEN)  # the open-only build reused every open vector
    yield aliases
    for alias in aliases:
        drop_indices(es, alias)


@pytest.fixture(scope="module")
def portals(vector_aliases, leak_store) -> tuple[Portal, Portal]:
    path, tokens = leak_store
    made = []
    for alias in vector_aliases:
        app = create_app({
            "TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "leak-suite",
            "GDC_SETTINGS": replace(Settings.from_env(), index=alias, semantic=True),
            "GDC_AUTH_DB": str(path / "auth.sqlite3"), "GDC_AUDIT_LOG": str(path / "audit.jsonl"),
            "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0,
        })
        made.append(Portal(app, alias, tokens))
    return made[0], made[1]


def test_every_record_carries_a_vector(es, vector_aliases):
    full = vector_aliases[0]
    assert es.count(index=full, query=WITH_VECTORS)["count"] == len(OPEN + NON_OPEN)


@pytest.mark.parametrize("who", ["anonymous", "nearmiss", "name", "full", "admin"])
def test_knn_neighbours_are_only_records_seen_in_full(es, vector_aliases, who):
    """Straight at the index holding every record (not the open-only index visitors are sent to): the
    filter inside ``knn`` alone keeps every other record out, whatever the query vector."""
    principal = _principal(who)
    texts = [t for r in NON_OPEN for t in passages(r)]  # every passage of every record not open
    probes = [embedding.query(q) for q in QUERIES] + embedding.passages(texts)
    body = queries.search_body(SearchParams(q="x"), principal)
    allowed_filter = {**body, "query": match_query("", scope_for(principal))}  # every visible record
    problems, seen_any = [], set()
    for vector in probes:
        section = hybrid.knn_section(vector, hybrid.knn_filters(allowed_filter, principal), k=50)
        fields = [m.VISIBILITY, m.DATA_CATEGORY, m.CLASSIFICATION_LEVEL, m.ORGANIZATION, m.ID]
        answer = es.search(index=vector_aliases[0], knn=section, size=50, _source=fields)
        for hit in answer["hits"]["hits"]:
            seen_any.add(hit["_id"])
            if access_tier(principal, hit["_source"]) != "full":
                problems.append(f"{who}: {hit['_id']} ({access_tier(principal, hit['_source'])})")
    assert not problems, problems[:10]
    expected_full = {r["id"] for r in OPEN + NON_OPEN if access_tier(principal, _doc(r)) == "full"}
    assert seen_any == expected_full  # every record seen in full can be a neighbour; nothing else


def _doc(record: dict) -> dict:
    from indexer.documents import to_document

    return to_document(record)


@pytest.mark.parametrize("who", ["anonymous", "nearmiss"])
@pytest.mark.parametrize("q", QUERIES)
def test_hybrid_pages_are_those_of_a_catalogue_without_the_restricted_records(portals, who, q):
    """Hits, order, counts and facets with the layer on: as if the non-open records did not exist."""
    _as_without_the_restricted_records(*portals, who, q)


def _as_without_the_restricted_records(full: Portal, open_only: Portal, who: str, q: str) -> None:
    for url in (f"/api/v1/search?q={quote(q)}", f"/search?q={quote(q)}"):
        seen = full.client(who).get(url)
        reference = open_only.client("anonymous").get(url)
        assert seen.status_code == reference.status_code == 200
        assert normalised(seen) == normalised(reference), url
        assert not leaked(seen, url), url


@pytest.mark.parametrize("q", PARAPHRASES)
def test_suggestions_and_counts_ignore_the_vectors(portals, q):
    full, open_only = portals
    for url in (f"/api/v1/suggest?q={quote(q)}", f"/search/suggest?q={quote(q)}"):
        a, b = full.client("anonymous").get(url), open_only.client("anonymous").get(url)
        assert (a.status_code, a.get_data()) == (b.status_code, b.get_data()), url


def test_a_name_tier_record_is_never_a_neighbour(es, vector_aliases):
    """alpha is visible to the name-tier analyst by its title only: its vector (made from its
    description and tags too) must not rank it, even for its own text."""
    principal = _principal("name")
    alpha = BY_LETTER["alpha"]
    result = queries.search(es, vector_aliases[0], SearchParams(q=alpha["title"]), principal, semantic=True)
    assert [h["id"] for h in result.hits] == [alpha["id"]]  # found by name, through the words
    body = queries.search_body(SearchParams(q=alpha["title"]), principal)
    index = queries.index_for(vector_aliases[0], principal)
    order, _ = hybrid.ranked(es, index, body, principal, alpha["title"])
    assert order == [alpha["id"]]
    vector = embedding.passages([passage(alpha)])[0]
    section = hybrid.knn_section(vector, hybrid.knn_filters(body, principal))
    answer = es.search(index=vector_aliases[0], knn=section, size=hybrid.KNN, _source=False)
    assert alpha["id"] not in {h["_id"] for h in answer["hits"]["hits"]}


def test_the_layer_reorders_for_an_authorised_analyst(es, vector_aliases):
    """The positive side: the full-tier analyst's neighbours include the records the grant covers."""
    principal = _principal("full")
    body = queries.search_body(SearchParams(q="ทะเบียนลับ"), principal)
    index = queries.index_for(vector_aliases[0], principal)
    order, answer = hybrid.ranked(es, index, body, principal, "ทะเบียนลับ")
    covered = {BY_LETTER["charlie"]["id"], BY_LETTER["hotel"]["id"]}
    assert covered <= set(order)
    assert set(order) == {h["_id"] for h in answer["hits"]["hits"]}  # reordered, never widened


@pytest.mark.parametrize("who", ["anonymous", "nearmiss"])
def test_the_related_part_is_that_of_a_catalogue_without_the_restricted_records(portals, monkeypatch, who):
    """With no floor at all, every record no word finds is "related": the part (records, order, its
    count), on the page and in the API, must still be exactly the open-only catalogue's."""
    monkeypatch.setattr(hybrid, "RELATED_FLOOR", -1.0)
    full, open_only = portals
    shown = 0
    for q in QUERIES:
        _as_without_the_restricted_records(full, open_only, who, q)
        shown += len(open_only.client("anonymous").get(f"/api/v1/search?q={quote(q)}").get_json()["related"])
    assert shown  # the part did list records: the comparison above is not of two empty lists


@pytest.mark.parametrize("who", ["name", "full", "admin"])
def test_related_records_are_only_records_seen_in_full(es, vector_aliases, monkeypatch, who):
    """Straight at the index holding every record, with no floor: a related record is one the principal
    sees in full and no word finds; a name-tier record (alpha for the name-tier analyst) never is."""
    monkeypatch.setattr(hybrid, "RELATED_FLOOR", -1.0)
    principal = _principal(who)
    seen_any = set()
    for q in QUERIES + [r["title"] for r in NON_OPEN]:
        result = queries.search(es, vector_aliases[0], SearchParams(q=q), principal, semantic=True)
        words = {h["id"] for h in result.hits + result.partial}
        for hit in result.related:
            assert hit["tier"] == "full" and hit["id"] not in words, (who, q, hit["id"])
            seen_any.add(hit["id"])
    full_ids = {r["id"] for r in OPEN + NON_OPEN if access_tier(principal, _doc(r)) == "full"}
    assert seen_any and seen_any <= full_ids
    if who == "name":
        assert BY_LETTER["alpha"]["id"] not in seen_any
    if who == "full":  # the positive side: a record the grant covers can be related
        assert seen_any & {BY_LETTER["charlie"]["id"], BY_LETTER["hotel"]["id"]}
