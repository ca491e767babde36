"""Browser sessions: the signed cookie carries a random id, the store only its hash and expiry."""
from __future__ import annotations

import secrets
import time

from portal.auth.principal import Principal
from portal.auth.store.db import sha256
from portal.auth.store.grants import Grants


class Sessions(Grants):
    def start_session(self, username: str, lifetime_seconds: int) -> str:
        """A new server-side session; the returned id goes into the signed cookie, its hash here."""
        self._require(username)
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)",
                       (sha256(session_id), username, now, now + lifetime_seconds))
        return session_id

    def session_principal(self, session_id: str) -> Principal | None:
        """The principal of a live session (ended by sign-out, expiry, password change or disable)."""
        with self._db() as db:
            row = db.execute("SELECT username, expires_at FROM sessions WHERE id_sha256 = ?",
                             (sha256(session_id),)).fetchone()
        if row is None or row["expires_at"] < time.time():
            return None
        return self.principal_for(row["username"])

    def end_session(self, session_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE id_sha256 = ?", (sha256(session_id),))
