"""Sign-in, sign-out and "my account" (the administrators' pages are in ``portal.auth.admin``)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_babel import gettext, lazy_gettext

from portal.auth import current_principal
from portal.auth.csrf import csrf_token
from portal.auth.context import SESSION_ID_KEY, audit_log, client_address, signed_in_or_redirect, store

bp = Blueprint("auth", __name__)

# One language per page: the visitor's (docs/portal.md).
_LOCKED = lazy_gettext("มีการลงชื่อเข้าใช้ผิดหลายครั้ง จึงระงับชั่วคราว 15 นาที")
_WRONG = lazy_gettext("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//evil.example`` or ``https://…``): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):  # browsers drop tabs/newlines: "/\t/x" is "//x"
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _form(error: str | None = None, status: int = 200, username: str = ""):
    return render_template("auth/signin.html", error=error, username=username,
                           next=_safe_next(request.values.get("next"))), status


def _refused(barrier, username: str, address: str):
    """429 with ``Retry-After``; the password was not checked."""
    event = "sign_in_locked" if barrier.kind == "locked" else "sign_in_throttled"
    audit_log().append(event, who=username, ip=address, scope=barrier.scope, retry_after=barrier.retry_after)
    message = _LOCKED if barrier.kind == "locked" else gettext(
        "มีการลงชื่อเข้าใช้ผิด โปรดรอ %(seconds)s วินาทีแล้วลองใหม่", seconds=barrier.retry_after)
    page, status = _form(message, 429, username)
    return page, status, {"Retry-After": str(barrier.retry_after)}


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    """Local accounts. Every failure counts against the account name and the address alike."""
    if request.method == "GET":
        return _form()
    username = (request.form.get("username") or "").strip()[:100]
    password = request.form.get("password") or ""
    address = client_address()
    accounts = store()
    barrier = accounts.sign_in_barrier(username, address)
    if barrier is not None:
        return _refused(barrier, username, address)
    account = accounts.verify_password(username, password) if username and password else None
    if account is None:
        locked = accounts.record_failure(username, address)
        audit_log().append("sign_in_failed", who=username, ip=address,
                           **({"locked": locked} if locked else {}))
        return _form(_WRONG, 401, username)
    accounts.record_success(account.username, address)
    session.clear()  # a fresh session: nothing chosen before sign-in carries over
    session.permanent = True
    lifetime = int(current_app.config["GDC_SESSION_HOURS"] * 3600)
    session[SESSION_ID_KEY] = accounts.start_session(account.username, lifetime)
    csrf_token()
    audit_log().append("sign_in", who=account.username, kind=account.kind, ip=address)
    return redirect(_safe_next(request.form.get("next")), 303)


@bp.post("/signout")
def signout():
    """Ends the server-side session too, so a copied cookie stops working at once."""
    principal = current_principal()
    session_id = session.get(SESSION_ID_KEY)
    if session_id:
        store().end_session(session_id)
    session.clear()
    if not principal.is_anonymous:
        audit_log().append("sign_out", who=principal.username, ip=client_address())
    return redirect("/", 303)


@bp.get("/account")
def account():
    """What the signed-in person may discover, in plain words."""
    if (response := signed_in_or_redirect()) is not None:
        return response
    principal = current_principal()
    return render_template("auth/account.html", principal=principal,
                           grants=store().grants(principal.username),
                           tokens=store().tokens(principal.username))
