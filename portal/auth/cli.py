"""``gdc-users``: accounts, grants and API tokens for catalogue administrators.

    gdc-users add somchai                      # an analyst; asks for the password twice
    gdc-users add admin1 --admin
    gdc-users grant somchai --categories personal,internal --max-level 3 --organizations moph,nso
    gdc-users grant somchai --categories personal --max-level 2 --full
    gdc-users token somchai --days 90 --label "ETL job"   # shown once, stored hashed
    gdc-users revoke 4          (grant 4)      gdc-users revoke --token 9f2c…
    gdc-users list               gdc-users audit --who somchai --limit 50

Changes are written to the account store (``GDC_AUTH_DB``) and take effect on the portal's next
request; nothing is reindexed. Every change is recorded in the audit log (``GDC_AUDIT_LOG``).
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Sequence

from indexer.settings import Settings
from portal.auth.audit import AuditLog
from portal.auth.principal import SENSITIVE_CATEGORIES
from portal.auth.store import AccountStore, StoreError

MIN_PASSWORD_LENGTH = 10


def _csv(text: str) -> set[str]:
    return {part.strip() for part in text.split(",") if part.strip()}


def _read_password(args: argparse.Namespace) -> str | None:
    if getattr(args, "no_password", False):
        return None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise StoreError("the two passwords differ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gdc-users",
                                description="Manage portal accounts, grants and API tokens.")
    sub = p.add_subparsers(dest="command", required=True)

    add = sub.add_parser("add", help="create an account (analyst unless --admin)")
    add.add_argument("username")
    add.add_argument("--admin", action="store_true", help="catalogue administrator: sees everything")
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--no-password", action="store_true", help="sign-in through the trusted proxy only")

    pw = sub.add_parser("passwd", help="set a new password (ends the account's sessions)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")

    for name, text in (("disable", "disable an account (sessions end, tokens stop)"),
                       ("enable", "re-enable an account"), ("unlock", "clear sign-in failures")):
        sub.add_parser(name, help=text).add_argument("username")

    grant = sub.add_parser("grant", help="let an analyst discover sensitive records")
    grant.add_argument("username")
    grant.add_argument("--categories", required=True, type=_csv,
                       help=f"comma-separated, among {', '.join(sorted(SENSITIVE_CATEGORIES))}")
    grant.add_argument("--max-level", required=True, type=int, choices=range(1, 6), metavar="1-5",
                       help="highest classification level covered")
    grant.add_argument("--organizations", type=_csv, help="organization slugs (default: all organizations)")
    grant.add_argument("--full", action="store_true",
                       help="full tier: description, tags, contacts, resources")

    revoke = sub.add_parser("revoke", help="revoke a grant (by number) or an API token (--token ID)")
    target = revoke.add_mutually_exclusive_group(required=True)
    target.add_argument("grant_id", nargs="?", type=int)
    target.add_argument("--token", metavar="TOKEN_ID")

    token = sub.add_parser("token", help="issue an API token (printed once)")
    token.add_argument("username")
    token.add_argument("--days", type=int, default=90)
    token.add_argument("--label")

    lst = sub.add_parser("list", help="accounts with their grants and tokens")
    lst.add_argument("username", nargs="?")
    lst.add_argument("--json", action="store_true")

    audit = sub.add_parser("audit", help="show the audit trail, newest first")
    audit.add_argument("--who")
    audit.add_argument("--event")
    audit.add_argument("--record-id")
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    return p


def _list(store: AccountStore, username: str | None, as_json: bool) -> None:
    accounts = [a for a in store.accounts() if username in (None, a.username)]
    if username and not accounts:
        raise StoreError(f"no account {username!r}")
    rows = []
    for a in accounts:
        grants = store.grants(a.username)
        tokens = store.tokens(a.username)
        if as_json:
            rows.append({"username": a.username, "kind": a.kind, "disabled": a.disabled,
                         "grants": [{"id": g.id, "categories": sorted(g.grant.categories),
                                     "max_level": g.grant.max_level, "full": g.grant.full,
                                     "organizations": None if g.grant.organizations is None
                                     else sorted(g.grant.organizations)} for g in grants],
                         "tokens": [{"id": t.id, "label": t.label, "expires_at": t.expires_at,
                                     "last_used_at": t.last_used_at} for t in tokens]})
            continue
        state = " (disabled)" if a.disabled else ""
        print(f"{a.username}  {a.kind}{state}")
        for g in grants:
            print(f"    grant {g.describe()}")
        for t in tokens:
            used = t.last_used_at or "never"
            print(f"    token {t.id} {t.label or ''} expires {t.expires_at} last used {used}")
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))


def _run(args: argparse.Namespace, store: AccountStore, audit: AuditLog) -> str | None:
    """Carry out one command; the returned text is also recorded in the audit log as a change."""
    cmd = args.command
    if cmd == "add":
        kind = "admin" if args.admin else "analyst"
        store.add_account(args.username, kind, _read_password(args), args.display_name)
        return f"added {kind} {args.username}"
    if cmd == "passwd":
        store.set_password(args.username, _read_password(args) or "")
        return f"new password for {args.username}"
    if cmd in ("disable", "enable"):
        store.set_disabled(args.username, cmd == "disable")
        return f"{cmd}d {args.username}"
    if cmd == "unlock":
        store.unlock(args.username)
        return f"unlocked {args.username}"
    if cmd == "grant":
        row = store.add_grant(args.username, args.categories, args.max_level, args.organizations, args.full)
        return f"granted {args.username} {row.describe()}"
    if cmd == "revoke":
        if args.token:
            store.revoke_token(args.token)
            return f"revoked token {args.token}"
        store.revoke_grant(args.grant_id)
        return f"revoked grant #{args.grant_id}"
    if cmd == "token":
        secret, row = store.create_token(args.username, args.days, args.label)
        print(secret)
        print(f"token {row.id} for {args.username}, expires {row.expires_at}. "
              "Copy it now: it is stored hashed and cannot be shown again.", file=sys.stderr)
        return f"token {row.id} issued to {args.username} until {row.expires_at}"
    if cmd == "list":
        _list(store, args.username, args.json)
        return None
    for entry in audit.tail(args.limit, args.who, args.event, args.record_id):
        if args.json:
            print(json.dumps(entry, ensure_ascii=False))
        else:
            who = entry.get("who", "")
            what = entry.get("detail") or " ".join(filter(None, [entry.get("path"), json.dumps(
                entry["query"], ensure_ascii=False) if entry.get("query") else None]))
            ids = ",".join(entry.get("ids") or [])
            print(f"{entry.get('ts')}  {entry.get('event'):<15} {who:<16} {what} {ids}".rstrip())
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    store = AccountStore(settings.auth_db)
    audit = AuditLog(settings.audit_log)
    try:
        change = _run(args, store, audit)
    except StoreError as exc:
        print(f"gdc-users: {exc}", file=sys.stderr)
        return 2
    if change:
        operator = os.environ.get("SUDO_USER") or os.environ.get("USER") or "unknown"
        audit.append("account_change", who=f"cli:{operator}", detail=change)
        if args.command != "token":
            print(change)
    return 0


if __name__ == "__main__":
    sys.exit(main())
