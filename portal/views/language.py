"""Switching language on any page: a cookie, then back to where the visitor was."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request

from portal.i18n import COOKIE, COOKIE_MAX_AGE, LANGUAGES

bp = Blueprint("language", __name__)


def _same_site_path(target: str | None) -> str:
    """Only a local path is followed: never an open redirect to another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def same_page_url() -> str:
    """This page's path and query, the place a language switch returns to."""
    return request.full_path.rstrip("?") if request.query_string else request.path


@bp.get("/lang/<code>")
def switch(code: str):
    if code not in LANGUAGES:
        abort(404)
    response = redirect(_same_site_path(request.args.get("next")), 303)
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    return response
