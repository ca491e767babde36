"""Whole result lists, read through one point in time: every visible record (sitemap, CKAN
``package_list``, the insights export) and every record of a search (CSV export, feeds)."""
from __future__ import annotations

from typing import Iterator

from elasticsearch import Elasticsearch

from analyzers.query import understand
from indexer.mapping import MAX_RESULT_WINDOW
from indexer.scan import point_in_time, scan
from portal.auth.principal import Principal
from portal.auth.visibility import scope_for
from portal.search.facets import BY_NAME
from portal.search.queries.common import (MACHINE_SORTS, SORTS, SOURCE, STABLE, SearchParams, as_seen,
                                          ordered, selected_filters, target)
from portal.search.queries.matching import match_query


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
    query = {"bool": {"filter": [scope.any, *selected_filters(params, scope)]}}
    for h in scan(es, target(alias, scope), size=batch, query=query, _source=SOURCE):
        seen = as_seen(h["_source"], principal)
        if seen is not None:
            yield seen[0]


EXPORT_LIMIT = MAX_RESULT_WINDOW


def iter_search(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
                limit: int = EXPORT_LIMIT, batch: int = 500) -> Iterator[dict]:
    """Every record of a search (``q`` and facet selections, in the search's order), redacted, at most
    ``limit``: the same query as :func:`search` without facets, paged through a point in time."""
    scope = scope_for(principal)
    plan = understand(params.q) if params.q.strip() else None
    matching = match_query(params.q, scope, plan)
    query = {"bool": {"must": [matching], "filter": selected_filters(params, scope)}}
    sort = (SORTS | MACHINE_SORTS)[params.sort]
    _, _, valued = ordered(matching, sort, scope)
    # A sort on a field records seen by name hide: those sorted by value first, then the others in id
    # order, as if they had none (see ``ordered``).
    phases = [(query, sort)] if valued is None else [
        ({"bool": {**query["bool"], "filter": [*query["bool"]["filter"], valued]}}, sort),
        ({"bool": {**query["bool"], "must_not": [valued]}}, [STABLE])]
    if limit <= 0:
        return
    sent = 0
    with point_in_time(es, target(alias, scope)) as pit:
        for phase_query, phase_sort in phases:
            for h in pit.hits(size=min(batch, limit), sort=phase_sort, query=phase_query, _source=SOURCE):
                seen = as_seen(h["_source"], principal)
                if seen is not None:
                    sent += 1
                    yield seen[0]
                    if sent >= limit:
                        return
