"""API tokens ``gdc_<id>_<secret>``: shown once, stored as a SHA-256, revocable, with an expiry."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from portal.auth.principal import Principal
from portal.auth.store.db import StoreError, minute_ago, now_iso, sha256
from portal.auth.store.grants import Grants

TOKEN_PREFIX = "gdc"


@dataclass(frozen=True)
class TokenRow:
    id: str
    username: str
    label: str | None
    created_at: str
    expires_at: str
    revoked_at: str | None
    last_used_at: str | None


class Tokens(Grants):
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
                       (token_id, username, sha256(secret), label, now_iso(), expires))
        return f"{TOKEN_PREFIX}_{token_id}_{secret}", self.tokens(username, include_revoked=True)[-1]

    def tokens(self, username: str | None = None, include_revoked: bool = False) -> list[TokenRow]:
        rows = self._rows("tokens", username, include_revoked, order="created_at, rowid")
        return [TokenRow(r["id"], r["username"], r["label"], r["created_at"], r["expires_at"],
                         r["revoked_at"], r["last_used_at"]) for r in rows]

    def revoke_token(self, token_id: str) -> None:
        self._revoke("tokens", token_id, f"no active token {token_id}")

    def authenticate_token(self, token: str) -> tuple[Principal, str] | None:
        """``(principal, token id)`` for a valid, unexpired, unrevoked token of an enabled account."""
        parts = token.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            return None
        token_id, secret = parts[1], parts[2]
        with self._db() as db:
            row = db.execute("SELECT * FROM tokens WHERE id = ?", (token_id,)).fetchone()
            if row is None or not hmac.compare_digest(row["secret_sha256"], sha256(secret)):
                return None
            now = now_iso()
            if row["revoked_at"] or row["expires_at"] <= now:
                return None
            # At most one write a minute per token: a busy API client must not serialise on the store.
            if (row["last_used_at"] or "") < minute_ago():
                db.execute("UPDATE tokens SET last_used_at = ? WHERE id = ?", (now, token_id))
        principal = self.principal_for(row["username"])
        return (principal, token_id) if principal else None
