"""The account store: accounts, grants, tokens, sessions and lockout in SQLite (no Elasticsearch)."""
from __future__ import annotations

import sqlite3

import pytest

from portal.auth.principal import Grant
from portal.auth.store import AccountStore, LockoutPolicy, StoreError


@pytest.fixture
def store(tmp_path) -> AccountStore:
    s = AccountStore(tmp_path / "auth.sqlite3", LockoutPolicy(3, 5, 60, 60))
    s.add_account("somchai", "analyst", "correct horse battery")
    s.add_account("root", "admin", "another long secret")
    return s


def test_passwords_are_hashed_with_argon2(store, tmp_path):
    stored = sqlite3.connect(tmp_path / "auth.sqlite3").execute(
        "SELECT password_hash FROM accounts WHERE username='somchai'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_verify_password(store):
    assert store.verify_password("somchai", "correct horse battery").username == "somchai"
    assert store.verify_password("somchai", "wrong") is None
    assert store.verify_password("nobody", "correct horse battery") is None


def test_disabled_account_cannot_sign_in_and_has_no_principal(store):
    store.set_disabled("somchai", True)
    assert store.verify_password("somchai", "correct horse battery") is None
    assert store.principal_for("somchai") is None


def test_duplicate_and_invalid_accounts_are_refused(store):
    with pytest.raises(StoreError):
        store.add_account("somchai", "analyst", "x" * 12)
    with pytest.raises(StoreError):
        store.add_account("two words", "analyst", "x" * 12)
    with pytest.raises(StoreError):
        store.add_account("boss", "superuser", "x" * 12)


def test_grants_persist_and_revocation_is_immediate(store, tmp_path):
    row = store.add_grant("somchai", {"personal"}, 3, {"moph"})
    reopened = AccountStore(tmp_path / "auth.sqlite3")  # survives a restart
    principal = reopened.principal_for("somchai")
    assert principal.grants == (Grant(frozenset({"personal"}), 3, frozenset({"moph"}), False),)
    reopened.revoke_grant(row.id)
    assert store.principal_for("somchai").grants == ()
    with pytest.raises(StoreError):
        store.revoke_grant(row.id)


@pytest.mark.parametrize("categories, level, orgs", [
    ({"public"}, 3, None), (set(), 3, None), ({"personal"}, 6, None), ({"personal"}, 0, None),
    ({"personal"}, 3, set()),
])
def test_bad_grants_are_refused(store, categories, level, orgs):
    with pytest.raises(StoreError):
        store.add_grant("somchai", categories, level, orgs)


def test_admins_need_no_grants(store):
    with pytest.raises(StoreError):
        store.add_grant("root", {"personal"}, 3)
    assert store.principal_for("root").is_admin


def test_token_is_random_stored_hashed_and_shown_once(store, tmp_path):
    secret, row = store.create_token("somchai", days=30, label="etl")
    other, _ = store.create_token("somchai")
    assert secret != other and secret.startswith(f"gdc_{row.id}_") and len(secret) > 50
    dump = "\n".join(sqlite3.connect(tmp_path / "auth.sqlite3").iterdump())
    assert secret.split("_", 2)[2] not in dump
    principal, token_id = store.authenticate_token(secret)
    assert principal.username == "somchai" and token_id == row.id
    assert store.tokens("somchai")[0].last_used_at is not None


def test_revoked_expired_and_forged_tokens_fail(store, tmp_path):
    secret, row = store.create_token("somchai")
    assert store.authenticate_token(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert store.authenticate_token("gdc_nothing_here") is None
    assert store.authenticate_token("not-a-token") is None
    store.revoke_token(row.id)
    assert store.authenticate_token(secret) is None
    secret2, row2 = store.create_token("somchai")
    with sqlite3.connect(tmp_path / "auth.sqlite3") as db:
        db.execute("UPDATE tokens SET expires_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", (row2.id,))
    assert store.authenticate_token(secret2) is None


def test_token_of_disabled_account_stops(store):
    secret, _ = store.create_token("somchai")
    store.set_disabled("somchai", True)
    assert store.authenticate_token(secret) is None


def test_sessions_end_on_sign_out_password_change_and_expiry(store):
    sid = store.start_session("somchai", 3600)
    assert store.session_principal(sid).username == "somchai"
    store.end_session(sid)
    assert store.session_principal(sid) is None
    sid = store.start_session("somchai", 3600)
    store.set_password("somchai", "a brand new password")
    assert store.session_principal(sid) is None
    sid = store.start_session("somchai", -1)
    assert store.session_principal(sid) is None


def test_lockout_per_account_and_per_address(store):
    for _ in range(3):
        assert not store.locked("user:somchai")
        store.record_failure("somchai", "10.0.0.1")
    assert store.locked("user:somchai")
    assert not store.locked("ip:10.0.0.1")
    store.unlock("somchai")
    assert not store.locked("user:somchai")
    for n in range(5):
        store.record_failure(f"guess{n}", "10.0.0.1")
    assert store.locked("ip:10.0.0.1")


def test_lock_expires(tmp_path):
    s = AccountStore(tmp_path / "a.sqlite3", LockoutPolicy(1, 10, 60, 0))
    s.record_failure("x", "1.2.3.4")
    assert not s.locked("user:x")


def test_concurrent_failures_are_all_counted(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    s = AccountStore(tmp_path / "a.sqlite3", LockoutPolicy(1000, 1000, 600, 600))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: s.record_failure("x", "10.0.0.9"), range(40)))
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        counts = dict(db.execute("SELECT key, failures FROM sign_in_failures"))
    assert counts == {"user:x": 40, "ip:10.0.0.9": 40}
