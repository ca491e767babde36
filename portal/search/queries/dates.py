"""How much the dates say (home page, the "modified" sort) and records by the years in their titles."""
from __future__ import annotations

from datetime import datetime, timezone

from elasticsearch import Elasticsearch

from indexer import mapping as m
from portal.auth.principal import Principal
from portal.auth.visibility import scope_for
from portal.search.queries.common import NEWEST_FIRST, SOURCE, STABLE, as_seen, index_for


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
                       sort=[NEWEST_FIRST, STABLE], _source=SOURCE)
    return [seen[0] for h in answer["hits"]["hits"] if (seen := as_seen(h["_source"], principal))]
