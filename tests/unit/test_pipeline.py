"""The pipeline end to end: the 836 data.go.th records, the real CKAN record's round trip, declarations,
cross-record checks, the report and its exit codes."""
import io
import json
import pickle
from collections import Counter
from pathlib import Path

import pytest

from indexer import codelists
from indexer.pipeline import DeclarationError, Outcome, QualityTracker, parse_declarations, validate, validate_one
from indexer.sources import RawRecord, read_sources
from indexer.report import EXIT_FATAL, EXIT_OK, EXIT_REJECTED, Report

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "data" / "datagoth-sample-836.jsonl"
COVID = ROOT / "tests" / "fixtures" / "ckan-package-search-covid-19-daily.json"
VALID = json.loads((ROOT / "tests/fixtures/metadata/valid-package.json").read_text("utf-8"))
OPEN_DATA = ["data_category=ข้อมูลสาธารณะ"]


def test_all_836_sample_records_load_under_the_open_data_declaration(tmp_path):
    report = Report(tmp_path / "rejects.jsonl")
    outcomes = []
    for outcome in validate(read_sources([str(SAMPLE)]), parse_declarations(OPEN_DATA)):
        report.add(outcome)
        outcomes.append(outcome)
    report.close()
    counts = report.sources[str(SAMPLE)]
    assert (counts.read, counts.accepted, counts.rejected) == (836, 836, 0)
    assert counts.with_findings == 836 and report.exit_code() == EXIT_OK
    records = [o.record for o in outcomes]
    assert all(r["data_category"] == "public" and r["declared"] == ["data_category"] for r in records)
    assert all(r["data_classification"] is None for r in records)       # never guessed
    assert {r["license_id"] for r in records} == {"cc-by", "dga-ogl"}
    scores = Counter(r["quality"]["score"] for r in records)
    assert set(scores) == {36, 43}                                      # 6 (no tags) or 5 of 14 items
    rules = Counter(f["rule"] for r in records for f in r["quality"]["findings"])
    assert rules["mandatory_missing"] == 8 * 836 + 43
    assert rules["duplicate_title"] == 55
    first = records[0]
    assert first["id"] == "bec_school" and first["metadata_modified"].startswith("2021-10-31T05:59:39")
    assert first["organization"]["title"] == "กรุงเทพมหานคร"
    assert first["organization"]["name"].startswith("org-")
    assert first["resources"][0]["format"] == "ZIP"
    assert first["extras"]["url"] == "https://data.go.th/dataset/bec_school"
    assert (tmp_path / "rejects.jsonl").read_text() == ""


def test_sample_without_declaration_is_rejected_fail_closed(tmp_path):
    report = Report(tmp_path / "rejects.jsonl")
    for outcome in validate(read_sources([str(SAMPLE)])):
        report.add(outcome)
    report.close()
    counts = report.sources[str(SAMPLE)]
    assert (counts.read, counts.accepted, counts.rejected) == (836, 0, 836)
    assert report.exit_code() == EXIT_REJECTED
    first = json.loads((tmp_path / "rejects.jsonl").open(encoding="utf-8").readline())
    assert first["record"] == json.loads(SAMPLE.open(encoding="utf-8").readline())   # unchanged
    assert first["reasons"][0]["rule"] == "category_required"


def test_covid_record_round_trips_labels_codes_labels():
    package = json.loads(COVID.read_text("utf-8"))["result"]["results"][0]
    [outcome] = list(validate(read_sources([str(COVID)])))
    assert outcome.accepted
    record = outcome.record
    for name in codelists.FIELDS:
        if name not in package or name not in record:
            continue
        given, code = package[name], record[name]
        if isinstance(given, list):
            assert [codelists.label(name, c) for c in code] == given, name
        else:
            assert codelists.label(name, code) == given, name
    assert record["data_type"] == "1" and record["update_frequency_unit"] == "D"
    assert record["geo_coverage"] == "04" and record["license_id"] == "cc-by"
    assert record["high_value_dataset"] is True and record["update_frequency_interval"] == 1
    assert record["quality"]["score"] == round(100 * 11 / 14)
    assert [f["rule"] for f in record["quality"]["findings"]] == [
        "unknown_field", "mandatory_unknown", "mandatory_unknown", "mandatory_unknown"]


def test_parse_declarations():
    assert parse_declarations(["data_category=ข้อมูลสาธารณะ"]) == {"data_category": "public"}
    assert parse_declarations(["data_category = public ", "license_id=Open Data Common",
                               "maintainer=ศูนย์ข้อมูล"]) == {
        "data_category": "public", "license_id": "odc", "maintainer": "ศูนย์ข้อมูล"}
    assert parse_declarations([]) == {}


@pytest.mark.parametrize("item,fragment", [
    ("data_category", "field=value"),
    ("data_category=", "field=value"),
    ("title=ชื่อ", "cannot be declared"),
    ("data_category=ข้อมูลเปิด", "not in the data_category code list"),
])
def test_bad_declarations_explain_themselves_in_thai_and_english(item, fragment):
    with pytest.raises(DeclarationError) as exc:
        parse_declarations([item])
    assert fragment in exc.value.message_en and exc.value.message_th
    assert exc.value.message_th in str(exc.value)


def test_conflicting_declarations():
    with pytest.raises(DeclarationError):
        parse_declarations(["data_category=public", "data_category=personal"])


def _raw(locator, **changes):
    return RawRecord("s.jsonl", locator, {**VALID, **changes})


def test_tracker_rejects_a_repeated_id_and_flags_a_repeated_title():
    outcomes = list(validate([
        _raw("line 1"),
        _raw("line 2", id="other", name="other"),                     # same title, same organization
        _raw("line 3", id="valid-1", title="อื่น"),                    # same id
        _raw("line 4", id="third", name="third", organization={"name": "nso", "title": "สสช."}),
    ]))
    assert [o.accepted for o in outcomes] == [True, True, False, True]
    duplicate = [f for f in outcomes[1].findings if f.rule == "duplicate_title"][0]
    assert "valid-1" in duplicate.message_en and "line 1" in duplicate.message_en
    assert outcomes[1].record["quality"]["findings"][-1]["rule"] == "duplicate_title"
    assert outcomes[2].errors[0].rule == "duplicate_id" and "line 1" in outcomes[2].errors[0].message_th
    assert outcomes[3].findings == []                                  # another organization


def test_validate_one_is_picklable_for_worker_processes():
    raw = _raw("line 1")
    outcome = validate_one(pickle.loads(pickle.dumps(raw)), {"data_category": "public"})
    again = pickle.loads(pickle.dumps(outcome))
    assert again.accepted and again.record == outcome.record
    tracker = QualityTracker()
    assert tracker.observe(again).accepted


def test_finding_line_names_source_locator_id_field_rule_value_and_both_languages():
    outcome = validate_one(_raw("line 7", geo_coverage="จักรวาล"))
    line = str(outcome.errors[0])
    for part in ("s.jsonl", "line 7", "id=valid-1", "field=geo_coverage", "rule=code_unknown",
                 "value=จักรวาล", "ไม่อยู่ในรายการรหัส", "is not in the geo_coverage code list"):
        assert part in line


def test_report_counts_summary_and_exit_codes(tmp_path):
    report = Report(tmp_path / "out" / "rejects.jsonl")
    report.expect("empty.jsonl")
    for outcome in validate([_raw("line 1"), _raw("line 2", id="b", name="b", title="ข", notes=""),
                             RawRecord("s.jsonl", "line 3", None, "broken JSON", "{\"id\": ")]):
        report.add(outcome)
    report.close()
    counts = report.sources["s.jsonl"]
    assert (counts.read, counts.accepted, counts.with_findings, counts.rejected) == (3, 2, 1, 1)
    assert report.sources["empty.jsonl"].read == 0
    assert report.exit_code() == EXIT_REJECTED
    text = io.StringIO()
    report.print_summary(text)
    summary = text.getvalue()
    assert "s.jsonl" in summary and "rejected" in summary and "ไม่ผ่าน" in summary
    assert "empty.jsonl holds no record" in summary and str(tmp_path / "out" / "rejects.jsonl") in summary
    lines = (tmp_path / "out" / "rejects.jsonl").read_text("utf-8").splitlines()
    [reject] = [json.loads(line) for line in lines]
    assert reject["raw_text"] == "{\"id\": " and reject["locator"] == "line 3"
    report.fatal("Elasticsearch ไม่ตอบ / Elasticsearch unreachable")
    assert report.exit_code() == EXIT_FATAL


def test_all_accepted_exit_code_zero():
    report = Report()
    report.add(validate_one(_raw("line 1")))
    assert report.exit_code() == EXIT_OK and report.totals.read == 1


def test_outcome_accepted_requires_a_record():
    assert not Outcome(RawRecord("s", "line 1", {}), None).accepted


def test_an_unexpected_failure_rejects_the_record_instead_of_stopping_the_run(monkeypatch):
    from indexer import pipeline

    def explode(data, known):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "to_standard", explode)
    outcome = validate_one(_raw("line 9"))
    assert not outcome.accepted and outcome.errors[0].rule == "validation_failed"
    assert "RuntimeError: boom" in outcome.errors[0].message_en and outcome.errors[0].locator == "line 9"


def test_findings_quote_long_values_briefly():
    outcome = validate_one(_raw("line 1", notes="ก" * 5000))
    [finding] = [f for f in outcome.record["quality"]["findings"] if f["rule"] == "too_long"]
    assert len(finding["value"]) == 200 and finding["value"].endswith("…")
    assert "5000" in finding["message_en"] and len(outcome.record["notes"]) == 5000


def test_summary_columns_align_by_display_width():
    from indexer.report import display_width

    assert display_width("ผ่าน มีข้อสังเกต") == len("ผ่าน มีข้อสังเกต") - 4      # ่ ี ้ ั take no column
    report = Report()
    report.add(validate_one(_raw("line 1")))
    header, row, total = report.summary_lines()[:3]
    assert display_width(header) == display_width(row) == display_width(total)
