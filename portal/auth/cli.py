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
A refused change exits with 2, as a usage error does.
"""
from __future__ import annotations

import functools
import getpass
import json
import os
import sys
from typing import Callable, Sequence

import click

from indexer.settings import Settings
from portal.auth.audit import AuditLog
from portal.auth.principal import SENSITIVE_CATEGORIES
from portal.auth.store import AccountStore, StoreError

MIN_PASSWORD_LENGTH = 10


class Refused(click.ClickException):
    """A change the store refused: ``gdc-users: <why>`` on stderr, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"gdc-users: {self.message}", err=True)


def _csv(ctx: click.Context, param: click.Parameter, text: str | None) -> set[str] | None:
    return None if text is None else {part.strip() for part in text.split(",") if part.strip()}


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise StoreError("the two passwords differ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _stores(settings: Settings) -> tuple[AccountStore, AuditLog]:
    return AccountStore(settings.auth_db), AuditLog(settings.audit_log)


def change(echo: bool = True) -> Callable:
    """A command that changes the store; the text it returns is written to the audit log (and printed)."""
    def decorate(command: Callable[..., str]) -> Callable:
        @functools.wraps(command)
        @click.pass_obj
        def run(settings: Settings, **params) -> None:
            store, audit = _stores(settings)
            try:
                text = command(store, **params)
            except StoreError as exc:
                raise Refused(str(exc)) from exc
            operator = os.environ.get("SUDO_USER") or os.environ.get("USER") or "unknown"
            audit.append("account_change", who=f"cli:{operator}", detail=text)
            if echo:
                click.echo(text)
        return run
    return decorate


@click.group(help="Manage portal accounts, grants and API tokens.")
@click.pass_context
def users(ctx: click.Context) -> None:
    ctx.obj = Settings.from_env()


@users.command(help="create an account (analyst unless --admin)")
@click.argument("username")
@click.option("--admin", is_flag=True, help="catalogue administrator: sees everything")
@click.option("--display-name")
@click.option("--password-stdin", is_flag=True, help="read the password from stdin")
@click.option("--no-password", is_flag=True, help="sign-in through the trusted proxy only")
@change()
def add(store: AccountStore, username: str, admin: bool, display_name: str | None, password_stdin: bool,
        no_password: bool) -> str:
    kind = "admin" if admin else "analyst"
    store.add_account(username, kind, None if no_password else _read_password(password_stdin), display_name)
    return f"added {kind} {username}"


@users.command(help="set a new password (ends the account's sessions)")
@click.argument("username")
@click.option("--password-stdin", is_flag=True)
@change()
def passwd(store: AccountStore, username: str, password_stdin: bool) -> str:
    store.set_password(username, _read_password(password_stdin))
    return f"new password for {username}"


def _account_state(name: str, text: str, act: Callable[[AccountStore, str], None], done: str) -> None:
    @users.command(name=name, help=text)
    @click.argument("username")
    @change()
    def command(store: AccountStore, username: str) -> str:
        act(store, username)
        return f"{done} {username}"


_account_state("disable", "disable an account (sessions end, tokens stop)",
               lambda store, username: store.set_disabled(username, True), "disabled")
_account_state("enable", "re-enable an account",
               lambda store, username: store.set_disabled(username, False), "enabled")
_account_state("unlock", "clear sign-in failures", AccountStore.unlock, "unlocked")


@users.command(help="let an analyst discover sensitive records")
@click.argument("username")
@click.option("--categories", required=True, callback=_csv,
              help=f"comma-separated, among {', '.join(sorted(SENSITIVE_CATEGORIES))}")
@click.option("--max-level", required=True, type=click.IntRange(1, 5), metavar="1-5",
              help="highest classification level covered")
@click.option("--organizations", callback=_csv, help="organization slugs (default: all organizations)")
@click.option("--full", is_flag=True, help="full tier: description, tags, contacts, resources")
@change()
def grant(store: AccountStore, username: str, categories: set[str], max_level: int,
          organizations: set[str] | None, full: bool) -> str:
    row = store.add_grant(username, categories, max_level, organizations, full)
    return f"granted {username} {row.describe()}"


@users.command(help="revoke a grant (by number) or an API token (--token ID)")
@click.argument("grant_id", type=int, required=False)
@click.option("--token", metavar="TOKEN_ID")
@change()
def revoke(store: AccountStore, grant_id: int | None, token: str | None) -> str:
    if (grant_id is None) == (token is None):
        raise click.UsageError("give a grant number or --token TOKEN_ID (one of them)")
    if token:
        store.revoke_token(token)
        return f"revoked token {token}"
    store.revoke_grant(grant_id)  # type: ignore[arg-type]
    return f"revoked grant #{grant_id}"


@users.command(help="issue an API token (printed once)")
@click.argument("username")
@click.option("--days", type=int, default=90, show_default=True)
@click.option("--label")
@change(echo=False)
def token(store: AccountStore, username: str, days: int, label: str | None) -> str:
    secret, row = store.create_token(username, days, label)
    click.echo(secret)
    click.echo(f"token {row.id} for {username}, expires {row.expires_at}. "
               "Copy it now: it is stored hashed and cannot be shown again.", err=True)
    return f"token {row.id} issued to {username} until {row.expires_at}"


@users.command(name="list", help="accounts with their grants and tokens")
@click.argument("username", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_accounts(settings: Settings, username: str | None, as_json: bool) -> None:
    store, _ = _stores(settings)
    accounts = [a for a in store.accounts() if username in (None, a.username)]
    if username and not accounts:
        raise Refused(f"no account {username!r}")
    rows = []
    for a in accounts:
        grants, tokens = store.grants(a.username), store.tokens(a.username)
        if as_json:
            rows.append({"username": a.username, "kind": a.kind, "disabled": a.disabled,
                         "grants": [{"id": g.id, "categories": sorted(g.grant.categories),
                                     "max_level": g.grant.max_level, "full": g.grant.full,
                                     "organizations": None if g.grant.organizations is None
                                     else sorted(g.grant.organizations)} for g in grants],
                         "tokens": [{"id": t.id, "label": t.label, "expires_at": t.expires_at,
                                     "last_used_at": t.last_used_at} for t in tokens]})
            continue
        click.echo(f"{a.username}  {a.kind}{' (disabled)' if a.disabled else ''}")
        for g in grants:
            click.echo(f"    grant {g.describe()}")
        for t in tokens:
            used = t.last_used_at or "never"
            click.echo(f"    token {t.id} {t.label or ''} expires {t.expires_at} last used {used}")
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))


@users.command(help="show the audit trail, newest first")
@click.option("--who")
@click.option("--event")
@click.option("--record-id")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line")
@click.pass_obj
def audit(settings: Settings, who: str | None, event: str | None, record_id: str | None, limit: int,
          as_json: bool) -> None:
    for entry in _stores(settings)[1].tail(limit, who, event, record_id):
        if as_json:
            click.echo(json.dumps(entry, ensure_ascii=False))
            continue
        what = entry.get("detail") or " ".join(filter(None, [entry.get("path"), json.dumps(
            entry["query"], ensure_ascii=False) if entry.get("query") else None]))
        ids = ",".join(entry.get("ids") or [])
        who = entry.get("who", "")
        click.echo(f"{entry.get('ts')}  {entry.get('event'):<15} {who:<16} {what} {ids}".rstrip())


def main(argv: Sequence[str] | None = None) -> int:
    """The exit status: 0, or 2 for a usage error or a refused change."""
    try:
        status = users.main(args=list(argv) if argv is not None else None, prog_name="gdc-users",
                            standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted!", err=True)
        return 1
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
