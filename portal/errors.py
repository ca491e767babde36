"""Fail soft at the edge: Elasticsearch down is a friendly 503, never a stack trace."""
from __future__ import annotations

import logging

from elasticsearch import ApiError, ConnectionTimeout, TransportError
from elasticsearch import ConnectionError as ESConnectionError
from flask import Flask, jsonify, render_template, request
from jinja2 import TemplateNotFound

_ERROR_TEXT = {
    400: ("คำขอไม่ถูกต้อง", "Bad request"),
    404: ("ไม่พบหน้าที่ต้องการ", "Not found"),
    405: ("ไม่รองรับวิธีการเรียกนี้", "Method not allowed"),
    503: ("ระบบค้นหาไม่พร้อมให้บริการชั่วคราว", "Search is temporarily unavailable"),
    500: ("เกิดข้อผิดพลาดภายในระบบ", "Internal error"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, detail: str | None = None):
    th, en = _ERROR_TEXT.get(status, _ERROR_TEXT[500])
    if wants_json():
        body = {"type": "about:blank", "title": en, "status": status, "detail": detail or th}
        return jsonify(body), status, {"Content-Type": "application/problem+json"}
    try:
        return render_template(f"errors/{status}.html", detail=detail), status
    except TemplateNotFound:
        return f"<!doctype html><html lang='th'><title>{th}</title><h1>{th} — {en}</h1>", status


log = logging.getLogger(__name__)


def _http_error(status: int, exc: Exception):
    """Our page or problem body, keeping the headers HTTP requires (``Allow`` on a 405, RFC 9110)."""
    body, code, *headers = error_response(status, getattr(exc, "description", None))
    extra = dict(headers[0]) if headers else {}
    allowed = getattr(exc, "valid_methods", None)
    if status == 405 and allowed:
        extra["Allow"] = ", ".join(sorted(allowed))
    return body, code, extra


def _search_unavailable(exc: Exception):
    """Any other failure of the search node (alias missing during a first build, node overloaded):
    the visitor sees the 503 page, the operator finds the reason in the log."""
    log.error("Elasticsearch request failed: %s", exc)
    return error_response(503)


def init_app(app: Flask) -> None:
    for status in (400, 404, 405, 500, 503):
        app.register_error_handler(status, lambda exc, s=status: _http_error(s, exc))
    app.register_error_handler(ESConnectionError, lambda exc: error_response(503))
    app.register_error_handler(ConnectionTimeout, lambda exc: error_response(503))
    app.register_error_handler(ApiError, _search_unavailable)
    app.register_error_handler(TransportError, _search_unavailable)
