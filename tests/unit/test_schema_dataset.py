"""The dataset schema: each rule with a passing and a failing case (errors reject, findings keep)."""
import copy
import json
from pathlib import Path

import pytest

from indexer.pipeline import validate_one
from indexer.sources import RawRecord

VALID = json.loads((Path(__file__).parents[1] / "fixtures/metadata/valid-package.json").read_text("utf-8"))


def check(**changes):
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is ...:
            data.pop(key, None)
        else:
            data[key] = value
    return validate_one(RawRecord("test.jsonl", "line 1", data))


def rules(outcome):
    return {(f.rule, f.field) for f in outcome.errors}, {(f.rule, f.field) for f in outcome.findings}


def test_valid_record_has_no_errors_and_full_score():
    outcome = check()
    assert outcome.accepted and outcome.errors == [] and outcome.findings == []
    record = outcome.record
    assert record["quality"] == {"score": 100, "findings": []}
    assert record["data_category"] == "public" and record["data_classification"] == "01"
    assert record["organization"] == {"name": "ddc", "title": "กรมควบคุมโรค",
                                      "id": "77895fda-f28b-43ce-bc56-3a409b157699"}
    assert record["tags"] == ["สุขภาพ", "โรค"] and record["update_frequency_interval"] == 1
    assert record["allow_harvest"] is True and record["private"] is False
    assert record["source"] == "test.jsonl" and record["declared"] == []


@pytest.mark.parametrize("field,rule", [("id", "id_required"), ("title", "required")])
def test_id_and_title_are_required(field, rule):
    assert (rule, field) in rules(check(**{field: ..., "name": ...}))[0]
    assert (rule, field) in rules(check(**{field: "  \u200b ", "name": ""}))[0]


def test_the_url_name_identifies_a_record_without_id():
    outcome = check(id=..., name="valid-name")
    assert outcome.accepted and outcome.record["id"] == "valid-name"


def test_organization_is_required():
    errors, _ = rules(check(organization=..., owner_org=...))
    assert ("organization_required", "owner_org") in errors
    assert check(organization=..., owner_org="ddc").accepted


def test_missing_category_fails_closed():
    outcome = check(data_category=..., data_classification=...)
    assert not outcome.accepted
    assert ("category_required", "data_category") in rules(outcome)[0]
    assert "--declare" in outcome.errors[0].message_en and "--declare" in outcome.errors[0].message_th


def test_declaration_fills_a_missing_category_and_is_recorded():
    raw = RawRecord("t", "line 1", {**VALID, "data_category": ""})
    outcome = validate_one(raw, {"data_category": "public"})
    assert outcome.accepted and outcome.record["declared"] == ["data_category"]
    assert check().record["declared"] == []


def test_declaration_never_overrides_the_record():
    data = {**VALID, "data_category": "ข้อมูลส่วนบุคคล", "data_classification": "ลับ", "license_id": "อื่นๆ"}
    outcome = validate_one(RawRecord("t", "line 1", data), {"data_category": "public"})
    assert outcome.record["data_category"] == "personal" and outcome.record["declared"] == []
    assert ("declaration_conflict", "data_category") in rules(outcome)[1]


def test_unknown_code_rejects_alias_passes():
    assert ("code_unknown", "geo_coverage") in rules(check(geo_coverage="จักรวาล"))[0]
    assert check(geo_coverage="ทั้งประเทศ").record["geo_coverage"] == "04"


def test_unknown_classification_rejects():
    assert ("code_unknown", "data_classification") in rules(check(data_classification="ลับสุดยอด"))[0]


def test_classification_must_fit_the_category():
    errors, _ = rules(check(data_classification="ลับ"))
    assert ("classification_not_allowed", "data_classification") in errors
    outcome = check(data_category="ข้อมูลส่วนบุคคล", data_classification="ลับ", license_id="อื่นๆ")
    assert outcome.accepted and outcome.record["data_classification"] == "03"


def test_sensitive_record_without_classification_is_kept_with_a_finding():
    outcome = check(data_category="ข้อมูลความมั่นคง", data_classification=..., license_id="อื่นๆ")
    assert outcome.accepted and outcome.record["data_classification"] is None
    finding = [f for f in outcome.findings if f.rule == "classification_missing"][0]
    assert "5" in finding.message_en


def test_open_licence_contradicts_a_sensitive_category():
    outcome = check(data_category="ข้อมูลความลับทางราชการ", data_classification="ลับ")
    assert ("licence_contradicts_category", "license_id") in rules(outcome)[0]
    assert "Open Data Common" in outcome.errors[0].message_th


def test_public_data_under_a_closed_licence_is_a_quality_finding():
    outcome = check(license_id="License not specified")
    assert outcome.accepted and ("licence_not_open", "license_id") in rules(outcome)[1]


@pytest.mark.parametrize("interval,unit,finding", [
    ("1", "เดือน", None),
    ("๓", "ปี", None),
    ("", "ตามเวลาจริง", None),
    ("", "ไม่ทราบ", ("mandatory_unknown", "update_frequency_unit")),
    ("", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", None),
    ("", "เดือน", ("interval_missing", "update_frequency_interval")),
    ("0", "เดือน", ("interval_invalid", "update_frequency_interval")),
    ("-2", "เดือน", ("interval_invalid", "update_frequency_interval")),
    ("ทุกเดือน", "เดือน", ("number_invalid", "update_frequency_interval")),
])
def test_update_frequency_interval(interval, unit, finding):
    outcome = check(update_frequency_interval=interval, update_frequency_unit=unit)
    assert outcome.accepted
    found = rules(outcome)[1]
    if finding is None:
        assert found == set()
    else:
        assert finding in found


def test_email_syntax_and_length():
    assert ("email_invalid", "maintainer_email") in rules(check(maintainer_email="data(at)ddc.go.th"))[1]
    long_email = "a" * 45 + "@ddc.go.th"
    assert ("too_long", "maintainer_email") in rules(check(maintainer_email=long_email))[1]


@pytest.mark.parametrize("field,limit", [
    ("title", 150), ("maintainer", 150), ("notes", 1000), ("data_source", 200)])
def test_length_overflow_is_a_quality_finding(field, limit):
    outcome = check(**{field: "ก" * (limit + 1)})
    assert outcome.accepted and ("too_long", field) in rules(outcome)[1]
    assert check(**{field: "ก" * limit}).findings == []


def test_unknown_answers_lower_the_score():
    outcome = check(objective=["ไม่ทราบ"], data_source="ไม่ทราบ", geo_coverage="ไม่ทราบ")
    assert outcome.record["quality"]["score"] == round(100 * 11 / 14)
    assert {("mandatory_unknown", "objective"), ("mandatory_unknown", "data_source"),
            ("mandatory_unknown", "geo_coverage")} <= rules(outcome)[1]


def test_unknown_fields_are_reported_and_kept_in_extras():
    outcome = check(telephone_number="1422", num_tags=2)
    assert ("unknown_field", "telephone_number") in rules(outcome)[1]
    assert ("unknown_field", "num_tags") not in rules(outcome)[1]   # CKAN bookkeeping: kept silently
    assert outcome.record["extras"] == {"telephone_number": "1422", "num_tags": 2}


def test_booleans_html_entities_and_buddhist_era_dates():
    outcome = check(high_value_dataset="1", reference_data="False", notes="ก&amp;ข&ndash;ค",
                    created_date="2563-01-15", private="True", allow_harvest="False")
    record = outcome.record
    assert record["high_value_dataset"] is True and record["reference_data"] is False
    assert record["notes"] == "ก&ข–ค" and record["created_date"] == "2020-01-15"
    assert record["private"] is True and record["allow_harvest"] is False


def test_statistics_block_only_for_its_type():
    stats = {"first_year_of_data": "2553", "unit_of_measure": "คน"}
    outcome = check(data_type="ข้อมูลสถิติ", **stats)
    assert outcome.record["statistics"] == {"first_year_of_data": 2010, "unit_of_measure": "คน"}
    assert outcome.record["geospatial"] is None and outcome.findings == []
    outcome = check(**stats)
    assert ("not_for_type", "first_year_of_data") in rules(outcome)[1]


def test_geospatial_block():
    outcome = check(data_type="ข้อมูลภูมิสารสนเทศเชิงพื้นที่", equivalent_scale="1:4,000")
    assert outcome.record["geospatial"] == {"equivalent_scale": "4000"} and outcome.findings == []


def test_canonical_record_keys_follow_the_architecture():
    record = check().record
    for key in ("id", "name", "title", "title_en", "notes", "organization", "tags", "resources", "groups",
                "data_type", "objective", "update_frequency_unit", "update_frequency_interval",
                "geo_coverage",
                "data_format", "data_category", "data_classification", "license_id", "data_language",
                "maintainer", "maintainer_email", "data_source", "url", "accessible_condition",
                "created_date",
                "last_updated_date", "metadata_created", "metadata_modified", "allow_harvest", "private",
                "high_value_dataset", "reference_data", "official_statistics", "statistics", "geospatial",
                "extras", "source", "declared", "quality"):
        assert key in record, key


def test_not_an_object_is_rejected():
    outcome = validate_one(RawRecord("t", "line 1", None, "broken JSON", "{"))
    assert not outcome.accepted and outcome.errors[0].rule == "unparseable"


@pytest.mark.parametrize("field,value", [
    ("groups", "health"), ("tags", {"a": 1}), ("resources", "a.csv"), ("notes", {"th": "x"}),
    ("data_format", {"a": "CSV"}), ("geo_coverage", ["ประเทศ", "จังหวัด"]),
])
def test_a_structural_surprise_outside_the_essentials_is_kept_in_extras(field, value):
    outcome = check(**{field: value})
    assert outcome.accepted, [str(e) for e in outcome.errors]
    assert ("invalid_kept", field) in rules(outcome)[1]
    assert outcome.record["extras"][field] == value


@pytest.mark.parametrize("field,value,rule", [
    ("title", ["a", "b"], "invalid"), ("data_category", {"a": 1}, "invalid"),
    ("license_id", ["odc", "cc-by"], "invalid"), ("organization", ["ddc"], "organization_required"),
])
def test_a_structural_surprise_in_an_essential_field_rejects(field, value, rule):
    outcome = check(**{field: value, "owner_org": ...})
    assert not outcome.accepted
    assert [e.rule for e in outcome.errors] == [rule]


def test_a_one_item_list_is_a_single_value():
    assert check(data_type=["ข้อมูลระเบียน"]).record["data_type"] == "1"
