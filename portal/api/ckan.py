"""CKAN Action API v3 compatibility (``/api/3/action/<action>`` and ``/api/action/<action>``).

Read-only actions that catalogue clients use (``ckanapi``, harvesters, dashboards), with CKAN's
envelope (``help``, ``success``, ``result``), its error shape and HTTP status codes, and package dicts
shaped like the national catalogue's (see ``portal.api.ckan_dict``). Arguments come as a JSON body
(``ckanapi`` POSTs) or as query-string arguments (a browser's GET), exactly as CKAN takes them.
"""
from __future__ import annotations

from typing import Any, Callable

from elasticsearch import ApiError, ConnectionError as ESConnectionError, ConnectionTimeout, TransportError
from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import Schema, ValidationError

from portal.api import context
from portal.api.args import (PACKAGE_SEARCH_KNOWN, HelpArgs, IdArgs, PackageSearchArgs, PagingArgs,
                             ckan_input)
from portal.api.ckan_dict import organization_dict, package_dict
from portal.api.ckan_search import SearchQueryError, run_package_search
from portal.auth import current_principal
from portal.auth.principal import ANONYMOUS, Principal
from portal.errors import (CKAN_NOT_FOUND, CKAN_SEARCH_QUERY, CKAN_UNAVAILABLE, CKAN_VALIDATION,
                           ckan_bad_request, ckan_error, ckan_help_url)
from portal.search import queries

bp = Blueprint("api_ckan", __name__)

API_VERSION = 3
CKAN_COMPATIBLE_VERSION = "2.10.0"


class ActionError(Exception):
    """A CKAN failure: ``kind`` is one of the ``portal.errors.CKAN_*`` pairs."""

    def __init__(self, kind: tuple[str, int], message: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.kind, self.message, self.fields = kind, message, fields


def _load(schema: Schema, data: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ActionError(CKAN_VALIDATION, None, exc.messages) from exc


def _principal(include_private: bool) -> Principal:
    """CKAN's ``include_private``: private (here: sensitive) records only when asked *and* allowed."""
    return current_principal() if include_private else ANONYMOUS


# --- actions ---------------------------------------------------------------------------------------

def package_search(data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: ``q``, ``fq`` (``field:"value"``), ``facet.field``, ``facet.limit``,
    ``facet.mincount``, ``rows`` (≤ 1000), ``start``, ``sort``, ``include_private``."""
    unknown = sorted(set(data) - PACKAGE_SEARCH_KNOWN)
    if unknown:
        raise ActionError(CKAN_SEARCH_QUERY, f'Invalid "{unknown[0]}" parameter')
    args = _load(PackageSearchArgs(), data)
    try:
        return run_package_search(context.es(), context.alias(), args, _principal(args["include_private"]))
    except SearchQueryError as exc:
        raise ActionError(CKAN_SEARCH_QUERY, str(exc)) from exc
    except queries.ResultWindowExceeded as exc:
        raise ActionError(CKAN_VALIDATION, None, {"start": [str(exc)]}) from exc


def package_show(data: dict[str, Any]) -> dict[str, Any]:
    """One dataset by ``id`` or name (slug)."""
    args = _load(IdArgs(), data)
    record = queries.get_dataset(context.es(), context.alias(), args["id"], current_principal())
    if record is None:
        raise ActionError(CKAN_NOT_FOUND)
    return package_dict(record)


def _page(items: list, limit: int | None, offset: int) -> list:
    return items[offset:] if limit is None else items[offset:offset + limit]


def package_list(data: dict[str, Any]) -> list[str]:
    """Names of all datasets, alphabetically; ``limit``/``offset`` page through them."""
    args = _load(PagingArgs(), data)
    principal = _principal(args["include_private"])
    names = sorted(r.get("name") or r.get("id") for r in
                   queries.iter_records(context.es(), context.alias(), principal, batch=1000))
    return _page(names, args["limit"], args["offset"])


def _organization_row(row: dict, all_fields: bool) -> dict | str:
    if not all_fields:
        return row["slug"]
    org = organization_dict({"name": row["slug"], "title": row.get("title"), "title_en": row.get("title_en")})
    return {**org, "display_name": org["title"], "package_count": row["count"]}


_ORG_SORTS: dict[str, Callable[[dict], Any]] = {
    "name": lambda r: r["slug"], "title": lambda r: r.get("title") or r["slug"],
    "package_count": lambda r: r["count"],
}


def _sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    field, _, direction = sort.strip().partition(" ")
    if field not in _ORG_SORTS:
        raise ActionError(CKAN_VALIDATION, None, {"sort": [f"Cannot sort by field `{field}`"]})
    return sorted(rows, key=_ORG_SORTS[field], reverse=direction.strip().lower() == "desc")


def organization_list(data: dict[str, Any]) -> list:
    """Organizations with visible datasets: names, or dicts with ``all_fields``."""
    args = _load(PagingArgs(), data)
    rows = queries.organizations(context.es(), context.alias(), current_principal())
    rows = _sorted_rows(rows, args["sort"])
    return [_organization_row(r, args["all_fields"]) for r in _page(rows, args["limit"], args["offset"])]


def organization_show(data: dict[str, Any]) -> dict:
    """One organization by name (slug); ``include_datasets`` adds its ten latest datasets."""
    args = _load(IdArgs(), data)
    row = queries.organization(context.es(), context.alias(), args["id"], current_principal())
    if row is None:
        raise ActionError(CKAN_NOT_FOUND)
    org = _organization_row(row, True)
    if args["include_datasets"]:
        params = queries.SearchParams(filters={"organization": [row["slug"]]}, sort="modified", size=10,
                                      facets=())
        found = queries.search(context.es(), context.alias(), params, current_principal())
        org["packages"] = [package_dict(h["record"]) for h in found.hits]
    return org


def tag_list(data: dict[str, Any]) -> list:
    """Tags of datasets seen in full; ``query`` keeps tags containing it; ``all_fields`` adds counts."""
    args = _load(PagingArgs(), data)
    params = queries.SearchParams(size=0, facets=("tags",), facet_size=10_000)
    found = queries.search(context.es(), context.alias(), params, current_principal())
    needle = (args["query"] or args["q"]).casefold()
    tags = sorted((t, n) for t, n in found.facets.get("tags", []) if n > 0 and needle in t.casefold())
    tags = _page(tags, args["limit"], args["offset"])
    if args["all_fields"]:
        return [{"name": t, "display_name": t, "id": package_dict({"tags": [t]})["tags"][0]["id"],
                 "vocabulary_id": None, "count": n} for t, n in tags]
    return [t for t, _ in tags]


def group_list(data: dict[str, Any]) -> list:
    """Groups (themes) that open datasets belong to: names, or dicts with ``all_fields``."""
    args = _load(PagingArgs(), data)
    groups: dict[str, dict] = {}
    for record in queries.iter_records(context.es(), context.alias(), ANONYMOUS, batch=1000):
        for group in record.get("groups") or []:
            if group.get("name"):
                row = groups.setdefault(group["name"], {"group": group, "count": 0})
                row["count"] += 1
    names = _page(sorted(groups), args["limit"], args["offset"])
    if not args["all_fields"]:
        return names
    shaped = package_dict({"groups": [groups[n]["group"] for n in names]})["groups"]
    return [{**g, "package_count": groups[g["name"]]["count"], "type": "group", "is_organization": False,
             "state": "active", "approval_status": "approved"} for g in shaped]


def status_show(data: dict[str, Any]) -> dict:
    """What this site is and which CKAN API it answers."""
    about = context.catalog_about()
    return {
        "site_title": about["title_th"],
        "site_description": about["description_th"],
        "site_url": context.base_url(),
        "ckan_version": CKAN_COMPATIBLE_VERSION,
        "api_version": API_VERSION,
        "locale_default": "th",
        "extensions": ["gdc_catalog_search", "thai_gdc_schema_2.2.4", "dcat"],
        "gdc_version": current_app.config.get("GDC_VERSION", "0.1.0"),
    }


def help_show(data: dict[str, Any]) -> str:
    """The documentation of an action (``name``)."""
    args = _load(HelpArgs(), data)
    action = ACTIONS.get(args["name"])
    if action is None:
        raise ActionError(CKAN_NOT_FOUND, "Action function not found")
    return " ".join((action.__doc__ or "").split())


ACTIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    f.__name__: f for f in (package_search, package_show, package_list, organization_list, organization_show,
                            tag_list, group_list, status_show, help_show)
}


# --- the endpoint ----------------------------------------------------------------------------------

def ckan_success(action: str, result: Any) -> Response:
    """CKAN's success envelope (its failures are built in ``portal.errors``)."""
    return jsonify({"help": ckan_help_url(action), "success": True, "result": result})


def _request_data() -> dict[str, Any] | None:
    if request.method == "POST" and request.data:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return None
        return ckan_input(request.args, body)
    if request.method == "POST" and request.form:
        return {k: request.form.getlist(k)[-1] for k in request.form}
    return ckan_input(request.args, None)


@bp.route("/api/3/action/<action>", methods=["GET", "POST"])
@bp.route("/api/action/<action>", methods=["GET", "POST"])
def action(action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        return ckan_bad_request(action, f"Action name not known: {action}")
    data = _request_data()
    if data is None:
        return ckan_bad_request(action, "JSON Error: the request body must be a JSON object")
    try:
        return ckan_success(action, handler(data))
    except ActionError as exc:
        return ckan_error(action, exc.kind, exc.message, exc.fields)
    except (ESConnectionError, ConnectionTimeout, TransportError, ApiError):
        return ckan_error(action, CKAN_UNAVAILABLE, "search is temporarily unavailable")
