"""Sign-in throttling that an attacker cannot turn against the people it protects.

Failures are counted per address, per account-and-address pair, and per account — the last only for
addresses that signed in to that account successfully before (its *known* addresses). So:

- guessing from addresses that never succeeded for an account slows those addresses down (a growing
  delay per pair, and one shared by all unknown addresses of the account) and at the limit locks
  *that address out of that account* — never the account itself: its owner, from an address they
  used before, signs in as usual;
- failures from a known address (a colleague's desk, a stolen laptop) lock the account after the
  same growing delays, as before;
- one address failing on many accounts is slowed and then locked whatever the accounts.

Before any lock, every failure makes the next attempt on the same key wait ``delay_seconds``,
doubling each time (capped by ``max_delay_seconds``); an attempt made sooner is refused without
checking the password. Every refusal and every lock imposed is written to the audit trail.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from portal.auth.store.db import Database


@dataclass(frozen=True)
class LockoutPolicy:
    """Limits of the sign-in throttle (failures counted within ``window_seconds``)."""

    max_failures_per_account: int = 5
    max_failures_per_address: int = 20
    window_seconds: int = 15 * 60
    lock_seconds: int = 15 * 60
    delay_seconds: float = 1.0  # the wait after the first failure; doubles with each further one
    max_delay_seconds: float = 60.0


@dataclass(frozen=True)
class Barrier:
    """Why a sign-in attempt is refused before the password is checked."""

    kind: str  # "locked" | "slowed"
    scope: str  # "address" | "account" | "account_address"
    retry_after: int  # seconds


SCHEMA = """
CREATE TABLE IF NOT EXISTS sign_in_addresses (
    username      TEXT NOT NULL,
    address       TEXT NOT NULL,
    last_success  REAL NOT NULL,
    PRIMARY KEY (username, address)
);
"""


def ensure_schema(db: sqlite3.Connection) -> None:
    """The address table, and ``last_at`` on the failure counters of stores made before it."""
    db.executescript(SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(sign_in_failures)")}
    if "last_at" not in columns:
        db.execute("ALTER TABLE sign_in_failures ADD COLUMN last_at REAL NOT NULL DEFAULT 0")


def _keys(db: sqlite3.Connection, username: str, address: str) -> dict[str, str]:
    """scope → counter key for an attempt on ``username`` from ``address``."""
    known = db.execute("SELECT 1 FROM sign_in_addresses WHERE username = ? AND address = ?",
                       (username, address)).fetchone() is not None
    keys = {"address": f"ip:{address}"}
    if known:
        keys["account"] = f"user:{username}"
    else:
        keys["account_address"] = f"pair:{username}|{address}"
        keys["unknown_addresses"] = f"unknown:{username}"  # slows every unknown address; never locks
    return keys


def _delay(policy: LockoutPolicy, failures: int) -> float:
    if failures < 1 or policy.delay_seconds <= 0:
        return 0.0
    return min(policy.max_delay_seconds, policy.delay_seconds * 2 ** min(failures - 1, 30))


def _barrier(db: sqlite3.Connection, policy: LockoutPolicy, username: str, address: str,
            now: float) -> Barrier | None:
    """The lock or delay that refuses this attempt now, or ``None``."""
    waits: list[Barrier] = []
    keys = _keys(db, username, address)
    # A lock of the account (by failures from its known addresses) holds for every address; its
    # delays slow only those addresses.
    lock_only = {} if "account" in keys else {"account": f"user:{username}"}
    for scope, key in (lock_only | keys).items():
        row = db.execute("SELECT * FROM sign_in_failures WHERE key = ?", (key,)).fetchone()
        if row is not None and row["locked_until"] > now:
            return Barrier("locked", scope, max(1, round(row["locked_until"] - now)))
        if row is None or now - row["first_at"] > policy.window_seconds or scope in lock_only:
            continue
        ready = row["last_at"] + _delay(policy, row["failures"])
        if ready > now:
            waits.append(Barrier("slowed", "account" if scope == "unknown_addresses" else scope,
                                 max(1, round(ready - now + 0.499))))
    return max(waits, key=lambda b: b.retry_after) if waits else None


def _count_failure(db: sqlite3.Connection, policy: LockoutPolicy, username: str, address: str,
                   now: float) -> list[str]:
    """Count one failed attempt; return the scopes this failure locked."""
    limits = {"address": policy.max_failures_per_address, "account": policy.max_failures_per_account,
              "account_address": policy.max_failures_per_account, "unknown_addresses": None}
    locked = []
    for scope, key in _keys(db, username, address).items():
        row = db.execute("SELECT * FROM sign_in_failures WHERE key = ?", (key,)).fetchone()
        if row is None or now - row["first_at"] > policy.window_seconds:
            failures, first = 1, now
        else:
            failures, first = row["failures"] + 1, row["first_at"]
        limit = limits[scope]
        locked_until = now + policy.lock_seconds if limit is not None and failures >= limit else 0
        if locked_until and not (row and row["locked_until"] > now):
            locked.append(scope)
        db.execute("INSERT OR REPLACE INTO sign_in_failures (key, failures, first_at, locked_until, last_at) "
                   "VALUES (?, ?, ?, ?, ?)", (key, failures, first, locked_until, now))
    return locked


def _forgive(db: sqlite3.Connection, username: str, address: str, now: float) -> None:
    """The owner signed in from ``address``: it becomes a known address; its counters are forgiven
    (not the address's, nor the count of unknown addresses — an attack may still be under way)."""
    db.execute("INSERT OR REPLACE INTO sign_in_addresses VALUES (?, ?, ?)", (username, address, now))
    db.execute("DELETE FROM sign_in_failures WHERE key IN (?, ?)",
               (f"user:{username}", f"pair:{username}|{address}"))


def _unlock(db: sqlite3.Connection, username: str) -> None:
    """Clear every lock and delay on the account (an administrator's ``gdc-users unlock``)."""
    db.execute("DELETE FROM sign_in_failures WHERE key IN (?, ?) OR key LIKE ? ESCAPE '\\'",
               (f"user:{username}", f"unknown:{username}",
                "pair:" + username.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "|%"))


class SignInThrottle(Database):
    """The store's side of the throttle: the policy in ``self.lockout``, the counters in its file."""

    lockout: LockoutPolicy

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
        """The lock or growing delay refusing a sign-in to ``username`` from ``address`` now, or ``None``."""
        with self._db() as db:
            return _barrier(db, self.lockout, username, address, time.time())

    def record_failure(self, username: str, address: str) -> list[str]:
        """Count a failed sign-in; return the scopes it locked (``address``, ``account``,
        ``account_address``). Unknown names count like accounts, so answers reveal nothing."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")  # concurrent failures must all be counted
            locked = _count_failure(db, self.lockout, username, address, time.time())
            db.execute("COMMIT")
        return locked

    def record_success(self, username: str, address: str) -> None:
        """A successful sign-in: ``address`` becomes one of the account's known addresses."""
        with self._db() as db:
            _forgive(db, username, address, time.time())

    def clear_failures(self, username: str) -> None:
        """Forgive the account's own failures (from its known addresses)."""
        with self._db() as db:
            db.execute("DELETE FROM sign_in_failures WHERE key = ?", (f"user:{username}",))

    def unlock(self, username: str) -> None:
        """Clear every lock and delay on the account, whatever the addresses."""
        with self._db() as db:
            _unlock(db, username)
