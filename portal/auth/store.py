"""The account store: accounts, grants, API tokens and sign-in failures in one SQLite file.

Kept outside the search index on purpose: a grant added or revoked here takes effect on the very
next request, with no reindexing. Every call opens its own short connection, so the store is safe
to share between threads and between worker processes (SQLite serialises the writes).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.auth import lockout as throttle
from portal.auth.lockout import Barrier, LockoutPolicy
from portal.auth.principal import SENSITIVE_CATEGORIES, Grant, Principal

__all__ = ["AccountStore", "Barrier", "LockoutPolicy", "StoreError"]

KINDS = ("analyst", "admin")
TOKEN_PREFIX = "gdc"
_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the account does not exist, so that a wrong username costs the same
    time as a wrong password and the response time does not reveal which accounts exist."""
    return _HASHER.hash(secrets.token_hex(16))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    username      TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('analyst', 'admin')),
    password_hash TEXT,
    display_name  TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id_sha256     TEXT PRIMARY KEY,
    username      TEXT NOT NULL REFERENCES accounts (username),
    created_at    REAL NOT NULL,
    expires_at    REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS grants (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL REFERENCES accounts (username),
    categories    TEXT NOT NULL,
    max_level     INTEGER NOT NULL CHECK (max_level BETWEEN 1 AND 5),
    organizations TEXT,
    full_tier     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL REFERENCES accounts (username),
    secret_sha256 TEXT NOT NULL,
    label         TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    last_used_at  TEXT
);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_at      REAL NOT NULL,
    locked_until  REAL NOT NULL DEFAULT 0,
    last_at       REAL NOT NULL DEFAULT 0
);
"""


class StoreError(ValueError):
    """A request the store refuses (unknown account, bad grant, duplicate name)."""


@dataclass(frozen=True)
class Account:
    username: str
    kind: str
    display_name: str | None
    disabled: bool
    created_at: str


@dataclass(frozen=True)
class GrantRow:
    id: int
    username: str
    grant: Grant
    created_at: str
    revoked_at: str | None

    def describe(self) -> str:
        """``#4 internal,personal up to level 3, moph,nso, name tier`` (for listings and the audit trail)."""
        g = self.grant
        orgs = "all organizations" if g.organizations is None else ",".join(sorted(g.organizations))
        return (f"#{self.id} {','.join(sorted(g.categories))} up to level {g.max_level}, {orgs}, "
                f"{'full' if g.full else 'name'} tier")


@dataclass(frozen=True)
class TokenRow:
    id: str
    username: str
    label: str | None
    created_at: str
    expires_at: str
    revoked_at: str | None
    last_used_at: str | None


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _minute_ago() -> str:
    return (datetime.now(timezone.utc) - timedelta(minutes=1)).replace(microsecond=0).isoformat()


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(text: str | None) -> frozenset[str] | None:
    return None if text is None else frozenset(t for t in text.split(",") if t)


class AccountStore:
    """Accounts, grants and tokens persisted in ``path`` (created on first use)."""

    def __init__(self, path: str | Path, lockout: LockoutPolicy | None = None) -> None:
        self.path = Path(path)
        self.lockout = lockout or LockoutPolicy()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer; persists in the file
            db.executescript(_SCHEMA)
            throttle.ensure_schema(db)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA foreign_keys = ON")
            yield db
        finally:
            db.close()

    # -- accounts ---------------------------------------------------------------------------

    def add_account(self, username: str, kind: str, password: str | None,
                    display_name: str | None = None) -> Account:
        """Create an account; ``password`` may be ``None`` for proxy-only (single sign-on) users."""
        username = username.strip()
        if not username or any(c in username for c in " ,:\t\n"):
            raise StoreError(f"invalid username {username!r}")
        if kind not in KINDS:
            raise StoreError(f"kind must be one of {KINDS}, not {kind!r}")
        hashed = _HASHER.hash(password) if password else None
        with self._db() as db:
            try:
                db.execute(
                    "INSERT INTO accounts (username, kind, password_hash, display_name, created_at)"
                    " VALUES (?, ?, ?, ?, ?)", (username, kind, hashed, display_name, now_iso()))
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"account {username!r} already exists") from exc
        return self.account(username)  # type: ignore[return-value]

    def account(self, username: str) -> Account | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
        if row is None:
            return None
        return Account(row["username"], row["kind"], row["display_name"], bool(row["disabled"]),
                       row["created_at"])

    def accounts(self) -> list[Account]:
        with self._db() as db:
            names = [r[0] for r in db.execute("SELECT username FROM accounts ORDER BY username")]
        return [a for a in (self.account(n) for n in names) if a]

    def _require(self, username: str) -> Account:
        account = self.account(username)
        if account is None:
            raise StoreError(f"no account {username!r}")
        return account

    def set_password(self, username: str, password: str) -> None:
        """Change a password; the account's existing sessions end."""
        self._require(username)
        with self._db() as db:
            db.execute("UPDATE accounts SET password_hash = ? WHERE username = ?",
                       (_HASHER.hash(password), username))
            db.execute("DELETE FROM sessions WHERE username = ?", (username,))

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable or re-enable an account; disabling ends its sessions and stops its tokens."""
        self._require(username)
        with self._db() as db:
            db.execute("UPDATE accounts SET disabled = ? WHERE username = ?", (int(disabled), username))
            db.execute("DELETE FROM sessions WHERE username = ?", (username,))

    def verify_password(self, username: str, password: str) -> Account | None:
        """The account when the password matches and the account is enabled, else ``None``."""
        with self._db() as db:
            row = db.execute("SELECT password_hash, disabled FROM accounts WHERE username = ?",
                             (username,)).fetchone()
        stored = row["password_hash"] if row and row["password_hash"] else _dummy_hash()
        try:
            _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or row["password_hash"] is None or row["disabled"]:
            return None
        if _HASHER.check_needs_rehash(stored):
            with self._db() as db:
                db.execute("UPDATE accounts SET password_hash = ? WHERE username = ?",
                           (_HASHER.hash(password), username))
        return self.account(username)

    # -- grants -----------------------------------------------------------------------------

    def add_grant(self, username: str, categories: set[str] | frozenset[str], max_level: int,
                  organizations: set[str] | frozenset[str] | None = None, full: bool = False) -> GrantRow:
        """Let an analyst discover sensitive records of ``categories`` up to ``max_level``.

        ``organizations=None`` covers every organization; ``full`` adds the full tier.
        """
        account = self._require(username)
        if account.kind != "analyst":
            raise StoreError("grants are for analysts; administrators already see everything")
        unknown = set(categories) - SENSITIVE_CATEGORIES
        if not categories or unknown:
            raise StoreError(f"categories must be among {sorted(SENSITIVE_CATEGORIES)}, "
                             f"got {sorted(categories)}")
        if not 1 <= int(max_level) <= 5:
            raise StoreError("max_level must be 1–5")
        if organizations is not None and not organizations:
            raise StoreError("name at least one organization, or none for all organizations")
        orgs = None if organizations is None else ",".join(sorted(organizations))
        with self._db() as db:
            cur = db.execute(
                "INSERT INTO grants (username, categories, max_level, organizations, full_tier, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (username, ",".join(sorted(categories)), int(max_level), orgs, int(full), now_iso()))
            grant_id = cur.lastrowid
        return next(g for g in self.grants(username, include_revoked=True) if g.id == grant_id)

    def grants(self, username: str | None = None, include_revoked: bool = False) -> list[GrantRow]:
        sql = "SELECT * FROM grants WHERE (? IS NULL OR username = ?)"
        if not include_revoked:
            sql += " AND revoked_at IS NULL"
        with self._db() as db:
            rows = db.execute(sql + " ORDER BY id", (username, username)).fetchall()
        return [GrantRow(r["id"], r["username"], Grant(
            categories=_split(r["categories"]) or frozenset(), max_level=r["max_level"],
            organizations=_split(r["organizations"]), full=bool(r["full_tier"])),
            r["created_at"], r["revoked_at"]) for r in rows]

    def revoke_grant(self, grant_id: int) -> None:
        with self._db() as db:
            cur = db.execute("UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                             (now_iso(), grant_id))
        if cur.rowcount == 0:
            raise StoreError(f"no active grant {grant_id}")

    # -- principals -------------------------------------------------------------------------

    def principal_for(self, username: str) -> Principal | None:
        """The principal of an enabled account with its active grants, read fresh on every request."""
        account = self.account(username)
        if account is None or account.disabled:
            return None
        grants = () if account.kind == "admin" else tuple(g.grant for g in self.grants(username))
        return Principal(kind=account.kind, username=username, grants=grants)

    # -- browser sessions -------------------------------------------------------------------

    def start_session(self, username: str, lifetime_seconds: int) -> str:
        """A new server-side session; the returned id goes into the signed cookie, its hash here."""
        self._require(username)
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)",
                       (_sha256(session_id), username, now, now + lifetime_seconds))
        return session_id

    def session_principal(self, session_id: str) -> Principal | None:
        """The principal of a live session (ended by sign-out, expiry, password change or disable)."""
        with self._db() as db:
            row = db.execute("SELECT username, expires_at FROM sessions WHERE id_sha256 = ?",
                             (_sha256(session_id),)).fetchone()
        if row is None or row["expires_at"] < time.time():
            return None
        return self.principal_for(row["username"])

    def end_session(self, session_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE id_sha256 = ?", (_sha256(session_id),))

    # -- API tokens -------------------------------------------------------------------------

    def create_token(self, username: str, days: int = 90, label: str | None = None) -> tuple[str, TokenRow]:
        """A new token ``gdc_<id>_<secret>``: returned once, only its SHA-256 is stored.

        The secret is 256 random bits, so a fast hash is enough (no password stretching needed).
        """
        self._require(username)
        if not 1 <= days <= 3650:
            raise StoreError("a token lives 1–3650 days")
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        expires = (datetime.now(timezone.utc) + timedelta(days=days)).replace(microsecond=0).isoformat()
        with self._db() as db:
            db.execute("INSERT INTO tokens (id, username, secret_sha256, label, created_at, expires_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (token_id, username, _sha256(secret), label, now_iso(), expires))
        return f"{TOKEN_PREFIX}_{token_id}_{secret}", self.tokens(username, include_revoked=True)[-1]

    def tokens(self, username: str | None = None, include_revoked: bool = False) -> list[TokenRow]:
        sql = "SELECT * FROM tokens WHERE (? IS NULL OR username = ?)"
        if not include_revoked:
            sql += " AND revoked_at IS NULL"
        with self._db() as db:
            rows = db.execute(sql + " ORDER BY created_at, rowid", (username, username)).fetchall()
        return [TokenRow(r["id"], r["username"], r["label"], r["created_at"], r["expires_at"],
                         r["revoked_at"], r["last_used_at"]) for r in rows]

    def revoke_token(self, token_id: str) -> None:
        with self._db() as db:
            cur = db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                             (now_iso(), token_id))
        if cur.rowcount == 0:
            raise StoreError(f"no active token {token_id}")

    def authenticate_token(self, token: str) -> tuple[Principal, str] | None:
        """``(principal, token id)`` for a valid, unexpired, unrevoked token of an enabled account."""
        parts = token.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            return None
        token_id, secret = parts[1], parts[2]
        with self._db() as db:
            row = db.execute("SELECT * FROM tokens WHERE id = ?", (token_id,)).fetchone()
            if row is None or not hmac.compare_digest(row["secret_sha256"], _sha256(secret)):
                return None
            now = now_iso()
            if row["revoked_at"] or row["expires_at"] <= now:
                return None
            # At most one write a minute per token: a busy API client must not serialise on the store.
            if (row["last_used_at"] or "") < _minute_ago():
                db.execute("UPDATE tokens SET last_used_at = ? WHERE id = ?", (now, token_id))
        principal = self.principal_for(row["username"])
        return (principal, token_id) if principal else None

    # -- sign-in throttling -----------------------------------------------------------------

    def locked(self, *keys: str) -> bool:
        """Whether any of ``keys`` (``user:…``, ``ip:…``, ``pair:user|address``) is locked now."""
        now = time.time()
        with self._db() as db:
            for key in keys:
                row = db.execute("SELECT locked_until FROM sign_in_failures WHERE key = ?", (key,)).fetchone()
                if row and row["locked_until"] > now:
                    return True
        return False

    def sign_in_barrier(self, username: str, address: str) -> Barrier | None:
        """The lock or growing delay refusing a sign-in to ``username`` from ``address`` now (see
        ``portal.auth.lockout``), or ``None``."""
        with self._db() as db:
            return throttle.barrier(db, self.lockout, username, address, time.time())

    def record_failure(self, username: str, address: str) -> list[str]:
        """Count a failed sign-in; return the scopes it locked (``address``, ``account``,
        ``account_address``). Unknown names count like accounts, so answers reveal nothing."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")  # concurrent failures must all be counted
            locked = throttle.record_failure(db, self.lockout, username, address, time.time())
            db.execute("COMMIT")
        return locked

    def record_success(self, username: str, address: str) -> None:
        """A successful sign-in: ``address`` becomes one of the account's known addresses."""
        with self._db() as db:
            throttle.record_success(db, username, address, time.time())

    def clear_failures(self, username: str) -> None:
        """Forgive the account's own failures (from its known addresses)."""
        with self._db() as db:
            db.execute("DELETE FROM sign_in_failures WHERE key = ?", (f"user:{username}",))

    def unlock(self, username: str) -> None:
        """Clear every lock and delay on the account, whatever the addresses."""
        with self._db() as db:
            throttle.unlock(db, username)
