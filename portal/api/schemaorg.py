"""schema.org ``Dataset`` JSON-LD for one open record (Google Dataset Search reads it from the page).

``dataset_jsonld`` gives the dict; ``script_text`` gives JSON safe to place inside
``<script type="application/ld+json">`` (``<``, ``>``, ``&`` escaped so no text can close the element).
Only open records have one: a name-tier or sensitive record returns ``None``.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from indexer import codelists, documents
from indexer.schemas.fields import allowed_link
from portal.api.dcat import INSIDE_THAILAND, LANGUAGES, code

_LICENCE_URLS = {
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-by-nc": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc-by-nc-sa": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "cc-by-nd": "https://creativecommons.org/licenses/by-nd/4.0/",
    "cc-by-nc-nd": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}


def is_open(record: Mapping[str, Any]) -> bool:
    return record.get("tier", "full") == "full" and documents.is_open(record)


def _licence(code: str | None) -> Any:
    if not code:
        return None
    if code in _LICENCE_URLS:
        return _LICENCE_URLS[code]
    try:
        entry = codelists.entry("license_id", code)
    except KeyError:
        return code
    return {"@type": "CreativeWork", "name": entry.en, "alternateName": entry.th}


def dataset_jsonld(record: Mapping[str, Any], base_url: str) -> dict[str, Any] | None:
    """The ``Dataset`` description of an open record, or ``None`` for any other record."""
    if not is_open(record):
        return None
    base = base_url.rstrip("/")
    slug = record.get("name") or record.get("id")
    org = record.get("organization") or {}
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": f"{base}/dataset/{record.get('id')}",
        "url": f"{base}/dataset/{slug}",
        "identifier": record.get("id"),
        "name": record.get("title"),
        "alternateName": record.get("title_en"),
        "description": record.get("notes") or record.get("title"),
        "keywords": list(record.get("tags") or []),
        "inLanguage": [c for c in (code("data_language", v) for v in record.get("data_language") or [])
                       if c in LANGUAGES] or "th",
        "isAccessibleForFree": True,
        "license": _licence(code("license_id", record.get("license_id"))),
        "dateCreated": record.get("created_date") or record.get("metadata_created"),
        "dateModified": record.get("last_updated_date") or record.get("metadata_modified"),
        "creator": {"@type": "Organization", "name": org.get("title") or org.get("name"),
                    "url": f"{base}/organization/{org.get('name')}"} if org else None,
        "spatialCoverage": {"@type": "Place", "name": "ประเทศไทย (Thailand)"}
        if code("geo_coverage", record.get("geo_coverage")) in INSIDE_THAILAND else None,
        "distribution": [
            {"@type": "DataDownload", "name": r.get("name"), "contentUrl": allowed_link(r.get("url")),
             "encodingFormat": r.get("format")}
            for r in record.get("resources") or [] if allowed_link(r.get("url"))
        ],
        "includedInDataCatalog": {"@type": "DataCatalog", "url": f"{base}/"},
    }
    if record.get("maintainer") or record.get("maintainer_email"):
        data["creator"] = data["creator"] or {"@type": "Organization"}
        data["creator"]["contactPoint"] = {"@type": "ContactPoint", "name": record.get("maintainer"),
                                           "email": record.get("maintainer_email")}
    return _prune(data)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def script_text(record: Mapping[str, Any], base_url: str) -> str | None:
    """The JSON-LD as text for a ``<script type="application/ld+json">`` element (or ``None``)."""
    data = dataset_jsonld(record, base_url)
    if data is None:
        return None
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
