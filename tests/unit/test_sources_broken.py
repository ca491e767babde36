"""A deliberately broken file of every kind: right counts (read = accepted + rejected) and messages."""
import json
import time
import tracemalloc
from pathlib import Path

import pytest

from indexer.pipeline import validate
from indexer.sources import read_sources
from indexer.report import Report
from indexer.sources import SourceError

METADATA = Path(__file__).parents[1] / "fixtures" / "metadata"
COVID = Path(__file__).parents[1] / "fixtures" / "ckan-package-search-covid-19-daily.json"


def run(path, tmp_path, declarations=None):
    report = Report(tmp_path / "rejects.jsonl")
    report.expect(str(path))
    outcomes = []
    for outcome in validate(read_sources([str(path)]), declarations):
        report.add(outcome)
        outcomes.append(outcome)
    report.close()
    counts = report.sources[str(path)]
    assert counts.read == counts.accepted + counts.rejected
    rejects = [json.loads(line) for line in (tmp_path / "rejects.jsonl").read_text("utf-8").splitlines()]
    assert len(rejects) == counts.rejected
    return counts, outcomes, rejects


def errors_of(outcomes):
    return [(f.locator, f.record_id, f.field, f.rule) for o in outcomes for f in o.errors]


def test_truncated_json_line(tmp_path):
    counts, outcomes, rejects = run(METADATA / "truncated-line.jsonl", tmp_path)
    assert (counts.read, counts.accepted, counts.rejected) == (4, 3, 1)
    assert errors_of(outcomes) == [("line 3", "", "", "unparseable")]
    assert rejects[0]["locator"] == "line 3" and rejects[0]["record"] is None
    original = (METADATA / "truncated-line.jsonl").read_text("utf-8").splitlines()[2]
    assert rejects[0]["raw_text"] == original          # unchanged
    reason = rejects[0]["reasons"][0]
    assert "JSON" in reason["message_th"] and "broken JSON" in reason["message_en"]


def test_wrong_encoding_lines(tmp_path):
    counts, outcomes, rejects = run(METADATA / "wrong-encoding.jsonl", tmp_path)
    assert (counts.read, counts.accepted, counts.rejected) == (2, 1, 1)
    assert errors_of(outcomes) == [("line 1", "", "", "unparseable")]
    assert "UTF-8" in rejects[0]["reasons"][0]["message_en"]
    assert "\\xaa" in rejects[0]["raw_text"]          # the bytes as read, visible


def test_missing_mandatory_items(tmp_path):
    counts, outcomes, rejects = run(METADATA / "missing-mandatory.jsonl", tmp_path)
    assert (counts.read, counts.accepted, counts.with_findings, counts.rejected) == (5, 1, 1, 4)
    assert errors_of(outcomes) == [
        ("line 1", "", "id", "id_required"),
        ("line 2", "no-title", "title", "required"),
        ("line 3", "no-org", "owner_org", "organization_required"),
        ("line 5", "no-category", "data_category", "category_required"),
    ]
    kept = outcomes[3]
    assert kept.accepted
    assert {f.field for f in kept.findings if f.rule == "mandatory_missing"} == {
        "maintainer", "maintainer_email", "tag_string", "notes", "objective", "data_source"}
    assert kept.record["quality"]["score"] == round(100 * 8 / 14)
    source_line = json.loads((METADATA / "missing-mandatory.jsonl").read_text("utf-8").splitlines()[1])
    assert rejects[1]["record"] == source_line       # unchanged
    assert rejects[1]["id"] == "no-title" and rejects[1]["source"].endswith("missing-mandatory.jsonl")


def test_unknown_codes(tmp_path):
    counts, outcomes, rejects = run(METADATA / "unknown-codes.jsonl", tmp_path)
    assert (counts.read, counts.accepted, counts.rejected) == (5, 1, 4)
    assert errors_of(outcomes) == [
        ("line 1", "bad-type", "data_type", "code_unknown"),
        ("line 2", "bad-category", "data_category", "code_unknown"),
        ("line 3", "bad-classification", "data_classification", "code_unknown"),
        ("line 4", "bad-frequency", "update_frequency_unit", "code_unknown"),
    ]
    reason = rejects[1]["reasons"][0]
    assert reason["value"] == "ข้อมูลเปิด"
    assert "ข้อมูลเปิด" in reason["message_th"] and "ข้อมูลสาธารณะ" in reason["message_th"]
    assert outcomes[4].record["update_frequency_unit"] == "M"


def test_contradictory_licence_and_classification(tmp_path):
    counts, outcomes, _rejects = run(METADATA / "contradictory-licence.jsonl", tmp_path)
    assert (counts.read, counts.accepted, counts.rejected) == (4, 2, 2)
    assert errors_of(outcomes) == [
        ("line 1", "secret-open-licence", "license_id", "licence_contradicts_category"),
        ("line 2", "public-secret-class", "data_classification", "classification_not_allowed"),
    ]
    security = outcomes[3].record
    assert security["data_category"] == "security" and security["data_classification"] is None
    assert "classification_missing" in [f["rule"] for f in security["quality"]["findings"]]


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.json", "blank-lines.jsonl"])
def test_empty_files(tmp_path, name):
    counts, outcomes, _ = run(METADATA / name, tmp_path)
    assert (counts.read, counts.rejected) == (0, 0) and outcomes == []


def test_truncated_package_search_answer(tmp_path):
    counts, outcomes, rejects = run(METADATA / "truncated-search.json", tmp_path)
    assert (counts.read, counts.accepted, counts.rejected) == (2, 1, 1)
    assert errors_of(outcomes) == [("item 2", "", "", "unparseable")]
    assert "truncated" in rejects[0]["reasons"][0]["message_en"]


def test_csv_with_broken_rows(tmp_path):
    counts, outcomes, rejects = run(METADATA / "broken-rows.csv", tmp_path)
    assert (counts.read, counts.accepted, counts.rejected) == (5, 2, 3)
    assert errors_of(outcomes) == [("row 4", "", "id", "id_required"), ("row 5", "", "", "unparseable"),
                                   ("row 6", "", "", "unparseable")]
    assert "16 cells" in rejects[1]["reasons"][0]["message_en"]
    assert "not utf-8" in rejects[2]["reasons"][0]["message_en"]


def test_mirror_record_normalised(tmp_path):
    counts, outcomes, _ = run(METADATA / "mirror-entities.jsonl", tmp_path, {"data_category": "public"})
    record = outcomes[0].record
    assert record["title"] == "รายงาน–ปี ๒๕๖๓" and record["notes"] == "ข้อมูล & สถิติ"
    assert record["organization"] == {"name": "ddc", "title": "กรมควบคุมโรค"}
    assert record["license_id"] == "dga-ogl" and record["declared"] == ["data_category"]


def test_not_a_workbook_is_fatal(tmp_path):
    with pytest.raises(SourceError):
        run(METADATA / "not-a-workbook.xlsx", tmp_path)


def _big_search_answer(path: Path, target_bytes: int) -> int:
    """A package_search answer of real CKAN records (unique ids) ending in a truncated item."""
    package = json.loads(COVID.read_text("utf-8"))["result"]["results"][0]
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"help": "h", "success": true, "result": {"count": 0, "facets": {}, "results": [')
        while out.tell() < target_bytes:
            package["id"] = f"covid-{written}"
            package["name"] = f"covid-{written}"
            package["title"] = f"รายงาน COVID-19 ประจำวัน ชุดที่ {written}"
            out.write(("," if written else "") + json.dumps(package, ensure_ascii=False))
            written += 1
        out.write(', {"id": "cut-off", "title": "ถูกตัด')
    return written


def test_50_megabyte_file_streams_in_constant_memory(tmp_path):
    path = tmp_path / "big.json"
    complete = _big_search_answer(path, 50 * 1024 * 1024)
    assert path.stat().st_size >= 50 * 1024 * 1024
    tracemalloc.start()
    read = sum(1 for _ in read_sources([str(path)]))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert read == complete + 1
    assert peak < 16 * 1024 * 1024, peak               # the 50 MB file is never held at once

    started = time.perf_counter()
    report = Report(tmp_path / "rejects.jsonl")
    for outcome in validate(read_sources([str(path)]), {"data_category": "public"}):
        report.add(outcome)
    report.close()
    seconds = time.perf_counter() - started
    counts = report.sources[str(path)]
    assert (counts.read, counts.accepted, counts.rejected) == (complete + 1, complete, 1)
    assert counts.with_findings == complete            # every copy has "ไม่ทราบ" answers
    reject = json.loads((tmp_path / "rejects.jsonl").read_text("utf-8"))
    assert reject["locator"] == f"item {complete + 1}" and reject["record"] is None
    print(f"50 MB: {complete} records validated in {seconds:.1f}s, reading peak {peak / 2**20:.1f} MiB")
