"""A canonical record as the package dict the national CKAN (ckanext-thai_gdc) serves.

The canonical record carries codes; CKAN stores the Thai label itself (``data_category =
"ข้อมูลสาธารณะ"``, ``update_frequency_unit = "วัน"``, ``license_id = "Open Data Common"``), so every
code-list field is turned back into the value CKAN stores (``indexer.codelists``' ``th`` label).
Booleans are CKAN's strings ``"True"``/``"False"``. The shape follows
``tests/fixtures/ckan-package-search-covid-19-daily.json``, a real data.go.th answer.
"""
from __future__ import annotations

import uuid
from typing import Any, Iterable, Mapping

from indexer import codelists

# Code-list fields of a dataset: one value or several.
SINGLE_CODE_FIELDS = ("data_type", "update_frequency_unit", "geo_coverage", "data_category",
                      "data_classification", "license_id")
MULTI_CODE_FIELDS = ("objective", "data_format", "data_language")
# Free-text and date fields of the national schema, copied as they are.
TEXT_FIELDS = ("maintainer", "maintainer_email", "data_source", "url", "accessible_condition",
               "access_request", "created_date", "last_updated_date", "title_en", "notes_en")
BOOLEAN_FIELDS = ("high_value_dataset", "reference_data", "official_statistics", "allow_harvest")
# Package keys CKAN itself maintains; the serializer computes them, a harvested record's own values win.
CKAN_CORE_KEYS = frozenset({"author", "author_email", "creator_user_id", "version", "license_url",
                            "license_title", "isopen", "revision_id", "reference_url_catalog", "allow_cdp",
                            "tracking_summary"})
# Keys the serializer always computes from the record itself (a stale copy in extras is dropped).
DERIVED_KEYS = frozenset({"num_resources", "num_tags", "state", "type", "relationships_as_subject",
                          "relationships_as_object", "private", "owner_org"})

# A stable namespace so that tags, groups and resources without ids get the same id on every call.
_NS = uuid.UUID("5b1e3c4e-5d0c-4f57-9a52-2f3b8f5c7d10")


def stored_value(field: str, code: Any) -> Any:
    """The value CKAN stores for a code (the code list's Thai label); unknown codes stay as they are."""
    if code is None or code == "":
        return code
    found = _entry(field, code)
    return found.th if found is not None else code


def _entry(field: str, value: Any) -> codelists.Entry | None:
    try:
        return codelists.lookup(field, value)
    except KeyError:
        return None


def code_of(field: str, value: str) -> str:
    """The code a CKAN value (label, alias or code) stands for: ``"ข้อมูลสาธารณะ"`` → ``"public"``."""
    found = _entry(field, value)
    return found.code if found is not None else value


def ckan_bool(value: Any) -> str | None:
    if value is None:
        return None
    return "True" if value else "False"


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "/".join(parts)))


def organization_dict(org: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not org:
        return None
    slug = org.get("name") or ""
    return {
        "id": org.get("id") or _stable_id("organization", slug),
        "name": slug,
        "title": org.get("title") or slug,
        **({"title_en": org["title_en"]} if org.get("title_en") else {}),
        "type": "organization",
        "description": org.get("description") or "",
        "image_url": org.get("image_url") or "",
        "created": org.get("created"),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }


def _tags(tags: Iterable[str]) -> list[dict[str, Any]]:
    return [{"display_name": t, "id": _stable_id("tag", t), "name": t, "state": "active",
             "vocabulary_id": None} for t in tags]


def _groups(groups: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for g in groups:
        title = g.get("title") or g.get("name") or ""
        out.append({"description": g.get("description") or "", "display_name": title,
                    "id": g.get("id") or _stable_id("group", g.get("name") or ""),
                    "image_display_url": g.get("image_display_url") or "", "name": g.get("name"),
                    "title": title})
    return out


def _resources(package_id: str, resources: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for position, r in enumerate(resources):
        # CKAN keeps a resource's extra fields (resource_created_date, size, mimetype …) at its top level.
        flat = {**(r.get("extras") or {}), **{k: v for k, v in r.items() if k != "extras" and v is not None}}
        out.append({
            **flat,
            "id": r.get("id") or _stable_id("resource", package_id, str(position)),
            "package_id": package_id,
            "position": position,
            "name": r.get("name") or "",
            "description": r.get("description") or "",
            "format": r.get("format") or "",
            "url": r.get("url") or "",
            "state": "active",
        })
    return out


def _split_extras(extras: Mapping[str, Any] | list | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The canonical ``extras`` → (top-level keys, CKAN's ``extras`` list).

    The canonical record keeps CKAN's bookkeeping (``author``, ``version`` …) and the standard's
    ``*_other`` companions in ``extras`` too; CKAN shows those at the top level of the package.
    """
    if not extras:
        return {}, []
    if isinstance(extras, list):  # already CKAN-shaped
        extras = {e["key"]: e.get("value") for e in extras if isinstance(e, Mapping) and "key" in e}
    top: dict[str, Any] = {}
    listed: list[dict[str, Any]] = []
    for key, value in extras.items():
        if key in DERIVED_KEYS:
            continue
        if key in CKAN_CORE_KEYS or key.endswith("_other"):
            top[key] = value
        else:
            text = value if isinstance(value, str) or value is None else str(value)
            listed.append({"key": key, "value": text})
    return top, listed


def _national_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SINGLE_CODE_FIELDS:
        if name in record:
            out[name] = stored_value(name, record[name])
    for name in MULTI_CODE_FIELDS:
        if name in record:
            out[name] = [stored_value(name, v) for v in record.get(name) or []]
    for name in TEXT_FIELDS:
        if name in record:
            out[name] = record[name]
    for name in BOOLEAN_FIELDS:
        if record.get(name) is not None:
            out[name] = ckan_bool(record[name])
    if not record.get("allow_harvest"):
        out.pop("allow_harvest", None)  # consent is only stated where it matters: "True"
    interval = record.get("update_frequency_interval")
    if "update_frequency_interval" in record:
        out["update_frequency_interval"] = _number_text(interval)
    for block in ("statistics", "geospatial"):
        for key, value in (record.get(block) or {}).items():
            out.setdefault(key, value)
    return out


def _number_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def package_dict(record: Mapping[str, Any]) -> dict[str, Any]:
    """The CKAN package dict of a (possibly name-tier redacted) canonical record.

    A redacted record yields only what it holds: no description, tags, contacts or resources.
    """
    package_id = str(record.get("id") or "")
    org = organization_dict(record.get("organization"))
    tags = _tags(record.get("tags") or [])
    resources = _resources(package_id, record.get("resources") or [])
    license_code = record.get("license_id")
    package: dict[str, Any] = {
        "author": None,
        "author_email": None,
        "creator_user_id": None,
        "id": package_id,
        "name": record.get("name") or package_id,
        "title": record.get("title") or "",
        "notes": record.get("notes"),
        "type": "dataset",
        "state": "active",
        "private": bool(record.get("private", False)),
        "version": None,
        "isopen": bool(license_code and record.get("data_category") in codelists.open_categories() and _is_open(license_code)),
        "license_title": stored_value("license_id", license_code) if license_code else None,
        "metadata_created": record.get("metadata_created"),
        "metadata_modified": record.get("metadata_modified"),
        "organization": org,
        "owner_org": org["id"] if org else None,
        "num_tags": len(tags),
        "tags": tags,
        "num_resources": len(resources),
        "resources": resources,
        "groups": _groups(record.get("groups") or []),
        "extras": [],
        "relationships_as_subject": [],
        "relationships_as_object": [],
    }
    top, package["extras"] = _split_extras(record.get("extras"))
    package.update(top)
    package.update(_national_fields(record))
    if record.get("derived"):
        # Read from the text, never declared: kept apart under its own key, each value with its source.
        package["derived"] = record["derived"]
    if record.get("tier") == "name":
        package["access_tier"] = "name"
    return package


def _is_open(license_code: str) -> bool:
    found = _entry("license_id", license_code)
    return bool(found is not None and found.attrs.get("open"))
