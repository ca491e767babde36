"""The home page: the search box, ways to browse (topic, organization, file format, category,
frequency) with counts, and what is new — said honestly when the catalogue's dates say nothing."""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, current_app, redirect, render_template, url_for

from analyzers.script import BE_OFFSET, FIRST_BE_YEAR
from portal.auth import current_principal
from portal.es import client
from portal.search import queries
from portal.search.cache import cached
from portal.search.queries import SearchParams
from portal.views import place_facet

bp = Blueprint("home", __name__)

RECENT = 6
TOP_ORGANIZATIONS = 10
TOP_TOPICS = 12
TOP_FORMATS = 8
# When 80 % of the records' modification dates fall within this many days, they record a bulk load
# (data.go.th's migration stamped 836 records within one minute), not when each dataset changed.
UNINFORMATIVE_SPREAD_DAYS = 7
FIRST_TITLE_YEAR = 2540  # Buddhist era; titles carry years such as "ปี 2563" or "2014"
_YEAR = re.compile(r"(?<!\d)(25[0-9]{2}|19[5-9][0-9]|20[0-9]{2})(?!\d)")


def title_year(title: str) -> int | None:
    """The latest year a title names, in the Buddhist era (``… ปี 2557 (… 2014)`` → 2557)."""
    years = [int(y) if int(y) >= FIRST_BE_YEAR else int(y) + BE_OFFSET for y in _YEAR.findall(title or "")]
    return max(years) if years else None


def dates_are_informative(spread: dict) -> bool:
    return spread["days"] is not None and spread["days"] >= UNINFORMATIVE_SPREAD_DAYS


def newest_by_title_year(es, alias: str, who) -> list[dict]:
    """The datasets whose titles name the latest years: what the records themselves say is recent."""
    this_year = date.today().year + BE_OFFSET
    counts = queries.title_years(es, alias, who, [str(y) for y in range(this_year + 1, FIRST_TITLE_YEAR, -1)])
    chosen, total = [], 0
    for year in sorted(counts, reverse=True):
        chosen.append(year)
        total += counts[year]
        if total >= RECENT:
            break
    if not chosen:
        return []
    records = queries.with_title_years(es, alias, who, chosen)
    rows = [{"record": r, "year": title_year(r.get("title") or "")} for r in records]
    rows = [row for row in rows if row["year"]]
    rows.sort(key=lambda row: -row["year"])  # stable: the query's order within a year
    return rows[:RECENT]


@bp.get("/")
def index():
    es, alias, who = client(), current_app.config["GDC_INDEX"], current_principal()

    def compute():
        newest = queries.search(es, alias, SearchParams(
            sort="modified", size=RECENT, facet_size=TOP_TOPICS,
            facets=("data_category", "update_frequency_unit", "tags", "res_format")), who)
        organizations = queries.organizations(es, alias, who, size=TOP_ORGANIZATIONS)
        spread = queries.date_spread(es, alias, who)
        honest = dates_are_informative(spread)
        by_title_year = [] if honest else newest_by_title_year(es, alias, who)
        places = place_facet.browse(_place_counts(es, alias, who))
        return newest, organizations, spread, honest, by_title_year, places

    # The same for every anonymous visitor: counted once per GDC_CACHE_SECONDS (portal/search/cache.py).
    newest, organizations, spread, honest, by_title_year, places = cached(("home", alias), who, compute)
    return render_template("home/index.html", result=newest, organizations=organizations,
                           dates_informative=honest, common_date=spread["p10"],
                           by_title_year=by_title_year,
                           topics=newest.facets.get("tags", [])[:TOP_TOPICS],
                           formats=newest.facets.get("res_format", [])[:TOP_FORMATS], places=places)


def _place_counts(es, alias: str, who) -> list[tuple[str, int]]:
    """Every place with its count (its own request: the facets above are cut to the top few)."""
    return queries.search(es, alias, SearchParams(size=0, facets=("place",)), who).facets.get("place", [])


@bp.get("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page says: the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
