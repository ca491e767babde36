"""What the dataset page says about a record, in the reader's words and language.

The standard's 14 mandatory items are checked by ``indexer.schemas.quality`` (one home for the rule);
here they get plain labels, the missing ones are gathered into one line, quality findings are worded
with those labels instead of raw field names, and resources become rows with format, size and date.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext

from indexer.schemas.quality import MANDATORY_ITEMS
from portal.i18n import field_label, parse_date

# Plain names of the 14 mandatory items (the standard's own labels are long and formal).
ITEM_LABELS = {
    "data_type": lazy_gettext("ประเภทข้อมูล"),
    "title": lazy_gettext("ชื่อชุดข้อมูล"),
    "owner_org": lazy_gettext("หน่วยงานเจ้าของข้อมูล"),
    "maintainer": lazy_gettext("ผู้ติดต่อ"),
    "maintainer_email": lazy_gettext("อีเมลผู้ติดต่อ"),
    "tag_string": lazy_gettext("คำสำคัญ"),
    "notes": lazy_gettext("คำอธิบาย"),
    "objective": lazy_gettext("วัตถุประสงค์"),
    "update_frequency_unit": lazy_gettext("ความถี่ในการปรับปรุง"),
    "update_frequency_interval": lazy_gettext("ค่าความถี่ในการปรับปรุง"),
    "geo_coverage": lazy_gettext("ขอบเขตเชิงภูมิศาสตร์"),
    "data_source": lazy_gettext("แหล่งที่มา"),
    "data_format": lazy_gettext("รูปแบบการเก็บข้อมูล"),
    "data_category": lazy_gettext("หมวดหมู่ข้อมูล"),
    "license_id": lazy_gettext("สัญญาอนุญาต"),
    "tags": lazy_gettext("คำสำคัญ"),
    "resources": lazy_gettext("ทรัพยากรข้อมูล"),
}
# Findings already said by the "not stated" line.
_SAID_BY_MISSING_LINE = {"mandatory_missing", "mandatory_unknown", "interval_missing"}
# Source extras that repeat what the page already shows (the data.go.th mirror's summary keys).
_REPEATED_EXTRAS = {"formats", "resources", "resources_list", "url", "org", "summary", "updated", "license"}
_RESOURCE_PART = re.compile(r"^resources\[(\d+)\]\.?(.*)$")


def item_label(name: str, lang: str) -> str:
    """A field's plain label: ours for the mandatory items, else the standard's, else the name spaced."""
    label = ITEM_LABELS.get(name)
    return str(label) if label is not None else field_label(name, lang)


def missing_items(record: dict[str, Any], lang: str) -> tuple[list[str], int]:
    """Labels of the mandatory items the record does not state (missing, "unknown" or incomplete),
    and how many items there are."""
    missing = [item_label(name, lang) for _, name, check in MANDATORY_ITEMS if not _stated(check, record)]
    return missing, len(MANDATORY_ITEMS)


def _stated(check, record: dict[str, Any]) -> bool:
    try:
        return check(record) == "ok"
    except KeyError:  # a legacy code the code list does not know: stated, and shown as written
        return True


def _field_words(field: str, lang: str) -> str:
    match = _RESOURCE_PART.match(field)
    if match:
        number, part = int(match.group(1)) + 1, match.group(2)
        what = f"{item_label('resources', lang)} {number}"
        return f"{what} ({item_label(part, lang)})" if part else what
    return item_label(field, lang)


def findings_in_words(findings: list[dict], lang: str) -> list[str]:
    """Quality findings other than missing items, in ``lang``, the raw field name replaced by its label."""
    out = []
    for finding in findings:
        if finding.get("rule") in _SAID_BY_MISSING_LINE:
            continue
        message = finding.get("message_en" if lang == "en" else "message_th") or ""
        field = finding.get("field") or ""
        if field and field != "-":
            message = message.replace(field, f"“{_field_words(field, lang)}”")
        if message and message not in out:
            out.append(message[:1].upper() + message[1:] if lang == "en" else message)
    return out


def _size_text(value: Any) -> str:
    try:
        size = float(value)
    except (TypeError, ValueError):
        return ""
    if size <= 0:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""


def resource_rows(record: dict[str, Any]) -> list[dict]:
    """One row per resource: name, format, size and date where known, the URL, and whether the link
    is a file to download or a page/service to open."""
    rows = []
    for resource in record.get("resources") or []:
        extras = resource.get("extras") or {}
        fmt = (resource.get("format") or "").strip().upper()
        url = resource.get("url") or ""
        date = next((parse_date(extras.get(k)) for k in ("last_modified", "created", "metadata_modified")
                     if parse_date(extras.get(k))), None)
        is_file = bool(url) and (fmt not in ("", "HTML", "API", "WMS", "WFS", "URL", "WEB")
                                 or "/download/" in url)
        rows.append({"name": resource.get("name") or url, "description": resource.get("description"),
                     "format": fmt, "size": _size_text(extras.get("size")), "date": date, "url": url,
                     "download": is_file})
    return rows


def extra_rows(record: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The source's extra fields worth showing (never ones the page already shows), labelled."""
    rows = []
    for key, value in sorted((record.get("extras") or {}).items()):
        if key in _REPEATED_EXTRAS or value in (None, "", [], {}):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        rows.append((item_label(key, lang), shown))
    return rows
