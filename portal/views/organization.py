"""Organization pages: the list of publishers, and one publisher's datasets with facets."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, render_template

from portal.auth import current_principal
from portal.es import client
from portal.i18n import current_language, organization_name
from portal.search import queries
from portal.views.search import chips, facet_panels, parse_or_400, search_url

bp = Blueprint("organization", __name__)


def display_title(org: dict) -> str:
    return organization_name(org, current_language())


@bp.get("/organization")
def index():
    orgs = queries.organizations(client(), current_app.config["GDC_INDEX"], current_principal())
    for org in orgs:
        org["display_title"] = display_title(org)
    return render_template("organization/index.html", organizations=orgs)


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
    result = queries.search(es, alias, within, who)
    panels = [p for p in facet_panels(result, params, endpoint="organization.show", slug=slug)
              if p["name"] != "organization"]
    return render_template(
        "organization/show.html", organization=org, title=display_title(org), params=params, result=result,
        facets=panels, chips=chips(result, params, endpoint="organization.show", slug=slug),
        page_url=lambda **kw: search_url(params, endpoint="organization.show", slug=slug, **kw),
        sorts=tuple(queries.SORTS),
        clear_url=search_url(params, clear=True, endpoint="organization.show", slug=slug),
    )
