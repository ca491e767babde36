"""Who is asking, on every request: the principal from a token, a trusted proxy or the session.

``init_app`` wires the auth area into the portal: principal resolution, CSRF, per-principal rate
limits, security headers, cache privacy, the audit hook and the sign-in/admin pages.
"""
from __future__ import annotations

import ipaddress
import logging
import secrets
from datetime import timedelta

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface

from indexer.settings import RATE_LIMIT_DEFAULTS
from portal.auth import current_principal
from portal.auth.audit import AuditLog
from portal.auth.csrf import SAFE_METHODS, csrf_token, csrf_valid
from portal.auth.headers import apply_security_headers, is_embeddable
from portal.auth.principal import ANONYMOUS
from portal.auth import ratelimit
from portal.auth.store import AccountStore
from portal.errors import error_response, refusal

log = logging.getLogger(__name__)

_UNAUTHENTICATED_ENDPOINTS = frozenset({"static", "health.healthz", "health.readyz"})
SESSION_ID_KEY = "sid"


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _configure(app: Flask) -> None:
    """Session cookie and rate limits from the app's ``GDC_*`` settings (``create_app`` put them there)."""
    c = app.config
    for key, per_minute in RATE_LIMIT_DEFAULTS.items():
        if c.get(key) is None:  # unset: on in production, off in test apps (hundreds of requests from one address)
            c[key] = 0 if c.get("TESTING") else per_minute
    if c.get("GDC_COOKIE_SECURE"):
        c["SESSION_COOKIE_SECURE"] = True
    if not c.get("SECRET_KEY"):
        log.warning("GDC_SECRET_KEY is not set: sessions use a random key and end when the process does")
        c["SECRET_KEY"] = secrets.token_hex(32)
    c.update(SESSION_COOKIE_NAME="gdc_session", SESSION_COOKIE_HTTPONLY=True,
             SESSION_COOKIE_SAMESITE="Lax",
             PERMANENT_SESSION_LIFETIME=timedelta(hours=c["GDC_SESSION_HOURS"]))


def store() -> AccountStore:
    return current_app.extensions["gdc_auth"]["store"]


def audit_log() -> AuditLog:
    return current_app.extensions["gdc_auth"]["audit"]


def _is_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in net for net in current_app.extensions["gdc_auth"]["proxies"])


def client_address() -> str:
    """The visitor's address; ``X-Forwarded-For`` is believed only when a trusted proxy sent it."""
    address = request.remote_addr or "unknown"
    if not _is_proxy(address):
        return address
    for hop in reversed(request.headers.get("X-Forwarded-For", "").split(",")):
        hop = hop.strip()
        if hop and not _is_proxy(hop):
            return hop
    return address


def _presented_token() -> str | None:
    """A Bearer token, or a CKAN-style key (``Authorization: <key>`` / ``X-CKAN-API-Key``)."""
    header = request.headers.get("Authorization", "").strip()
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if header.startswith("gdc_"):
        return header
    return request.headers.get("X-CKAN-API-Key") or None


def _resolve_principal() -> None:
    """``g.principal`` from a token, a trusted proxy's header or the session cookie, in that order."""
    g.principal, g.auth_via, g.token_id, g.token_rejected = ANONYMOUS, None, None, False
    if request.endpoint in _UNAUTHENTICATED_ENDPOINTS or is_embeddable():
        return
    token = _presented_token()
    if token is not None:
        found = store().authenticate_token(token)
        if found is None:
            g.token_rejected = True  # refused after the rate limit, so guessing stays slow
        else:
            g.principal, g.token_id = found
            g.auth_via = "token"
        return
    header = current_app.config["GDC_PROXY_USER_HEADER"]
    if header and request.headers.get(header) and _is_proxy(request.remote_addr):
        principal = store().principal_for(request.headers[header].strip())
        if principal is not None:
            g.principal, g.auth_via = principal, "proxy"
        return
    if request.path.startswith("/api/") and request.method not in SAFE_METHODS:
        return  # the APIs take tokens; a cookie never authenticates a cross-site POST there
    session_id = session.get(SESSION_ID_KEY)
    if session_id:
        principal = store().session_principal(session_id)
        if principal is None:
            session.clear()
        else:
            g.principal, g.auth_via = principal, "session"


def _refuse_rejected_token():
    if not g.token_rejected:
        return None
    audit_log().append("token_rejected", ip=client_address(), path=request.path)
    return refusal(401, "The API token is invalid, expired or revoked.",
                   {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def _check_csrf():
    if request.method in SAFE_METHODS:
        return None
    if g.auth_via == "session" or request.endpoint == "auth.signin":
        if not csrf_valid():
            return error_response(400, "CSRF token missing or invalid — reload the form and try again.")
    return None


def _rate_limit_key() -> tuple[str, bool]:
    """One limit per principal: the account (or token's account), else the visitor's address."""
    principal = current_principal()
    if principal.is_anonymous:
        return f"ip:{client_address()}", True
    return f"user:{principal.username}", False


def _rate_limit_exempt() -> bool:
    return request.endpoint in _UNAUTHENTICATED_ENDPOINTS


def _too_many_requests(retry_after: int):
    retry = str(retry_after)
    return refusal(429, f"Too many requests; try again in {retry} seconds.", {"Retry-After": retry})


def _after_rate_limit():
    return _refuse_rejected_token() or _check_csrf()


def _after(response):
    g.gdc_status = response.status_code
    response.vary.update(("Cookie", "Authorization"))
    if not current_principal().is_anonymous or session.get(SESSION_ID_KEY):
        response.headers["Cache-Control"] = "private, no-store"
    return apply_security_headers(response)


def _request_query() -> dict:
    query = request.args.to_dict(flat=False)
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict):
        query.update(body)
    for key, value in request.form.items(multi=False):
        if key not in ("password", "csrf_token"):
            query.setdefault(key, value)
    return query


def _write_audit(exc: BaseException | None) -> None:
    """One entry per request that disclosed sensitive records to a signed-in principal."""
    disclosed = g.pop("gdc_disclosed", None)
    principal = g.get("principal", ANONYMOUS)
    if not disclosed:
        return
    try:
        audit_log().append(
            "disclosure", who=principal.username or "anonymous", kind=principal.kind, via=g.get("auth_via"),
            token=g.get("token_id"), ip=client_address(), method=request.method,
            path=request.path, query=_request_query(), status=g.get("gdc_status"),
            ids=sorted(disclosed), tiers=disclosed)
    except OSError:
        log.exception("could not write the audit log")


def init_app(app: Flask) -> None:
    _configure(app)
    c = app.config
    proxies = [ipaddress.ip_network(p.strip(), strict=False)
               for p in (c["GDC_TRUSTED_PROXIES"] or "").split(",") if p.strip()]

    app.extensions["gdc_auth"] = {
        "store": AccountStore(c["GDC_AUTH_DB"]),
        "audit": AuditLog(c["GDC_AUDIT_LOG"]),
        "proxies": proxies,
    }
    app.session_interface = _SessionInterface()
    # In this order: who is asking, their rate limit (so token guessing is slowed before it is
    # refused), then token refusal and CSRF.
    app.before_request(_resolve_principal)
    ratelimit.init_app(app, key=_rate_limit_key, exempt=_rate_limit_exempt, breach=_too_many_requests)
    app.before_request(_after_rate_limit)
    app.after_request(_after)
    app.teardown_request(_write_audit)
    app.jinja_env.globals.update(csrf_token=csrf_token, current_principal=current_principal)

    from portal.auth import admin, views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
