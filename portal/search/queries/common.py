"""What every query shares: the search as asked (``SearchParams``) and its answer (``SearchResult``),
the sorts, the indices a principal reads, the selected facets as filters, and every hit read through
the visibility rules (``as_seen``)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from indexer import agencies, mapping as m
from indexer.mapping import MAX_RESULT_WINDOW
from portal.auth.principal import Principal
from portal.auth.visibility import NOTHING, Scope, access_tier, redact, scope_for
from portal.search.facets import FACETS, Facet


MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# What a hit must carry so that ``access_tier`` can decide, plus the record to display.
SOURCE = [m.ID, m.NAME, m.VISIBILITY, m.DATA_CATEGORY, m.CLASSIFICATION_LEVEL, m.ORGANIZATION,
          m.QUALITY_SCORE, m.RECORD]
# What a result list on a page shows of a record (``dataset_item`` in templates/search/_macros.html and
# the highlights), with what ``access_tier`` reads: a page fetches no more. A record's quality report
# and its resources' names and URLs are most of its size; the JSON API, CKAN and DCAT show whole records.
LIST_SOURCE = [*(f for f in SOURCE if f != m.RECORD), *(f"{m.RECORD}.{f}" for f in (
    "id", "name", "title", "title_en", "notes", "notes_en", "organization", "data_category", "data_type",
    "update_frequency_unit", "geo_coverage", "derived", "resources.format", "last_updated_date",
    "metadata_modified", "quality.score"))]
NEWEST_FIRST = {m.METADATA_MODIFIED: {"order": "desc", "missing": "_last"}}
STABLE = {m.ID: "asc"}
SORTS: dict[str, list] = {
    "relevance": ["_score", NEWEST_FIRST, STABLE],
    "modified": [NEWEST_FIRST, "_score", STABLE],
    "title": [{m.TITLE_SORT: {"order": "asc", "missing": "_last"}}, STABLE],
}
# Orders only machine clients ask for (CKAN harvesters page with them): not offered on the pages.
MACHINE_SORTS: dict[str, list] = {
    "created": [{m.METADATA_CREATED: {"order": "asc", "missing": "_last"}}, STABLE],
    "name": [{m.NAME: "asc"}, STABLE],
    "id": [STABLE],
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
    # Records related by meaning that no word finds (semantic layer, last page only; counted apart).
    related: list[dict] = field(default_factory=list)
    # The query is the id, name or link of a record on this page (first): no "every word" to speak of.
    named: bool = False

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_RESULT_WINDOW)
        return max(1, math.ceil(reachable / self.size)) if self.size else 1


# --- the principal's records ---------------------------------------------------------------------

def _selection(facet: Facet, values: list[str], scope: Scope) -> dict:
    """The filter for one facet's selected values (OR within the facet).

    Only name-tier fields may select records seen by name; filtering a name-only record by its
    tags or formats would reveal them.
    """
    clause = {"terms": {facet.field: values}}
    if facet.name_tier:
        return clause
    return {"bool": {"filter": [clause, scope.full]}}


def selected_filters(params: SearchParams, scope: Scope, skip: str | None = None) -> list[dict]:
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


def as_seen(source: dict, principal: Principal) -> tuple[dict, str] | None:
    """A hit's record as ``principal`` may see it, with its tier; ``None`` when it may not."""
    tier = access_tier(principal, source)
    record = redact(source.get(m.RECORD) or {}, tier)
    return (record, tier) if record is not None and tier else None


# --- sorting records seen by name ------------------------------------------------------------------

def _sort_key(clause: Any) -> str:
    return clause if isinstance(clause, str) else next(iter(clause))


def ordered(query: dict, sort: list, scope: Scope) -> tuple[dict, list, dict | None]:
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


# --- organization names in aggregations -------------------------------------------------------------

def org_titles_agg() -> dict:
    return {"top_hits": {"size": 1, "_source": {"includes": [f"{m.RECORD}.organization"]}}}


def organization_titles(agg: dict) -> dict[str, dict]:
    titles = {}
    for bucket in agg["values"]["buckets"] + agg.get("selected", {}).get("buckets", []):
        hits = bucket["org"]["hits"]["hits"]
        org = (hits[0]["_source"].get(m.RECORD) or {}).get("organization") or {} if hits else {}
        # An English name the record lacks comes from the reviewed agency file (indexer/agencies.json).
        title_en = (org.get("title_en") or agencies.english_name(bucket["key"])
                    or agencies.english_name(org.get("title")))
        titles[bucket["key"]] = {"title": org.get("title") or bucket["key"], "title_en": title_en}
    return titles
