"""Normalising fields: text, dates (ISO and Buddhist era), years, booleans, numbers, code lists."""
import datetime as dt

import pytest
from marshmallow import Schema, ValidationError

from indexer.schemas import fields as f
from indexer.schemas.problems import collecting


class Sample(Schema):
    text = f.Text(allow_none=True)
    email = f.Email(allow_none=True)
    day = f.Date(allow_none=True)
    year = f.Year(allow_none=True)
    flag = f.Flag(allow_none=True)
    number = f.Number(allow_none=True)
    unit = f.Code("update_frequency_unit")
    formats = f.Codes("data_format")


def load(**values):
    with collecting() as notes:
        data = Sample().load(values)
    return data, [(n.rule, n.field) for n in notes]


def test_text_strips_whitespace_zero_width_and_decodes_entities():
    assert load(text="  \u200bรายงาน&ndash;ปี&amp;สถิติ\ufeff ")[0]["text"] == "รายงาน–ปี&สถิติ"
    assert load(text="   ")[0]["text"] is None
    assert load(text=2563)[0]["text"] == "2563"


def test_text_refuses_structures():
    with pytest.raises(ValidationError) as exc:
        load(text={"a": 1})
    assert exc.value.messages["text"][0].finding.rule == "invalid"


@pytest.mark.parametrize("given,expected", [
    ("2020-05-01", "2020-05-01"),
    ("2563-05-01", "2020-05-01"),
    ("2563", "2020"),
    ("๒๕๖๓-๐๕", "2020-05"),
    ("12/04/2565", "2022-04-12"),
    ("2022-04-12T08:40:57.245233", "2022-04-12"),
    (dt.datetime(2563, 4, 12), "2020-04-12"),
    (dt.date(2021, 1, 2), "2021-01-02"),
    ("", None),
])
def test_dates(given, expected):
    data, notes = load(day=given)
    assert data["day"] == expected and notes == []


@pytest.mark.parametrize("given", ["31/02/2563", "เมื่อวาน", "2020-13-01"])
def test_bad_date_is_a_quality_note_and_blank(given):
    data, notes = load(day=given)
    assert data["day"] is None and notes == [("date_invalid", "day")]


def test_years():
    assert load(year="2563")[0]["year"] == 2020
    assert load(year="๒๕๖๓")[0]["year"] == 2020
    assert load(year=2019)[0]["year"] == 2019
    assert load(year="ปีที่แล้ว")[1] == [("year_invalid", "year")]


@pytest.mark.parametrize("given,expected", [
    ("True", True), ("False", False), ("1", True), ("0", False), (True, True), ("ใช่", True),
    ("ไม่ยินยอม", False), ("", None), (None, None),
])
def test_flags(given, expected):
    assert load(flag=given)[0]["flag"] is expected


def test_bad_flag_is_a_note():
    data, notes = load(flag="บางที")
    assert data["flag"] is None and notes == [("boolean_invalid", "flag")]


def test_numbers():
    assert load(number="๑,๒๐๐")[0]["number"] == 1200
    assert load(number="1.5")[0]["number"] == 1.5
    assert load(number="nan")[1] == [("number_invalid", "number")]


def test_email():
    assert load(email="a@b.go.th")[1] == []
    assert load(email="a@b")[1] == [("email_invalid", "email")]
    assert load(email="a b@c.go.th")[1] == [("email_invalid", "email")]


def test_code_accepts_label_and_alias_and_rejects_unknown():
    assert load(unit="รายเดือน")[0]["unit"] == "M"
    assert load(unit="M")[0]["unit"] == "M"
    with pytest.raises(ValidationError) as exc:
        load(unit="ทุกสองปี")
    finding = exc.value.messages["unit"][0].finding
    assert finding.rule == "code_unknown" and finding.severity == "error" and finding.value == "ทุกสองปี"
    assert "ทุกสองปี" in finding.message_th and "code list" in finding.message_en


@pytest.mark.parametrize("given", [["CSV", "XLS"], "CSV,XLS", '["CSV", "XLS"]', "{CSV,XLS}", "CSV; XLS; CSV"])
def test_codes_accept_every_list_spelling(given):
    assert load(formats=given)[0]["formats"] == ["csv", "xls"]


def test_codes_keep_a_label_containing_a_comma_whole():
    class Scale(Schema):
        scale = f.Code("equivalent_scale")
    assert Scale().load({"scale": "1:4,000"})["scale"] == "4000"


def test_codes_report_each_unknown_value():
    with pytest.raises(ValidationError) as exc:
        load(formats=["CSV", "Parquet", "Arrow"])
    assert [m.finding.value for m in exc.value.messages["formats"]] == ["Parquet", "Arrow"]
