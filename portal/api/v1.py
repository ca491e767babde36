"""JSON API v1 under ``/api/v1/``: the search page's parameters and facet semantics, as JSON.

Open data needs no key; a Bearer token makes ``current_principal()`` the token's holder, whose grants
then decide what is visible (in the same query-construction code as the pages).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from marshmallow import Schema, ValidationError

from indexer import codelists, documents
from portal.api import context
from portal.api.args import V1ListArgs, V1SearchArgs, V1SuggestArgs
from portal.api.ckan_dict import code_of
from portal.api.openapi import openapi_document
from portal.auth import current_principal
from portal.errors import problem
from portal.search import queries
from portal.search.facets import BY_NAME, label
from portal.search.params import search_input

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _load(schema: Schema, data: dict[str, Any]) -> Any:
    try:
        return schema.load(data)
    except ValidationError as exc:
        abort(problem(400, "พารามิเตอร์ไม่ถูกต้อง — invalid parameters", exc.messages))


def _facet_rows(name: str, values: list[tuple[str, int]], org_titles: dict[str, dict]) -> list[dict]:
    rows = []
    for value, count in values:
        if name == "organization":
            titles = org_titles.get(value) or {}
            th = titles.get("title") or value
            labels = {"th": th, "en": titles.get("title_en") or th}
        else:
            labels = {"th": label(name, value, "th"), "en": label(name, value, "en")}
        rows.append({"value": value, "count": count, "label": labels})
    return rows


def _as_codes(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """The API also takes a code list's Thai or English label where the code is meant."""
    coded = {}
    for name, values in filters.items():
        codelist = BY_NAME[name].codelist
        coded[name] = list(dict.fromkeys(code_of(codelist, v) if codelist else v for v in values))
    return coded


@bp.get("/search")
def search():
    params, partial = _load(V1SearchArgs(), search_input(request.args))
    params.filters = _as_codes(params.filters)
    es, alias, who = context.es(), context.alias(), current_principal()
    result = queries.search(es, alias, params, who, partial=partial)
    extra = {"partial": [_item(h) for h in result.partial], "partial_total": result.partial_total} \
        if partial else {}
    if params.q and not result.total and not result.named:
        # nothing found: the correction a page would show, for a client to offer or to search
        if suggestion := queries.did_you_mean(es, alias, params.q, who, params):
            extra["did_you_mean"] = suggestion
    return jsonify({
        "q": params.q,
        "sort": params.sort,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
        "total": result.total,
        "all_words": result.all_words,
        "filters": params.filters,
        "results": [_item(h) for h in result.hits],
        "related": [{"tier": h["tier"], "dataset": h["record"], "highlights": dict(h["highlights"])}
                    for h in result.related],
        "facets": {name: _facet_rows(name, values, result.organization_titles)
                   for name, values in result.facets.items() if name in BY_NAME},
        **extra,
    })


def _item(hit: dict) -> dict:
    """A result as the API shows it; ``missing`` (the words of ``q`` it lacks) only when it lacks some."""
    return {"tier": hit["tier"], "dataset": hit["record"], "highlights": dict(hit["highlights"]),
            **({"missing": hit["missing"]} if hit["missing"] else {})}


@bp.get("/datasets/<id_or_slug>")
def dataset(id_or_slug: str):
    _load(V1ListArgs(), request.args.to_dict())
    record = queries.get_dataset(context.es(), context.alias(), id_or_slug, current_principal())
    if record is None:
        abort(404)
    tier = record.get("tier", "full")
    slug = record.get("name") or record.get("id")
    links = {"self": url_for("api_v1.dataset", id_or_slug=slug, _external=True),
             "ckan": url_for("api_ckan.action", action="package_show", id=record.get("id"), _external=True)}
    if tier == "full" and documents.is_open(record):
        for ext in ("ttl", "rdf", "jsonld"):
            links[f"dcat_{ext}"] = url_for("api_rdf.dataset", id_or_slug=slug, ext=ext, _external=True)
    return jsonify({"tier": tier, "dataset": record, "links": links})


@bp.get("/organizations")
def organizations():
    _load(V1ListArgs(), request.args.to_dict())
    rows = queries.organizations(context.es(), context.alias(), current_principal())
    return jsonify({"count": len(rows), "organizations": [_organization(r) for r in rows]})


def _organization(row: dict) -> dict:
    return {"slug": row["slug"], "title": row.get("title") or row["slug"], "title_en": row.get("title_en"),
            "count": row["count"],
            "datasets": url_for("api_v1.search", organization=row["slug"], _external=True)}


@bp.get("/organizations/<slug>")
def organization(slug: str):
    _load(V1ListArgs(), request.args.to_dict())
    row = queries.organization(context.es(), context.alias(), slug, current_principal())
    if row is None:
        abort(404)
    return jsonify({"organization": _organization(row)})


@bp.get("/suggest")
def suggest():
    args = _load(V1SuggestArgs(), request.args.to_dict())
    found = queries.suggest(context.es(), context.alias(), args["q"], current_principal(), args["size"])
    return jsonify({"q": args["q"], "suggestions": found})


@bp.get("/codelists")
def code_lists():
    _load(V1ListArgs(), request.args.to_dict())
    return jsonify(codelists.as_dict())


# --- insights (the same figures as /insights, /insights/quality and /organizations) ---------------------

@bp.get("/insights")
def insights():
    from portal.search import insights as figures_of
    from portal.views.insights import public_charts

    _load(V1ListArgs(), {k: v for k, v in request.args.to_dict().items() if k != "org_q"})
    figures = figures_of.public_insights(context.es(), context.alias())
    charts = public_charts(figures, (request.args.get("org_q") or "").strip()[:100])
    return jsonify({"scope": "open", "total": figures.total, "schedule": figures.schedule,
                    "charts": {name: [{k: r[k] for k in ("value", "label", "count", "url")} for r in rows]
                               for name, rows in charts.items()}})


@bp.get("/insights/quality")
def insights_quality():
    from portal.search import insights as figures_of
    from portal.search.params import parse_search_args
    from portal.views.insights import quality_rows

    principal = current_principal()
    if principal.is_anonymous:
        abort(problem(401, "ต้องเข้าสู่ระบบ — sign-in or an API token required"))
    try:
        params = parse_search_args({k: v for k, v in request.args.lists() if k != "sort"})
    except ValidationError as exc:
        abort(problem(400, "พารามิเตอร์ไม่ถูกต้อง — invalid parameters", exc.messages))
    figures = figures_of.quality(context.es(), context.alias(), principal, params)
    rows = quality_rows(figures, params, request.args.get("sort", "complete"))
    for row in rows["organizations"]:
        row.pop("worst", None)
    return jsonify({"scope": "full", "total": figures.total, **rows})


@bp.get("/insights/directory")
def insights_directory():
    from portal.views.directory import build

    _load(V1ListArgs(), request.args.to_dict())
    tree = build(queries.organizations(context.es(), context.alias(), current_principal()))

    def node(n) -> dict:
        a = n.agency
        return {"id": a.id, "th": a.th, "en": a.en or None, "abbr": list(a.abbr), "kind": a.kind,
                "count": n.total, "organizations": n.slugs, "children": [node(c) for c in n.children]}
    return jsonify({"total": tree.total, "agencies": [node(r) for r in tree.roots],
                    "not_yet_placed": [_organization(r) for r in tree.unplaced]})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(context.base_url()))


@bp.get("/")
def index():
    return jsonify({
        "openapi": url_for("api_v1.openapi", _external=True),
        "documentation": url_for("api_docs.index", _external=True),
        "endpoints": [url_for(f"api_v1.{name}", _external=True)
                      for name in ("search", "organizations", "code_lists")],
    })
