"""Fixtures of the leak suite: the canary corpus behind two aliases, accounts, and one portal per alias."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest

from portal import create_app
from portal.auth.store import AccountStore
from tests.canary import FULL_GRANT, NAME_GRANT, NEAR_MISS_GRANTS, NON_OPEN, OPEN, PASSWORD
from tests.support import load_records


@dataclass
class Portal:
    """One app over one alias, with a client per principal."""

    app: object
    alias: str
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, who: str = "anonymous"):
        client = self.app.test_client()
        if who != "anonymous":
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[who]}"
        return client


@pytest.fixture(scope="session")
def leak_aliases(es):
    """``(full, open_only)`` aliases, loaded once for the whole leak suite and deleted afterwards."""
    full, open_only = (f"test_{uuid.uuid4().hex[:10]}" for _ in range(2))
    load_records(es, full, OPEN + NON_OPEN)
    load_records(es, open_only, OPEN)
    yield full, open_only
    for alias in (full, open_only):
        indices = list(es.indices.get_alias(name=alias).keys())
        for index in indices:
            es.indices.delete(index=index)


@pytest.fixture(scope="session")
def leak_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("leak-auth")
    store = AccountStore(path / "auth.sqlite3")
    store.add_account("root", "admin", PASSWORD)
    store.add_account("nearmiss", "analyst", PASSWORD)
    for categories, level, orgs, full in NEAR_MISS_GRANTS:
        store.add_grant("nearmiss", categories, level, orgs, full)
    store.add_account("somchai", "analyst", PASSWORD)
    store.add_grant("somchai", *NAME_GRANT[:3], full=NAME_GRANT[3])
    store.add_account("malee", "analyst", PASSWORD)
    store.add_grant("malee", *FULL_GRANT[:3], full=FULL_GRANT[3])
    tokens = {who: store.create_token(who)[0] for who in ("root", "nearmiss", "somchai", "malee")}
    return path, tokens


def _portal(alias: str, leak_store) -> Portal:
    path, tokens = leak_store
    app = create_app({
        "TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "leak-suite",
        "GDC_AUTH_DB": str(path / "auth.sqlite3"), "GDC_AUDIT_LOG": str(path / "audit.jsonl"),
        "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0,
    })
    return Portal(app, alias, tokens)


@pytest.fixture(scope="session")
def full(leak_aliases, leak_store) -> Portal:
    return _portal(leak_aliases[0], leak_store)


@pytest.fixture(scope="session")
def open_only(leak_aliases, leak_store) -> Portal:
    return _portal(leak_aliases[1], leak_store)


@pytest.fixture(scope="session")
def store(leak_store) -> AccountStore:
    return AccountStore(leak_store[0] / "auth.sqlite3")


