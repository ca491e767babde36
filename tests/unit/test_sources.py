"""Readers: every CKAN JSON shape, JSON Lines, CSV encodings, the XLSX national template."""
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from indexer import sources
from indexer.sources import jsondocs
from indexer.pipeline import validate
from indexer.sources import read_sources

FIXTURES = Path(__file__).parents[1] / "fixtures"
METADATA = FIXTURES / "metadata"
COVID = FIXTURES / "ckan-package-search-covid-19-daily.json"
SAMPLE = Path(__file__).parents[2] / "data" / "datagoth-sample-836.jsonl"


def test_format_detection(tmp_path):
    assert sources.detect_format(str(COVID)) == "json"
    assert sources.detect_format(str(SAMPLE)) == "jsonl"
    assert sources.detect_format(str(METADATA / "cp874.csv")) == "csv"
    noext = tmp_path / "export"
    noext.write_text('{"id": "a"}\n{"id": "b"}\n')
    assert sources.detect_format(str(noext)) == "jsonl"
    noext.write_text('[{"id": "a"}]')
    assert sources.detect_format(str(noext)) == "json"


def test_package_search_answer():
    records = list(sources.read(str(COVID)))
    assert [(r.locator, r.data["name"]) for r in records] == [("item 1", "covid-19-daily")]


def test_package_show_answer_and_list_of_packages():
    show = list(sources.read(str(METADATA / "package-show.json")))
    assert [(r.locator, r.data["id"]) for r in show] == [("item 1", "show-1")]
    listed = list(sources.read(str(METADATA / "package-list.json")))
    assert [(r.locator, r.data and r.data["id"], bool(r.error)) for r in listed] == [
        ("item 1", "l1", False), ("item 2", None, True), ("item 3", "l2", False)]


def test_bare_package_and_search_result_without_envelope(tmp_path):
    bare = tmp_path / "one.json"
    bare.write_text(json.dumps({"id": "x1", "title": "t", "tags": []}))
    assert [r.data["id"] for r in sources.read(str(bare))] == ["x1"]
    result = tmp_path / "result.json"
    result.write_text(json.dumps({"count": 2, "results": [{"id": "a"}, {"id": "b"}], "facets": {}}))
    assert [r.data["id"] for r in sources.read(str(result))] == ["a", "b"]


def test_nothing_in_a_json_document_is_dropped(tmp_path):
    concatenated = tmp_path / "lines.json"
    concatenated.write_text('{"id": "a"}\n{"id": "b"}\n[{"id": "c"}]\n')
    assert [(r.locator, r.data["id"]) for r in sources.read(str(concatenated))] == [
        ("item 1", "a"), ("item 2", "b"), ("item 3", "c")]
    failed_answer = tmp_path / "error.json"
    failed_answer.write_text('{"success": false, "error": {"message": "Not found"}}')
    [record] = list(sources.read(str(failed_answer)))
    assert record.data == {"success": False, "error": {"message": "Not found"}}
    trailing = tmp_path / "trailing.json"
    trailing.write_text('[{"id": "a"}] garbage')
    assert [bool(r.error) for r in sources.read(str(trailing))] == [False, True]


def test_csv_row_numbers_follow_the_spreadsheet_when_a_cell_spans_lines(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('id,title,notes\na,ก,"บรรทัดหนึ่ง\nบรรทัดสอง"\n\nb,ข,x\n', encoding="utf-8")
    assert [(r.locator, r.data["id"]) for r in sources.read(str(path))] == [("row 2", "a"), ("row 4", "b")]


def test_json_stream_handles_values_split_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(jsondocs, "CHUNK", 7)
    path = tmp_path / "list.json"
    items = [{"id": f"p{i}", "title": "ชื่อ " * i, "n": 12345678901234567890 + i} for i in range(30)]
    path.write_text(json.dumps({"help": "h", "success": True, "result": {"count": 30, "results": items,
                                                                       "facets": {"a": [1, 2]}}},
                               ensure_ascii=False))
    assert [r.data for r in sources.read(str(path))] == items


def test_jsonl_line_numbers_count_blank_lines(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a"}\n\n{"id": "b"}\n')
    assert [(r.locator, r.data["id"]) for r in sources.read(str(path))] == [("line 1", "a"), ("line 3", "b")]


def test_jsonl_of_saved_api_answers_gives_their_packages(tmp_path):
    path = tmp_path / "answers.jsonl"
    search = {"help": "h", "success": True, "result": {"count": 2, "results": [{"id": "a"}, 7]}}
    show = {"success": True, "result": {"id": "b", "title": "ข"}}
    path.write_text(json.dumps(search) + "\n" + json.dumps(show) + "\n")
    records = list(sources.read(str(path)))
    assert [(r.locator, r.data and r.data["id"], bool(r.error)) for r in records] == [
        ("line 1 item 1", "a", False), ("line 1 item 2", None, True), ("line 2", "b", False)]


def test_datagoth_mirror_streams_all_836():
    records = list(sources.read(str(SAMPLE)))
    assert len(records) == 836 and records[-1].locator == "line 836" and all(r.data for r in records)


@pytest.mark.parametrize("name", ["cp874.csv", "utf8-bom.csv"])
def test_csv_encodings_give_the_same_records(name):
    records = list(sources.read(str(METADATA / name)))
    assert [r.locator for r in records] == ["row 2", "row 3", "row 4"]
    assert records[0].data["ชื่อชุดข้อมูล"] == "สถิติผู้ป่วย"
    assert records[1].data["owner_org"] == "กรมควบคุมโรค"


def test_encoding_detection():
    assert sources.detect_encoding("ภาษาไทย".encode("utf-8")) == "utf-8"
    assert sources.detect_encoding("ภาษาไทย".encode("cp874")) == "cp874"
    assert sources.detect_encoding("ภาษาไทย".encode("tis-620")) == "cp874"
    assert sources.detect_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert sources.detect_encoding("ภาษาไทย".encode("utf-16")) == "utf-16"
    # a UTF-8 file with one broken byte stays UTF-8, so only that row is rejected
    assert sources.detect_encoding("ภาษาไทยภาษาไทย".encode("utf-8") + b"\xa1") == "utf-8"


def test_csv_rows_validate_with_labels_thai_digits_and_buddhist_dates():
    outcomes = list(validate(read_sources([str(METADATA / "cp874.csv")])))
    first, second, third = outcomes
    assert first.accepted and first.record["id"] == "csv-1" and first.record["data_type"] == "3"
    assert first.record["update_frequency_interval"] == 1 and first.record["created_date"] == "2020-05-01"
    assert first.record["tags"] == ["สุขภาพ", "โรค"] and first.record["high_value_dataset"] is True
    assert first.record["resources"] == [{"name": None, "format": "CSV", "url": "https://x.go.th/a.csv"}]
    assert second.record["organization"]["title"] == "กรมควบคุมโรค"
    assert second.record["created_date"] == "2022-04-12"
    assert not third.accepted and third.errors[0].locator == "row 4"


def _row(sheet_name, **values):
    return [values.get(name) for name in sources.TEMPLATE_COLUMNS[sheet_name]]


def _template(path: Path) -> Path:
    """A workbook in the national bulk-import layout: header on row 4, guidance on row 5, data from row 6."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    record = book.create_sheet("Temp2_Meta_Record")
    record.append(["แม่แบบนำเข้าชุดข้อมูล"])
    record.append([])
    record.append([])
    record.append([f"หัวคอลัมน์ {i}" for i in range(len(sources.TEMPLATE_COLUMNS["Temp2_Meta_Record"]))])
    record.append(["(ตัวอย่าง) ชื่อภาษาอังกฤษ", "คำอธิบาย", "คำอธิบาย"])
    record.append(_row("Temp2_Meta_Record", name="hospital-beds", data_type="ข้อมูลระเบียน",
                       title="จำนวนเตียงโรงพยาบาล",
                       owner_org="กรมควบคุมโรค", maintainer="กลุ่มข้อมูล", maintainer_email="a@ddc.go.th",
                       tag_string="เตียง,โรงพยาบาล", notes="จำนวนเตียง", objective="พันธกิจหน่วยงาน",
                       update_frequency_unit="ปี", update_frequency_interval=1, geo_coverage="ประเทศ",
                       data_source="กรมควบคุมโรค", data_format="XLS", data_category="ข้อมูลสาธารณะ",
                       data_classification="เปิดเผย", license_id="Open Data Common",
                       created_date="2563-01-05",
                       high_value_dataset="ใช่"))
    record.append([None] * 5)
    record.append(_row("Temp2_Meta_Record", name="clinic-list", data_type="ข้อมูลระเบียน",
                       title="รายชื่อคลินิก",
                       owner_org="กรมควบคุมโรค", update_frequency_unit="เดือน", update_frequency_interval="๑",
                       geo_coverage="จังหวัด", data_format="CSV", data_category="ข้อมูลเปิด",
                       license_id="Open Data Common"))
    stat = book.create_sheet("Temp2_Meta_Stat")
    for _ in range(3):
        stat.append([])
    stat.append([f"หัวคอลัมน์ {i}" for i in range(len(sources.TEMPLATE_COLUMNS["Temp2_Meta_Stat"]))])
    stat.append(["คำอธิบาย"])
    stat.append(_row("Temp2_Meta_Stat", name="births", title="จำนวนการเกิด", owner_org="กรมควบคุมโรค",
                     data_category="ข้อมูลสาธารณะ", first_year_of_data="2553",
                     last_updated_date=dt.datetime(2566, 3, 1), official_statistics="ไม่ใช่"))
    gis = book.create_sheet("Temp2_Meta_GIS")
    for _ in range(3):
        gis.append([])
    gis.append(["ชื่อ URL", "ชื่อชุดข้อมูล", "องค์กร", "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ",
                "Equivalent scale (Geoinformatics data)"])
    gis.append(["คำอธิบาย"])
    gis.append(["roads", "เส้นทางถนน", "กรมทางหลวง", "ข้อมูลสาธารณะ", "1:50,000"])
    resources = book.create_sheet("Temp3_Resource_Record")
    for _ in range(5):
        resources.append([])
    resources.append(["hospital-beds", "ตารางเตียง", "https://x.go.th/beds.xlsx", "", "", "", "XLSX"])
    book.save(path)
    return path


def test_xlsx_national_template(tmp_path):
    path = _template(tmp_path / "template.xlsx")
    raw = list(sources.read(str(path)))
    assert [r.locator for r in raw] == ["sheet Temp2_Meta_Record row 6", "sheet Temp2_Meta_Record row 8",
                                        "sheet Temp2_Meta_Stat row 6", "sheet Temp2_Meta_GIS row 6"]
    outcomes = list(validate(raw))
    beds, clinics, births, roads = outcomes
    assert beds.accepted, [str(f) for f in beds.errors]
    assert beds.record["id"] == "hospital-beds" and beds.record["data_format"] == ["xls"]
    assert beds.record["resources"] == [
        {"name": "ตารางเตียง", "format": "XLSX", "url": "https://x.go.th/beds.xlsx"}]
    assert beds.record["quality"]["score"] == 100
    assert not clinics.accepted and clinics.errors[0].rule == "code_unknown"
    assert clinics.errors[0].locator == "sheet Temp2_Meta_Record row 8"
    assert births.accepted and births.record["data_type"] == "3"
    assert births.record["statistics"] == {"first_year_of_data": 2010}
    assert births.record["last_updated_date"] == "2023-03-01"
    assert births.record["official_statistics"] is False
    assert beds.record["created_date"] == "2020-01-05" and beds.record["high_value_dataset"] is True
    assert roads.accepted and roads.record["data_type"] == "2" and roads.record["name"] == "roads"
    assert roads.record["geospatial"] == {"equivalent_scale": "50000"}


def test_template_layout_follows_the_header_width():
    record = sources.TEMPLATE_COLUMNS["Temp2_Meta_Record"]
    assert sources.template_layout("Temp2_Meta_Record", ("h",) * len(record) + (None, "")) == record
    older = sources.template_layout("Temp2_Meta_Record", ("h",) * (len(record) - 1))
    assert older is not None and "data_classification" not in older and older[15] == "license_id"
    assert sources.template_layout("Temp2_Meta_Record", ("h",) * 5) is None
    assert sources.template_layout("Sheet1", ("h",) * len(record)) is None


def test_plain_workbook_header_on_row_one(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "title", "owner_org", "data_category"])
    sheet.append(["p1", "ชุดหนึ่ง", "ddc", "public"])
    book.save(tmp_path / "plain.xlsx")
    raw = list(sources.read(str(tmp_path / "plain.xlsx")))
    assert [(r.locator, r.data["id"]) for r in raw] == [("sheet Sheet row 2", "p1")]


def test_unreadable_sources_are_fatal(tmp_path):
    with pytest.raises(sources.SourceError) as exc:
        list(sources.read(str(tmp_path / "missing.jsonl")))
    assert "เปิดไฟล์ไม่ได้" in str(exc.value) and "cannot open" in str(exc.value)
    with pytest.raises(sources.SourceError):
        list(sources.read(str(tmp_path)))
    with pytest.raises(sources.SourceError) as exc:
        list(sources.read(str(METADATA / "not-a-workbook.xlsx")))
    assert "XLSX" in str(exc.value)
    with pytest.raises(sources.SourceError):
        list(sources.read(str(COVID), fmt="parquet"))
