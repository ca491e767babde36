"""The administrators' pages: the audit trail, and accounts with their grants and tokens.

Creating accounts and issuing tokens stay on the command line (``gdc-users``), where a password or a
token never passes through a browser; granting, revoking, disabling and unlocking can be done here
too. Every change is written to the audit trail under the administrator's name.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Blueprint, redirect, render_template, request, url_for

from portal.auth import current_principal
from portal.auth.principal import SENSITIVE_CATEGORIES
from portal.auth.store import StoreError
from portal.auth.context import audit_log, client_address, signed_in_or_redirect, store
from portal.errors import refusal

bp = Blueprint("admin", __name__, url_prefix="/admin")

LEVELS = (1, 2, 3, 4, 5)


def administrators_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if (response := signed_in_or_redirect()) is not None:
            return response
        if not current_principal().is_admin:
            return refusal(403, "ผู้ดูแลระบบเท่านั้น — Administrators only.")
        return view(*args, **kwargs)
    return wrapper


def administrators_change(view: Callable[..., str]) -> Callable:
    """An administrator's change: the view does it and returns what it did, which goes to the audit
    trail under the administrator's name; a change the store refuses shows the page again (400)."""
    @wraps(view)
    @administrators_only
    def wrapper(*args, **kwargs):
        try:
            detail = view(*args, **kwargs)
        except StoreError as exc:
            return _accounts_page(str(exc), 400)
        audit_log().append("account_change", who=current_principal().username, kind="admin",
                           ip=client_address(), detail=detail)
        return redirect(url_for("admin.accounts"), 303)
    return wrapper


@bp.get("/audit")
@administrators_only
def audit():
    """The audit trail, newest first, filtered by person, event or record id."""
    filters = {key: (request.args.get(key) or "").strip() or None for key in ("who", "event", "record_id")}
    limit = min(max(request.args.get("limit", 200, type=int) or 200, 1), 2000)
    entries = audit_log().tail(limit=limit, **filters)
    return render_template("admin/audit.html", entries=entries, filters=filters, limit=limit)


def _accounts_page(error: str | None = None, status: int = 200):
    accounts = store()
    return render_template("admin/accounts.html", accounts=accounts.accounts(), grants=accounts.grants(),
                           tokens=accounts.tokens(), categories=sorted(SENSITIVE_CATEGORIES), levels=LEVELS,
                           error=error), status


@bp.get("/accounts")
@administrators_only
def accounts():
    """Accounts with their grants and tokens, and the forms that change them."""
    return _accounts_page()


@bp.post("/grants")
@administrators_change
def add_grant() -> str:
    form = request.form
    organizations = {o.strip() for o in (form.get("organizations") or "").split(",") if o.strip()} or None
    row = store().add_grant(form.get("username", ""), set(form.getlist("categories")),
                            form.get("max_level", type=int) or 0, organizations, form.get("full") == "1")
    return f"granted {row.username} {row.describe()}"


@bp.post("/grants/<int:grant_id>/revoke")
@administrators_change
def revoke_grant(grant_id: int) -> str:
    store().revoke_grant(grant_id)
    return f"revoked grant #{grant_id}"


@bp.post("/tokens/<token_id>/revoke")
@administrators_change
def revoke_token(token_id: str) -> str:
    store().revoke_token(token_id)
    return f"revoked token {token_id}"


@bp.post("/accounts/<username>/<any(disable, enable, unlock):action>")
@administrators_change
def account_state(username: str, action: str) -> str:
    accounts = store()
    if action == "unlock":
        accounts.unlock(username)
        if accounts.account(username) is None:
            raise StoreError(f"no account {username!r}")
        return f"unlocked {username}"
    if username == current_principal().username:
        raise StoreError("administrators cannot disable themselves here; use gdc-users")
    accounts.set_disabled(username, action == "disable")
    return f"{action}d {username}"
