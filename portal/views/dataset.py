"""The dataset page: every field of the standard, grouped, with freshness, resources, quality and JSON-LD
(the schema.org description itself is built by ``portal.api.schemaorg``, next to the DCAT mapping)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException

from analyzers import places
from portal.api import schemaorg
from portal.auth import current_principal
from portal.es import client
from portal.i18n import current_language, organization_name, parse_date
from portal.search import queries
from portal.views import dataset_summary as summary

bp = Blueprint("dataset", __name__)

# Days one unit of the declared update frequency stands for (SDMX letters of code list 2.3).
FREQUENCY_DAYS = {"A": 365, "S": 183, "Q": 92, "M": 31, "W": 7, "D": 1, "B": 3, "H": 1, "N": 1, "R": 1}
# Linked-data clients asking for RDF are sent to the representation's own URL.
RDF_SUFFIXES = {"text/turtle": "ttl", "application/rdf+xml": "rdf", "application/ld+json": "jsonld"}


# Where a derived value was read (``record["derived"][item]["from"]``), as the page says it.
DERIVED_FROM = {"title": lazy_gettext("จากชื่อชุดข้อมูล"), "notes": lazy_gettext("จากคำอธิบาย"),
                "tags": lazy_gettext("จากคำสำคัญ"), "organization": lazy_gettext("จากชื่อหน่วยงาน"),
                "resources": lazy_gettext("จากชื่อทรัพยากรข้อมูล"),
                "resource_formats": lazy_gettext("จากรูปแบบไฟล์ของทรัพยากรข้อมูล"),
                "data_format": lazy_gettext("จากรูปแบบการเก็บข้อมูล")}


@bp.app_template_global()
def place_label(code: str) -> str:
    """A place code's name in the page's language (also used by the search page and the home page)."""
    return places.label(code, current_language())


@bp.app_template_global()
def derived_from(block: dict | None) -> str:
    """"จากชื่อชุดข้อมูล, จากชื่อทรัพยากรข้อมูล": which text a derived value was read from."""
    return ", ".join(str(DERIVED_FROM[f]) for f in (block or {}).get("from") or [] if f in DERIVED_FROM)


def freshness(record: dict, today: date | None = None) -> dict:
    """Last update, when the next one was due by the declared frequency, and whether it is overdue."""
    today = today or date.today()
    last = parse_date(record.get("last_updated_date")) or parse_date(record.get("metadata_modified"))
    days = FREQUENCY_DAYS.get(record.get("update_frequency_unit") or "")
    interval = record.get("update_frequency_interval") or 1
    try:
        interval = max(1, int(float(interval)))
    except (TypeError, ValueError):
        interval = 1
    due = last + timedelta(days=days * interval) if last and days else None
    return {"last": last, "due": due, "overdue": bool(due and due < today)}


def _rdf_redirect(id_or_slug: str):
    best = request.accept_mimetypes.best_match(["text/html", *RDF_SUFFIXES])
    suffix = RDF_SUFFIXES.get(best or "")
    if not suffix:
        return None
    path = f"/dataset/{id_or_slug}.{suffix}"
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(path)
    except HTTPException:
        return None
    return redirect(path, 303) if endpoint != "dataset.show" else None


@bp.get("/dataset/<id_or_slug>")
def show(id_or_slug: str):
    record = queries.get_dataset(client(), current_app.config["GDC_INDEX"], id_or_slug, current_principal())
    if record is None:
        abort(404)
    negotiated = _rdf_redirect(id_or_slug)
    if negotiated is not None:
        return negotiated
    name_only = record.get("tier") == "name"
    open_record = schemaorg.is_open(record)
    lang = current_language()
    org = record.get("organization") or {}
    org_title = organization_name(org, lang)
    missing, item_total = summary.missing_items(record, lang) if not name_only else ([], 0)
    findings = summary.findings_in_words((record.get("quality") or {}).get("findings") or [], lang)
    return render_template(
        "dataset/show.html", record=record, name_only=name_only, freshness=freshness(record),
        organization_title=org_title,
        jsonld=schemaorg.script_text(record, request.url_root) if open_record else None,
        missing=missing, item_total=item_total, findings=findings if not name_only else [],
        resources=summary.resource_rows(record) if not name_only else [],
        extras=summary.extra_rows(record, lang) if not name_only else [],
        related=queries.related(client(), current_app.config["GDC_INDEX"], record, current_principal()),
    )
