"""The account store: accounts, grants, tokens, sessions and lockout in SQLite (no Elasticsearch)."""
from __future__ import annotations

import sqlite3

import pytest

from portal.auth.principal import Grant
from portal.auth.store import AccountStore, LockoutPolicy, StoreError


@pytest.fixture
def store(tmp_path) -> AccountStore:
    s = AccountStore(tmp_path / "auth.sqlite3", LockoutPolicy(3, 5, 60, 60, delay_seconds=0))
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
    store.record_success("somchai", "10.0.0.1")  # failures from a known address lock the account
    for _ in range(3):
        assert not store.locked("user:somchai")
        store.record_failure("somchai", "10.0.0.1")
    assert store.locked("user:somchai")
    assert store.sign_in_barrier("somchai", "10.9.9.9").scope == "account"
    assert not store.locked("ip:10.0.0.1")
    store.unlock("somchai")
    assert not store.locked("user:somchai")
    for n in range(5):
        store.record_failure(f"guess{n}", "10.0.0.1")
    assert store.locked("ip:10.0.0.1")


def test_lock_expires(tmp_path):
    s = AccountStore(tmp_path / "a.sqlite3", LockoutPolicy(1, 10, 60, 0, delay_seconds=0))
    s.record_failure("x", "1.2.3.4")
    assert not s.locked("pair:x|1.2.3.4")
    assert s.sign_in_barrier("x", "1.2.3.4") is None


def test_concurrent_failures_are_all_counted(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    s = AccountStore(tmp_path / "a.sqlite3", LockoutPolicy(1000, 1000, 600, 600))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: s.record_failure("x", "10.0.0.9"), range(40)))
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        counts = dict(db.execute("SELECT key, failures FROM sign_in_failures"))
    assert counts == {"pair:x|10.0.0.9": 40, "unknown:x": 40, "ip:10.0.0.9": 40}


# --- lockout cannot be used as a weapon (issue 16, item 6) --------------------------------------------

class Clock:
    def __init__(self, start: float = 1_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clocked(tmp_path, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("portal.auth.store.lockout.time.time", clock)
    s = AccountStore(tmp_path / "c.sqlite3", LockoutPolicy(5, 20, 900, 900, delay_seconds=1, max_delay_seconds=60))
    s.add_account("root", "admin", "a long enough password")
    return s, clock


def _fail(s, clock, who, address, times):
    for _ in range(times):
        barrier = s.sign_in_barrier(who, address)
        if barrier is not None:
            assert barrier.kind == "slowed"
            clock.now += barrier.retry_after
        s.record_failure(who, address)


def test_guesses_from_addresses_that_never_succeeded_never_lock_the_account(clocked):
    s, clock = clocked
    s.record_success("root", "10.0.0.1")  # the administrator's usual address
    for attacker in ("203.0.113.5", "203.0.113.6", "203.0.113.7"):
        _fail(s, clock, "root", attacker, 5)
        barrier = s.sign_in_barrier("root", attacker)
        assert (barrier.kind, barrier.scope) == ("locked", "account_address")  # that address, that account
    assert not s.locked("user:root")
    assert s.sign_in_barrier("root", "10.0.0.1") is None  # the owner signs in as usual


def test_the_delay_grows_before_the_lock(clocked):
    s, clock = clocked
    waits = []
    for _ in range(4):
        s.record_failure("root", "198.51.100.9")
        waits.append(s.sign_in_barrier("root", "198.51.100.9").retry_after)
        clock.now += waits[-1]
    assert waits == [1, 2, 4, 8]
    s.record_failure("root", "198.51.100.9")  # the fifth: locked for 15 minutes
    barrier = s.sign_in_barrier("root", "198.51.100.9")
    assert (barrier.kind, barrier.scope, barrier.retry_after) == ("locked", "account_address", 900)


def test_unknown_addresses_share_one_capped_delay_per_account(clocked):
    """Spreading guesses over many addresses does not escape the delay, and it never becomes a lock."""
    s, clock = clocked
    for n in range(12):
        _fail(s, clock, "root", f"192.0.2.{n}", 1)
    barrier = s.sign_in_barrier("root", "192.0.2.200")
    assert (barrier.kind, barrier.retry_after) == ("slowed", 60)
    s.record_success("root", "10.0.0.1")
    assert s.sign_in_barrier("root", "10.0.0.1") is None


def test_the_lock_records_what_it_locked_and_unlock_clears_every_kind(clocked):
    s, clock = clocked
    s.record_success("root", "10.0.0.1")
    _fail(s, clock, "root", "203.0.113.5", 5)
    locked = []
    for _ in range(5):
        clock.now += 120
        locked += s.record_failure("root", "10.0.0.1")
    assert locked == ["account"]
    assert s.sign_in_barrier("root", "192.0.2.1").scope == "account"  # an account lock holds everywhere
    s.unlock("root")
    clock.now += 61  # the addresses' own delays (not the account's) run out
    assert s.sign_in_barrier("root", "10.0.0.1") is None
    assert s.sign_in_barrier("root", "203.0.113.5") is None


def test_a_store_made_before_the_delays_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE sign_in_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
                   "first_at REAL NOT NULL, locked_until REAL NOT NULL DEFAULT 0)")
    s = AccountStore(path)
    s.record_failure("x", "10.0.0.1")
    assert s.sign_in_barrier("x", "10.0.0.1").kind == "slowed"
