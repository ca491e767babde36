"""Facet counts, as elasticsearch-dsl ``FacetedSearch`` does them: each facet's aggregation is filtered by
the *other* facets' selections (the selected values themselves go into the search's ``post_filter``), so
OR within a facet and AND across facets keep honest counts."""
from __future__ import annotations

from portal.auth.visibility import Scope
from portal.search.facets import Facet
from portal.search.queries.common import SearchParams, selected_filters


def facet_aggregation(facet: Facet, params: SearchParams, scope: Scope) -> dict:
    """One facet: counted under every *other* facet's selection, within the facet's tier."""
    restrict = selected_filters(params, scope, skip=facet.name)
    if not facet.name_tier:
        restrict.append(scope.full)
    # No organization titles here: a top_hits in every organization bucket scores the whole query again
    # per bucket (up to 90 % of a text search's time); ``results.search`` looks them up in one request.
    values = {"terms": {"field": facet.field, "size": params.facet_size or facet.size}}
    inner: dict = {"values": values}
    chosen = params.filters.get(facet.name)
    if chosen:
        # Selected values are counted even when they fall outside the top buckets. No
        # ``min_doc_count: 0``: a zero bucket would reveal that the value exists in unseen records.
        inner["selected"] = {"terms": {"field": facet.field, "include": sorted(set(chosen)),
                                       "size": len(set(chosen))}}
    return {"filter": {"bool": {"filter": restrict}}, "aggs": inner}


def facet_values(agg: dict, chosen: list[str]) -> list[tuple[str, int]]:
    values = [(b["key"], b["doc_count"]) for b in agg["values"]["buckets"]]
    present = {v for v, _ in values}
    counted = {b["key"]: b["doc_count"] for b in agg.get("selected", {}).get("buckets", [])}
    values += [(v, counted.get(v, 0)) for v in sorted(set(chosen)) if v not in present]
    return values
