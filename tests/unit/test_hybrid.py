"""The semantic layer's query side: fusion, the kNN section and its filter, when it applies."""
from __future__ import annotations

import pytest

from analyzers.query import understand
from indexer import mapping as m
from indexer.settings import Settings
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.auth.visibility import scope_for
from portal.search import hybrid, queries
from portal.search.queries import SearchParams

NAME_ONLY = Principal(kind="analyst", username="n",
                      grants=(Grant(categories=frozenset({"internal"}), max_level=2, full=False),))


def test_rrf_rewards_agreement_and_keeps_every_id():
    assert hybrid.fuse(["a", "b", "c"], ["c", "d"], near_weight=1.0) == ["c", "a", "b", "d"]
    assert hybrid.fuse(["a"], []) == ["a"]
    assert hybrid.fuse([], []) == []


def test_rrf_ties_keep_the_order_first_met():
    assert hybrid.fuse(["a", "b"], ["b", "a"], near_weight=1.0) == ["a", "b"]


def test_a_lighter_neighbour_weight_lets_the_word_ranking_lead():
    assert hybrid.fuse(["a", "b"], ["b"], near_weight=1.0) == ["b", "a"]
    assert hybrid.fuse(["a", "b"], ["b"], near_weight=0.01) == ["a", "b"]


def test_the_knn_filter_is_the_page_query_and_selection_and_full_visibility():
    params = SearchParams(q="ไฟฟ้า", filters={"tags": ["พลังงาน"]})
    body = queries.search_body(params, NAME_ONLY)
    filters = hybrid.knn_filters(body, NAME_ONLY)
    assert filters[0] == body["query"]  # every word, the visibility scope
    assert filters[1] == scope_for(NAME_ONLY).full  # never a record seen by name only
    assert filters[2] == body["post_filter"]
    section = hybrid.knn_section([0.0] * 384, filters)
    assert section["field"] == m.VECTOR == "passages.embedding"
    assert section["filter"] == {"bool": {"filter": filters}}
    assert section["k"] == hybrid.KNN <= section["num_candidates"]


@pytest.mark.parametrize("sort, q, size, fusable", [
    ("relevance", "ไฟฟ้า", 20, True),
    ("relevance", "electricity tariff", 20, True),
    ("modified", "ไฟฟ้า", 20, False),  # an order by date says nothing about meaning
    ("relevance", "  ", 20, False),
    ("relevance", "ไฟฟ้า", 0, False),  # counts only
    ("relevance", "ท่องเทียว", 20, False),  # misspelt: the word side's correction leads
    ("relevance", "budjet", 20, False),
])
def test_only_relevance_pages_of_a_query_spelt_right_are_fused(sort, q, size, fusable):
    body = queries.search_body(SearchParams(q=q, sort=sort, size=size), ANONYMOUS)
    assert hybrid.fusable(body, understand(q) if q.strip() else None) is fusable


def test_off_the_layer_sends_exactly_the_word_query():
    class ES:
        def search(self, **kw):
            self.kw = kw
            return {"hits": {"total": {"value": 0}, "hits": []}}

    es = ES()
    body = queries.search_body(SearchParams(q="ไฟฟ้า"), ANONYMOUS)
    hybrid.search(es, "idx", body, ANONYMOUS, understand("ไฟฟ้า"), semantic=False)
    assert es.kw == {"index": "idx", **body}


def test_gdc_semantic_is_off_unless_set_to_1():
    assert Settings.from_env({}).semantic is False
    assert Settings.from_env({"GDC_SEMANTIC": "1"}).semantic is True
    assert Settings.from_env({"GDC_SEMANTIC": "0"}).semantic is False


def test_the_related_part_is_chosen_inside_knn_among_records_seen_in_full_that_no_word_finds():
    scope = scope_for(NAME_ONLY)
    selection = [{"terms": {"tags": ["พลังงาน"]}}]
    words = [{"match": {"x": "all"}}, {"match": {"x": "some"}}]
    section = hybrid.related_section([0.0] * 384, scope.full, selection, words)
    assert section["filter"] == {"bool": {"filter": [scope.full, *selection], "must_not": words}}
    assert section["similarity"] == hybrid.RELATED_FLOOR  # the cosine floor, applied by the node
    assert section["k"] == hybrid.RELATED <= section["num_candidates"]


@pytest.mark.parametrize("sort, q, relatable", [
    ("relevance", "mosque", True), ("relevance", "ไฟฟ้า", True), ("modified", "mosque", False),
    ("relevance", "ท่องเทียว", False),  # misspelt: the model reads another word
    ("relevance", "budjet", False),
])
def test_only_relevance_pages_of_a_query_spelt_right_get_related_records(sort, q, relatable):
    assert hybrid.relatable(understand(q), sort) is relatable
    assert hybrid.relatable(None, "relevance") is False


def test_off_the_layer_a_search_has_no_related_part_and_asks_nothing_more():
    class ES:
        calls: list[dict] = []

        def search(self, **kw):
            ES.calls.append(kw)
            return {"hits": {"total": {"value": 0}, "hits": []}}

    result = queries.search(ES(), "idx", SearchParams(q="mosque"), ANONYMOUS, semantic=False)
    assert result.related == [] and ES.calls and not any("knn" in kw for kw in ES.calls)
