"""Facet counts on a real node equal independent count queries, for every facet and many combinations;
sensitive records change no count an anonymous visitor can see."""
from __future__ import annotations

import itertools

import pytest

from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search import queries
from portal.search.facets import BY_NAME, FACETS
from portal.search.queries import SearchParams
from tests.integration import search_corpus as corpus

pytestmark = pytest.mark.integration

OPEN = [{"term": {"visibility": "open"}}, {"term": {"data_category": "public"}}]
ANALYST = Principal(kind="analyst", username="an",
                    grants=(Grant(categories=frozenset({"internal"}), max_level=2),))


@pytest.fixture(scope="module")
def alias(es):
    name = corpus.load(es, corpus.open_records() + corpus.sensitive_records())
    yield name
    corpus.drop(es, name)


@pytest.fixture(scope="module")
def open_only_alias(es):
    name = corpus.load(es, corpus.open_records())
    yield name
    corpus.drop(es, name)


def _matching_ids(es, alias, q):
    """Ids the words match (all visible to anonymous), to keep the counts below independent of scoring."""
    result = queries.search(es, alias, SearchParams(q=q, size=100, facets=()), ANONYMOUS)
    assert result.total == len(result.hits)
    return [h["id"] for h in result.hits]


def _independent_count(es, alias, base: list[dict], filters: dict[str, list[str]],
                       extra: dict | None = None) -> int:
    clauses = list(base) + [{"terms": {BY_NAME[n].field: v}} for n, v in filters.items()]
    if extra:
        clauses.append(extra)
    return es.count(index=alias, query={"bool": {"filter": clauses}})["count"]


SELECTIONS = [
    {},
    {"organization": ["moe", "bma"]},
    {"organization": ["moe", "bma"], "res_format": ["CSV"]},
    {"tags": ["การศึกษา", "น้ำฝน"], "geo_coverage": ["06"]},
    {"update_frequency_unit": ["M"], "data_type": ["3"], "license_id": ["odc"]},
    {"data_category": ["public"], "data_format": ["csv", "json"], "tags": ["สุขภาพ"]},
    {"organization": ["tmd"], "update_frequency_unit": ["A", "D"], "res_format": ["JSON", "PDF"],
     "geo_coverage": ["04", "07"]},
]


@pytest.mark.parametrize("q", ["", "โรงเรียน"])
@pytest.mark.parametrize("selection", SELECTIONS, ids=lambda s: "+".join(s) or "none")
def test_counts_equal_independent_count_queries(es, alias, q, selection):
    base = list(OPEN)
    if q:
        base.append({"ids": {"values": _matching_ids(es, alias, q)}})
    result = queries.search(es, alias, SearchParams(q=q, filters=selection, size=100), ANONYMOUS)
    assert result.total == _independent_count(es, alias, base, selection)
    assert len(result.hits) == result.total
    for facet in FACETS:
        others = {n: v for n, v in selection.items() if n != facet.name}
        values = dict(result.facets[facet.name])
        for value, n in values.items():
            expected = _independent_count(es, alias, base, others, {"term": {facet.field: value}})
            assert n == expected, (facet.name, value)
        # and nothing is missing: every value present under the other selections is listed
        agg = es.search(index=alias, size=0, query={"bool": {"filter": base + [
            {"terms": {BY_NAME[n].field: v}} for n, v in others.items()]}},
            aggs={"all": {"terms": {"field": facet.field, "size": 1000}}})
        present = {b["key"] for b in agg["aggregations"]["all"]["buckets"]}
        assert present <= set(values), facet.name


def test_or_within_a_facet_and_across_facets_and(es, alias):
    one = queries.search(es, alias, SearchParams(filters={"organization": ["moe"]}), ANONYMOUS).total
    two = queries.search(es, alias, SearchParams(filters={"organization": ["moe", "bma"]}), ANONYMOUS).total
    both_params = SearchParams(filters={"organization": ["moe", "bma"], "res_format": ["CSV"]})
    both = queries.search(es, alias, both_params, ANONYMOUS).total
    assert one < two and both <= two


@pytest.mark.parametrize("q", ["", "โรงเรียน", "การศึกษา", corpus.CANARY])
@pytest.mark.parametrize("selection", SELECTIONS[:4], ids=lambda s: "+".join(s) or "none")
def test_anonymous_counts_are_identical_without_the_sensitive_records(es, alias, open_only_alias, q,
                                                                      selection):
    with_sensitive = queries.search(es, alias, SearchParams(q=q, filters=selection), ANONYMOUS)
    without = queries.search(es, open_only_alias, SearchParams(q=q, filters=selection), ANONYMOUS)
    assert with_sensitive.total == without.total
    assert with_sensitive.facets == without.facets
    assert [h["id"] for h in with_sensitive.hits] == [h["id"] for h in without.hits]


def test_name_tier_counts_names_but_never_full_tier_fields(es, alias, open_only_alias):
    analyst = queries.search(es, alias, SearchParams(q=corpus.CANARY), ANALYST)
    assert analyst.total == 6 and all(h["tier"] == "name" for h in analyst.hits)
    assert dict(analyst.facets["data_category"]) == {"internal": 6}
    assert analyst.facets["tags"] == [] and analyst.facets["res_format"] == []
    everything = queries.search(es, alias, SearchParams(), ANALYST)
    anonymous = queries.search(es, open_only_alias, SearchParams(), ANONYMOUS)
    for facet in FACETS:
        if not facet.name_tier:
            assert everything.facets[facet.name] == anonymous.facets[facet.name], facet.name
    # a full-tier filter never selects name-only records
    by_tag = queries.search(es, alias, SearchParams(filters={"tags": [f"แท็ก{corpus.CANARY}"]}), ANALYST)
    assert by_tag.total == 0
    # the description does not match a name-only record
    assert queries.search(es, alias, SearchParams(q=corpus.NOTES_CANARY), ANALYST).total == 0
    admin = Principal(kind="admin", username="root")
    assert queries.search(es, alias, SearchParams(q=corpus.NOTES_CANARY), admin).total == 6


def test_count_matches_search_totals(es, alias):
    for q, selection in itertools.product(["", "โรงเรียน"], SELECTIONS):
        params = SearchParams(q=q, filters=selection)
        total = queries.search(es, alias, params, ANONYMOUS).total
        assert queries.count(es, alias, ANONYMOUS, params) == total
