"""One small corpus for the API tests: open records beside sensitive and hidden canaries.

Canary words appear only in records an anonymous visitor must never learn about; a test that finds
one in any answer has found a leak. ``somchai`` holds a name-tier grant covering ``SENSITIVE``.
"""
from __future__ import annotations

import uuid

import pytest

from portal import create_app
from tests.support import dataset, load_records

CANARIES = ("คานารีลับ", "canarytitle", "canarytag", "canarynote", "canary-hidden", "canaryorg")
OPEN_IDS: list[str] = []


def _open(i: int, **fields) -> dict:
    base = dict(update_frequency_unit="D", geo_coverage="04", data_type="1",
                metadata_modified=f"2025-01-{i % 28 + 1:02d}T00:00:00",
                metadata_created=f"2024-01-{i % 28 + 1:02d}T00:00:00")
    return dataset(**(base | fields))


def corpus() -> list[dict]:
    records = [
        _open(1, id="covid-daily", title="รายงานโควิด 19 ประจำวัน", tags=["COVID-19", "โควิด"],
              organization={"name": "ddc", "title": "กรมควบคุมโรค",
                            "title_en": "Department of Disease Control"},
              resources=[{"name": "รายวัน", "format": "CSV", "url": "https://ddc.go.th/covid.csv"},
                         {"name": "สรุป", "format": "XLSX", "url": "https://ddc.go.th/covid.xlsx"}],
              maintainer="กองระบาด", maintainer_email="epi@ddc.mail.go.th", license_id="cc-by",
              metadata_modified="2025-06-30T00:00:00"),
        _open(2, id="rain-daily", title="ปริมาณน้ำฝนรายวัน", tags=["ฝน"], license_id="odc",
              organization={"name": "tmd", "title": "กรมอุตุนิยมวิทยา"},
              groups=[{"name": "environment", "title": "สิ่งแวดล้อม"}],
              resources=[{"name": "rain", "format": "CSV", "url": "https://tmd.go.th/rain.csv"}]),
        _open(3, id="school-locations", title="ที่ตั้งโรงเรียน", tags=["โรงเรียน"], update_frequency_unit="A",
              geo_coverage="06", organization={"name": "bma", "title": "กรุงเทพมหานคร"},
              resources=[{"name": "json", "format": "JSON", "url": "https://bma.go.th/schools.json"}]),
    ]
    for i in range(4, 26):
        records.append(_open(i, id=f"budget-{i:02d}", title=f"งบประมาณรายจ่าย ปี {2540 + i}",
                             tags=["งบประมาณ"], organization={"name": "mof", "title": "กระทรวงการคลัง"}))
    OPEN_IDS[:] = [r["id"] for r in records]
    records += [
        dataset("canary-sensitive", title="ผู้ป่วย คานารีลับ canarytitle", notes="canarynote รายละเอียดลับ",
                tags=["canarytag"], data_category="personal", data_classification="03", allow_harvest=True,
                license_id="other", organization={"name": "canaryorg", "title": "หน่วยงาน canaryorg"},
                update_frequency_unit="M", geo_coverage="04"),
        dataset("canary-hidden", title="canary-hidden ความมั่นคง", notes="canarynote", tags=["canarytag"],
                data_category="security", data_classification="05", allow_harvest=False, license_id="other",
                organization={"name": "canaryorg", "title": "หน่วยงาน canaryorg"}),
        dataset("canary-private", title="canary-hidden ส่วนตัว", private=True, tags=["canarytag"],
                organization={"name": "canaryorg", "title": "หน่วยงาน canaryorg"}),
    ]
    return records


@pytest.fixture(scope="module")
def corpus_alias(es):
    alias = f"test_api_{uuid.uuid4().hex[:10]}"
    load_records(es, alias, corpus())
    yield alias
    for index in es.indices.get_alias(name=alias):
        es.options(ignore_status=404).indices.delete(index=index)


@pytest.fixture(scope="module")
def app(corpus_alias, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    app = create_app({"TESTING": True, "GDC_INDEX": corpus_alias, "SECRET_KEY": "test",
                      "GDC_AUTH_DB": str(tmp / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp / "audit.jsonl"),
                      "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
    store = app.extensions["gdc_auth"]["store"]
    store.add_account("somchai", "analyst", "a long test password 1")
    store.add_grant("somchai", {"personal"}, 3, {"canaryorg"})
    return app


@pytest.fixture(scope="module")
def token(app) -> str:
    secret, _ = app.extensions["gdc_auth"]["store"].create_token("somchai")
    return secret


@pytest.fixture
def client(app):
    return app.test_client()


def assert_no_canary(text: str) -> None:
    for word in CANARIES:
        assert word not in text, f"canary {word!r} leaked"
