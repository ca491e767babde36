"""``gdc-index`` end to end on a real node: counts, rejects file, exit codes 0/1/2, status, signals."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from indexer import cli, indices, rebuild
from indexer.lock import IndexLock
from tests.support import OPEN_DATA_DECLARATION, PROJECT_ROOT, SAMPLE, SAMPLE_SIZE

pytestmark = pytest.mark.integration

GOOD = {"id": "cli-good", "title": "ข้อมูลคุณภาพอากาศรายวัน", "summary": "ค่าฝุ่น PM2.5 รายสถานี",
        "org": "กรมควบคุมมลพิษ", "tags": ["อากาศ"], "formats": ["CSV"], "resources": 1,
        "resources_list": [{"name": "csv", "format": "CSV", "url": "https://example.go.th/air.csv"}],
        "license": "Open Data Common", "updated": "2025-01-01T00:00:00",
        "url": "https://data.go.th/dataset/cli-good"}


def write_jsonl(path, records, broken: str | None = None):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if broken is not None:
        lines.append(broken)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gdc_index(*argv: str) -> int:
    return cli.main(list(argv))


def count(es, alias: str) -> int:
    return es.count(index=alias)["count"]


def test_load_creates_the_alias_and_indexes_the_sample(es, test_alias, tmp_path, capsys):
    rejects = tmp_path / "rejects.jsonl"
    code = gdc_index("load", str(SAMPLE), "--declare", OPEN_DATA_DECLARATION, "--alias", test_alias,
                     "--workers", "0", "--rejects", str(rejects), "--quiet")
    out = capsys.readouterr().out
    assert code == 0
    assert count(es, test_alias) == SAMPLE_SIZE
    assert f"indexed {SAMPLE_SIZE}" in out and "rejected 0" in out
    assert rejects.read_text() == ""


def test_some_rejected_exits_1_and_writes_the_rejects_file(es, test_alias, tmp_path, capsys):
    source = write_jsonl(tmp_path / "mixed.jsonl", [GOOD, dict(GOOD, id="cli-untitled", title="")],
                         broken='{"id": "cut-off", "title": "ข้อมู')
    rejects = tmp_path / "rejects.jsonl"
    code = gdc_index("load", str(source), "--declare", OPEN_DATA_DECLARATION, "--alias", test_alias,
                     "--workers", "0", "--rejects", str(rejects), "--quiet")
    assert code == 1
    assert count(es, test_alias) == 1
    entries = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert {e["locator"] for e in entries} == {"line 2", "line 3"}
    assert all(e["reasons"] for e in entries)
    assert "read 3, accepted 1, rejected 2" in capsys.readouterr().out


def test_unreadable_source_exits_2_and_leaves_the_alias_alone(es, test_alias, tmp_path, capsys):
    gdc_index("load", str(write_jsonl(tmp_path / "one.jsonl", [GOOD])), "--declare", OPEN_DATA_DECLARATION,
              "--alias", test_alias, "--workers", "0", "--rejects", str(tmp_path / "r1.jsonl"), "--quiet")
    before = indices.indices_behind(es, test_alias)
    code = gdc_index("rebuild", str(tmp_path / "missing.jsonl"), "--alias", test_alias, "--workers", "0",
                     "--rejects", str(tmp_path / "r2.jsonl"), "--quiet")
    assert code == 2
    assert "SourceError" in capsys.readouterr().out
    assert indices.indices_behind(es, test_alias) == before
    assert list(indices.physical_indices(es, test_alias)) == before


def test_a_bad_declaration_exits_2(test_alias, tmp_path):
    source = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    assert gdc_index("validate", str(source), "--declare", "data_category=ไม่มีหมวดนี้",
                     "--rejects", str(tmp_path / "r.jsonl"), "--quiet") == 2
    assert gdc_index("load", str(source), "--declare", "colour=blue", "--alias", test_alias,
                     "--rejects", str(tmp_path / "r.jsonl"), "--quiet") == 2


def test_validate_is_a_dry_run(es, test_alias, tmp_path, capsys):
    source = write_jsonl(tmp_path / "mixed.jsonl", [GOOD], broken="{not json")
    code = gdc_index("validate", str(source), "--declare", OPEN_DATA_DECLARATION,
                     "--rejects", str(tmp_path / "r.jsonl"), "--quiet")
    assert code == 1
    assert not es.indices.exists_alias(name=test_alias)
    out = capsys.readouterr().out
    assert "รวม / total" in out


def test_unreachable_elasticsearch_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GDC_ES_URL", "http://127.0.0.1:9")
    source = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    assert gdc_index("load", str(source), "--declare", OPEN_DATA_DECLARATION, "--alias", "test_unreachable",
                     "--workers", "0", "--rejects", str(tmp_path / "r.jsonl"), "--quiet") == 2
    assert "ConnectionError" in capsys.readouterr().out


def test_rebuild_status_count_and_delete_missing(es, test_alias, tmp_path, capsys):
    source = write_jsonl(tmp_path / "agency.jsonl", [GOOD, dict(GOOD, id="cli-second", title="ข้อมูลน้ำฝน")])
    common = ["--declare", OPEN_DATA_DECLARATION, "--alias", test_alias, "--workers", "0",
              "--rejects", str(tmp_path / "r.jsonl"), "--quiet"]
    assert gdc_index("rebuild", str(source), *common) == 0
    first = indices.indices_behind(es, test_alias)
    assert gdc_index("rebuild", str(source), *common) == 0
    assert indices.indices_behind(es, test_alias) != first
    assert list(indices.physical_indices(es, test_alias)) == indices.indices_behind(es, test_alias)

    write_jsonl(source, [GOOD])
    assert gdc_index("load", str(source), "--delete-missing", *common) == 0
    assert count(es, test_alias) == 1
    capsys.readouterr()

    assert gdc_index("count", "--alias", test_alias) == 0
    assert capsys.readouterr().out.strip() == "1"
    assert gdc_index("status", "--alias", test_alias) == 0
    status = capsys.readouterr().out
    assert "serving" in status and "lock: free" in status


def test_count_of_a_missing_alias_is_zero(test_alias, capsys):
    assert gdc_index("count", "--alias", test_alias) == 0
    assert capsys.readouterr().out.strip() == "0"


def test_a_held_lock_exits_2(es, test_alias, tmp_path, capsys):
    source = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    with IndexLock(es, test_alias, "rebuild"):
        code = gdc_index("rebuild", str(source), "--declare", OPEN_DATA_DECLARATION, "--alias", test_alias,
                         "--workers", "0", "--rejects", str(tmp_path / "r.jsonl"), "--quiet")
    assert code == 2
    assert "holds the index lock" in capsys.readouterr().out
    assert not es.indices.exists_alias(name=test_alias)


def test_sigterm_during_a_rebuild_removes_the_new_index(es, test_alias, tmp_path):
    source = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    common = ["--declare", OPEN_DATA_DECLARATION, "--alias", test_alias,
              "--rejects", str(tmp_path / "r.jsonl")]
    assert gdc_index("load", str(source), "--workers", "0", "--quiet", *common) == 0
    old = indices.indices_behind(es, test_alias)
    command = [sys.executable, "-m", "indexer.cli", "rebuild", str(SAMPLE), "--workers", "1", *common]
    child = subprocess.Popen(command,
                             cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Wait for the child to reach the middle of its rebuild: its new index exists.
        deadline = time.monotonic() + 120
        while len(indices.physical_indices(es, test_alias)) < 2 * len(old) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(indices.physical_indices(es, test_alias)) == 2 * len(old), "the rebuild never created its indices"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 2
    finally:
        if child.poll() is None:
            child.kill()
    assert indices.indices_behind(es, test_alias) == old
    assert list(indices.physical_indices(es, test_alias)) == old
    assert not es.exists(index=f"{test_alias}-lock", id="writer")


def test_validate_in_worker_processes_keeps_read_order_and_cross_record_checks(tmp_path, capsys):
    records = [dict(GOOD, id=f"v-{i}", title=f"ข้อมูลคุณภาพอากาศ ชุดที่ {i}") for i in range(150)]
    source = write_jsonl(tmp_path / "many.jsonl", records + [dict(GOOD, id="v-7")])
    rejects = tmp_path / "r.jsonl"
    code = gdc_index("validate", str(source), "--declare", OPEN_DATA_DECLARATION, "--workers", "2",
                     "--rejects", str(rejects), "--quiet")
    assert code == 1
    entry, = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert (entry["locator"], entry["id"]) == ("line 151", "v-7")
    assert entry["reasons"][0]["rule"] == "duplicate_id"
    assert "151" in capsys.readouterr().out


def test_source_label_is_what_the_records_carry(es, test_alias, tmp_path):
    source = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    assert gdc_index("load", str(source), "--declare", OPEN_DATA_DECLARATION, "--alias", test_alias,
                     "--source-label", "agency-feed", "--workers", "0", "--rejects", str(tmp_path / "r.jsonl"),
                     "--quiet") == 0
    [hit] = es.search(index=test_alias, query={"term": {"source": "agency-feed"}})["hits"]["hits"]
    assert hit["_id"] == GOOD["id"]


def test_reindex_unchanged_writes_what_a_load_would_skip(es, test_alias, tmp_path, capsys):
    source = write_jsonl(tmp_path / "one.jsonl", [GOOD])
    common = [str(source), "--declare", OPEN_DATA_DECLARATION, "--alias", test_alias, "--workers", "0",
              "--rejects", str(tmp_path / "r.jsonl"), "--quiet"]
    assert gdc_index("load", *common) == 0
    capsys.readouterr()
    assert gdc_index("load", *common) == 0
    assert "indexed 0, failed 0, deleted 0, hidden 0, unchanged 1" in capsys.readouterr().out
    assert gdc_index("load", *common, "--reindex-unchanged") == 0
    assert "indexed 1, failed 0, deleted 0, hidden 0, unchanged 0" in capsys.readouterr().out
