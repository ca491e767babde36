"""The account store's SQLite file: its tables, one short connection per call, shared helpers.

Every call opens its own short connection, so the store is safe to share between threads and between
worker processes (SQLite serialises the writes).
"""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

SCHEMA = """
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


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def minute_ago() -> str:
    return (datetime.now(timezone.utc) - timedelta(minutes=1)).replace(microsecond=0).isoformat()


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Database:
    """The file at ``path``; each job of the store (accounts, grants, …) is a mixin over this."""

    path: Path

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA foreign_keys = ON")
            yield db
        finally:
            db.close()

    def _revoke(self, table: str, row_id: int | str, missing: str) -> None:
        """Mark a grant or a token revoked now; ``StoreError(missing)`` when there is no active one."""
        with self._db() as db:
            cur = db.execute(f"UPDATE {table} SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                             (now_iso(), row_id))
        if cur.rowcount == 0:
            raise StoreError(missing)

    def _rows(self, table: str, username: str | None, include_revoked: bool, order: str) -> list[sqlite3.Row]:
        """The grants or tokens of ``username`` (everyone's for ``None``); revoked ones only when asked."""
        sql = f"SELECT * FROM {table} WHERE (? IS NULL OR username = ?)"
        if not include_revoked:
            sql += " AND revoked_at IS NULL"
        with self._db() as db:
            return db.execute(f"{sql} ORDER BY {order}", (username, username)).fetchall()
