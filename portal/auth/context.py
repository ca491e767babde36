"""What the auth area knows about the current request: the app's account store and audit log, the
visitor's address, the session's key and the "sign in first" redirect.

Shared by the request hooks (``identify``, ``web``), the pages (``views``, ``admin``) and the portal's
own pages. It imports none of them, so the area has no import circle (``tests/unit/test_import_graph.py``).
"""
from __future__ import annotations

import ipaddress

from flask import current_app, redirect, request, url_for

from portal.auth import current_principal
from portal.auth.audit import AuditLog
from portal.auth.store import AccountStore

EXTENSION = "gdc_auth"
SESSION_ID_KEY = "sid"


def store() -> AccountStore:
    return current_app.extensions[EXTENSION]["store"]


def audit_log() -> AuditLog:
    return current_app.extensions[EXTENSION]["audit"]


def is_trusted_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in net for net in current_app.extensions[EXTENSION]["proxies"])


def client_address() -> str:
    """The visitor's address; ``X-Forwarded-For`` is believed only when a trusted proxy sent it."""
    address = request.remote_addr or "unknown"
    if not is_trusted_proxy(address):
        return address
    for hop in reversed(request.headers.get("X-Forwarded-For", "").split(",")):
        hop = hop.strip()
        if hop and not is_trusted_proxy(hop):
            return hop
    return address


def signed_in_or_redirect():
    """``None`` for a signed-in principal, else a redirect to the sign-in page that comes back here."""
    if current_principal().is_anonymous:
        return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")), 303)
    return None
