"""CSRF protection for forms: a random token kept in the session, echoed by every form.

Requests authenticated by the session cookie (and the sign-in form itself, against login CSRF)
must carry it on every state-changing method, as the ``csrf_token`` form field or the
``X-CSRF-Token`` header. Bearer-token requests need none: a browser never adds that header itself.
"""
from __future__ import annotations

import hmac
import secrets

from flask import g, request, session

from portal.errors import error_response

SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def csrf_token() -> str:
    """The session's token, created on first use (templates call this for hidden fields)."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_valid() -> bool:
    expected = session.get(SESSION_KEY)
    given = request.form.get(FORM_FIELD) or request.headers.get(HEADER) or ""
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


def check_csrf():
    """A ``before_request`` hook: 400 for a state-changing request of a session without its token."""
    if request.method in SAFE_METHODS:
        return None
    if g.auth_via == "session" or request.endpoint == "auth.signin":
        if not csrf_valid():
            return error_response(400, "CSRF token missing or invalid — reload the form and try again.")
    return None
