"""Who is asking, on every request: the principal from a token, a trusted proxy or the session.

``resolve_principal`` runs first of the area's hooks and sets ``g.principal`` (with ``g.auth_via``,
``g.token_id`` and ``g.token_rejected``); everything after it asks ``current_principal()``. A token
that does not authenticate is refused (401) by ``refuse_rejected_token`` once the rate limit has
counted the attempt — never downgraded to an anonymous request.
"""
from __future__ import annotations

from flask import current_app, g, request, session

from portal.auth import current_principal
from portal.auth.context import SESSION_ID_KEY, audit_log, client_address, is_trusted_proxy, store
from portal.auth.csrf import SAFE_METHODS
from portal.auth.headers import is_embeddable
from portal.auth.principal import ANONYMOUS
from portal.errors import refusal

UNAUTHENTICATED_ENDPOINTS = frozenset({"static", "health.healthz", "health.readyz"})


def presented_token() -> str | None:
    """A Bearer token, or a CKAN-style key (``Authorization: <key>`` / ``X-CKAN-API-Key``)."""
    header = request.headers.get("Authorization", "").strip()
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if header.startswith("gdc_"):
        return header
    return request.headers.get("X-CKAN-API-Key") or None


def resolve_principal() -> None:
    """``g.principal`` from a token, a trusted proxy's header or the session cookie, in that order."""
    g.principal, g.auth_via, g.token_id, g.token_rejected = ANONYMOUS, None, None, False
    if request.endpoint in UNAUTHENTICATED_ENDPOINTS or is_embeddable():
        return
    token = presented_token()
    if token is not None:
        found = store().authenticate_token(token)
        if found is None:
            g.token_rejected = True  # refused after the rate limit, so guessing stays slow
        else:
            g.principal, g.token_id = found
            g.auth_via = "token"
        return
    header = current_app.config["GDC_PROXY_USER_HEADER"]
    if header and request.headers.get(header) and is_trusted_proxy(request.remote_addr):
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


def refuse_rejected_token():
    """A ``before_request`` hook, after the rate limit: 401 for a token that did not authenticate."""
    if not g.token_rejected:
        return None
    audit_log().append("token_rejected", ip=client_address(), path=request.path)
    return refusal(401, "The API token is invalid, expired or revoked.",
                   {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def rate_limit_key() -> tuple[str, bool]:
    """One limit per principal: the account (or token's account), else the visitor's address."""
    principal = current_principal()
    if principal.is_anonymous:
        return f"ip:{client_address()}", True
    return f"user:{principal.username}", False


def rate_limit_exempt() -> bool:
    return request.endpoint in UNAUTHENTICATED_ENDPOINTS
