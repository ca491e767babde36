"""Insights: public figures over open records (``/insights``), the quality view for analysts and
administrators (``/insights/quality``, its CSV export) and the records behind every figure.

Charts are SVG drawn by the templates (``templates/insights/_charts.html``) from the rows built here;
each row carries the link to the matching records, and the same rows fill the table alternative.
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any, Callable

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from marshmallow import ValidationError

from indexer import agencies
from indexer.schemas.quality import MANDATORY_ITEMS
from portal.auth import current_principal
from portal.auth.context import signed_in_or_redirect
from portal.es import client
from portal.i18n import code_label, current_language, field_label, format_month
from portal.search import insights
from portal.search.facets import BY_NAME, FACETS
from portal.search.insights import Narrowing
from portal.search.params import parse_search_args
from portal.search.queries import SearchParams
from portal.views.search import facet_title, search_url

bp = Blueprint("insights", __name__)

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ITEMS = tuple(name for _n, name, _c in MANDATORY_ITEMS)
QUALITY_SORTS: dict[str, Callable[[insights.OrganizationQuality], Any]] = {
    "complete": lambda o: (o.complete, -o.count), "count": lambda o: -o.count,
    "overdue": lambda o: -o.overdue, "duplicates": lambda o: -o.duplicates,
}
MONTH_TITLES = {"created": lazy_gettext("ชุดข้อมูลใหม่รายเดือน"),
                "modified": lazy_gettext("ชุดข้อมูลที่ปรับปรุงรายเดือน")}


def value_label(name: str, value: str) -> str:
    return value if name == "res_format" else code_label(name, value)


def organization_label(row: dict, lang: str | None = None) -> str:
    lang = lang or current_language()
    if lang == "en":
        return row.get("title_en") or agencies.english_name(row["slug"]) or row.get("title") or row["slug"]
    return row.get("title") or row["slug"]


def records_url(public: bool, params: SearchParams | None = None, **narrowing: str) -> str:
    """The records behind a figure; facet selections become the search page's parameters."""
    args: list[tuple[str, str]] = [(f.name, v) for f, values in (params or SearchParams()).selected()
                                   for v in values]
    args += [(k, v) for k, v in narrowing.items() if v]
    endpoint = "insights.public_records" if public else "insights.quality_records"
    from urllib.parse import urlencode

    base = url_for(endpoint)
    return f"{base}?{urlencode(args)}" if args else base


def _facet_params() -> SearchParams:
    """The search facets selected in the query string (the figures' own parameters are read apart)."""
    facets = {name: request.args.getlist(name) for name in BY_NAME if name in request.args}
    try:
        return parse_search_args(facets, strict=False)
    except ValidationError:
        abort(400)


def _narrowing() -> Narrowing:
    values = {k: (request.args.get(k) or "").strip() or None for k in
              ("created", "modified", "due", "gap", "finding", "title_key")}
    for k in ("created", "modified"):
        if values[k] and not _MONTH.match(values[k]):
            abort(400)
    if values["due"] and values["due"] not in insights.DUE_STATES:
        abort(400)
    if values["gap"] and values["gap"] not in ITEMS:
        abort(400)
    return Narrowing(**values)


# --- public insights -------------------------------------------------------------------------------

def _bars(rows: list[tuple[str, int]], label: Callable[[str], str], link: Callable[[str], str]) -> list[dict]:
    return [{"value": v, "label": label(v), "count": n, "url": link(v)} for v, n in rows]


def _under(row: dict, agency_ids: set[str]) -> bool:
    """True when the organization is one of ``agency_ids`` or sits below one of them."""
    placed = agencies.find(row["slug"]) or agencies.find(row.get("title"))
    return bool(placed) and any(a.id in agency_ids for a in agencies.ancestors(placed.id))


def public_charts(figures: insights.PublicInsights, org_q: str) -> dict[str, Any]:
    """Chart rows for the public page (and the JSON API)."""
    orgs = figures.organizations
    if org_q:
        wanted = agencies.key(org_q)
        matched = {a.id for a in agencies.matches(org_q)}
        orgs = [o for o in orgs if wanted in agencies.key(organization_label(o, "th"))
                or wanted in agencies.key(organization_label(o, "en")) or _under(o, matched)]
    charts = {"organization": [{"value": o["slug"], "label": organization_label(o), "count": o["count"],
                                "url": search_url(SearchParams(filters={"organization": [o["slug"]]}))}
                               for o in orgs[:insights.TOP_ORGANIZATIONS]]}
    for name, _field in insights.DIMENSIONS:
        charts[name] = _bars(figures.dimensions[name], lambda v, n=name: value_label(n, v),
                             lambda v, n=name: search_url(SearchParams(filters={n: [v]})))
    for name in insights.MONTH_FIELDS:
        charts[name] = _bars(figures.months[name], format_month, lambda v, n=name: records_url(True, **{n: v}))
    labels = {"on_time": gettext("ปรับปรุงทันตามความถี่ที่ประกาศ"), "overdue": gettext("เลยกำหนดปรับปรุง")}
    charts["schedule"] = [{"value": s, "label": labels[s], "count": figures.schedule[s],
                           "url": records_url(True, due=s)} for s in insights.DUE_STATES]
    return charts


@bp.get("/insights")
def public():
    org_q = (request.args.get("org_q") or "").strip()[:100]
    figures = insights.public_insights(client(), current_app.config["GDC_INDEX"])
    charts = public_charts(figures, org_q)
    return render_template("insights/public.html", figures=figures, charts=charts, org_q=org_q,
                           month_titles=MONTH_TITLES, facet_title=facet_title)


def _records_page(public: bool):
    params, narrowing = _facet_params(), _narrowing()
    if public and narrowing.needs_full:
        abort(400)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    result = insights.records(client(), current_app.config["GDC_INDEX"], current_principal(), params,
                              narrowing, public=public, page=page)
    described = _describe(params, narrowing)
    here = {k: v for k, v in vars(narrowing).items() if v}
    return render_template("insights/records.html", result=result, described=described, public=public,
                           page_url=lambda page: records_url(public, params, **here, page=str(page)))


def _describe(params: SearchParams, narrowing: Narrowing) -> list[str]:
    """The figure's conditions in words, for the records page's heading."""
    out = [f"{facet_title(f.name)}: {', '.join(value_label(f.name, v) for v in values)}"
           for f, values in params.selected() if f.name != "organization"]
    for slug in params.filters.get("organization", []):
        agency = agencies.find(slug)
        out.append(f"{facet_title('organization')}: {agency.name(current_language()) if agency else slug}")
    if narrowing.created:
        out.append(gettext("สร้างใหม่ในเดือน %(m)s", m=format_month(narrowing.created)))
    if narrowing.modified:
        out.append(gettext("ปรับปรุงในเดือน %(m)s", m=format_month(narrowing.modified)))
    if narrowing.due == "overdue":
        out.append(gettext("เลยกำหนดปรับปรุงตามความถี่ที่ประกาศ"))
    elif narrowing.due == "on_time":
        out.append(gettext("ปรับปรุงทันตามความถี่ที่ประกาศ"))
    if narrowing.gap:
        out.append(gettext("ยังไม่ครบรายการบังคับ: %(item)s", item=field_label(narrowing.gap)))
    if narrowing.finding:
        out.append(gettext("ข้อสังเกต: %(f)s", f=finding_words(narrowing.finding)))
    if narrowing.title_key:
        out.append(gettext("ชื่อชุดข้อมูลซ้ำกัน"))
    return out


@bp.get("/insights/records")
def public_records():
    return _records_page(public=True)


# --- the quality view ------------------------------------------------------------------------------

def finding_words(key: str, lang: str | None = None) -> str:
    """A finding key (``rule:field``) in words: ``mandatory_missing:maintainer`` → "ไม่ได้ระบุ ผู้ติดต่อ …"."""
    from indexer.schemas.problems import MESSAGES

    rule, _, fld = key.partition(":")
    lang = lang or current_language()
    template = MESSAGES.get(rule)
    if template is None:
        return key
    text = template[1] if lang == "th" else template[2]
    # a resource's finding counts records, whichever resource it was: "resource has no URL"
    named = "" if fld == "resources" else field_label(fld, lang)
    try:
        return " ".join(text.format_map(_Blank(field=named)).split())
    except (KeyError, ValueError, IndexError):
        return key


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _quality_guard():
    if (response := signed_in_or_redirect()) is not None:
        return response
    return None


def quality_rows(figures: insights.Quality, params: SearchParams, sort: str) -> dict[str, Any]:
    """Rows of the quality view (and its JSON): organizations with item completeness, findings, overdue."""
    orgs = sorted(figures.organizations, key=QUALITY_SORTS.get(sort, QUALITY_SORTS["complete"]))
    lang = current_language()

    def within(slug: str) -> SearchParams:
        return SearchParams(filters={**params.filters, "organization": [slug]})
    rows = []
    for o in orgs:
        row = {"slug": o.slug, "label": organization_label(vars(o), lang), "count": o.count,
               "complete": o.complete, "score": round(o.score) if o.score is not None else None,
               "overdue": o.overdue, "scheduled": o.scheduled, "duplicates": o.duplicates,
               "records_url": records_url(False, within(o.slug)),
               "overdue_url": records_url(False, within(o.slug), due="overdue"),
               "duplicates_url": records_url(False, within(o.slug), finding="duplicate_title:title"),
               "items": [{"item": item, "missing": o.gaps.get(item, 0),
                          "url": records_url(False, within(o.slug), gap=item)} for item in ITEMS],
               "worst": sorted(((o.gaps.get(i, 0), i) for i in ITEMS), reverse=True)[:3]}
        rows.append(row)
    return {
        "organizations": rows,
        "gaps": [{"item": g, "label": field_label(g), "count": n, "url": records_url(False, params, gap=g)}
                 for g, n in figures.gaps],
        "findings": [{"key": k, "label": finding_words(k), "count": n,
                      "url": records_url(False, params, finding=k)} for k, n in figures.findings],
        "overdue": {"count": figures.overdue, "scheduled": figures.scheduled,
                    "url": records_url(False, params, due="overdue")},
        "duplicates": [{"title": d["records"][0]["title"] if d["records"] else "", "count": d["count"],
                        "url": records_url(False, params, title_key=d["key"]), "records": d["records"]}
                       for d in figures.duplicate_titles],
    }


@bp.get("/insights/quality")
def quality():
    if (response := _quality_guard()) is not None:
        return response
    params = _facet_params()
    sort = request.args.get("sort", "complete")
    figures = insights.quality(client(), current_app.config["GDC_INDEX"], current_principal(), params)
    rows = quality_rows(figures, params, sort)
    filters = [{"name": f.name, "values": figures_facet_values(f.name, params)} for f in FACETS
               if f.name in ("data_category", "update_frequency_unit", "data_type")]
    return render_template("insights/quality.html", figures=figures, rows=rows, params=params, sort=sort,
                           sorts=tuple(QUALITY_SORTS), items=ITEMS, filters=filters,
                           csv_url=records_url(False, params).replace("/insights/quality/records",
                                                                      "/insights/quality.csv"),
                           sort_url=lambda s: _quality_url(params, sort=s))


def figures_facet_values(name: str, params: SearchParams) -> list[dict]:
    """The filter choices of the quality view: the code list's values, each a toggle link."""
    from indexer import codelists

    chosen = set(params.filters.get(name, []))
    out = []
    for entry in codelists.code_list(name).entries:
        filters = {k: list(v) for k, v in params.filters.items()}
        values = filters.setdefault(name, [])
        values.remove(entry.code) if entry.code in values else values.append(entry.code)
        out.append({"value": entry.code, "label": code_label(name, entry.code), "selected": entry.code in chosen,
                    "url": _quality_url(SearchParams(filters={k: v for k, v in filters.items() if v}),
                                        sort=request.args.get("sort"))})
    return out


def _quality_url(params: SearchParams, sort: str | None = None) -> str:
    from urllib.parse import urlencode

    args = [(f.name, v) for f, values in params.selected() for v in values]
    if sort:
        args.append(("sort", sort))
    base = url_for("insights.quality")
    return f"{base}?{urlencode(args)}" if args else base


@bp.get("/insights/quality/records")
def quality_records():
    if (response := _quality_guard()) is not None:
        return response
    return _records_page(public=False)


CSV_COLUMNS = ("organization", "organization_title", "dataset_id", "dataset_title", "finding", "field",
               "message_th", "message_en")


def findings_csv(records) -> str:
    """The findings of ``records`` as CSV text (a UTF-8 byte-order mark is added by the response)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        org = record.get("organization") or {}
        for finding in (record.get("quality") or {}).get("findings") or []:
            writer.writerow([org.get("name"), org.get("title"), record.get("id"), record.get("title"),
                             finding.get("rule"), finding.get("field"), finding.get("message_th"),
                             finding.get("message_en")])
    return out.getvalue()


@bp.get("/insights/quality.csv")
def quality_csv():
    if (response := _quality_guard()) is not None:
        return response
    params = _facet_params()
    found = insights.iter_findings(client(), current_app.config["GDC_INDEX"], current_principal(), params)
    body = "\ufeff" + findings_csv(found)
    return Response(body.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=gdc-quality-findings.csv",
                             "Content-Type": "text/csv; charset=utf-8"})
