"""Organization pages: the agency directory (ministry → department → unit), one agency's summary, and one
publisher's datasets with facets."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, render_template, request

from indexer import agencies
from portal.auth import current_principal
from portal.es import client
from portal.i18n import current_language, organization_name
from portal.search import queries
from portal.search.queries import SearchParams
from portal.views import directory
from portal.views.search import chips, facet_panels, parse_or_400, search_url

bp = Blueprint("organization", __name__)


# Summary dimensions of an agency page (facets of the search page) and how many stewards are read.
SUMMARY_FACETS = ("data_category", "update_frequency_unit", "res_format")
STEWARD_RECORDS = 2000


def display_title(org: dict) -> str:
    return organization_name(org, current_language())


def _directory() -> directory.Directory:
    rows = queries.organizations(client(), current_app.config["GDC_INDEX"], current_principal())
    return directory.build(rows)


@bp.get("/organization")
@bp.get("/organizations")
def index():
    q = (request.args.get("q") or "").strip()[:100]
    whole = _directory()
    shown = directory.narrow(whole, q)
    return render_template("organization/index.html", directory=shown, whole=whole, q=q,
                           lang=current_language())


def stewards(es, alias: str, slugs: list[str], who) -> list[dict]:
    """Contacts as the records state them (maintainer, e-mail), most frequent first. Only records seen in
    full carry them; at most ``STEWARD_RECORDS`` records are read."""
    seen: dict[tuple[str, str], int] = {}
    for n, record in enumerate(queries.iter_records(es, alias, who, organization=slugs)):
        if n >= STEWARD_RECORDS:
            break
        name, email = (record.get("maintainer") or "").strip(), (record.get("maintainer_email") or "").strip()
        if name or email:
            seen[(name, email)] = seen.get((name, email), 0) + 1
    return [{"name": k[0], "email": k[1], "count": v} for k, v in sorted(seen.items(), key=lambda kv: -kv[1])]


@bp.get("/organizations/<agency_id>")
def agency(agency_id: str):
    """One agency of the directory: what sits under it, its catalogue summary, its stewards."""
    node = _directory().by_id.get(agency_id)
    if node is None:
        abort(404)
    es, alias, who = client(), current_app.config["GDC_INDEX"], current_principal()
    slugs = node.all_slugs()
    within = SearchParams(filters={"organization": slugs}, size=0, facets=SUMMARY_FACETS)
    result = queries.search(es, alias, within, who)
    summary = [{"name": name, "values": [{"value": v, "count": n, "url": search_url(
        SearchParams(filters={"organization": slugs, name: [v]}))} for v, n in result.facets.get(name, [])]}
        for name in SUMMARY_FACETS]
    return render_template(
        "organization/agency.html", node=node, total=result.total, summary=summary, lang=current_language(),
        chain=agencies.ancestors(agency_id), stewards=stewards(es, alias, slugs, who),
        all_url=search_url(SearchParams(filters={"organization": slugs})))


@bp.get("/organization/<slug>")
def show(slug: str):
    es, alias, who = client(), current_app.config["GDC_INDEX"], current_principal()
    org = queries.organization(es, alias, slug, who)
    if org is None:
        abort(404)
    params, problem = parse_or_400()
    if problem:
        return problem
    params = replace(params, filters={k: v for k, v in params.filters.items() if k != "organization"})
    within = replace(params, filters={**params.filters, "organization": [slug]})
    result = queries.search(es, alias, within, who, source=queries.LIST_SOURCE, partial=False)
    panels = [p for p in facet_panels(result, params, endpoint="organization.show", slug=slug)
              if p["name"] != "organization"]
    placed = directory.place(org)
    return render_template(
        "organization/show.html", organization=org, title=display_title(org), params=params, result=result,
        chain=agencies.ancestors(placed.id) if placed else [],
        facets=panels, chips=chips(result, params, endpoint="organization.show", slug=slug),
        page_url=lambda **kw: search_url(params, endpoint="organization.show", slug=slug, **kw),
        sorts=tuple(queries.SORTS),
        clear_url=search_url(params, clear=True, endpoint="organization.show", slug=slug),
    )
