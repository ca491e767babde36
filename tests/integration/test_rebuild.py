"""Full rebuild on a real node: atomic alias swap, failure paths, orphans, the lock."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from indexer import indices, mapping as m, rebuild
from indexer.lock import IndexLock, LockHeld, lock_index
from indexer.rebuild import Options, RebuildFailed
from tests.support import PROJECT_ROOT, dataset, load_records

pytestmark = pytest.mark.integration

OPTIONS = dict(workers=0)


def records(prefix: str, count: int) -> list[dict]:
    return [dataset(f"{prefix}-{i}", title=f"สถิติการท่องเที่ยว ชุดที่ {i}") for i in range(count)]


def total(es, alias: str) -> int:
    return es.search(index=alias, size=0, track_total_hits=True)["hits"]["total"]["value"]


def physical(es, alias: str) -> dict[str, list[str]]:
    return indices.physical_indices(es, alias)


def test_rebuild_creates_a_versioned_index_behind_the_alias(es, test_alias):
    summary = load_records(es, test_alias, records("a", 5))
    assert summary.index.startswith(f"{test_alias}-v{m.INDEX_VERSION}-")
    assert indices.indices_behind(es, test_alias) == sorted(summary.indices.values())
    assert total(es, test_alias) == 5
    for index in summary.indices.values():
        settings = es.indices.get_settings(index=index)[index]["settings"]["index"]
        assert settings["refresh_interval"] == "1s"


def test_second_rebuild_swaps_and_deletes_the_old_index(es, test_alias):
    first = load_records(es, test_alias, records("a", 5))
    second = rebuild.rebuild_records(es, test_alias, records("b", 3), Options(**OPTIONS))
    assert second.replaced == sorted(first.indices.values())
    assert list(physical(es, test_alias)) == sorted(second.indices.values())
    ids = {hit["_id"] for hit in es.search(index=test_alias, size=10)["hits"]["hits"]}
    assert ids == {"b-0", "b-1", "b-2"}


def test_concurrent_searches_never_see_an_empty_or_partial_index(es, test_alias):
    load_records(es, test_alias, records("old", 300))
    seen: list[int] = []
    done = threading.Event()

    def search_loop() -> None:
        while not done.is_set():
            seen.append(total(es, test_alias))

    searcher = threading.Thread(target=search_loop)
    searcher.start()
    try:
        rebuild.rebuild_records(es, test_alias, records("new", 700), Options(workers=0, chunk_size=50))
    finally:
        done.set()
        searcher.join()
    assert len(seen) > 5
    assert set(seen) <= {300, 700}
    assert seen[-1] == 700 or total(es, test_alias) == 700


def failing_records(good: int):
    yield from records("new", good)
    raise RuntimeError("validation crashed")


def test_a_failed_rebuild_leaves_the_old_index_serving_and_no_orphan(es, test_alias):
    old = load_records(es, test_alias, records("old", 4))
    with pytest.raises(RuntimeError, match="validation crashed"):
        rebuild.rebuild_records(es, test_alias, failing_records(120), Options(workers=0, chunk_size=50))
    assert indices.indices_behind(es, test_alias) == sorted(old.indices.values())
    assert list(physical(es, test_alias)) == sorted(old.indices.values())
    assert total(es, test_alias) == 4
    assert not es.exists(index=lock_index(test_alias), id="writer")


def test_a_document_refused_by_elasticsearch_is_reported_with_its_id(es, test_alias):
    old = load_records(es, test_alias, records("old", 2))
    bad = records("new", 3) + [dataset("broken-1", quality={"score": "ไม่ใช่ตัวเลข", "findings": []})]
    with pytest.raises(RebuildFailed, match="1 documents failed"):
        rebuild.rebuild_records(es, test_alias, bad, Options(**OPTIONS))
    assert indices.indices_behind(es, test_alias) == sorted(old.indices.values())

    summary = rebuild.rebuild_records(es, test_alias, bad, Options(workers=0, max_errors=1))
    assert [e.record_id for e in summary.errors] == ["broken-1"]
    assert "quality_score" in summary.errors[0].reason
    assert summary.counts.indexed == 3 and summary.counts.failed == 1
    assert total(es, test_alias) == 3


def test_the_lock_refuses_a_second_rebuild(es, test_alias):
    old = load_records(es, test_alias, records("old", 2))
    with IndexLock(es, test_alias, "rebuild"):
        with pytest.raises(LockHeld, match="holds the index lock"):
            rebuild.rebuild_records(es, test_alias, records("new", 3), Options(**OPTIONS))
    assert indices.indices_behind(es, test_alias) == sorted(old.indices.values())
    assert list(physical(es, test_alias)) == sorted(old.indices.values())


def test_a_plain_index_on_the_alias_name_is_replaced_in_the_swap(es, test_alias):
    es.indices.create(index=test_alias)
    summary = load_records(es, test_alias, records("a", 2))
    assert indices.indices_behind(es, test_alias) == sorted(summary.indices.values())
    assert total(es, test_alias) == 2


KILLED_REBUILD = textwrap.dedent("""
    import sys
    from indexer.client import make_client
    from indexer import rebuild
    from tests.support import dataset

    def records():
        for i in range(400):
            if i == 200:
                print("MIDWAY", flush=True)
                sys.stdin.readline()  # hold here until the test kills us
            yield dataset(f"new-{i}", title="ข้อมูลที่ถูกขัดจังหวะ")

    rebuild.rebuild_records(make_client(), sys.argv[1], records(), rebuild.Options(workers=0, chunk_size=50))
""")


def test_a_killed_rebuild_leaves_the_old_index_and_the_next_run_cleans_up(es, test_alias):
    old = load_records(es, test_alias, records("old", 3))
    child = subprocess.Popen([sys.executable, "-c", KILLED_REBUILD, test_alias], cwd=PROJECT_ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "MIDWAY"
        child.kill()
    finally:
        child.wait(timeout=30)
    orphans = [name for name in physical(es, test_alias) if name not in old.indices.values()]
    assert len(orphans) == 2
    assert indices.indices_behind(es, test_alias) == sorted(old.indices.values())
    assert total(es, test_alias) == 3
    assert es.exists(index=lock_index(test_alias), id="writer")  # the dead process's lock

    summary = rebuild.rebuild_records(es, test_alias, records("next", 2), Options(**OPTIONS))
    assert summary.orphans_removed == orphans
    assert list(physical(es, test_alias)) == sorted(summary.indices.values())
    assert total(es, test_alias) == 2
