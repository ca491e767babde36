"""Single records and organizations: get-by-id (an invisible record is exactly a missing one) and the
organizations with visible records."""
from __future__ import annotations

from elasticsearch import Elasticsearch

from indexer import mapping as m
from portal.auth.principal import ANONYMOUS, Principal
from portal.auth.visibility import OPEN_FILTER, scope_for
from portal.search.cache import cached, cached_per_scope
from portal.search.queries.common import (SOURCE, as_seen, index_for, org_titles_agg, organization_titles,
                                          target)


ORGANIZATIONS_SIZE = 5000  # more than the country's agencies


def get_dataset(es: Elasticsearch, alias: str, id_or_slug: str, principal: Principal) -> dict | None:
    """The redacted record with this id or slug, or ``None``: an invisible record is a missing one."""
    if len(id_or_slug) > m.KEYWORD_MAX_LENGTH:
        return None  # never indexed; past Lucene's term limit Elasticsearch would refuse the query
    scope = scope_for(principal)
    key = {"bool": {"should": [{"term": {m.ID: id_or_slug}}, {"term": {m.NAME: id_or_slug}}],
                    "minimum_should_match": 1}}
    answer = es.search(index=target(alias, scope), query={"bool": {"filter": [scope.any, key]}}, size=2,
                       _source=SOURCE)
    hits = sorted(answer["hits"]["hits"], key=lambda h: h["_source"].get(m.ID) != id_or_slug)
    for h in hits:
        seen = as_seen(h["_source"], principal)
        if seen is not None:
            return seen[0]
    return None


def _organization_rows(es: Elasticsearch, alias: str, query: dict, size: int) -> list[dict]:
    aggs = {"values": {"terms": {"field": m.ORGANIZATION, "size": size}, "aggs": {"org": org_titles_agg()}}}
    answer = es.search(index=alias, query=query, size=0, aggs=aggs)
    agg = answer["aggregations"]
    titles = organization_titles(agg)
    return [{"slug": b["key"], "count": b["doc_count"], **titles[b["key"]]} for b in agg["values"]["buckets"]]


def organization_titles_for(es: Elasticsearch, alias: str, principal: Principal,
                            slugs: list[str]) -> dict[str, dict]:
    """``{slug: {title, title_en}}`` of these organizations, from records ``principal`` sees: one request,
    filters only (nothing is scored).

    Every visitor sees the same open records, so one map of the organizations of open records serves
    everybody for a short while (``portal.search.cache``): a visitor and a signed-in analyst alike (it
    holds nothing but what any visitor sees). An analyst's organizations with no open record come
    from a second map, of the organizations of the restricted records they see, shared only with those
    who see exactly the same records. An organization neither map knows (one that came since) is
    looked up among the records ``principal`` sees.
    """
    if not slugs:
        return {}
    known = cached(("organization_titles", alias), ANONYMOUS,
                   lambda: _titles(es, alias, ANONYMOUS, {"bool": {"filter": [scope_for(ANONYMOUS).any]}},
                                   ORGANIZATIONS_SIZE))
    found = {s: known[s] for s in slugs if s in known}
    missing = [s for s in slugs if s not in found]
    if missing and not principal.is_anonymous:
        restricted = {"bool": {"filter": [scope_for(principal).any], "must_not": [OPEN_FILTER]}}
        theirs = cached_per_scope(("restricted_organization_titles", alias), principal,
                                  lambda: _titles(es, alias, principal, restricted, ORGANIZATIONS_SIZE))
        found.update({s: theirs[s] for s in missing if s in theirs})
        missing = [s for s in missing if s not in found]
    if missing:
        query = {"bool": {"filter": [scope_for(principal).any, {"terms": {m.ORGANIZATION: missing}}]}}
        found.update(_titles(es, alias, principal, query, len(missing)))
    return found


def _titles(es: Elasticsearch, alias: str, principal: Principal, query: dict, size: int) -> dict[str, dict]:
    rows = _organization_rows(es, index_for(alias, principal), query, size)
    return {r["slug"]: {"title": r["title"], "title_en": r["title_en"]} for r in rows}


def organizations(es: Elasticsearch, alias: str, principal: Principal, size: int = ORGANIZATIONS_SIZE) -> list[dict]:
    """Organizations with at least one visible record, most records first: slug, title, title_en, count."""
    query = {"bool": {"filter": [scope_for(principal).any]}}
    return _organization_rows(es, index_for(alias, principal), query, size)


def organization(es: Elasticsearch, alias: str, slug: str, principal: Principal) -> dict | None:
    """One organization (slug, title, title_en, count) or ``None`` when it has no visible record."""
    if len(slug) > m.KEYWORD_MAX_LENGTH:
        return None
    query = {"bool": {"filter": [scope_for(principal).any, {"term": {m.ORGANIZATION: slug}}]}}
    rows = _organization_rows(es, index_for(alias, principal), query, 1)
    return rows[0] if rows else None
