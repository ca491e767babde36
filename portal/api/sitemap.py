"""``/sitemap.xml`` (open records with ``lastmod``) and ``/robots.txt``.

Search engines read as anonymous visitors, so the sitemap lists open records only. Past
``GDC_SITEMAP_MAX_URLS`` (the protocol's 50,000) ``/sitemap.xml`` becomes a sitemap index of
``/sitemap-<n>.xml`` files, each streamed from one consistent snapshot of the index.
"""
from __future__ import annotations

import math
from itertools import islice
from typing import Iterator
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, stream_with_context, url_for

from portal.api import context
from portal.auth.principal import ANONYMOUS
from portal.search import queries

bp = Blueprint("api_sitemap", __name__)

MAX_URLS = 50_000
_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _max_urls() -> int:
    return int(current_app.config.get("GDC_SITEMAP_MAX_URLS") or MAX_URLS)


def _lastmod(record: dict) -> str | None:
    value = record.get("metadata_modified") or record.get("last_updated_date")
    return str(value)[:10] if value else None


def _url_entries(records: Iterator[dict], base: str) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_XMLNS}">\n'
    for record in records:
        loc = f"{base}/dataset/{record.get('name') or record.get('id')}"
        lastmod = _lastmod(record)
        tail = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        yield f"<url><loc>{escape(loc)}</loc>{tail}</url>\n"
    yield "</urlset>\n"


def _xml(body) -> Response:
    return Response(body, mimetype="application/xml")


@bp.get("/sitemap.xml")
def sitemap():
    es, alias, base, limit = context.es(), context.alias(), context.base_url(), _max_urls()
    total = queries.count(es, alias, ANONYMOUS)
    if total <= limit:
        records = queries.iter_records(es, alias, ANONYMOUS, batch=1000)
        return _xml(stream_with_context(_url_entries(records, base)))
    parts = math.ceil(total / limit)
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_XMLNS}">\n']
    for n in range(1, parts + 1):
        loc = url_for("api_sitemap.sitemap_part", n=n, _external=True)
        lines.append(f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n")
    lines.append("</sitemapindex>\n")
    return _xml("".join(lines))


@bp.get("/sitemap-<int:n>.xml")
def sitemap_part(n: int):
    es, alias, limit = context.es(), context.alias(), _max_urls()
    total = queries.count(es, alias, ANONYMOUS)
    if total <= limit or n < 1 or (n - 1) * limit >= total:
        abort(404)
    records = islice(queries.iter_records(es, alias, ANONYMOUS, batch=1000), (n - 1) * limit, n * limit)
    return _xml(stream_with_context(_url_entries(records, context.base_url())))


@bp.get("/robots.txt")
def robots():
    lines = [
        "User-agent: *",
        "Allow: /",
        # Faceted search pages are an endless space of URLs; datasets are reached through the sitemap.
        "Disallow: /search",
        "Disallow: /api/",
        "Disallow: /lang/",
        "Disallow: /signin",
        "Disallow: /account",
        "Disallow: /admin",
        f"Sitemap: {url_for('api_sitemap.sitemap', _external=True)}",
        "",
    ]
    return Response("\n".join(lines), mimetype="text/plain")
