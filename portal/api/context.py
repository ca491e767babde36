"""What every API view needs from the request: the index, the caller, the portal's base URL."""
from __future__ import annotations

from elasticsearch import Elasticsearch
from flask import current_app, request

from portal import es as portal_es

# The catalogue's own description in DCAT; a deployment overrides any of these in the app config.
DEFAULT_ABOUT = {
    "title_th": "ระบบค้นหาบัญชีข้อมูลภาครัฐ",
    "title_en": "GD Catalog Search",
    "description_th": "บัญชีรายการข้อมูลเปิดของหน่วยงานภาครัฐไทย ค้นหาได้ทั้งภาษาไทยและภาษาอังกฤษ",
    "description_en": "Open datasets of Thai government agencies, searchable in Thai and English.",
    "publisher_th": "ผู้ให้บริการระบบค้นหาบัญชีข้อมูลภาครัฐ",
    "publisher_en": "Operator of GD Catalog Search",
}


def es() -> Elasticsearch:
    return portal_es.client()


def alias() -> str:
    return current_app.config["GDC_INDEX"]


def base_url() -> str:
    """The portal's root URL as the client reached it, without a trailing slash."""
    return request.url_root.rstrip("/")


def catalog_about() -> dict[str, str]:
    return DEFAULT_ABOUT | dict(current_app.config.get("GDC_CATALOG_ABOUT") or {})
