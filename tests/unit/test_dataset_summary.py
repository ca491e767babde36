"""The dataset page's summary: missing items in one line, findings in words, resources as rows."""
from flask import Flask

from portal import i18n
from portal.views import dataset_summary as summary
from tests.support import dataset

# A data.go.th sample record as the indexer stores it: most mandatory items absent.
SPARSE = dataset("pier", data_type=None, maintainer=None, maintainer_email=None, objective=[],
                 update_frequency_unit=None, update_frequency_interval=None, geo_coverage=None,
                 data_source=None, data_format=[], license_id="cc-by")
FINDINGS = [
    {"rule": "mandatory_missing", "field": "data_type", "value": None,
     "message_th": "ไม่ได้ระบุ data_type ซึ่งเป็นรายการบังคับของมาตรฐาน",
     "message_en": "data_type, mandatory in the standard, is missing"},
    {"rule": "resource_url_missing", "field": "resources[1].url", "value": None,
     "message_th": "ทรัพยากร resources[1].url ไม่มี URL",
     "message_en": "resource resources[1].url has no URL"},
    {"rule": "too_long", "field": "title", "value": "x",
     "message_th": "title ยาว 300 ตัวอักษร เกินที่มาตรฐานกำหนด 255",
     "message_en": "title has 300 characters, over the standard's limit of 255"},
]


def _app() -> Flask:
    app = Flask(__name__)
    i18n.init_app(app)
    return app


def test_missing_items_are_counted_and_named_in_the_pages_language():
    with _app().test_request_context(headers={"Cookie": "gdc_lang=en"}):
        missing, total = summary.missing_items(SPARSE, "en")
    assert total == 14
    assert missing == ["Data type", "Maintainer", "Contact e-mail", "Objective", "Update frequency",
                       "Geographic coverage", "Source", "Data format"]
    with _app().test_request_context():
        missing_th, _ = summary.missing_items(SPARSE, "th")
    assert missing_th[0] == "ประเภทข้อมูล" and len(missing_th) == 8
    with _app().test_request_context():
        assert summary.missing_items(dataset("full", maintainer="ก", maintainer_email="a@b.go.th",
                                             objective=["ebook"], data_source="ก"), "th")[0] == []


def test_findings_are_words_without_raw_field_names():
    with _app().test_request_context(headers={"Cookie": "gdc_lang=en"}):
        words = summary.findings_in_words(FINDINGS, "en")
    assert words == ["Resource “Resources 2 (URL)” has no URL",
                     "“Dataset title” has 300 characters, over the standard's limit of 255"]
    with _app().test_request_context():
        thai = summary.findings_in_words(FINDINGS, "th")
    assert thai[1] == "“ชื่อชุดข้อมูล” ยาว 300 ตัวอักษร เกินที่มาตรฐานกำหนด 255"
    assert not any("data_type" in w or "resources[" in w for w in words + thai)


def test_resources_become_rows_with_format_size_date_and_action():
    record = dataset("r", resources=[
        {"name": "ไฟล์", "format": "csv", "url": "https://example.go.th/a.csv",
         "extras": {"size": 2_500_000, "last_modified": "2024-05-01T10:00:00"}},
        {"name": "หน้าเว็บ", "format": "HTML", "url": "https://example.go.th/page"},
        {"name": "ไม่มีลิงก์", "format": None, "url": None},
    ])
    rows = summary.resource_rows(record)
    assert [(r["format"], r["size"], r["download"]) for r in rows] == [
        ("CSV", "2.4 MB", True), ("HTML", "", False), ("", "", False)]
    assert rows[0]["date"].isoformat() == "2024-05-01" and rows[1]["date"] is None


def test_extras_that_repeat_the_page_are_not_shown():
    record = dataset("e", extras={"formats": ["ZIP"], "resources": 5, "url": "https://x",
                                  "spatial_note": "กทม."})
    with _app().test_request_context():
        assert summary.extra_rows(record, "th") == [("spatial note", "กทม.")]
