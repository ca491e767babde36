"""Requests of the governance views: the agency directory's summaries, public insights, the quality view.

Like ``portal.search.queries`` (whose building blocks these reuse), every request carries the one
visibility filter, ``scope_for(principal)``, inside its query:

- public insights count **open records only** — the anonymous visitor's scope, whoever asks;
- the quality view counts the records its reader sees **in full** (``scope.full``): findings describe
  fields the name tier does not disclose;
- directory counts are ``queries.organizations`` (``scope.any``: name-tier principals count what they see).

Each figure is one aggregation bucket, so a test can check it with one ``count`` request using the
same filters (``figure_filter``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch

from indexer import mapping as m
from portal.auth.principal import ANONYMOUS, Principal
from portal.auth.visibility import scope_for
from portal.search import queries
from portal.search.facets import BY_NAME
from portal.search.highlights import highlights
from portal.search.queries import SearchParams

TOP_ORGANIZATIONS = 20
# Every kind of finding the indexer gives (a rule and an item: fewer than a hundred), so a rare one — a
# resource without a link, a data type the files tell — is never cut from the steward's view.
FINDING_KINDS = 100
MONTHS_SHOWN = 24
RECORDS_PAGE_SIZE = 50
DUPLICATE_GROUPS = 50
# Insight dimensions: (name, index field); the name is also the search page's facet parameter.
DIMENSIONS = (("data_category", m.DATA_CATEGORY), ("data_type", m.DATA_TYPE), ("res_format", m.RES_FORMAT),
              ("update_frequency_unit", m.UPDATE_FREQUENCY_UNIT))
MONTH_FIELDS = {"created": m.METADATA_CREATED, "modified": m.METADATA_MODIFIED}
DUE_STATES = ("on_time", "overdue")
# One bucket per Bangkok calendar month (the portal's dates are Thai dates).
TIME_ZONE = "+07:00"


@dataclass(frozen=True)
class Narrowing:
    """What a figure's link narrows to, beyond the search facets: a month, a schedule state, a
    mandatory item not met, a finding, or a duplicated title (its sort key)."""

    created: str | None = None      # YYYY-MM
    modified: str | None = None     # YYYY-MM
    due: str | None = None          # on_time | overdue
    gap: str | None = None          # a mandatory item's field name
    finding: str | None = None      # rule:field
    title_key: str | None = None

    def clauses(self) -> list[dict]:
        out: list[dict] = []
        for name, value in (("created", self.created), ("modified", self.modified)):
            if value:
                out.append({"range": {MONTH_FIELDS[name]: {"gte": f"{value}-01", "lt": f"{value}-01||+1M",
                                                            "format": "yyyy-MM-dd", "time_zone": TIME_ZONE}}})
        if self.due:
            out.append(due_clause(self.due))
        if self.gap:
            out.append({"term": {m.QUALITY_GAPS: self.gap}})
        if self.finding:
            out.append({"term": {m.QUALITY_FINDINGS: self.finding}})
        if self.title_key:
            out.append({"term": {m.TITLE_SORT: self.title_key}})
        return out

    @property
    def needs_full(self) -> bool:
        """Narrowing by quality fields reads what only full access discloses."""
        return bool(self.gap or self.finding or self.title_key)


def due_clause(state: str) -> dict:
    """Records whose next declared update is still ahead (on time) or already past (overdue)."""
    return {"range": {m.UPDATE_DUE: {"gte": "now"} if state == "on_time" else {"lt": "now"}}}


def _facet_clauses(params: SearchParams) -> list[dict]:
    return [{"terms": {f.field: values}} for f, values in params.selected()]


def figure_filter(scope_filter: dict, params: SearchParams | None = None,
                  narrowing: Narrowing | None = None) -> dict:
    """The query of one figure: the scope, the selected facets, and the narrowing."""
    return {"bool": {"filter": [scope_filter, *_facet_clauses(params or SearchParams()),
                                *(narrowing or Narrowing()).clauses()]}}


def open_scope() -> dict:
    """Open records only: the anonymous visitor's scope, whoever asks."""
    return scope_for(ANONYMOUS).full


def full_scope(principal: Principal) -> dict:
    return scope_for(principal).full


def _org_titles() -> dict:
    return {"top_hits": {"size": 1, "_source": {"includes": [f"{m.RECORD}.organization"]}}}


def _buckets(agg: dict) -> list[tuple[str, int]]:
    return [(b.get("key_as_string") or b["key"], b["doc_count"]) for b in agg["buckets"]]


def _titles(buckets: list[dict]) -> dict[str, dict]:
    out = {}
    for b in buckets:
        hits = b["org"]["hits"]["hits"]
        org = ((hits[0]["_source"].get(m.RECORD) or {}).get("organization") or {}) if hits else {}
        out[b["key"]] = {"title": org.get("title") or b["key"], "title_en": org.get("title_en")}
    return out


# --- public insights -------------------------------------------------------------------------------

@dataclass
class PublicInsights:
    total: int
    organizations: list[dict]                      # slug, title, title_en, count — every organization
    dimensions: dict[str, list[tuple[str, int]]]
    schedule: dict[str, int]                       # on_time, overdue, scheduled (records with a due date)
    months: dict[str, list[tuple[str, int]]]       # created / modified: [(YYYY-MM, count)], oldest first


def public_body(params: SearchParams | None = None) -> dict:
    aggs: dict[str, Any] = {
        "organizations": {"terms": {"field": m.ORGANIZATION, "size": 5000}, "aggs": {"org": _org_titles()}},
        **{name: {"terms": {"field": fld, "size": 30}} for name, fld in DIMENSIONS},
        "schedule": {"filters": {"filters": {s: due_clause(s) for s in DUE_STATES}}},
        **{name: {"date_histogram": {"field": fld, "calendar_interval": "month", "format": "yyyy-MM",
                                     "time_zone": TIME_ZONE, "min_doc_count": 1}}
           for name, fld in MONTH_FIELDS.items()},
    }
    return {"query": figure_filter(open_scope(), params), "size": 0, "track_total_hits": True, "aggs": aggs}


def public_insights(es: Elasticsearch, alias: str, params: SearchParams | None = None) -> PublicInsights:
    """Figures over the open records (the same for every visitor)."""
    answer = es.search(index=m.open_alias(alias), **public_body(params))
    aggs = answer["aggregations"]
    buckets = aggs["organizations"]["buckets"]
    titles = _titles(buckets)
    orgs = [{"slug": b["key"], "count": b["doc_count"], **titles[b["key"]]} for b in buckets]
    schedule = {s: aggs["schedule"]["buckets"][s]["doc_count"] for s in DUE_STATES}
    schedule["scheduled"] = sum(schedule.values())
    return PublicInsights(
        total=answer["hits"]["total"]["value"], organizations=orgs,
        dimensions={name: _buckets(aggs[name]) for name, _ in DIMENSIONS}, schedule=schedule,
        months={name: _buckets(aggs[name])[-MONTHS_SHOWN:] for name in MONTH_FIELDS})


# --- the quality view ------------------------------------------------------------------------------

@dataclass
class OrganizationQuality:
    slug: str
    title: str
    title_en: str | None
    count: int
    gaps: dict[str, int]          # mandatory item field → records not meeting it
    overdue: int
    scheduled: int
    duplicates: int               # records with a duplicate_title finding
    score: float | None           # mean quality score

    @property
    def complete(self) -> int:
        """Item-level completeness in percent: met items over all items of all records."""
        from indexer.schemas.quality import MANDATORY_COUNT

        total = self.count * MANDATORY_COUNT
        return round(100 * (total - sum(self.gaps.values())) / total) if total else 0


@dataclass
class Quality:
    total: int
    organizations: list[OrganizationQuality]
    gaps: list[tuple[str, int]]
    findings: list[tuple[str, int]]
    overdue: int
    scheduled: int
    duplicate_titles: list[dict] = field(default_factory=list)   # key, count, records [{id, name, title, org}]


def quality_body(principal: Principal, params: SearchParams | None = None) -> dict:
    per_org = {
        "gaps": {"terms": {"field": m.QUALITY_GAPS, "size": 20}},
        "overdue": {"filter": due_clause("overdue")},
        "scheduled": {"filter": {"exists": {"field": m.UPDATE_DUE}}},
        "duplicates": {"filter": {"term": {m.QUALITY_FINDINGS: "duplicate_title:title"}}},
        "score": {"avg": {"field": m.QUALITY_SCORE}},
        "org": _org_titles(),
    }
    return {
        "query": figure_filter(full_scope(principal), params), "size": 0, "track_total_hits": True,
        "aggs": {
            "organizations": {"terms": {"field": m.ORGANIZATION, "size": 5000}, "aggs": per_org},
            "gaps": {"terms": {"field": m.QUALITY_GAPS, "size": 20}},
            "findings": {"terms": {"field": m.QUALITY_FINDINGS, "size": FINDING_KINDS}},
            "overdue": {"filter": due_clause("overdue")},
            "scheduled": {"filter": {"exists": {"field": m.UPDATE_DUE}}},
            "duplicate_titles": {
                "terms": {"field": m.TITLE_SORT, "min_doc_count": 2, "size": DUPLICATE_GROUPS},
                "aggs": {"records": {"top_hits": {"size": 5, "_source": {"includes": [
                    m.ID, m.NAME, f"{m.RECORD}.title", f"{m.RECORD}.organization"]}}}}},
        },
    }


def quality(es: Elasticsearch, alias: str, principal: Principal, params: SearchParams | None = None) -> Quality:
    """Completeness, findings, overdue records and duplicate titles over what ``principal`` sees in full."""
    aggs_answer = es.search(index=queries.index_for(alias, principal), **quality_body(principal, params))
    aggs = aggs_answer["aggregations"]
    buckets = aggs["organizations"]["buckets"]
    titles = _titles(buckets)
    orgs = [OrganizationQuality(
        slug=b["key"], count=b["doc_count"], gaps=dict(_buckets(b["gaps"])), overdue=b["overdue"]["doc_count"],
        scheduled=b["scheduled"]["doc_count"], duplicates=b["duplicates"]["doc_count"],
        score=b["score"]["value"], **titles[b["key"]]) for b in buckets]
    duplicates = []
    for b in aggs["duplicate_titles"]["buckets"]:
        records = []
        for h in b["records"]["hits"]["hits"]:
            src = h["_source"]
            rec = src.get(m.RECORD) or {}
            records.append({"id": src.get(m.ID), "name": src.get(m.NAME), "title": rec.get("title"),
                            "organization": rec.get("organization") or {}})
        duplicates.append({"key": b["key"], "count": b["doc_count"], "records": records})
    return Quality(total=aggs_answer["hits"]["total"]["value"], organizations=orgs, gaps=_buckets(aggs["gaps"]),
                   findings=_buckets(aggs["findings"]), overdue=aggs["overdue"]["doc_count"],
                   scheduled=aggs["scheduled"]["doc_count"], duplicate_titles=duplicates)


# --- the records behind a figure -------------------------------------------------------------------

def records(es: Elasticsearch, alias: str, principal: Principal, params: SearchParams, narrowing: Narrowing,
            public: bool, page: int = 1) -> queries.SearchResult:
    """One page of the records a figure counts (open records for public figures, full view otherwise)."""
    scope = open_scope() if public else full_scope(principal)
    start = (page - 1) * RECORDS_PAGE_SIZE
    if page < 1 or start + RECORDS_PAGE_SIZE > m.MAX_RESULT_WINDOW:
        raise queries.ResultWindowExceeded(page, RECORDS_PAGE_SIZE)
    index = m.open_alias(alias) if public else queries.index_for(alias, principal)
    answer = es.search(index=index, query=figure_filter(scope, params, narrowing), from_=start,
                       size=RECORDS_PAGE_SIZE, track_total_hits=True, _source=queries.SOURCE,
                       sort=queries.SORTS["modified"])
    hits = []
    for h in answer["hits"]["hits"]:
        seen = queries.as_seen(h["_source"], principal if not public else ANONYMOUS)
        if seen is not None:
            record, tier = seen
            hits.append({"id": h["_source"].get(m.ID), "record": record, "tier": tier, "score": None,
                         "highlights": highlights(record, tier, None)})
    return queries.SearchResult(total=answer["hits"]["total"]["value"], hits=hits, facets={}, page=page,
                                size=RECORDS_PAGE_SIZE)


def iter_findings(es: Elasticsearch, alias: str, principal: Principal, params: SearchParams):
    """Every record seen in full (with the selected facets) that has findings: for the CSV export."""
    filters = {f.name: values for f, values in params.selected()}
    for record in queries.iter_records(es, alias, principal, **filters):
        if record.get("tier") == "name":
            continue
        yield record


def facet_names() -> tuple[str, ...]:
    return tuple(BY_NAME)
