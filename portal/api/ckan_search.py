"""CKAN ``package_search`` on top of ``portal.search.queries``: ``fq``, sort, paging and facets.

CKAN speaks in stored values (``data_category:"ข้อมูลสาธารณะ"``, ``res_format:CSV``) and Solr sorts; the
search module speaks in codes and named sorts. This module translates both ways and nothing else:
the query itself, with the caller's visibility scope, is built by ``queries.search``.
"""
from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from portal.api.args import CKAN_MAX_ROWS
from portal.api.ckan_dict import code_of, package_dict, stored_value
from portal.api.fq import FqError, parse_fq
from portal.auth.principal import Principal
from portal.search import queries
from portal.search.facets import BY_NAME

# CKAN/Solr sort clauses (the first one decides) → the search module's named sorts.
SORTS = {
    "score desc": "relevance",
    "rank desc": "relevance",
    "metadata_modified desc": "modified",
    "title_string asc": "title",
    # Stable orders harvesters page through (ours sends "metadata_created asc, name asc").
    "metadata_created asc": "created",
    "name asc": "name",
    "id asc": "id",
}
UNLIMITED_FACETS = 1000  # CKAN's facet.limit=-1


class SearchQueryError(ValueError):
    """CKAN's "Search Query Error": the request cannot be turned into a search."""


def translate_sort(sort: str) -> str:
    """``"score desc, metadata_modified desc"`` → ``"relevance"``; an unsupported sort is an error."""
    clauses = [" ".join(part.split()).lower() for part in (sort or "").split(",") if part.strip()]
    if not clauses:
        return "relevance"
    named = SORTS.get(clauses[0])
    if named is None:
        raise SearchQueryError(f"cannot sort by {sort!r}; supported: {', '.join(SORTS)}")
    return named


def translate_filters(fq: str, fq_list: list[str]) -> dict[str, list[str]]:
    """``fq`` (+ ``fq_list``, ANDed) → facet filters with codes, e.g. ``{"data_category": ["public"]}``."""
    filters: dict[str, list[str]] = {}
    for text in [fq, *fq_list]:
        try:
            parsed = parse_fq(text)
        except FqError as exc:
            raise SearchQueryError(f"fq: {exc}") from exc
        for field, values in parsed.items():
            facet = BY_NAME.get(field)
            if facet is None:
                raise SearchQueryError(f"fq: cannot filter on {field!r}; fields: {', '.join(BY_NAME)}")
            codes = [_code(field, v) for v in values]
            if field in filters:
                codes = [c for c in filters[field] if c in codes]
                if not codes:
                    raise SearchQueryError(f"fq: {field} cannot be two values at once (use OR)")
            filters[field] = codes
    return filters


def _code(field: str, value: str) -> str:
    facet = BY_NAME[field]
    if facet.codelist:
        return code_of(facet.codelist, value)
    return value.upper() if field == "res_format" else value


def _display(field: str, value: str, org_titles: dict[str, dict]) -> tuple[str, str]:
    """(CKAN value, display name) of a facet bucket."""
    if field == "organization":
        return value, (org_titles.get(value) or {}).get("title") or value
    facet = BY_NAME[field]
    shown = stored_value(facet.codelist, value) if facet.codelist else value
    return shown, shown


def _facets(result: queries.SearchResult, mincount: int, limit: int) -> tuple[dict, dict]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict] = {}
    for field, values in result.facets.items():
        items = []
        for value, count in values:
            if count < mincount:
                continue
            name, display = _display(field, value, result.organization_titles)
            items.append({"count": count, "display_name": display, "name": name})
        if limit > 0:
            items = sorted(items, key=lambda item: -item["count"])[:limit]
        facets[field] = {item["name"]: item["count"] for item in items}
        search_facets[field] = {"items": items, "title": field}
    return facets, search_facets


def _window(es: Elasticsearch, alias: str, params: queries.SearchParams, start: int, rows: int,
            principal: Principal) -> tuple[queries.SearchResult, list[dict]]:
    """Hits ``start … start+rows`` from page-based searches (two pages when ``start`` is unaligned)."""
    if rows == 0:
        params.page, params.size = 1, 0
        return queries.search(es, alias, params, principal, partial=False), []
    params.size = rows
    params.page = start // rows + 1
    first = queries.search(es, alias, params, principal, partial=False)
    skip = start % rows
    hits = first.hits[skip:]
    if skip and len(first.hits) == rows and first.total > params.page * rows:
        params.page += 1
        params.facets = ()
        hits += queries.search(es, alias, params, principal, partial=False).hits
    return first, hits[:rows]


def run_package_search(es: Elasticsearch, alias: str, args: dict[str, Any], principal: Principal) -> dict:
    """The ``result`` of CKAN's ``package_search`` for validated ``args`` (see ``args.PackageSearchArgs``)."""
    q = args["q"].strip()
    if q in ("*:*", "*"):
        q = ""
    wanted = tuple(dict.fromkeys(args["facet_field"])) if args["facet"] else ()
    limit = args["facet_limit"]
    params = queries.SearchParams(
        q=q,
        filters=translate_filters(args["fq"], args["fq_list"]),
        sort=translate_sort(args["sort"]),
        facets=wanted if limit != 0 else (),
        facet_size=UNLIMITED_FACETS if limit < 0 else limit,
    )
    result, hits = _window(es, alias, params, args["start"], min(args["rows"], CKAN_MAX_ROWS), principal)
    facets, search_facets = _facets(result, args["facet_mincount"], limit)
    return {
        "count": result.total,
        "facets": facets,
        "results": [package_dict(h["record"]) for h in hits],
        "sort": args["sort"],
        "search_facets": search_facets,
    }
