"""CSRF protection for forms: Flask-WTF's ``CSRFProtect``, asked where a cookie could be abused.

Requests authenticated by the session cookie (and the sign-in form itself, against login CSRF) must
carry the token on every state-changing method, as the ``csrf_token`` form field or the
``X-CSRF-Token`` header. Bearer-token requests need none (a browser never adds that header itself),
and an anonymous request has no rights to abuse, so Flask-WTF's check-every-view default is off and
:func:`check_csrf` runs it for those requests only. The token is signed with the app's secret key and
lives as long as the session (no separate time limit), as the hand-written one did.
"""
from __future__ import annotations

from flask import Flask, g, request
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from portal.errors import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_protect = CSRFProtect()


def csrf_token() -> str:
    """The session's token, created on first use (templates call this for hidden fields)."""
    return generate_csrf()


def check_csrf():
    """A ``before_request`` hook: 400 for a state-changing request of a session without its token."""
    if request.method in SAFE_METHODS:
        return None
    if g.auth_via == "session" or request.endpoint == "auth.signin":
        try:
            _protect.protect()
        except CSRFError:
            return error_response(400, "CSRF token missing or invalid — reload the form and try again.")
    return None


def init_app(app: Flask) -> None:
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # check_csrf decides which requests need a token
        WTF_CSRF_FIELD_NAME="csrf_token",
        WTF_CSRF_HEADERS=["X-CSRF-Token", "X-CSRFToken"],
        WTF_CSRF_TIME_LIMIT=None,  # as long as the session lasts (GDC_SESSION_HOURS)
        # The Referer check on HTTPS would refuse clients and proxies that drop the header; the
        # session-bound token and SameSite=Lax cookies already stop cross-site posts.
        WTF_CSRF_SSL_STRICT=False,
    )
    _protect.init_app(app)
