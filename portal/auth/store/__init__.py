"""The account store: accounts, grants, sessions, API tokens and sign-in throttling in one SQLite file.

Kept outside the search index on purpose: a grant added or revoked here takes effect on the very
next request, with no reindexing. One module per job — ``accounts``, ``grants`` (and the principal an
account is), ``sessions``, ``tokens``, ``lockout`` — over ``db`` (the tables and connections);
:class:`AccountStore` is all of them on one file.
"""
from __future__ import annotations

from pathlib import Path

from portal.auth.store import lockout as throttle
from portal.auth.store.db import SCHEMA, StoreError
from portal.auth.store.lockout import Barrier, LockoutPolicy, SignInThrottle
from portal.auth.store.sessions import Sessions
from portal.auth.store.tokens import Tokens

__all__ = ["AccountStore", "Barrier", "LockoutPolicy", "StoreError"]


class AccountStore(Sessions, Tokens, SignInThrottle):
    """Accounts, grants, sessions, tokens and sign-in failures in the file ``path`` (made on first use)."""

    def __init__(self, path: str | Path, lockout: LockoutPolicy | None = None) -> None:
        self.path = Path(path)
        self.lockout = lockout or LockoutPolicy()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer; persists in the file
            db.executescript(SCHEMA)
            throttle.ensure_schema(db)
