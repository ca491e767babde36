"""Security and cache-privacy headers on every response, and the one deliberate exception: the widget
embed page."""
from __future__ import annotations

from typing import Callable

from flask import current_app, request, session
from flask.wrappers import Response

from portal.auth import current_principal
from portal.auth.context import SESSION_ID_KEY

_EMBEDDABLE = "gdc_embeddable"

# No inline script anywhere ('unsafe-inline' is absent); everything comes from the portal itself,
# which suits closed government networks as well as it suits security.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors {ancestors}")


def embeddable(view: Callable) -> Callable:
    """Mark a view as meant to be framed by other sites (the search widget).

    Such a view is always served as to an anonymous visitor, so framing it can never show or act
    with a signed-in user's rights (no clickjacking of analysts).
    """
    setattr(view, _EMBEDDABLE, True)
    return view


def is_embeddable() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view is not None and getattr(view, _EMBEDDABLE, False))


def apply_security_headers(response: Response) -> Response:
    """An ``after_request`` hook. An answer for a signed-in principal is never kept by a shared cache."""
    headers = response.headers
    response.vary.update(("Cookie", "Authorization"))
    if not current_principal().is_anonymous or session.get(SESSION_ID_KEY):
        headers["Cache-Control"] = "private, no-store"
    if is_embeddable():
        ancestors = current_app.config.get("GDC_WIDGET_FRAME_ANCESTORS") or "*"
        headers.pop("X-Frame-Options", None)
    else:
        ancestors = "'none'"
        headers["X-Frame-Options"] = "DENY"
    headers["Content-Security-Policy"] = _CSP.format(ancestors=ancestors)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return response
