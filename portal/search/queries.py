"""Every request the portal sends to Elasticsearch is built here, and only here.

The pages, the JSON API, the CKAN Action API, exports and the sitemap call these functions; none of
them builds a query dict. Each function turns the principal into its visibility scope
(``scope_for``) and puts it *inside the query*, so hits, totals, every facet aggregation,
suggestions and get-by-id all see exactly the same set of records, and every record returned has
been through ``access_tier`` + ``redact``.

Facets follow elasticsearch-dsl ``FacetedSearch``: selected values go into ``post_filter``; each
facet's aggregation is filtered by the *other* facets' selections, so OR within a facet and AND
across facets keep honest counts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Iterator

from elasticsearch import Elasticsearch

from analyzers import places, thai
from indexer import agencies, mapping as m
from indexer.mapping import MAX_RESULT_WINDOW
from indexer.scan import point_in_time, scan
from portal.auth.principal import Principal
from portal.auth.visibility import NOTHING, OPEN_FILTER, Scope, access_tier, redact, scope_for
from portal.search import text
from portal.search.facets import BY_NAME, FACETS, Facet

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
PARTIAL_SIZE = 10
CLEARLY_MORE = 2  # a suggestion must find at least this many more records (and twice as many)
PLACE_BOOST = 4.0  # bench/place_ranking.py measures it

# What a hit must carry so that ``access_tier`` can decide, plus the record to display.
_SOURCE = [m.ID, m.NAME, m.VISIBILITY, m.DATA_CATEGORY, m.CLASSIFICATION_LEVEL, m.ORGANIZATION,
           m.QUALITY_SCORE, m.RECORD]

_NEWEST_FIRST = {m.METADATA_MODIFIED: {"order": "desc", "missing": "_last"}}
_STABLE = {m.ID: "asc"}
SORTS: dict[str, list] = {
    "relevance": ["_score", _NEWEST_FIRST, _STABLE],
    "modified": [_NEWEST_FIRST, "_score", _STABLE],
    "title": [{m.TITLE_SORT: {"order": "asc", "missing": "_last"}}, _STABLE],
}
# Orders only machine clients ask for (CKAN harvesters page with them): not offered on the pages.
MACHINE_SORTS: dict[str, list] = {
    "created": [{m.METADATA_CREATED: {"order": "asc", "missing": "_last"}}, _STABLE],
    "name": [{m.NAME: "asc"}, _STABLE],
    "id": [_STABLE],
}
# Sort keys a name-tier record may be ordered by (its name-tier fields); ``_score`` is computed on them.
NAME_TIER_SORT_FIELDS = frozenset({"_score", m.METADATA_MODIFIED, m.TITLE_SORT, m.NAME, m.ID})


class ResultWindowExceeded(ValueError):
    """A page beyond ``MAX_RESULT_WINDOW`` results was asked for (answer 400, explain it)."""

    def __init__(self, page: int, size: int) -> None:
        self.page, self.size = page, size
        self.last_page = max(1, MAX_RESULT_WINDOW // size)
        super().__init__(f"page {page} × {size} results is past the first {MAX_RESULT_WINDOW} results")


@dataclass
class SearchParams:
    """A search as the URL (or the API) states it; facet names are the standard's field names."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    facet_size: int | None = None        # buckets per facet (CKAN ``facet.limit``); None: the table's
    facets: tuple[str, ...] | None = None  # facets to count; None: all, (): none

    def selected(self) -> list[tuple[Facet, list[str]]]:
        """The facets with at least one selected value, in table order."""
        return [(f, sorted(set(self.filters[f.name]))) for f in FACETS if self.filters.get(f.name)]


@dataclass
class SearchResult:
    total: int
    hits: list[dict]
    facets: dict[str, list[tuple[str, int]]]
    page: int
    size: int
    organization_titles: dict[str, dict] = field(default_factory=dict)
    took_ms: int = 0
    # False: no record holds every word of the query, ``hits`` hold some (each says what it lacks).
    all_words: bool = True
    words: list[str] = field(default_factory=list)       # the query's concepts, as typed
    partial: list[dict] = field(default_factory=list)    # best records lacking a word (last page only)
    partial_total: int = 0

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_RESULT_WINDOW)
        return max(1, math.ceil(reachable / self.size)) if self.size else 1


# --- building blocks --------------------------------------------------------------------------------

def _selection(facet: Facet, values: list[str], scope: Scope) -> dict:
    """The filter for one facet's selected values (OR within the facet).

    Only name-tier fields may select records seen by name; filtering a name-only record by its
    tags or formats would reveal them.
    """
    clause = {"terms": {facet.field: values}}
    if facet.name_tier:
        return clause
    return {"bool": {"filter": [clause, scope.full]}}


def _filters(params: SearchParams, scope: Scope, skip: str | None = None) -> list[dict]:
    return [_selection(f, values, scope) for f, values in params.selected() if f.name != skip]


def target(alias: str, scope: Scope) -> str:
    """The indices a principal's request reads: the open index alone unless it may see more.

    Open and other records live in separate indices (``indexer.mapping`` partitions), each with its
    own term statistics, so what a visitor's ranking is computed from holds open records only.
    """
    return m.open_alias(alias) if scope.open_only else alias


def index_for(alias: str, principal: Principal) -> str:
    """``target`` for a principal (what every request here reads)."""
    return target(alias, scope_for(principal))


def _matching(q: str, scope: Scope, plan: text.QueryPlan | None = None, match: str = "all") -> dict:
    """Visible records matching ``q``: any field within ``scope.full``, name fields within ``name_only``.

    ``match``: ``"all"`` — records holding every concept of the query (``analyzers.concepts``), scored by
    the full-text query: the headline set, which a further word can only narrow; ``"some"`` — records
    the full-text query finds that lack a concept (partial matches); ``"any"`` — the full-text query.

    Open records are ranked by BM25 over the open index (statistics of open records only); records
    seen from the restricted index by scores that depend on nothing but themselves, on the fields
    their tier may see (``stats_free``).
    """
    if not q.strip():
        return {"bool": {"filter": [scope.any]}}
    plan = plan or text.understand(q)
    tiers = [("full", OPEN_FILTER, False)]
    if scope.full_restricted != NOTHING:
        tiers.append(("full", scope.full_restricted, True))
    if scope.name_only != NOTHING:
        tiers.append(("name", scope.name_only, True))
    branches = [b for tier, visible, free in tiers if (b := _tier_match(plan, tier, visible, match, free, q))]
    if not branches:
        return {"match_none": {}}
    return {"bool": {"should": branches, "minimum_should_match": 1}}


def _tier_match(plan: text.QueryPlan, tier: str, visible: dict, match: str,
                stats_free: bool = False, q: str = "") -> dict | None:
    """One tier's branch. ``stats_free``: the same records match, but the full-text query only filters
    and the score comes from ``text.stats_free_score`` (records outside the open index: their index's
    statistics mix records of every grant)."""
    scored = text.text_query(plan, tier)
    if tier == "full" and not stats_free:
        scored = _with_place_bonus(scored, q)
    score = text.stats_free_score(plan, tier) if stats_free else [scored]
    every = text.all_words_query(plan, tier) if match != "any" else None
    if every is None:
        # Only function words: the full-text query decides, and nothing is a partial match.
        if match == "some":
            return None
        if stats_free:
            return {"bool": {"filter": [visible, scored], "should": score}}
        return {"bool": {"must": [scored], "filter": [visible]}}
    if match == "all":
        return {"bool": {"filter": [visible, every], "should": score}}
    # The concepts again as optional clauses: a hit's matched_queries say which ones it holds.
    held = [{"constant_score": {"filter": c, "boost": 0.0}} for c in every["bool"]["filter"]]
    if stats_free:
        return {"bool": {"must_not": [every], "filter": [visible, scored], "should": score + held}}
    return {"bool": {"must": [scored], "must_not": [every], "filter": [visible], "should": held}}


def _with_place_bonus(scored: dict, q: str) -> dict:
    """A query that names a place ranks records about that place (or inside it) first; the others
    still match. Only in the open tier: places are read from fields a name-only grant hides, and the
    restricted tiers score without index statistics."""
    codes = places.in_query(q)
    if not codes:
        return scored
    return {"bool": {"must": [scored], "should": [{"terms": {m.PLACE: codes, "boost": PLACE_BOOST}}]}}


def _org_titles_agg() -> dict:
    return {"top_hits": {"size": 1, "_source": {"includes": [f"{m.RECORD}.organization"]}}}


def _facet_aggregation(facet: Facet, params: SearchParams, scope: Scope) -> dict:
    """One facet: counted under every *other* facet's selection, within the facet's tier."""
    restrict = _filters(params, scope, skip=facet.name)
    if not facet.name_tier:
        restrict.append(scope.full)
    values = {"terms": {"field": facet.field, "size": params.facet_size or facet.size}}
    if facet.name == "organization":
        values["aggs"] = {"org": _org_titles_agg()}
    inner: dict = {"values": values}
    chosen = params.filters.get(facet.name)
    if chosen:
        # Selected values are counted even when they fall outside the top buckets. No
        # ``min_doc_count: 0``: a zero bucket would reveal that the value exists in unseen records.
        inner["selected"] = {"terms": {"field": facet.field, "include": sorted(set(chosen)),
                                       "size": len(set(chosen))}}
        if facet.name == "organization":
            inner["selected"]["aggs"] = {"org": _org_titles_agg()}
    return {"filter": {"bool": {"filter": restrict}}, "aggs": inner}


def _page_window(page: int, size: int) -> int:
    start = (page - 1) * size
    if page < 1 or size < 0 or start + size > MAX_RESULT_WINDOW:
        raise ResultWindowExceeded(page, size)
    return start


def _sort_key(clause: Any) -> str:
    return clause if isinstance(clause, str) else next(iter(clause))


_VALUED = "_valued"  # the aggregation counting records sorted by their value (see ``_ordered``)


def _ordered(query: dict, sort: list, scope: Scope) -> tuple[dict, list, dict | None]:
    """Query, sort and the "valued" filter, so that records seen by name are never ordered by a field
    they hide.

    Sorting by, say, ``metadata_created`` would place a name-only record between neighbours whose
    visible dates bracket its hidden one. Such a record sorts as if it had no value, i.e. after the
    records seen in full that have one, in id order: the score is 1 for those (the *valued* records)
    and 0 for the others, and leads the sort; ``search`` reads the others in id order (``_unvalued``).
    """
    hidden = next((key for key in map(_sort_key, sort) if key not in NAME_TIER_SORT_FIELDS), None)
    if hidden is None or scope.name_only == NOTHING:
        return query, sort, None
    valued = {"bool": {"filter": [scope.full, {"exists": {"field": hidden}}]}}
    return ({"bool": {"filter": [query], "should": [{"constant_score": {"filter": valued, "boost": 1}}]}},
            [{"_score": "desc"}, *sort], valued)


def search_body(params: SearchParams, principal: Principal, plan: text.QueryPlan | None = None,
                match: str = "all") -> dict:
    """The request body for one search page (also what the unit tests assert on); ``match`` as in
    ``_matching``."""
    scope = scope_for(principal)
    wanted = FACETS if params.facets is None else [BY_NAME[n] for n in params.facets]
    matching = _matching(params.q, scope, plan, match)
    query, sort, valued = _ordered(matching, (SORTS | MACHINE_SORTS)[params.sort], scope)
    body: dict[str, Any] = {
        "query": query,
        "aggs": {f.name: _facet_aggregation(f, params, scope) for f in wanted},
        "sort": sort,
        "from": _page_window(params.page, params.size),
        "size": params.size,
        "track_total_hits": True,
        "_source": _SOURCE,
    }
    selection = _filters(params, scope)
    if selection:
        body["post_filter"] = {"bool": {"filter": selection}}
    if valued is not None:
        body["aggs"][_VALUED] = {"filter": {"bool": {"filter": [valued, *selection]}}}
    return body


def _unvalued(es: Elasticsearch, index: str, body: dict, hits: list[dict], valued_total: int) -> list[dict]:
    """The page's hits with the records sorted "as if absent" read in id order (see ``_ordered``)."""
    start, size = body["from"], body["size"]
    kept = hits[:max(0, valued_total - start)]
    if len(kept) >= size:
        return kept
    valued = body["aggs"][_VALUED]["filter"]["bool"]["filter"][0]
    query = {"bool": {"filter": [body["query"]["bool"]["filter"][0], *body["aggs"][_VALUED]["filter"]["bool"]
                                 ["filter"][1:]], "must_not": [valued]}}
    rest = es.search(index=index, query=query, sort=[_STABLE], from_=max(0, start - valued_total),
                     size=size - len(kept), _source=_SOURCE, track_total_hits=False)
    return kept + rest["hits"]["hits"]


# --- reading answers --------------------------------------------------------------------------------

def _visible(source: dict, principal: Principal) -> tuple[dict, str] | None:
    tier = access_tier(principal, source)
    record = redact(source.get(m.RECORD) or {}, tier)
    return (record, tier) if record is not None and tier else None


def _facet_values(agg: dict, chosen: list[str]) -> list[tuple[str, int]]:
    values = [(b["key"], b["doc_count"]) for b in agg["values"]["buckets"]]
    present = {v for v, _ in values}
    counted = {b["key"]: b["doc_count"] for b in agg.get("selected", {}).get("buckets", [])}
    values += [(v, counted.get(v, 0)) for v in sorted(set(chosen)) if v not in present]
    return values


def _organization_titles(agg: dict) -> dict[str, dict]:
    titles = {}
    for bucket in agg["values"]["buckets"] + agg.get("selected", {}).get("buckets", []):
        hits = bucket["org"]["hits"]["hits"]
        org = (hits[0]["_source"].get(m.RECORD) or {}).get("organization") or {} if hits else {}
        # An English name the record lacks comes from the reviewed agency file (indexer/agencies.json).
        title_en = (org.get("title_en") or agencies.english_name(bucket["key"])
                    or agencies.english_name(org.get("title")))
        titles[bucket["key"]] = {"title": org.get("title") or bucket["key"], "title_en": title_en}
    return titles


def search(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal) -> SearchResult:
    """One page of results with facet counts, every record already redacted for ``principal``.

    The results are the records holding every word (concept) of the query; when none does, the records
    holding some, each with the words it lacks (``SearchResult.all_words`` is then False). On the last
    page of a multi-word search, ``partial`` lists the best records that lack a word, apart.
    """
    plan = text.understand(params.q) if params.q.strip() else None
    index, body = index_for(alias, principal), search_body(params, principal, plan)
    answer = es.search(index=index, **body)
    all_words = True
    if plan and not answer["hits"]["total"]["value"] and text.concepts(plan):
        body = search_body(params, principal, plan, match="some")
        answer = es.search(index=index, **body)
        all_words = False
    if _VALUED in body["aggs"]:
        valued_total = answer["aggregations"].pop(_VALUED)["doc_count"]
        answer["hits"]["hits"] = _unvalued(es, index, body, answer["hits"]["hits"], valued_total)
    hits = _hits(answer, principal, plan)
    aggs = answer.get("aggregations", {})
    facets = {name: _facet_values(agg, params.filters.get(name, [])) for name, agg in aggs.items()}
    org_titles = _organization_titles(aggs["organization"]) if "organization" in aggs else {}
    result = SearchResult(total=answer["hits"]["total"]["value"], hits=hits, facets=facets, page=params.page,
                          size=params.size, organization_titles=org_titles, took_ms=answer.get("took", 0),
                          all_words=all_words, words=[c.text for c in text.concepts(plan)] if plan else [])
    if all_words and plan and len(result.words) > 1 and params.size and params.page >= result.pages:
        result.partial, result.partial_total = partial_matches(es, alias, params, principal, plan)
    return result


def _hits(answer: dict, principal: Principal, plan: text.QueryPlan | None) -> list[dict]:
    hits = []
    for h in answer["hits"]["hits"]:
        seen = _visible(h["_source"], principal)
        if seen is None:
            continue
        record, tier = seen
        hits.append({"id": h["_source"].get(m.ID), "record": record, "tier": tier, "score": h.get("_score"),
                     "highlights": text.highlights(record, tier, plan),
                     "missing": text.missing_concepts(plan, h.get("matched_queries"), tier) if plan else []})
    return hits


def partial_body(params: SearchParams, principal: Principal, plan: text.QueryPlan | None = None,
                 size: int = PARTIAL_SIZE) -> dict:
    """The best records that hold some words of ``params.q`` but not all, under the same filters."""
    scope = scope_for(principal)
    query = {"bool": {"must": [_matching(params.q, scope, plan, "some")], "filter": _filters(params, scope)}}
    return {"query": query, "sort": SORTS["relevance"], "size": size, "track_total_hits": True,
            "_source": _SOURCE}


def partial_matches(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
                    plan: text.QueryPlan) -> tuple[list[dict], int]:
    """(hits with the words each lacks, how many records hold some words but not all)."""
    answer = es.search(index=index_for(alias, principal), **partial_body(params, principal, plan))
    return _hits(answer, principal, plan), answer["hits"]["total"]["value"]


def count_body(params: SearchParams, principal: Principal) -> dict:
    scope = scope_for(principal)
    return {"query": {"bool": {"filter": [_matching(params.q, scope), *_filters(params, scope)]}}}


def count(es: Elasticsearch, alias: str, principal: Principal, params: SearchParams | None = None) -> int:
    """How many visible records match ``params`` (all visible records when ``params`` is None)."""
    body = count_body(params or SearchParams(), principal)
    return es.count(index=index_for(alias, principal), **body)["count"]


# --- single records ---------------------------------------------------------------------------------

def get_dataset(es: Elasticsearch, alias: str, id_or_slug: str, principal: Principal) -> dict | None:
    """The redacted record with this id or slug, or ``None``: an invisible record is a missing one."""
    scope = scope_for(principal)
    key = {"bool": {"should": [{"term": {m.ID: id_or_slug}}, {"term": {m.NAME: id_or_slug}}],
                    "minimum_should_match": 1}}
    answer = es.search(index=target(alias, scope), query={"bool": {"filter": [scope.any, key]}}, size=2,
                       _source=_SOURCE)
    hits = sorted(answer["hits"]["hits"], key=lambda h: h["_source"].get(m.ID) != id_or_slug)
    for h in hits:
        seen = _visible(h["_source"], principal)
        if seen is not None:
            return seen[0]
    return None


# --- organizations ----------------------------------------------------------------------------------

def _organization_rows(es: Elasticsearch, alias: str, query: dict, size: int) -> list[dict]:
    aggs = {"values": {"terms": {"field": m.ORGANIZATION, "size": size}, "aggs": {"org": _org_titles_agg()}}}
    answer = es.search(index=alias, query=query, size=0, aggs=aggs)
    agg = answer["aggregations"]
    titles = _organization_titles(agg)
    return [{"slug": b["key"], "count": b["doc_count"], **titles[b["key"]]} for b in agg["values"]["buckets"]]


def organizations(es: Elasticsearch, alias: str, principal: Principal, size: int = 5000) -> list[dict]:
    """Organizations with at least one visible record, most records first: slug, title, title_en, count."""
    query = {"bool": {"filter": [scope_for(principal).any]}}
    return _organization_rows(es, index_for(alias, principal), query, size)


def organization(es: Elasticsearch, alias: str, slug: str, principal: Principal) -> dict | None:
    """One organization (slug, title, title_en, count) or ``None`` when it has no visible record."""
    query = {"bool": {"filter": [scope_for(principal).any, {"term": {m.ORGANIZATION: slug}}]}}
    rows = _organization_rows(es, index_for(alias, principal), query, 1)
    return rows[0] if rows else None


# --- suggestions ------------------------------------------------------------------------------------

def _prefix_clause(field: str, typed: str) -> dict | None:
    """Records with a word starting with what was typed; earlier typed words must match whole."""
    words = thai.words(typed)
    if not words:
        return None
    last = {"prefix": {field: {"value": words[-1]}}}
    if len(words) == 1:
        return last
    whole = thai.normalise(typed).replace(" ", "")
    together = {"bool": {"filter": [*({"term": {field: w}} for w in words[:-1]), last]}}
    return {"bool": {"should": [together, {"prefix": {field: {"value": whole}}}], "minimum_should_match": 1}}


def suggest_body(prefix: str, principal: Principal, size: int = 8) -> dict | None:
    """One request for titles, organizations and tags; ``None`` when nothing was typed."""
    scope = scope_for(principal)
    on_title = _prefix_clause(m.TITLE_WORDS, prefix)
    if on_title is None:
        return None
    on_org = _prefix_clause(m.ORGANIZATION_WORDS, prefix)
    on_tags = _prefix_clause(m.TAGS_WORDS, prefix)
    tag_pattern = text.contains_pattern(thai.normalise(prefix))
    return {
        # Titles and organizations are name-tier; tags only ever come from records seen in full. The
        # title prefix is a post_filter so the organization and tag aggregations see every visible record.
        # Best quality first — but a record seen by name only is placed as if it had no quality score
        # (the score is computed from fields its tier hides): the query scores quality + 1 for records
        # seen in full that have one, 0 for every other.
        "query": {"bool": {"filter": [scope.any], "should": [{"function_score": {
            "query": {"bool": {"filter": [scope.full, {"exists": {"field": m.QUALITY_SCORE}}]}},
            "functions": [{"field_value_factor": {"field": m.QUALITY_SCORE}}, {"weight": 1}],
            "score_mode": "sum", "boost_mode": "replace"}}]}},
        "post_filter": on_title,
        "size": size,
        "_source": _SOURCE,
        "sort": [{"_score": "desc"}, _NEWEST_FIRST, _STABLE],
        "aggs": {
            "organizations": {"filter": {"bool": {"filter": [scope.any, on_org]}}, "aggs": {
                "values": {"terms": {"field": m.ORGANIZATION, "size": size},
                           "aggs": {"org": _org_titles_agg()}}}},
            "tags": {"filter": {"bool": {"filter": [scope.full, on_tags]}}, "aggs": {
                "values": {"terms": {"field": m.TAGS, "size": size, "include": tag_pattern}}}},
        },
    }


def suggest(es: Elasticsearch, alias: str, prefix: str, principal: Principal, size: int = 8) -> list[dict]:
    """Autocomplete: ``[{kind: dataset|organization|tag, text, value, count?}]`` for what was typed.

    Built from visible records only (no ES suggester: those read index terms regardless of filters).
    """
    body = suggest_body(prefix, principal, size)
    if body is None:
        return []
    answer = es.search(index=index_for(alias, principal), **body)
    datasets = []
    for h in answer["hits"]["hits"]:
        seen = _visible(h["_source"], principal)
        if seen:
            record = seen[0]
            datasets.append({"kind": "dataset", "text": record.get("title") or "",
                             "value": record.get("name") or record.get("id")})
    org_agg = answer["aggregations"]["organizations"]
    titles = _organization_titles(org_agg)
    orgs = [{"kind": "organization", "text": titles[b["key"]]["title"], "value": b["key"],
             "count": b["doc_count"]} for b in org_agg["values"]["buckets"]]
    tags = [{"kind": "tag", "text": b["key"], "value": b["key"], "count": b["doc_count"]}
            for b in answer["aggregations"]["tags"]["values"]["buckets"]]
    return text.interleave([datasets, orgs, tags], size)


def did_you_mean_body(q: str, principal: Principal) -> dict | None:
    """Words similar to the query's, from records seen in full (never from the index's term list)."""
    spans = text.spelling_spans(q)
    if not spans:
        return None
    near = {f"near{i}": {
        "filter": {"fuzzy": {m.SUGGEST_WORDS: {"value": span, "fuzziness": "AUTO", "max_expansions": 50}}},
        "aggs": {"values": {"terms": {"field": m.SUGGEST_WORDS, "size": 100,
                                      "include": text.similar_length_pattern(span)}}},
    } for i, span in enumerate(spans)}
    return {
        "size": 0,
        "query": {"bool": {"filter": [scope_for(principal).full]}},
        "aggs": {"exact": {"terms": {"field": m.SUGGEST_WORDS, "include": spans, "size": len(spans)}},
                 **near},
    }


def did_you_mean(es: Elasticsearch, alias: str, q: str, principal: Principal,
                 params: SearchParams | None = None) -> str | None:
    """A corrected query built only from words of records ``principal`` sees in full (or an English typo
    corrected to a known word), or ``None``. With ``params`` (the search as asked), only a correction
    that clearly finds more: at least twice as many records and two more."""
    body = did_you_mean_body(q, principal)
    if body is None:
        return None
    aggs = es.search(index=index_for(alias, principal), **body)["aggregations"]
    known = {b["key"] for b in aggs["exact"]["buckets"]}
    vocabulary = {b["key"]: b["doc_count"] for name, agg in aggs.items() if name.startswith("near")
                  for b in agg["values"]["buckets"]}
    suggestion = text.correct(q, known, vocabulary) or text.english_correction(q)
    if suggestion is None or params is None:
        return suggestion
    before = count(es, alias, principal, replace(params, q=q))
    after = count(es, alias, principal, replace(params, q=suggestion))
    return suggestion if after >= max(2 * before, before + CLEARLY_MORE) else None


# --- everything visible (exports, sitemap, CKAN package_list) -----------------------------------------

def iter_records(es: Elasticsearch, alias: str, principal: Principal, batch: int = 500,
                 **filters: list[str] | str) -> Iterator[dict]:
    """Every visible record, redacted, in index order, through a point in time (consistent snapshot).

    ``filters`` are facet names with values, e.g. ``organization=["dga"]``.
    """
    scope = scope_for(principal)
    params = SearchParams(filters={k: [v] if isinstance(v, str) else list(v) for k, v in filters.items()})
    unknown = set(params.filters) - set(BY_NAME)
    if unknown:
        raise KeyError(f"unknown facet(s): {', '.join(sorted(unknown))}")
    query = {"bool": {"filter": [scope.any, *_filters(params, scope)]}}
    for h in scan(es, target(alias, scope), size=batch, query=query, _source=_SOURCE):
        seen = _visible(h["_source"], principal)
        if seen is not None:
            yield seen[0]


# --- a search's whole result list (CSV export, feeds) -------------------------------------------------

EXPORT_LIMIT = MAX_RESULT_WINDOW


def iter_search(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
                limit: int = EXPORT_LIMIT, batch: int = 500) -> Iterator[dict]:
    """Every record of a search (``q`` and facet selections, in the search's order), redacted, at most
    ``limit``: the same query as :func:`search` without facets, paged through a point in time."""
    scope = scope_for(principal)
    plan = text.understand(params.q) if params.q.strip() else None
    matching = _matching(params.q, scope, plan)
    query = {"bool": {"must": [matching], "filter": _filters(params, scope)}}
    sort = (SORTS | MACHINE_SORTS)[params.sort]
    _, _, valued = _ordered(matching, sort, scope)
    # A sort on a field records seen by name hide: those sorted by value first, then the others in id
    # order, as if they had none (see ``_ordered``).
    phases = [(query, sort)] if valued is None else [
        ({"bool": {**query["bool"], "filter": [*query["bool"]["filter"], valued]}}, sort),
        ({"bool": {**query["bool"], "must_not": [valued]}}, [_STABLE])]
    if limit <= 0:
        return
    sent = 0
    with point_in_time(es, target(alias, scope)) as pit:
        for phase_query, phase_sort in phases:
            for h in pit.hits(size=min(batch, limit), sort=phase_sort, query=phase_query, _source=_SOURCE):
                seen = _visible(h["_source"], principal)
                if seen is not None:
                    sent += 1
                    yield seen[0]
                    if sent >= limit:
                        return


# --- related datasets (the dataset page) ---------------------------------------------------------------

RELATED_FIELDS = (m.TITLE_WORDS, m.TAGS_WORDS)
# Which records count as related is decided by ``more_like_this`` with settings that select *every*
# word of the record's title and tags (no document-frequency cut, more query terms allowed than a
# record has): the choice of words never depends on index statistics, which count records the
# visitor cannot see. The order uses constant scores (shared keywords, organization, title words),
# never BM25, for the same reason: unseen records must not move a visible one up or down.
# Words nearly every catalogue title carries say nothing about a topic: a fixed list (a document
# frequency cut-off would again read statistics of unseen records).
RELATED_STOP_WORDS = ("ข้อมูล", "รายงาน", "ประเทศ", "ไทย", "ประเทศไทย", "จำนวน", "ปี", "พ.ศ.", "สถิติ",
                      "ประจำ",
                      "ของ", "และ", "ใน", "การ", "ที่", "ราย", "ทั่วไป", "data", "of", "the", "and")
RELATED_MLT = {"min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 500, "minimum_should_match": 2,
               "stop_words": list(RELATED_STOP_WORDS)}
RELATED_WEIGHTS = {"tag": 3.0, "organization": 2.0, "title_word": 1.0}


def related_body(record: dict, principal: Principal, size: int = 5) -> dict:
    """Records like ``record`` among those ``principal`` sees in full (tags and descriptions of records
    seen by name only must not select them)."""
    scope = scope_for(principal)
    # The index keeps its word fields out of ``_source``, so the record's words are made again here by
    # the indexer's own function (the same segmentation as at index time), as an artificial document.
    title_words = thai.index_fields(record.get("title") or "")["words"]
    tag_words = " ".join(thai.index_fields(t)["words"] for t in record.get("tags") or [])
    like = {"more_like_this": {"fields": list(RELATED_FIELDS), **RELATED_MLT,
                               "like": [{"doc": {m.TITLE_WORDS: title_words, m.TAGS_WORDS: tag_words}}]}}
    ranking = [{"constant_score": {"filter": {"term": {m.TAGS: t}}, "boost": RELATED_WEIGHTS["tag"]}}
               for t in dict.fromkeys(record.get("tags") or [])]
    org = (record.get("organization") or {}).get("name")
    if org:
        ranking.append({"constant_score": {"filter": {"term": {m.ORGANIZATION: org}},
                                           "boost": RELATED_WEIGHTS["organization"]}})
    ranking += [{"constant_score": {"filter": {"term": {m.TITLE_WORDS: w}},
                                    "boost": RELATED_WEIGHTS["title_word"]}}
                for w in dict.fromkeys(title_words.split())]
    return {
        "query": {"bool": {"filter": [scope.full, like], "must_not": [{"ids": {"values": [record["id"]]}}],
                           "should": ranking}},
        "sort": ["_score", _NEWEST_FIRST, _STABLE],
        "size": size,
        "_source": _SOURCE,
    }


def related(es: Elasticsearch, alias: str, record: dict, principal: Principal, size: int = 5) -> list[dict]:
    """Up to ``size`` visible records related to ``record`` (already fetched for ``principal``), redacted.

    Only a record seen in full has related records: those of a record seen by name would be chosen by
    its description and tags, which the visitor may not read.
    """
    if record.get("tier", "full") != "full" or not record.get("id"):
        return []
    answer = es.search(index=index_for(alias, principal), **related_body(record, principal, size))
    out = []
    for h in answer["hits"]["hits"]:
        seen = _visible(h["_source"], principal)
        if seen is not None:
            out.append(seen[0])
    return out


# --- how much the dates say (home page, the "modified" sort) -------------------------------------------

def date_spread(es: Elasticsearch, alias: str, principal: Principal) -> dict:
    """The 10th and 90th percentile of the visible records' ``metadata_modified`` (ISO strings, or
    ``None``) and how many records carry one: when most records share a date (a bulk migration), the
    date says nothing about how recent a record is."""
    answer = es.search(index=index_for(alias, principal), size=0,
                       query={"bool": {"filter": [scope_for(principal).any]}},
                       aggs={"dated": {"value_count": {"field": m.METADATA_MODIFIED}},
                             "spread": {"percentiles": {"field": m.METADATA_MODIFIED, "percents": [10, 90]}}})
    aggs = answer["aggregations"]
    values = aggs["spread"].get("values") or {}
    low, high = values.get("10.0"), values.get("90.0")

    def day(ms: float | None) -> str | None:
        return None if ms is None else datetime.fromtimestamp(ms / 1000, timezone.utc).date().isoformat()

    return {"dated": int(aggs["dated"]["value"]), "p10": day(low), "p90": day(high),
            "days": None if low is None or high is None else (high - low) / 86_400_000}


def title_years(es: Elasticsearch, alias: str, principal: Principal, years: list[str]) -> dict[str, int]:
    """How many visible records have each of ``years`` among their title words (the indexer writes a
    year in both eras, so Buddhist-era years find Gregorian titles too)."""
    filters = {y: {"term": {m.TITLE_WORDS: y}} for y in years}
    answer = es.search(index=index_for(alias, principal), size=0,
                       query={"bool": {"filter": [scope_for(principal).any]}},
                       aggs={"years": {"filters": {"filters": filters}}})
    buckets = answer["aggregations"]["years"]["buckets"]
    return {y: b["doc_count"] for y, b in buckets.items() if b["doc_count"]}


def with_title_years(es: Elasticsearch, alias: str, principal: Principal, years: list[str],
                     size: int = 100) -> list[dict]:
    """Visible records whose title words include one of ``years`` (as the indexer spells them: both
    the Buddhist-era and the Gregorian form are title words), redacted, for display."""
    query = {"bool": {"filter": [scope_for(principal).any, {"terms": {m.TITLE_WORDS: years}}]}}
    answer = es.search(index=index_for(alias, principal), query=query, size=size,
                       sort=[_NEWEST_FIRST, _STABLE], _source=_SOURCE)
    return [seen[0] for h in answer["hits"]["hits"] if (seen := _visible(h["_source"], principal))]
