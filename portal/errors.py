"""Every error the portal answers, in one place: the bodies and the app-wide handlers.

Three shapes, chosen per request (as before):

* **problem details** (RFC 9457, ``application/problem+json``) for the APIs, for a client that asks
  for JSON (``Accept: application/json``) and for the areas that declare themselves machine areas
  (the DCAT endpoints): :func:`problem`;
* **an HTML page** (``templates/errors/<status>.html``) for everyone else, or the area's own page when
  an area registers one (the embeddable widget answers inside its frame): :func:`error_page`;
* **CKAN's envelope** for the CKAN Action API: :func:`ckan_error`. A CKAN client (``ckanapi``) maps
  ``error.__type`` to its exceptions, so the types and HTTP status codes follow CKAN's own
  ``ckan/views/api.py``: Not Found 404, Validation 409, Authorization 403, Search Query 400,
  Search 409 (and 503 here when Elasticsearch itself is unreachable).

:func:`error_response` negotiates between the first two. Elasticsearch failures (node down, alias
missing during a first build, node overloaded) are handled once, app-wide, in :func:`init_app`: the
visitor sees the 503 page or problem, the operator finds the reason in the log — never a stack trace.
A page past the result window, wherever a query finds it, is a 400 that explains why.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Mapping

from elasticsearch import ApiError, ConnectionTimeout, TransportError
from elasticsearch import ConnectionError as ESConnectionError
from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext
from jinja2 import TemplateNotFound

from indexer.mapping import MAX_RESULT_WINDOW
from portal.search.queries import ResultWindowExceeded

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

# (Thai detail, English title) per status; the title is the problem's ``title``, the Thai words its
# default ``detail`` and the page's heading.
_TEXT = {
    400: ("คำขอไม่ถูกต้อง", "Bad request"),
    401: ("ต้องเข้าสู่ระบบ", "Unauthorized"),
    403: ("ไม่มีสิทธิ์เข้าถึง", "Forbidden"),
    404: ("ไม่พบหน้าที่ต้องการ", "Not found"),
    405: ("ไม่รองรับวิธีการเรียกนี้", "Method not allowed"),
    429: ("มีคำขอมากเกินไป", "Too Many Requests"),
    500: ("เกิดข้อผิดพลาดภายในระบบ", "Internal error"),
    503: ("ระบบค้นหาไม่พร้อมให้บริการชั่วคราว", "Search is temporarily unavailable"),
}
_HANDLED_STATUSES = (400, 404, 405, 500, 503)
_AREAS = "gdc_error_areas"

# An area's own error page: ``(status, detail) -> response``, or ``None`` to use the portal's page.
AreaPage = Callable[[int, "str | None"], Any]


def _text(status: int) -> tuple[str, str]:
    return _TEXT.get(status, _TEXT[500])


# --- problem details (APIs) ------------------------------------------------------------------------

def problem(status: int, detail: str | None = None, errors: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
    """An ``application/problem+json`` response; ``errors`` names each bad parameter and why."""
    th, en = _text(status)
    body: dict[str, Any] = {"type": "about:blank", "title": en, "status": status, "detail": detail or th}
    if errors:
        body["errors"] = {key: _as_list(value) for key, value in errors.items()}
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    response.headers.update(headers or {})
    return response


def _as_list(value: Any) -> list:
    if isinstance(value, list):
        return [v if isinstance(v, str) else str(v) for v in value]
    if isinstance(value, dict):
        return [f"{k}: {v}" for k, v in value.items()]
    return [str(value)]


# --- pages and negotiation -------------------------------------------------------------------------

def register_area(app: Flask, blueprint: str, *, machine: bool = False, page: AreaPage | None = None) -> None:
    """Declare how an area's errors look: ``machine`` areas always answer problem details (their
    paths are not under ``/api/``); ``page`` renders the area's own HTML error page."""
    app.extensions.setdefault(_AREAS, {})[blueprint] = (machine, page)


def _area() -> tuple[bool, AreaPage | None]:
    return current_app.extensions.get(_AREAS, {}).get(request.blueprint, (False, None))


def wants_json() -> bool:
    return (request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
            or _area()[0])


def error_page(status: int, detail: str | None = None, headers: Mapping[str, str] | None = None):
    """The HTML error page: the area's own, else ``errors/<status>.html``, else ``errors/problem.html``
    (the refusals: 403, 429)."""
    area_page = _area()[1]
    if area_page is not None and (answer := area_page(status, detail)) is not None:
        return answer
    th, en = _text(status)
    try:
        page = render_template(f"errors/{status}.html", detail=detail)
    except TemplateNotFound:
        try:
            page = render_template("errors/problem.html", status=status, title=en, detail=detail or th)
        except TemplateNotFound:  # an app without the portal's templates (unit tests of one area)
            page = f"<!doctype html><html lang='th'><title>{th}</title><h1>{th} — {en}</h1>"
    return page, status, dict(headers or {})


def error_response(status: int, detail: str | None = None, headers: Mapping[str, str] | None = None):
    """Problem details for a machine, the HTML page for a person."""
    if wants_json():
        return problem(status, detail, headers=headers)
    return error_page(status, detail, headers)


def refusal(status: int, detail: str, headers: Mapping[str, str] | None = None):
    """Access refused (401 no valid token, 403 not allowed, 429 too many requests). A CKAN client gets
    CKAN's ``Authorization Error`` (CKAN answers 403 where HTTP says 401); a 401 is always problem
    details, since only a machine presents a token."""
    if request.path.startswith(("/api/3/", "/api/action/")):
        type_name = "Authorization Error" if status in (401, 403) else "Rate Limit Error"
        error = {"__type": type_name, "message": detail}
        response = _ckan_envelope(request.url_root + "api/3/action/help_show", error,
                                  403 if status == 401 else status)
        response.headers.update(headers or {})
        return response
    if status == 401:
        return problem(status, detail, headers=headers)
    return error_response(status, detail, headers)


# --- CKAN's envelope -------------------------------------------------------------------------------
CKAN_NOT_FOUND = ("Not Found Error", 404)
CKAN_VALIDATION = ("Validation Error", 409)
CKAN_AUTHORIZATION = ("Authorization Error", 403)
CKAN_SEARCH_QUERY = ("Search Query Error", 400)
CKAN_SEARCH = ("Search Error", 409)
CKAN_UNAVAILABLE = ("Search Error", 503)

_CKAN_PREFIX = {
    "Not Found Error": "Not found",
    "Authorization Error": "Access denied",
    "Search Query Error": "Search Query is invalid",
    "Search Error": "Search error",
    "Validation Error": "Validation error",
    "Bad Request": "Bad request",
}


def ckan_help_url(action: str) -> str:
    """CKAN's ``help`` member: where ``help_show`` documents the action."""
    return f"{request.url_root.rstrip('/')}/api/3/action/help_show?name={action}"


def _ckan_envelope(help_url: str, error: dict[str, Any], status: int) -> Response:
    response = jsonify({"help": help_url, "success": False, "error": error})
    response.status_code = status
    return response


def ckan_error(action: str, kind: tuple[str, int], message: str | None = None,
               fields: Mapping[str, list[str]] | None = None) -> Response:
    """CKAN's failure envelope. Validation errors carry the field messages beside ``__type``."""
    type_name, status = kind
    error: dict[str, Any] = {"__type": type_name}
    if fields:
        error.update({key: _as_list(value) for key, value in fields.items()})
    if message or not fields:
        prefix = _CKAN_PREFIX.get(type_name, type_name)
        error["message"] = f"{prefix}: {message}" if message else prefix
    return _ckan_envelope(ckan_help_url(action), error, status)


def ckan_bad_request(action: str, message: str) -> Response:
    """CKAN's 400 for an unknown action or an unreadable body."""
    return ckan_error(action, ("Bad Request", 400), message)


# --- the app-wide handlers -------------------------------------------------------------------------

def _http_error(status: int, exc: Exception):
    """Our page or problem body, keeping the headers HTTP requires (``Allow`` on a 405, RFC 9110)."""
    extra = {}
    allowed = getattr(exc, "valid_methods", None)
    if status == 405 and allowed:
        extra["Allow"] = ", ".join(sorted(allowed))
    return error_response(status, getattr(exc, "description", None), extra)


def _search_unavailable(exc: Exception):
    """Any failure of the search node: the 503 for the visitor, the reason in the log."""
    if not isinstance(exc, (ESConnectionError, ConnectionTimeout)):
        log.error("Elasticsearch request failed: %s", exc)
    return error_response(503)


def _past_the_window(exc: ResultWindowExceeded):
    """A page past the result window: a 400 that says why (for a machine: which page is the last)."""
    if wants_json():
        return problem(400, str(exc), {"page": [f"the last reachable page at this size is {exc.last_page}"]})
    return error_page(400, gettext("ระบบแสดงผลได้เฉพาะ %(n)s รายการแรกของการค้นหา หน้าที่ขอเกินจากนั้น "
                                   "โปรดเพิ่มคำค้นหรือเลือกตัวกรองเพื่อให้ผลลัพธ์แคบลง",
                                   n=f"{MAX_RESULT_WINDOW:,}"))


def init_app(app: Flask) -> None:
    for status in _HANDLED_STATUSES:
        app.register_error_handler(status, lambda exc, s=status: _http_error(s, exc))
    for failure in (ESConnectionError, ConnectionTimeout, ApiError, TransportError):
        app.register_error_handler(failure, _search_unavailable)
    app.register_error_handler(ResultWindowExceeded, _past_the_window)
