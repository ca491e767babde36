"""Code lists: every spelling of a value reaches the same entry; governance helpers."""
import json

import pytest

from indexer import codelists


def test_schema_version_and_fields():
    assert codelists.SCHEMA_VERSION == "2.2.4"
    for name in ("data_type", "objective", "update_frequency_unit", "geo_coverage", "data_format",
                 "data_category", "data_classification", "license_id", "data_language",
                 "disaggregate", "unit_of_multiplier", "geographic_data_set", "equivalent_scale"):
        assert name in codelists.FIELDS


@pytest.mark.parametrize("value", [
    "ข้อมูลสาธารณะ", "public", "Public data", " PUBLIC  DATA ", "ข้อมูล\u200bสาธารณะ"])
def test_lookup_accepts_code_thai_english_alias_any_case_and_spacing(value):
    assert codelists.lookup("data_category", value).code == "public"


@pytest.mark.parametrize("field,value,code", [
    ("update_frequency_unit", "รายวัน", "D"),          # legacy data.go.th maintain_frequent
    ("update_frequency_unit", "d", "D"),               # published letter code
    ("data_type", "ข้อมูลรายทะเบียน", "1"),            # legacy spelling
    ("data_type", "สถิติ", "3"),
    ("data_classification", "๐๓", "03"),              # Thai digits
    ("data_classification", "3", "03"),
    ("geo_coverage", "4", None),                       # only the published two-digit code
    ("geo_coverage", "04", "04"),
    ("license_id", "ogl", "dga-ogl"),
    ("objective", "แผนระดับที่ ๓ (มติครม. ๔ ธ.ค. ๒๕๖๐)", "level3_plan"),
    ("objective", "อื่น ๆ", "other"),
    ("data_format", "XLS/XLSX", "xls"),
])
def test_lookup_aliases(field, value, code):
    found = codelists.lookup(field, value)
    assert (found.code if found else None) == code


def test_lookup_unknown_and_blank():
    assert codelists.lookup("data_category", "ข้อมูลเปิด") is None
    assert codelists.lookup("data_category", "") is None
    assert codelists.lookup("data_category", None) is None
    with pytest.raises(KeyError):
        codelists.lookup("no_such_list", "x")


def test_entry_and_label():
    assert codelists.label("data_category", "public") == "ข้อมูลสาธารณะ"
    assert codelists.label("data_category", "public", "en") == "Public data"
    assert codelists.entry("update_frequency_unit", "D").official is True
    assert codelists.entry("data_category", "public").official is False  # project-assigned
    with pytest.raises(KeyError):
        codelists.entry("data_category", "ข้อมูลสาธารณะ")  # a label is not a code


def test_no_alias_points_at_two_entries():
    for name in codelists.FIELDS:
        seen = {}
        for item in codelists.code_list(name).entries:
            for text in (item.code, item.th, item.en, *item.aliases):
                key = codelists.normalise_key(text)
                assert seen.setdefault(key, item.code) == item.code, (name, text)


def test_codes_are_unique_and_stable_text():
    for name in codelists.FIELDS:
        codes = [e.code for e in codelists.code_list(name).entries]
        assert len(codes) == len(set(codes)), name
        assert all(isinstance(c, str) and c == c.strip() for c in codes)


def test_every_choice_of_the_national_schema_is_covered():
    reference = json.load(open("indexer/reference/thai-gdc-2.2.4-fields.json", encoding="utf-8"))
    for name, spec in reference["dataset_fields"].items():
        if name in codelists.FIELDS:
            for choice in spec["choices"]:
                found = codelists.lookup(name, choice["value"])
                assert found is not None, (name, choice["value"])
                assert found.th == choice["value"]  # the stored value is the Thai label: round trip


def test_governance_levels():
    assert [codelists.level(c) for c in ("01", "02", "03", "04", "05")] == [1, 2, 3, 4, 5]
    assert codelists.allowed_classifications("public") == ("01",)
    assert codelists.allowed_classifications("personal") == ("02", "03", "04")
    assert codelists.max_level_for("public") == 1
    assert codelists.max_level_for("internal") == 2
    assert codelists.max_level_for("personal") == 4
    assert codelists.max_level_for("secret") == 5
    assert codelists.max_level_for("security") == 5
    assert codelists.visibility_of("public") == "open"
    assert codelists.visibility_of("personal") == "sensitive"


def test_the_open_rule_has_one_home():
    from indexer import mapping

    assert codelists.open_categories() == ("public",)
    entries = codelists.code_list("data_category").entries
    # The code list speaks the index's visibility values; ``hidden`` is never a category's, only a record's.
    assert {e.attrs["visibility"] for e in entries} == {mapping.OPEN, mapping.SENSITIVE}


def test_licence_openness():
    assert codelists.is_open_licence("cc-by") is True
    assert codelists.is_open_licence("other") is False
    assert codelists.is_open_licence("notspecified") is False


def test_as_dict_lists_every_field_with_both_labels():
    listing = codelists.as_dict()
    assert listing["schema_version"] == "2.2.4"
    assert set(listing["fields"]) == set(codelists.FIELDS)
    category = listing["fields"]["data_category"]
    assert category["label"] == {"th": "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ",
                                 "en": "Data governance category"}
    codes = [e["code"] for e in category["entries"]]
    assert codes == ["public", "internal", "personal", "secret", "security"]
    json.dumps(listing)


@pytest.mark.parametrize("name, code, names", [
    ("csv", "csv", ("CSV",)), ("Excel", "xls", ("EXCEL", "XLS", "XLSX")), ("XLSX", "xls", ("EXCEL", "XLS", "XLSX")),
    ("shp", "shapefile", ("SHAPEFILE", "SHP")), ("docx", "doc", ("DOC", "DOCX", "WORD")),
    ("arcinfo", "arcinfo", ("ARCINFO",))])
def test_a_file_format_is_named_by_its_code_label_or_alias(name, code, names):
    entry = codelists.file_format(name)
    assert entry.code == code and codelists.format_names(entry) == names


@pytest.mark.parametrize("name", ["word", "text", "image", "database", "unknown", "zip", "ภาพ", "", "a.b"])
def test_content_kinds_and_everyday_words_are_no_file_format(name):
    assert codelists.file_format(name) is None


@pytest.mark.parametrize("name, code", [
    ("CC-BY", "cc-by"), ("cc by", "cc-by"), ("cc by 4.0", "cc-by"), ("Creative Commons Attribution", "cc-by"),
    ("CC BY-NC-SA", "cc-by-nc-sa"), ("cc by nc sa", "cc-by-nc-sa"), ("Open Government License", "dga-ogl"),
    ("OGL", "dga-ogl"), ("odc by", "odc")])
def test_an_open_licence_is_named_by_any_of_its_forms(name, code):
    assert codelists.licence_named(name) == code


@pytest.mark.parametrize("name", ["other", "อื่นๆ", "ไม่ระบุ", "not specified", "license", "creative commons",
                                  "open", ""])
def test_no_licence_or_a_closed_one_is_named_by_no_licence(name):
    assert codelists.licence_named(name) is None
