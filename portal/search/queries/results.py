"""A page of search results: the request body, running it (every word, else some words), reading
the answer, the partial matches of the last page, and counts."""
from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from analyzers.concepts import concepts
from analyzers.query import QueryPlan, understand
from indexer import mapping as m
from indexer.mapping import MAX_RESULT_WINDOW
from portal.auth.principal import Principal
from portal.auth.visibility import scope_for
from portal.search import hybrid
from portal.search.facets import BY_NAME, FACETS
from portal.search.highlights import highlights
from portal.search.relevance import is_named, missing_concepts
from portal.search.queries.common import (MACHINE_SORTS, SORTS, SOURCE, STABLE, ResultWindowExceeded,
                                          SearchParams, SearchResult, as_seen, index_for, ordered,
                                          selected_filters)
from portal.search.queries.facet_counts import facet_aggregation, facet_values
from portal.search.queries.matching import match_query
from portal.search.queries.records import organization_titles_for


# The partial matches on a search's last page: enough to fill the page, and at least this many. Ten
# alone left a page of 3 all-words records with 13 results, where the ranking (and bench/relevance.py's
# Recall@20) has 20: records holding some words were never shown though ranked in the first 20
# (sixth session: on dev, the page's own Recall@20 0.911 against the ranking's 0.927).
PARTIAL_SIZE = 10


def _page_window(page: int, size: int) -> int:
    start = (page - 1) * size
    if page < 1 or size < 0 or start + size > MAX_RESULT_WINDOW:
        raise ResultWindowExceeded(page, size)
    return start


_VALUED = "_valued"  # the aggregation counting records sorted by their value (see ``ordered``)


def search_body(params: SearchParams, principal: Principal, plan: QueryPlan | None = None,
                match: str = "all", source: list[str] = SOURCE) -> dict:
    """The request body for one search page (also what the unit tests assert on); ``match`` as in
    ``match_query``; ``source``: the fields of each hit to fetch (``LIST_SOURCE`` for a page's list)."""
    scope = scope_for(principal)
    wanted = FACETS if params.facets is None else [BY_NAME[n] for n in params.facets]
    matching = match_query(params.q, scope, plan, match)
    query, sort, valued = ordered(matching, (SORTS | MACHINE_SORTS)[params.sort], scope)
    body: dict[str, Any] = {
        "query": query,
        "aggs": {f.name: facet_aggregation(f, params, scope) for f in wanted},
        "sort": sort,
        "from": _page_window(params.page, params.size),
        "size": params.size,
        "track_total_hits": True,
        "_source": source,
    }
    selection = selected_filters(params, scope)
    if selection:
        body["post_filter"] = {"bool": {"filter": selection}}
    if valued is not None:
        body["aggs"][_VALUED] = {"filter": {"bool": {"filter": [valued, *selection]}}}
    return body


def _unvalued(es: Elasticsearch, index: str, body: dict, hits: list[dict], valued_total: int) -> list[dict]:
    """The page's hits with the records sorted "as if absent" read in id order (see ``ordered``)."""
    start, size = body["from"], body["size"]
    kept = hits[:max(0, valued_total - start)]
    if len(kept) >= size:
        return kept
    valued = body["aggs"][_VALUED]["filter"]["bool"]["filter"][0]
    query = {"bool": {"filter": [body["query"]["bool"]["filter"][0], *body["aggs"][_VALUED]["filter"]["bool"]
                                 ["filter"][1:]], "must_not": [valued]}}
    rest = es.search(index=index, query=query, sort=[STABLE], from_=max(0, start - valued_total),
                     size=size - len(kept), _source=body["_source"], track_total_hits=False)
    return kept + rest["hits"]["hits"]


def search(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
           semantic: bool | None = None, source: list[str] = SOURCE, partial: bool = True) -> SearchResult:
    """One page of results with facet counts, every record already redacted for ``principal``.

    The results are the records holding every word (concept) of the query; when none does, the records
    holding some, each with the words it lacks (``SearchResult.all_words`` is then False). On the last
    page of a multi-word search, ``partial`` lists the best records that lack a word, apart. With the
    semantic layer (``semantic``, default the app's ``GDC_SEMANTIC``) each part is ordered by
    ``hybrid.search``: the same records, the same count. ``source`` as in ``search_body``. Callers that
    never show the partial matches (the JSON API, the widget, feeds, an organization's page) pass
    ``partial=False`` and save the request that finds them.
    """
    plan = understand(params.q) if params.q.strip() else None
    index, body = index_for(alias, principal), search_body(params, principal, plan, source=source)
    answer = hybrid.search(es, index, body, principal, plan, semantic)
    all_words = True
    if plan and not answer["hits"]["total"]["value"] and concepts(plan):
        body = search_body(params, principal, plan, match="some", source=source)
        answer = hybrid.search(es, index, body, principal, plan, semantic)
        all_words = False
    if _VALUED in body["aggs"]:
        valued_total = answer["aggregations"].pop(_VALUED)["doc_count"]
        answer["hits"]["hits"] = _unvalued(es, index, body, answer["hits"]["hits"], valued_total)
    named = any(map(is_named, answer["hits"]["hits"]))
    hits = _hits(answer, principal, plan)
    aggs = answer.get("aggregations", {})
    facets = {name: facet_values(agg, params.filters.get(name, [])) for name, agg in aggs.items()}
    org_titles = organization_titles_for(es, alias, principal, [v for v, _ in facets.get("organization", [])])
    result = SearchResult(total=answer["hits"]["total"]["value"], hits=hits, facets=facets, page=params.page,
                          size=params.size, organization_titles=org_titles, took_ms=answer.get("took", 0),
                          all_words=all_words, words=[c.label for c in concepts(plan)] if plan else [],
                          named=named)
    # A search for one record by its id or link that found it lists no records holding some of its pieces.
    if partial and all_words and plan and len(result.words) > 1 and not named and params.size \
            and params.page >= result.pages:
        fill = max(PARTIAL_SIZE, params.size - len(hits))
        result.partial, result.partial_total = partial_matches(es, alias, params, principal, plan, semantic,
                                                               source, fill)
    if params.size and params.page >= result.pages:
        result.related = related_matches(es, alias, params, principal, plan, semantic, source)
    return result


def _hits(answer: dict, principal: Principal, plan: QueryPlan | None) -> list[dict]:
    hits = []
    for h in answer["hits"]["hits"]:
        seen = as_seen(h["_source"], principal)
        if seen is None:
            continue
        record, tier = seen
        hits.append({"id": h["_source"].get(m.ID), "record": record, "tier": tier, "score": h.get("_score"),
                     "highlights": highlights(record, tier, plan),
                     "missing": missing_concepts(plan, h.get("matched_queries"), tier) if plan else []})
    return hits


def partial_body(params: SearchParams, principal: Principal, plan: QueryPlan | None = None,
                 size: int = PARTIAL_SIZE, source: list[str] = SOURCE) -> dict:
    """The best records that hold some words of ``params.q`` but not all, under the same filters."""
    scope = scope_for(principal)
    query = {"bool": {"must": [match_query(params.q, scope, plan, "some")],
                      "filter": selected_filters(params, scope)}}
    return {"query": query, "sort": SORTS["relevance"], "size": size, "track_total_hits": True,
            "_source": source}


def partial_matches(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
                    plan: QueryPlan, semantic: bool | None = None, source: list[str] = SOURCE,
                    size: int = PARTIAL_SIZE) -> tuple[list[dict], int]:
    """(the best ``size`` hits with the words each lacks, how many records hold some words but not all)."""
    body = partial_body(params, principal, plan, size, source)
    answer = hybrid.search(es, index_for(alias, principal), body, principal, plan, semantic)
    return _hits(answer, principal, plan), answer["hits"]["total"]["value"]


def related_matches(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
                    plan: QueryPlan | None, semantic: bool | None = None,
                    source: list[str] = SOURCE) -> list[dict]:
    """With the semantic layer, the records related to ``params.q`` by meaning that no word of it finds
    (``hybrid.related``), under the same filters, each as ``principal`` sees it; else none."""
    if not (hybrid.enabled(semantic) and hybrid.relatable(plan, params.sort)):
        return []
    scope = scope_for(principal)
    words = [match_query(params.q, scope, plan, "all"), match_query(params.q, scope, plan, "some")]
    found = hybrid.related(es, index_for(alias, principal), plan.text, scope.full,
                           selected_filters(params, scope), words, source)
    return [dict(hit, missing=[]) for hit in _hits({"hits": {"hits": found}}, principal, plan)]


def count_body(params: SearchParams, principal: Principal, match: str = "all") -> dict:
    scope = scope_for(principal)
    return {"query": {"bool": {"filter": [match_query(params.q, scope, match=match),
                                          *selected_filters(params, scope)]}}}


def count(es: Elasticsearch, alias: str, principal: Principal, params: SearchParams | None = None,
          match: str = "all") -> int:
    """How many visible records match ``params`` (all visible records when ``params`` is None); ``match``
    as in ``match_query``."""
    body = count_body(params or SearchParams(), principal, match)
    return es.count(index=index_for(alias, principal), **body)["count"]


def count_shown(es: Elasticsearch, alias: str, principal: Principal, params: SearchParams) -> int:
    """The count a search for ``params`` shows: the records holding every word, or, when none does, those
    holding some (``search``), for links that promise a number of results."""
    return count(es, alias, principal, params) or (count(es, alias, principal, params, "some")
                                                   if params.q.strip() else 0)
