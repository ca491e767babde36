"""From each source's shape to the standard's field names, before validation.

Three shapes arrive: CKAN packages (``package_show``/``package_search``: ``organization``, ``tags``,
``resources``, an ``extras`` list), the data.go.th mirror (``summary``, ``org``, ``resources_list``…), and
rows of a spreadsheet (CSV or the national XLSX template, headed by field names or Thai/English labels).
The raw record is never modified; the result is a new dict plus the quality notes of the mapping
(unknown fields).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from indexer.codelists import normalise_key

from . import geospatial, statistics
from .fields import clean_text
from .problems import Finding, make

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "reference" / "thai-gdc-2.2.4-fields.json"

# CKAN's own bookkeeping and the standard's "other" free-text companions: kept in extras, not findings.
KNOWN_EXTRAS = frozenset({
    "author", "author_email", "creator_user_id", "isopen", "license_title", "license_url", "num_resources",
    "num_tags", "state", "type", "version", "revision_id", "relationships_as_subject",
    "relationships_as_object", "tracking_summary", "reference_url_catalog", "data_type_other",
    "objective_other", "update_frequency_unit_other", "geo_coverage_other", "data_format_other",
    "license_id_other", "data_support_other", "data_collect_other", "data_language_other",
    "disaggregate_other", "unit_of_multiplier_other", "equivalent_scale_other", "allow_cdp", "d_type",
})
# Legacy data.go.th extras that stand for a field of the standard when that field is absent.
LEGACY_EXTRAS = {"maintain_frequent": "update_frequency_unit", "height_value_dataset": "high_value_dataset"}
MIRROR_KEYS = frozenset({"id", "title", "summary", "org", "tags", "formats", "resources", "resources_list",
                         "license", "updated", "url"})
ORG_KEYS = ("owner_org", "organization")
_BLOCKS = {"statistics": statistics.FIELDS, "geospatial": geospatial.FIELDS}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Header names seen in spreadsheets besides the field names and the labels of the reference file.
_EXTRA_HEADERS = {
    "owner_org": ("องค์กร", "หน่วยงาน", "หน่วยงานเจ้าของข้อมูล", "organization", "ชื่อองค์กร"),
    "name": ("ชื่อ URL", "slug", "dataset_name"),
    "id": ("รหัสชุดข้อมูล", "dataset_id"),
    "title": ("ชื่อชุดข้อมูล",),
    "tag_string": ("tags", "คำสำคัญ"),
    "notes": ("รายละเอียด", "คำอธิบาย"),
    "maintainer": ("ชื่อผู้ติดต่อ", "ชื่อผู้ติดต่อ / ฝ่ายงาน"),
    "maintainer_email": ("อีเมลผู้ติดต่อ", "อีเมล"),
    "data_category": ("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "หมวดหมู่ข้อมูล"),
    "data_classification": ("ชั้นความลับ", "ระดับชั้นข้อมูล"),
    "resource_name": ("ชื่อทรัพยากร", "ชื่อข้อมูล"),
    "resource_url": ("URL ทรัพยากร", "ที่อยู่ทรัพยากร"),
    "resource_format": ("รูปแบบทรัพยากร",),
}
_RESOURCE_COLUMNS = {"resource_name": "name", "resource_url": "url", "resource_format": "format",
                     "resource_description": "description", "format": "format", "description": "description"}


@lru_cache(maxsize=1)
def header_map() -> dict[str, str]:
    """Normalised header text → the standard's field name (field names, Thai and English labels)."""
    doc = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    mapping: dict[str, str] = {}
    for name, spec in doc["dataset_fields"].items():
        mapping.setdefault(normalise_key(name), name)
        label = spec.get("label")
        labels = label.values() if isinstance(label, dict) else [label] if label else []
        for text in labels:
            mapping.setdefault(normalise_key(text), name)
    for name, headers in _EXTRA_HEADERS.items():
        mapping.setdefault(normalise_key(name), name)
        for text in headers:
            mapping.setdefault(normalise_key(text), name)
    for name in ("organization", "tags", "resources", "groups", "extras", "title_en", "notes_en",
                 "metadata_created", "metadata_modified", "private", "access_request",
                 "resource_description"):
        mapping.setdefault(normalise_key(name), name)
    # "name"/"url" labels of the reference collide with slug/URL columns; the field names win.
    mapping[normalise_key("name")] = "name"
    mapping[normalise_key("url")] = "url"
    return mapping


def shape_of(data: dict[str, Any]) -> str:
    """``mirror`` (data.go.th mirror), ``ckan`` (a package) or ``row`` (a spreadsheet row)."""
    mirror_only = "summary" in data or "resources_list" in data
    if "org" in data and not any(k in data for k in ORG_KEYS) and mirror_only:
        return "mirror"
    if "resources" in data and isinstance(data["resources"], list) or "organization" in data and isinstance(
            data.get("organization"), dict) or isinstance(data.get("extras"), list):
        return "ckan"
    return "row"


def to_standard(data: dict[str, Any], known: frozenset[str]) -> tuple[dict[str, Any], list[Finding]]:
    """The record in the standard's field names, and the notes of the mapping."""
    shape = shape_of(data)
    if shape == "mirror":
        return from_mirror(data), []
    if shape == "row":
        data = from_row(data)
    standard, notes = from_ckan(data, known)
    if clean_text(standard.get("id")) is None and clean_text(standard.get("name")) is not None:
        standard["id"] = standard["name"]  # template rows (and some exports) carry only the URL name
    return standard, notes


def from_mirror(data: dict[str, Any]) -> dict[str, Any]:
    """data.go.th mirror: the slug is the id, ``summary`` the description, ``org`` the Thai title."""
    extras = {k: data[k] for k in ("formats", "resources", "url") if k in data}
    return {
        "id": data.get("id"),
        "name": data.get("name") or data.get("id"),
        "title": data.get("title"),
        "notes": data.get("summary"),
        "organization": {"title": data.get("org")} if clean_text(data.get("org")) else None,
        "tags": data.get("tags"),
        "resources": data.get("resources_list") or [],
        "license_id": data.get("license"),
        "metadata_modified": data.get("updated"),
        "extras": extras,
    }


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A spreadsheet row keyed by the standard's fields; ``resource_*`` columns make one resource."""
    mapping = header_map()
    data: dict[str, Any] = {}
    resource: dict[str, Any] = {}
    for header, value in row.items():
        if header is None:
            continue
        name = mapping.get(normalise_key(header), str(header))
        if name in ("resource_name", "resource_url", "resource_format", "resource_description"):
            resource[_RESOURCE_COLUMNS[name]] = value
        elif name not in data or clean_text(data[name]) is None:
            data[name] = value
    if any(clean_text(v) for v in resource.values()) and "resources" not in data:
        data["resources"] = [resource]
    elif isinstance(data.get("resources"), str):
        data["resources"] = _json_list(data["resources"])
    return data


def _json_list(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def from_ckan(data: dict[str, Any], known: frozenset[str]) -> tuple[dict[str, Any], list[Finding]]:
    """A CKAN package (or a mapped row): flatten ``extras``, gather organization, tags and blocks."""
    out: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    notes: list[Finding] = []
    block_fields = {f for fields in _BLOCKS.values() for f in fields}
    for key, value in data.items():
        if key == "extras":
            continue
        if key in known or key in block_fields or key in ORG_KEYS or key == "tag_string":
            out[key] = value
        else:
            extras[key] = value
            if key not in KNOWN_EXTRAS:
                notes.append(make("unknown_field", key, value))
    _merge_extras(data.get("extras"), out, extras, known | block_fields)
    out["organization"] = _organization(out.pop("organization", None), out.pop("owner_org", None))
    tag_text = out.pop("tag_string", None)
    if not out.get("tags") and clean_text(tag_text) is not None:
        out["tags"] = tag_text
    for block, names in _BLOCKS.items():
        values = {name: out[name] for name in names if name in out}
        if any(clean_text(v) is not None if not isinstance(v, (list, dict)) else v for v in values.values()):
            out[block] = values
    for name in block_fields:
        out.pop(name, None)
    out["extras"] = extras
    return out, notes


def _merge_extras(items: Any, out: dict[str, Any], extras: dict[str, Any], known: frozenset[str]) -> None:
    """CKAN's ``extras`` list (or dict): fields of the standard are promoted when the package lacks them."""
    if isinstance(items, dict):
        items = [{"key": k, "value": v} for k, v in items.items()]
    if not isinstance(items, list):
        if items not in (None, ""):
            extras["extras"] = items
        return
    for item in items:
        if not isinstance(item, dict) or "key" not in item:
            continue
        key, value = str(item["key"]), item.get("value")
        target = key if key in known else LEGACY_EXTRAS.get(key)
        if target and target in known and clean_text(out.get(target)) is None and not isinstance(
                out.get(target), (list, dict)):
            out[target] = value
        extras[key] = value


def _organization(organization: Any, owner_org: Any) -> Any:
    """``organization`` object, else ``owner_org`` as slug/id, else as a Thai title."""
    if isinstance(organization, dict):
        org = {k: organization.get(k) for k in ("id", "name", "title", "title_en")}
        if not clean_text(org.get("id")) and clean_text(owner_org):
            org["id"] = owner_org
        return org
    if isinstance(organization, str) and clean_text(organization):
        owner_org = owner_org if clean_text(owner_org) else organization
    text = clean_text(owner_org)
    if text is None:
        return None
    if _UUID.match(text):
        return {"id": text, "name": text}
    if _SLUG.match(text):
        return {"name": text}
    return {"title": text}
