"""A search as an Atom feed (its newest and most recently updated datasets) and as a CSV file.

Both take exactly the search page's parameters and go through ``portal.search.queries`` with the
visitor's principal, so they show what the search page shows and nothing else (leak-tested in
``tests/integration/leak/test_leaks_feeds.py``). The CSV starts with a UTF-8 byte order mark so that
Excel opens Thai text correctly.
"""
from __future__ import annotations

import csv
import io
from dataclasses import replace
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import gettext

from portal.auth import current_principal
from portal.es import client
from portal.i18n import current_language
from portal.search import queries
from portal.views.search import parse_or_400, search_url

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
# When no record says when it changed, the feed still needs an <updated>: a fixed, honest "unknown".
NO_DATE = "1970-01-01T00:00:00Z"
CSV_COLUMNS = ("id", "name", "title", "title_en", "organization", "organization_title", "data_category",
               "update_frequency_unit", "geo_coverage", "res_format", "license_id", "tags",
               "last_updated_date", "metadata_modified", "url")


def _timestamp(value: str | None) -> str | None:
    if not value:
        return None
    text = str(value)
    if len(text) == 10:
        text += "T00:00:00"
    return text.split(".")[0].rstrip("Z") + "Z" if "+" not in text else text


def _title(params) -> str:
    return gettext("ชุดข้อมูลใหม่และปรับปรุงล่าสุด: %(q)s", q=params.q) if params.q else \
        gettext("ชุดข้อมูลใหม่และปรับปรุงล่าสุด")


def _entry(feed: ET.Element, record: dict) -> str | None:
    page = url_for("dataset.show", id_or_slug=record.get("name") or record["id"], _external=True)
    updated = _timestamp(record.get("metadata_modified") or record.get("last_updated_date"))
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = page
    title = ET.SubElement(entry, f"{{{ATOM}}}title")
    title.text = record.get("title") or record.get("name") or record["id"]
    ET.SubElement(entry, f"{{{ATOM}}}link", href=page, rel="alternate", type="text/html")
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated or NO_DATE
    org = record.get("organization") or {}
    if org.get("title"):
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = org["title"]
    if record.get("notes"):
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = record["notes"][:500]
    return updated


@bp.get("/search.atom")
def atom():
    """New and updated datasets matching a search, newest first."""
    params, problem = parse_or_400()
    if problem:
        return problem
    page = request.host_url.rstrip("/") + search_url(replace(params, page=1))
    params = replace(params, sort="modified", page=1, size=FEED_SIZE, facets=())
    result = queries.search(client(), current_app.config["GDC_INDEX"], params, current_principal(),
                            partial=False)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": current_language()})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = request.url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _title(params)
    ET.SubElement(feed, f"{{{ATOM}}}link", href=request.url, rel="self", type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=page, rel="alternate", type="text/html")
    updated = ET.SubElement(feed, f"{{{ATOM}}}updated")
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "GD Catalog Search"
    stamps = [s for s in (_entry(feed, hit["record"]) for hit in result.hits) if s]
    updated.text = max(stamps) if stamps else NO_DATE
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml", headers={"Cache-Control": "no-cache"})


def _csv_row(record: dict) -> list[str]:
    org = record.get("organization") or {}
    formats = sorted({(r.get("format") or "").strip().upper() for r in record.get("resources") or []} - {""})
    values = {**record, "organization": org.get("name"), "organization_title": org.get("title"),
              "res_format": ";".join(formats), "tags": ";".join(record.get("tags") or []),
              "url": url_for("dataset.show", id_or_slug=record.get("name") or record["id"], _external=True)}
    return ["" if values.get(c) is None else str(values.get(c)) for c in CSV_COLUMNS]


@bp.get("/search.csv")
def export_csv():
    """The whole result list of a search (up to the first 10,000) as CSV, UTF-8 with a byte order mark."""
    params, problem = parse_or_400()
    if problem:
        return problem
    records = queries.iter_search(client(), current_app.config["GDC_INDEX"], params, current_principal())
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow(_csv_row(record))
    return Response(buffer.getvalue().encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="gdc-search.csv"',
                             "Cache-Control": "no-cache"})
