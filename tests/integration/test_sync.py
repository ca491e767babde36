"""Incremental load into the live alias: upsert, idempotence, delete-missing, governance changes."""
from __future__ import annotations

import json

import pytest

from indexer import indices, mapping as m, rebuild
from indexer.lock import IndexLock, LockHeld
from analyzers import dictionary
from indexer.indices import SchemaMismatch
from indexer.rebuild import Options
from tests.support import dataset, load_records

pytestmark = pytest.mark.integration

OPTIONS = Options(workers=0)


def ids(es, alias: str, **query) -> set[str]:
    hits = es.search(index=alias, size=100, query=query or {"match_all": {}})["hits"]["hits"]
    return {hit["_id"] for hit in hits}


def source_of(es, alias: str, record_id: str) -> dict:
    """The one document with this id behind ``alias`` (a GET cannot go through a two-index alias)."""
    hits = es.search(index=alias, query={"ids": {"values": [record_id]}})["hits"]["hits"]
    assert len(hits) == 1, hits
    return hits[0]["_source"]


def partition_ids(es, alias: str) -> dict[str, set[str]]:
    """partition → ids its physical index holds."""
    return {m.partition_of_index(index, alias): ids(es, index) for index in indices.indices_behind(es, alias)}


def open_ids(es, alias: str) -> set[str]:
    return ids(es, alias, bool={"filter": [{"term": {m.VISIBILITY: m.OPEN}},
                                           {"term": {m.DATA_CATEGORY: "public"}}]})


def test_load_without_an_alias_builds_a_versioned_index(es, test_alias):
    summary = rebuild.load_records(es, test_alias, [dataset("a"), dataset("b")], OPTIONS)
    assert summary.mode == "load"
    assert indices.indices_behind(es, test_alias) == sorted(summary.indices.values())
    assert m.index_version_of(summary.index, test_alias) == m.INDEX_VERSION
    assert ids(es, test_alias) == {"a", "b"}


def test_load_upserts_by_id_and_is_idempotent(es, test_alias):
    built = load_records(es, test_alias, [dataset("a", title="ชื่อเดิม"), dataset("b")])
    batch = [dataset("a", title="ชื่อใหม่ของชุดข้อมูล"), dataset("c")]
    first = rebuild.load_records(es, test_alias, batch, OPTIONS)
    assert first.index == built.index  # written in place, no rebuild
    assert (first.counts.indexed, first.counts.unchanged) == (2, 0)
    again = rebuild.load_records(es, test_alias, batch, OPTIONS)
    assert (again.counts.indexed, again.counts.unchanged) == (0, 2)  # same records: nothing rewritten
    forced = rebuild.load_records(es, test_alias, batch, Options(workers=0, skip_unchanged=False))
    assert forced.counts.indexed == 2
    assert ids(es, test_alias) == {"a", "b", "c"}
    assert source_of(es, test_alias, "a")[m.RECORD]["title"] == "ชื่อใหม่ของชุดข้อมูล"


def test_a_record_that_became_sensitive_is_not_open_when_load_returns(es, test_alias):
    load_records(es, test_alias, [dataset("a"), dataset("b")])
    assert open_ids(es, test_alias) == {"a", "b"}
    changed = dataset("a", data_category="personal", data_classification="03", allow_harvest=True)
    rebuild.load_records(es, test_alias, [changed], OPTIONS)
    assert open_ids(es, test_alias) == {"b"}  # no refresh here: load refreshed before returning
    assert partition_ids(es, test_alias) == {m.OPEN_PARTITION: {"b"}, m.RESTRICTED_PARTITION: {"a"}}
    assert ids(es, m.open_alias(test_alias)) == {"b"}
    source = source_of(es, test_alias, "a")
    assert (source[m.VISIBILITY], source[m.CLASSIFICATION_LEVEL]) == (m.SENSITIVE, 3)


def test_withdrawn_consent_hides_the_record_at_once(es, test_alias):
    load_records(es, test_alias, [dataset("s", data_category="internal", data_classification="02",
                                          allow_harvest=True)])
    assert ids(es, test_alias, term={m.VISIBILITY: m.SENSITIVE}) == {"s"}
    rebuild.load_records(es, test_alias, [dataset("s", data_category="internal", data_classification="02",
                                                  allow_harvest=False)], OPTIONS)
    assert ids(es, test_alias, term={m.VISIBILITY: m.SENSITIVE}) == set()
    assert ids(es, test_alias, term={m.VISIBILITY: m.HIDDEN}) == {"s"}
    assert partition_ids(es, test_alias) == {m.OPEN_PARTITION: set(), m.RESTRICTED_PARTITION: {"s"}}


def test_a_record_that_became_open_leaves_the_restricted_index(es, test_alias):
    load_records(es, test_alias, [dataset("a", data_category="internal", data_classification="02",
                                          allow_harvest=True), dataset("b")])
    assert partition_ids(es, test_alias) == {m.OPEN_PARTITION: {"b"}, m.RESTRICTED_PARTITION: {"a"}}
    summary = rebuild.load_records(es, test_alias, [dataset("a")], OPTIONS)
    assert (summary.counts.indexed, summary.counts.deleted) == (1, 0)
    assert partition_ids(es, test_alias) == {m.OPEN_PARTITION: {"a", "b"}, m.RESTRICTED_PARTITION: set()}


def test_delete_missing_deletes_from_both_partitions(es, test_alias):
    load_records(es, test_alias, [dataset("o1", source="A"), dataset("o2", source="A"),
                                  dataset("s1", source="A", data_category="personal", data_classification="03",
                                          allow_harvest=True)])
    summary = rebuild.load_records(es, test_alias, [dataset("o1", source="A")], OPTIONS, delete_missing=True)
    assert summary.counts.deleted == 2
    assert partition_ids(es, test_alias) == {m.OPEN_PARTITION: {"o1"}, m.RESTRICTED_PARTITION: set()}


def test_delete_missing_removes_only_that_sources_missing_records(es, test_alias):
    load_records(es, test_alias, [dataset("a1", source="A"), dataset("a2", source="A"),
                                  dataset("a3", source="A"), dataset("b1", source="B")])
    summary = rebuild.load_records(es, test_alias, [dataset("a1", source="A"), dataset("a2", source="A")],
                                   OPTIONS, delete_missing=True)
    assert summary.counts.deleted == 1
    assert ids(es, test_alias) == {"a1", "a2", "b1"}


def test_without_delete_missing_nothing_is_removed(es, test_alias):
    load_records(es, test_alias, [dataset("a1", source="A"), dataset("a2", source="A")])
    summary = rebuild.load_records(es, test_alias, [dataset("a1", source="A")], OPTIONS)
    assert summary.counts.deleted == 0
    assert ids(es, test_alias) == {"a1", "a2"}


def test_delete_missing_pages_through_more_than_one_page(es, test_alias, monkeypatch):
    monkeypatch.setattr(indices, "SCAN_PAGE", 7)
    load_records(es, test_alias, [dataset(f"x{i}", source="X") for i in range(30)])
    keep = [dataset(f"x{i}", source="X") for i in range(0, 30, 3)]
    summary = rebuild.load_records(es, test_alias, keep, OPTIONS, delete_missing=True)
    assert summary.counts.deleted == 20
    assert ids(es, test_alias) == {f"x{i}" for i in range(0, 30, 3)}


def test_load_refuses_an_index_built_with_another_version(es, test_alias):
    old = f"{test_alias}-v0-20200101000000000000"
    definition = m.mappings() | {"_meta": {"index_version": 0}}
    es.indices.create(index=old, mappings=definition, aliases={test_alias: {}})
    with pytest.raises(SchemaMismatch, match="rebuild"):
        rebuild.load_records(es, test_alias, [dataset("a")], OPTIONS)


def test_load_refuses_an_index_segmented_with_another_dictionary(es, test_alias):
    load_records(es, test_alias, [dataset("a")])
    index = next(iter(es.indices.get_alias(name=test_alias)))
    es.indices.put_mapping(index=index, meta={"index_version": m.INDEX_VERSION, "dictionary_version": "0ld"})
    with pytest.raises(SchemaMismatch, match="dictionary 0ld"):
        rebuild.load_records(es, test_alias, [dataset("b")], OPTIONS)
    assert ids(es, test_alias) == {"a"}


def test_index_records_its_dictionary_version(es, test_alias):
    load_records(es, test_alias, [dataset("a")])
    index = next(iter(es.indices.get_alias(name=test_alias)))
    meta = es.indices.get_mapping(index=index)[index]["mappings"]["_meta"]
    assert meta == {"index_version": m.INDEX_VERSION, "dictionary_version": dictionary.version()}


def test_load_is_refused_while_a_rebuild_holds_the_lock(es, test_alias):
    load_records(es, test_alias, [dataset("a")])
    with IndexLock(es, test_alias, "rebuild"):
        with pytest.raises(LockHeld):
            rebuild.load_records(es, test_alias, [dataset("a", data_category="secret")], OPTIONS)


def package(**fields) -> dict:
    """A CKAN package as an agency's catalogue serves it (labels, not codes)."""
    return {"id": "pkg-1", "name": "pkg-1", "title": "ข้อมูลคุณภาพอากาศรายวัน", "notes": "ค่าฝุ่นรายสถานี",
            "organization": {"name": "pcd", "title": "กรมควบคุมมลพิษ"}, "tags": [{"name": "อากาศ"}],
            "resources": [{"name": "csv", "format": "CSV", "url": "https://example.go.th/air.csv"}],
            "license_id": "Open Data Common", "data_category": "ข้อมูลสาธารณะ",
            "data_classification": "เปิดเผย"} | fields


def write_packages(path, *packages):
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in packages), encoding="utf-8")
    return path


def test_a_record_whose_new_version_is_rejected_is_hidden_not_left_open(es, test_alias, tmp_path):
    other = package(id="pkg-2", name="pkg-2", title="ปริมาณน้ำฝนรายเดือน")
    source = write_packages(tmp_path / "agency.jsonl", package(), other)
    rebuild.load(es, test_alias, [source], options=OPTIONS)
    assert open_ids(es, test_alias) == {"pkg-1", "pkg-2"}

    # The agency re-labels pkg-1 personal data but leaves the open licence: the record is rejected.
    write_packages(source, package(data_category="ข้อมูลส่วนบุคคล", data_classification=None,
                                   allow_harvest="True"), other)
    summary = rebuild.load(es, test_alias, [source], options=OPTIONS)
    assert (summary.counts.rejected, summary.counts.hidden) == (1, 1)
    assert open_ids(es, test_alias) == {"pkg-2"}
    assert source_of(es, test_alias, "pkg-1")[m.VISIBILITY] == m.HIDDEN
    # Out of the open index altogether, still searchable (by administrators) in the restricted one.
    assert partition_ids(es, test_alias) == {m.OPEN_PARTITION: {"pkg-2"}, m.RESTRICTED_PARTITION: {"pkg-1"}}
    assert ids(es, test_alias, match={m.TITLE_WORDS: "อากาศ"}) == {"pkg-1"}

    # The very version it had before the rejected one brings it back (the hidden copy is not "unchanged").
    write_packages(source, package(), other)
    summary = rebuild.load(es, test_alias, [source], options=OPTIONS)
    assert (summary.counts.indexed, summary.counts.unchanged) == (1, 1)
    assert open_ids(es, test_alias) == {"pkg-1", "pkg-2"}
    assert partition_ids(es, test_alias) == {m.OPEN_PARTITION: {"pkg-1", "pkg-2"}, m.RESTRICTED_PARTITION: set()}

    # A valid version brings it back, under its new governance.
    write_packages(source, package(data_category="ข้อมูลส่วนบุคคล", data_classification="ลับ",
                                   license_id="อื่นๆ", allow_harvest="True"))
    summary = rebuild.load(es, test_alias, [source], options=OPTIONS)
    assert summary.counts.rejected == 0, summary.lines()
    source_doc = source_of(es, test_alias, "pkg-1")
    assert (source_doc[m.VISIBILITY], source_doc[m.CLASSIFICATION_LEVEL]) == (m.SENSITIVE, 3)


def test_a_rejected_record_that_was_never_indexed_is_only_reported(es, test_alias, tmp_path):
    load_records(es, test_alias, [dataset("other")])
    source = write_packages(tmp_path / "new.jsonl", package(id="pkg-9", name="pkg-9", title=""))
    summary = rebuild.load(es, test_alias, [source], options=OPTIONS)
    assert (summary.counts.rejected, summary.counts.hidden) == (1, 0)
    assert ids(es, test_alias) == {"other"}


def test_reloading_the_same_source_rewrites_nothing(es, test_alias, tmp_path):
    # Two records with one title: the repeated-title finding is added after the workers, in order.
    source = write_packages(tmp_path / "agency.jsonl", package(), package(id="pkg-2", name="pkg-2"))
    first = rebuild.load(es, test_alias, [source], options=Options(workers=1))
    assert first.counts.indexed == 2
    again = rebuild.load(es, test_alias, [source], options=Options(workers=1))
    assert (again.counts.indexed, again.counts.unchanged) == (0, 2)
    findings = source_of(es, test_alias, "pkg-2")[m.RECORD]["quality"]["findings"]
    assert "duplicate_title" in {f["rule"] for f in findings}
