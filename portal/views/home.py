"""The home page: the search box, counts per category and frequency, newest datasets, largest publishers."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for

from portal.auth import current_principal
from portal.es import client
from portal.search import queries
from portal.search.queries import SearchParams

bp = Blueprint("home", __name__)

RECENT = 6
TOP_ORGANIZATIONS = 10


@bp.get("/")
def index():
    es, alias, who = client(), current_app.config["GDC_INDEX"], current_principal()
    newest = queries.search(es, alias, SearchParams(sort="modified", size=RECENT,
                                                    facets=("data_category", "update_frequency_unit")), who)
    organizations = queries.organizations(es, alias, who, size=TOP_ORGANIZATIONS)
    return render_template("home/index.html", result=newest, organizations=organizations)


@bp.get("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page says: the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
