"""Error bodies of the machine APIs: RFC 9457 problem details (v1) and CKAN's error envelope.

Both shapes are built here so every endpoint fails the same way. A CKAN client (``ckanapi``) maps
``error.__type`` to its exceptions, so the types and HTTP status codes follow CKAN's own
``ckan/views/api.py``: Not Found 404, Validation 409, Authorization 403, Search Query 400,
Search 409 (and 503 here when Elasticsearch itself is unreachable).
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import Response, jsonify, request

PROBLEM_JSON = "application/problem+json"

# The same words as the portal's own error pages (portal/errors.py).
_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    404: "Not found",
    500: "Internal error",
    503: "Search is temporarily unavailable",
}
_DETAIL_TH = {
    400: "คำขอไม่ถูกต้อง",
    404: "ไม่พบหน้าที่ต้องการ",
    503: "ระบบค้นหาไม่พร้อมให้บริการชั่วคราว",
}


def problem(status: int, detail: str | None = None, errors: Mapping[str, Any] | None = None) -> Response:
    """An ``application/problem+json`` response; ``errors`` names each bad parameter and why."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail or _DETAIL_TH.get(status, _TITLES.get(status, "Error")),
    }
    if errors:
        body["errors"] = {key: _as_list(value) for key, value in errors.items()}
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    return response


def _as_list(value: Any) -> list:
    if isinstance(value, list):
        return [v if isinstance(v, str) else str(v) for v in value]
    if isinstance(value, dict):
        return [f"{k}: {v}" for k, v in value.items()]
    return [str(value)]


# --- CKAN -----------------------------------------------------------------------------------------
CKAN_NOT_FOUND = ("Not Found Error", 404)
CKAN_VALIDATION = ("Validation Error", 409)
CKAN_AUTHORIZATION = ("Authorization Error", 403)
CKAN_SEARCH_QUERY = ("Search Query Error", 400)
CKAN_SEARCH = ("Search Error", 409)
CKAN_UNAVAILABLE = ("Search Error", 503)


def ckan_help_url(action: str) -> str:
    """CKAN's ``help`` member: where ``help_show`` documents the action."""
    return f"{request.url_root.rstrip('/')}/api/3/action/help_show?name={action}"


def ckan_success(action: str, result: Any) -> Response:
    return jsonify({"help": ckan_help_url(action), "success": True, "result": result})


def ckan_error(action: str, kind: tuple[str, int], message: str | None = None,
               fields: Mapping[str, list[str]] | None = None) -> Response:
    """CKAN's failure envelope. Validation errors carry the field messages beside ``__type``."""
    type_name, status = kind
    error: dict[str, Any] = {"__type": type_name}
    if fields:
        error.update({key: _as_list(value) for key, value in fields.items()})
    if message or not fields:
        error["message"] = _ckan_message(type_name, message)
    response = jsonify({"help": ckan_help_url(action), "success": False, "error": error})
    response.status_code = status
    return response


def _ckan_message(type_name: str, message: str | None) -> str:
    prefix = {
        "Not Found Error": "Not found",
        "Authorization Error": "Access denied",
        "Search Query Error": "Search Query is invalid",
        "Search Error": "Search error",
        "Validation Error": "Validation error",
        "Bad Request": "Bad request",
    }.get(type_name, type_name)
    return f"{prefix}: {message}" if message else prefix


def ckan_bad_request(action: str, message: str) -> Response:
    """CKAN's 400 for an unknown action or an unreadable body."""
    return ckan_error(action, ("Bad Request", 400), message)
