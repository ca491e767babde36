"""The auth area's wiring: its settings, its request hooks in order, and its pages.

Who is asking is decided in ``identify``, CSRF in ``csrf``, limits in ``ratelimit``, headers in
``headers``, the disclosure audit in ``disclosure``; the pages are ``views`` (sign-in, account) and
``admin``; what they share about the current request is in ``context``. This module only puts them
together for ``create_app``.
"""
from __future__ import annotations

import ipaddress
import logging
import secrets
from datetime import timedelta

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from indexer.settings import RATE_LIMIT_DEFAULTS
from portal.auth import admin, csrf, current_principal, disclosure, identify, ratelimit, views
from portal.auth.audit import AuditLog
from portal.auth.context import EXTENSION
from portal.auth.headers import apply_security_headers
from portal.auth.store import AccountStore

log = logging.getLogger(__name__)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _configure(app: Flask) -> None:
    """Session cookie and rate limits from the app's ``GDC_*`` settings (``create_app`` put them there)."""
    c = app.config
    for key, per_minute in RATE_LIMIT_DEFAULTS.items():
        # Unset: on in production, off in test apps (hundreds of requests from one address).
        if c.get(key) is None:
            c[key] = 0 if c.get("TESTING") else per_minute
    if c.get("GDC_COOKIE_SECURE"):
        c["SESSION_COOKIE_SECURE"] = True
    if not c.get("SECRET_KEY"):
        log.warning("GDC_SECRET_KEY is not set: sessions use a random key and end when the process does")
        c["SECRET_KEY"] = secrets.token_hex(32)
    c.update(SESSION_COOKIE_NAME="gdc_session", SESSION_COOKIE_HTTPONLY=True,
             SESSION_COOKIE_SAMESITE="Lax",
             PERMANENT_SESSION_LIFETIME=timedelta(hours=c["GDC_SESSION_HOURS"]))


def init_app(app: Flask) -> None:
    _configure(app)
    c = app.config
    app.extensions[EXTENSION] = {
        "store": AccountStore(c["GDC_AUTH_DB"]),
        "audit": AuditLog(c["GDC_AUDIT_LOG"]),
        "proxies": [ipaddress.ip_network(p.strip(), strict=False)
                    for p in (c["GDC_TRUSTED_PROXIES"] or "").split(",") if p.strip()],
    }
    app.session_interface = _SessionInterface()
    csrf.init_app(app)
    # In this order: who is asking, their rate limit (so token guessing is slowed before it is
    # refused), then token refusal and CSRF.
    app.before_request(identify.resolve_principal)
    ratelimit.init_app(app, key=identify.rate_limit_key, exempt=identify.rate_limit_exempt,
                       breach=ratelimit.too_many_requests)
    app.before_request(identify.refuse_rejected_token)
    app.before_request(csrf.check_csrf)
    app.after_request(apply_security_headers)
    app.after_request(disclosure.note_status)
    app.teardown_request(disclosure.write_disclosures)
    app.jinja_env.globals.update(csrf_token=csrf.csrf_token, current_principal=current_principal)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
