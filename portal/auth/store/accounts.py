"""Accounts: analysts and administrators, their argon2 password hashes, disabling."""
from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.auth.store.db import Database, StoreError, now_iso

KINDS = ("analyst", "admin")
_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the account does not exist, so that a wrong username costs the same
    time as a wrong password and the response time does not reveal which accounts exist."""
    return _HASHER.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Account:
    username: str
    kind: str
    display_name: str | None
    disabled: bool
    created_at: str


class Accounts(Database):
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
