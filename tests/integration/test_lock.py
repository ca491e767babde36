"""The writer lock in Elasticsearch: one holder, stale holders taken over, a lost lock noticed."""
from __future__ import annotations

import time

import pytest

from indexer.lock import LOCK_ID, IndexLock, LockHeld, LockLost, current_holder, lock_index

pytestmark = pytest.mark.integration


def plant_holder(es, alias: str, *, host: str, pid: int, age: float) -> None:
    IndexLock(es, alias, "test")._ensure_index()
    es.index(index=lock_index(alias), id=LOCK_ID, refresh=True, document={
        "purpose": "rebuild", "host": host, "pid": pid, "acquired_at": "earlier",
        "heartbeat_epoch": time.time() - age})


def test_one_holder_at_a_time_and_release_frees_it(es, test_alias):
    with IndexLock(es, test_alias, "rebuild"):
        assert current_holder(es, test_alias)["purpose"] == "rebuild"
        with pytest.raises(LockHeld):
            IndexLock(es, test_alias, "load").acquire()
    assert current_holder(es, test_alias) is None


def test_a_live_holder_elsewhere_is_respected(es, test_alias):
    plant_holder(es, test_alias, host="another-machine", pid=1, age=5)
    with pytest.raises(LockHeld, match="another-machine"):
        IndexLock(es, test_alias, "rebuild").acquire()


def test_a_holder_with_a_stale_heartbeat_is_taken_over(es, test_alias):
    plant_holder(es, test_alias, host="another-machine", pid=1, age=600)
    with IndexLock(es, test_alias, "rebuild"):
        assert current_holder(es, test_alias)["purpose"] == "rebuild"


def test_a_lock_taken_over_from_us_is_noticed_before_the_swap(es, test_alias):
    lock = IndexLock(es, test_alias, "rebuild", heartbeat=0.05).acquire()
    try:
        es.index(index=lock_index(test_alias), id=LOCK_ID, refresh=True, document={
            "purpose": "rebuild", "host": "another-machine", "pid": 1, "heartbeat_epoch": time.time()})
        lock._thread.join(timeout=10)  # the heartbeat stops at its first conflict
        with pytest.raises(LockLost):
            lock.check()
    finally:
        lock.release()
    assert current_holder(es, test_alias)["host"] == "another-machine"  # not ours to delete
