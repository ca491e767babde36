"""Grants: which sensitive records an analyst may discover (categories, level, organizations, tier), and
the principal an account is with them."""
from __future__ import annotations

from dataclasses import dataclass

from portal.auth.principal import SENSITIVE_CATEGORIES, Grant, Principal
from portal.auth.store.accounts import Accounts
from portal.auth.store.db import StoreError, now_iso


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


def _split(text: str | None) -> frozenset[str] | None:
    return None if text is None else frozenset(t for t in text.split(",") if t)


class Grants(Accounts):
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
        rows = self._rows("grants", username, include_revoked, order="id")
        return [GrantRow(r["id"], r["username"], Grant(
            categories=_split(r["categories"]) or frozenset(), max_level=r["max_level"],
            organizations=_split(r["organizations"]), full=bool(r["full_tier"])),
            r["created_at"], r["revoked_at"]) for r in rows]

    def revoke_grant(self, grant_id: int) -> None:
        self._revoke("grants", grant_id, f"no active grant {grant_id}")

    def principal_for(self, username: str) -> Principal | None:
        """The principal of an enabled account with its active grants, read fresh on every request."""
        account = self.account(username)
        if account is None or account.disabled:
            return None
        grants = () if account.kind == "admin" else tuple(g.grant for g in self.grants(username))
        return Principal(kind=account.kind, username=username, grants=grants)
