"""Hybrid retrieval: the word ranking fused with the records nearest in meaning (the semantic layer).

With ``GDC_SEMANTIC`` on, a relevance-ordered search page is answered in two parts: the word query's
best ``WINDOW`` records (ids, count and facets: its own answer), and the ``KNN`` records nearest to
the query's vector (``analyzers.embedding.query``), a record as near as its nearest passage. The
two rankings are fused by reciprocal rank fusion in Python (Elasticsearch's RRF retriever is not in
the free licence), and the page's records are then read in that order.

The vector search can only reorder, never widen: its ``filter`` (applied *inside* ``knn``, so the
neighbours are chosen among the allowed records, not cut afterwards) is the page's own query — the
visibility scope, every word of the query, the selected facet values — plus ``scope.full``: records
seen by name only are never ranked by a vector made from fields their tier hides. The count, the
facets, the suggestions and every other request are the word query's, untouched.

Pages past the fused window follow the word ranking, leaving out the records already shown.

Apart from the word matches, the last page of a search lists up to ``RELATED`` records **related by
meaning** (``related``): records no word of the query finds — neither every word nor some — whose
vector is within ``RELATED_FLOOR`` (cosine) of the query's, chosen by the same kind of ``knn`` search
with the filter inside it (records seen in full, the selected facet values, not the word matches). They
are shown and counted apart: the headline count, the facets and the pages are the word matches'.
"""
from __future__ import annotations

import logging

from elasticsearch import Elasticsearch
from flask import current_app, has_app_context

from analyzers import embedding
from analyzers.query import QueryPlan
from indexer import mapping as m
from portal.auth.principal import Principal
from portal.auth.visibility import scope_for
from portal.search.relevance import is_asked_for

log = logging.getLogger(__name__)

RRF_K = 60  # the constant of Cormack et al. (2009); not tuned
# Chosen on the dev split only (bench/fusion_dev.py; docs/relevance.md): the neighbours count a quarter
# as much as the word ranking, 40 of them; weight 1 with 20 (the offline trial's) lost 0.014 nDCG on dev.
KNN = 40
NEAR_WEIGHT = 0.25
# Which queries are fused (bench/fusion_dev.py tries each): "all", "no correction" (not a query the word
# side corrected: a misspelling, or an English word no list knows), "no Thai correction".
FUSED_QUERIES = "no correction"
NUM_CANDIDATES = 100  # HNSW candidates per shard: exact on a catalogue this size
WINDOW = 100  # word-ranked records fused; pages beyond follow the word ranking
# The "related by meaning" part: at most this many records, each at least this close (cosine) to the
# query. The floor was chosen on the dev split with the rule in bench/related_dev.py: the best dev
# nDCG@10 among the floors at which no query of bench/relevance/nonsense.txt finds anything.
RELATED = 10
RELATED_FLOOR = 0.84
# The vectors are indexed int8-quantised (``indexer.mapping``), with each segment's own quantiles: the
# same record scores a little differently in another index or after a merge, enough to swap two near
# neighbours. The nearest ``k × RESCORE_OVERSAMPLE`` are therefore scored again with the full-precision
# vectors, so the order and the floor depend on the vectors alone, not on how the index is laid out.
RESCORE_OVERSAMPLE = 2.0


def enabled(explicit: bool | None = None) -> bool:
    """``explicit``, else the app's ``GDC_SEMANTIC`` setting (off outside an app)."""
    if explicit is not None:
        return explicit
    return has_app_context() and current_app.config["GDC_SETTINGS"].semantic


def knn_section(vector: list[float], filters: list[dict], k: int | None = None) -> dict:
    """The ``knn`` search: ``k`` (default ``KNN``) nearest records among those every filter allows."""
    k = k or KNN
    return {"field": m.VECTOR, "query_vector": vector, "k": k, "num_candidates": max(NUM_CANDIDATES, k),
            "filter": {"bool": {"filter": filters}}, "rescore_vector": {"oversample": RESCORE_OVERSAMPLE}}


def fuse(words: list[str], near: list[str], near_weight: float = NEAR_WEIGHT, k: int = RRF_K) -> list[str]:
    """Weighted reciprocal rank fusion: ids by 1/(k + word rank) + ``near_weight``/(k + neighbour rank),
    ties in the order first met."""
    score: dict[str, float] = {}
    for ranking, weight in ((words, 1.0), (near, near_weight)):
        for rank, doc in enumerate(ranking, start=1):
            score[doc] = score.get(doc, 0.0) + weight / (k + rank)
    return sorted(score, key=lambda doc: -score[doc])


def fusable(body: dict, plan: QueryPlan | None) -> bool:
    """A relevance-ordered page (other orders say nothing about meaning) of a query spelt as the
    dictionary spells it: the model reads a misspelling as another word (e5 alone scores typos 0.49 on
    dev), while the word side corrects it — so a query with a corrected word keeps the word ranking."""
    sort = body.get("sort") or []
    return plan is not None and not plan.empty and not corrected(plan) and body.get("size", 0) > 0 \
        and bool(sort) and sort[0] == "_score" and "_valued" not in (body.get("aggs") or {})


def corrected(plan: QueryPlan, rule: str | None = None) -> bool:
    """True when ``rule`` (default ``FUSED_QUERIES``) leaves ``plan`` to the word ranking."""
    rule = rule or FUSED_QUERIES
    if rule == "no correction":
        return bool(plan.misspelt)
    if rule == "no Thai correction":
        return any(not word.isascii() for word in plan.misspelt)
    return False


def knn_filters(body: dict, principal: Principal) -> list[dict]:
    """What the neighbours must satisfy: the page's query and selection, and being seen in full."""
    selection = body.get("post_filter")
    return [body["query"], scope_for(principal).full, *([selection] if selection else [])]


def ranked(es: Elasticsearch, index: str, body: dict, principal: Principal, q: str,
           window: int | None = None) -> tuple[list[str], dict]:
    """(the fused ids of the word query's first ``window`` (default ``WINDOW``) records and the query's
    neighbours, the word query's answer for that window: count, facets, ``_source``-less hits)."""
    return _fused_window(es, index, body, neighbours(es, index, body, principal, q), window)


def _fused_window(es: Elasticsearch, index: str, body: dict, near: list[str],
                  window: int | None = None) -> tuple[list[str], dict]:
    """The fused order; records the query asks for by their id, link or exact title
    (``relevance.is_asked_for``) stay first, in the word query's order."""
    lexical = dict(es.search(index=index, **{**body, "from": 0, "size": window or WINDOW, "_source": False}))
    hits = lexical["hits"]["hits"]
    first = [h["_id"] for h in hits if is_asked_for(h)]
    return [*first, *(i for i in fuse([h["_id"] for h in hits], near) if i not in first)], lexical


def neighbours(es: Elasticsearch, index: str, body: dict, principal: Principal, q: str) -> list[str]:
    """Ids of the ``KNN`` records nearest ``q`` among those the page may show, or none when the index
    cannot answer a vector search (built before index version 5): the word ranking then stands alone."""
    vector = embedding.query(q)
    if vector is None:
        return []
    answer = es.options(ignore_status=400).search(
        index=index, knn=knn_section(vector, knn_filters(body, principal)), size=KNN, _source=False)
    if answer.meta.status != 200:
        error = answer.body.get("error") if isinstance(answer.body, dict) else answer.body
        log.warning("vector search refused on %s (%s): word ranking only", index, error)
        return []
    return [h["_id"] for h in answer["hits"]["hits"]]


def search(es: Elasticsearch, index: str, body: dict, principal: Principal, plan: QueryPlan | None,
           semantic: bool | None = None) -> dict:
    """``es.search(index=index, **body)``'s answer, its hits in the fused order when the layer is on."""
    fused = enabled(semantic) and fusable(body, plan)
    near = neighbours(es, index, body, principal, plan.text) if fused else []
    if not near:  # the layer off, a query it leaves alone, or an index without vectors
        return dict(es.search(index=index, **body))
    order, answer = _fused_window(es, index, body, near)
    start, end = body.get("from", 0), body.get("from", 0) + body["size"]
    hits = _read(es, index, body, order[start:end])
    total = answer["hits"]["total"]["value"]
    if end > len(order) and total > len(order):
        hits += _after_window(es, index, body, order, start, end)
    answer["hits"]["hits"] = hits
    return answer


def relatable(plan: QueryPlan | None, sort: str) -> bool:
    """Whether a search gets a "related by meaning" part: a relevance-ordered search for a query spelt
    as the dictionary spells it (a misspelling means another word to the model)."""
    return plan is not None and not plan.empty and not corrected(plan) and sort == "relevance"


def related_section(vector: list[float], full: dict, selection: list[dict], words: list[dict]) -> dict:
    """The ``knn`` search for records related by meaning: the ``RELATED`` nearest records at least
    ``RELATED_FLOOR`` close, among those seen in full (``full``) that the selection keeps and no word
    query (``words``: the all-words and the some-words queries) finds — chosen inside ``knn``."""
    section = knn_section(vector, [full, *selection], k=RELATED)
    section["filter"]["bool"]["must_not"] = words
    return {**section, "similarity": RELATED_FLOOR}


def related(es: Elasticsearch, index: str, q: str, full: dict, selection: list[dict], words: list[dict],
            source: list[str]) -> list[dict]:
    """The hits related to ``q`` by meaning only (``related_section``), nearest first; none on an index
    without vectors."""
    vector = embedding.query(q)
    if vector is None:
        return []
    answer = es.options(ignore_status=400).search(
        index=index, knn=related_section(vector, full, selection, words), size=RELATED, _source=source)
    if answer.meta.status != 200:
        log.warning("vector search refused on %s: no related records", index)
        return []
    return list(answer["hits"]["hits"])


def _read(es: Elasticsearch, index: str, body: dict, ids: list[str]) -> list[dict]:
    """The hits of ``ids`` in that order, as the page's query answers them (``matched_queries``)."""
    if not ids:
        return []
    query = {"bool": {"must": [body["query"]], "filter": [{"ids": {"values": ids}}]}}
    answer = es.search(index=index, query=query, size=len(ids), _source=body.get("_source", True),
                       track_total_hits=False)
    by_id = {h["_id"]: h for h in answer["hits"]["hits"]}
    return [by_id[i] for i in ids if i in by_id]


def _after_window(es: Elasticsearch, index: str, body: dict, shown: list[str], start: int,
                  end: int) -> list[dict]:
    """Word-ranked records after the fused window, leaving out those it holds."""
    offset = max(start, len(shown)) - len(shown)
    query = {"bool": {"must": [body["query"]], "must_not": [{"ids": {"values": shown}}]}}
    extra = {"post_filter": body["post_filter"]} if body.get("post_filter") else {}
    answer = es.search(index=index, query=query, sort=body["sort"], from_=offset,
                       size=end - max(start, len(shown)), _source=body.get("_source", True),
                       track_total_hits=False, **extra)
    return list(answer["hits"]["hits"])
