"""Pages without Elasticsearch: a fake client records the requests and answers canned results."""
from __future__ import annotations

import re
from datetime import date

import pytest
from elasticsearch import ConnectionError as ESConnectionError

from indexer.settings import Settings
from portal import create_app
from portal.i18n import format_date, format_month
from portal.views.dataset import freshness

RECORD = {
    "id": "rain-1", "name": "rain", "title": "ปริมาณน้ำฝน <รายวัน>", "title_en": "Daily rainfall",
    "notes": "ข้อมูลปริมาณน้ำฝนรายวันจากสถานีตรวจวัด", "tags": ["น้ำฝน"],
    "organization": {"name": "tmd", "title": "กรมอุตุนิยมวิทยา",
                     "title_en": "Thai Meteorological Department"},
    "resources": [{"name": "csv", "format": "csv", "url": "https://example.go.th/rain.csv"}],
    "data_category": "public", "update_frequency_unit": "D", "update_frequency_interval": 1,
    "geo_coverage": "country", "license_id": "cc-by", "metadata_modified": "2021-10-31T08:00:00",
    "quality": {"score": 88, "findings": []},
}
SOURCE = {"id": "rain-1", "name": "rain", "visibility": "open", "data_category": "public",
          "organization": "tmd", "quality_score": 88, "record": RECORD}


class FakeES:
    def __init__(self, hits=(), fail=False):
        self.hits = list(hits)
        self.fail = fail
        self.calls = []

    def search(self, **kw):
        if self.fail:
            raise ESConnectionError("down")
        self.calls.append(kw)
        aggs = {name: self._agg(spec) for name, spec in (kw.get("aggs") or {}).items()}
        hits = [{"_source": h, "_score": 1.0} for h in self.hits]
        return {"took": 2, "hits": {"total": {"value": len(hits)}, "hits": hits}, "aggregations": aggs}

    def _agg(self, spec: dict) -> dict:
        """Every bucket is the one organization / value the canned hits have."""
        inner = {name: self._agg(sub) for name, sub in spec.get("aggs", {}).items()}
        if "filter" in spec:
            return {"doc_count": len(self.hits), **inner}
        if "top_hits" in spec:
            return {"hits": {"hits": [{"_source": {"record": {"organization": RECORD["organization"]}}}]}}
        if "value_count" in spec:
            return {"value": len(self.hits)}
        if "percentiles" in spec:  # dates spread over a year: they say how recent records are
            return {"values": {"10.0": 1_600_000_000_000, "90.0": 1_631_536_000_000}}
        if "filters" in spec:
            return {"buckets": {name: {"doc_count": 0} for name in spec["filters"]["filters"]}}
        if not self.hits:
            return {"buckets": []}
        key = "tmd" if spec["terms"]["field"] == "organization" else "CSV"
        return {"buckets": [{"key": key, "doc_count": len(self.hits), **inner}]}

    def count(self, **kw):
        self.calls.append(kw)
        return {"count": 3}


@pytest.fixture
def make(tmp_path):
    def build(es):
        return create_app({
            "TESTING": True, "SECRET_KEY": "test", "GDC_INDEX": "test_views", "GDC_ES_CLIENT": es,
            "GDC_SETTINGS": Settings(var_dir=tmp_path), "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"),
            "GDC_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        }).test_client()
    return build


def test_search_page_shows_results_with_escaped_highlights_and_keeps_the_query(make):
    client = make(FakeES([SOURCE]))
    html = client.get("/search?q=รายวัน").get_data(as_text=True)
    assert '<html lang="th">' in html
    assert 'value="รายวัน"' in html
    assert "&lt;<mark>รายวัน</mark>&gt;" in html and "<รายวัน>" not in html
    assert "31 ต.ค. 2564" in html  # Buddhist-era date in Thai
    assert "88/100" in html


def test_facets_are_links_and_selected_values_become_removable_chips(make):
    client = make(FakeES([SOURCE]))
    html = client.get("/search?q=ฝน&organization=tmd&res_format=CSV").get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="([^"]+)"', html)
    assert len(chips) == 2
    assert all("q=%E0%B8%9D%E0%B8%99" in href for href in chips)
    assert any("organization" not in href and "res_format=CSV" in href for href in chips)
    assert 'class="chip-clear" href="/search?q=' in html
    assert 'aria-current="true" data-facet="organization" data-value="tmd"' in html


def test_english_pages_use_the_catalogue_and_gregorian_dates(make):
    client = make(FakeES([SOURCE]))
    client.set_cookie("gdc_lang", "en")
    html = client.get("/search?q=rain").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "1 dataset found" in html and "1 datasets" not in html and "31 Oct 2021" in html
    assert "Thai Meteorological Department" in html


def test_language_switch_sets_a_cookie_and_returns_to_the_same_page(make):
    client = make(FakeES())
    response = client.get("/lang/en?next=/search%3Fq%3Dx")
    assert response.status_code == 303 and response.headers["Location"] == "/search?q=x"
    assert "gdc_lang=en" in response.headers["Set-Cookie"]
    assert client.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/lang/xx").status_code == 404
    page = client.get("/search")
    assert page.headers["Content-Language"] == "en" and "Cookie" in page.headers["Vary"]


def test_deep_paging_is_a_400_page_that_explains(make):
    es = FakeES()
    response = make(es).get("/search?page=9999")
    assert response.status_code == 400
    assert "10,000" in response.get_data(as_text=True)
    assert es.calls == []


def test_missing_dataset_is_a_friendly_404(make):
    response = make(FakeES()).get("/dataset/nothing-here")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.get_data(as_text=True)


def test_elasticsearch_down_is_a_503_page_in_both_languages(make):
    client = make(FakeES(fail=True))
    response = client.get("/search?q=x")
    assert response.status_code == 503
    assert "ระบบค้นหาไม่พร้อมให้บริการชั่วคราว" in response.get_data(as_text=True)
    client.set_cookie("gdc_lang", "en")
    assert "Search is temporarily unavailable" in client.get("/").get_data(as_text=True)


def test_dataset_page_groups_fields_and_carries_schema_org(make):
    html = make(FakeES([SOURCE])).get("/dataset/rain").get_data(as_text=True)
    assert 'application/ld+json' in html and '"@type": "Dataset"' in html
    # Grouped by what a reader needs first: what, who, how often, where, how to get it.
    for heading in ("ข้อมูลนี้คืออะไร", "ใครดูแล", "ปรับปรุงบ่อยแค่ไหน", "ครอบคลุมพื้นที่ใด",
                    "รับข้อมูลได้อย่างไร", "ธรรมาภิบาลข้อมูล"):
        assert f">{heading}</h2>" in html
    assert "https://example.go.th/rain.csv" in html
    assert "เลยกำหนดปรับปรุง" in html  # daily data last touched in 2021


def test_rdf_clients_are_sent_to_the_dcat_representation(make):
    response = make(FakeES([SOURCE])).get("/dataset/rain", headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/dataset/rain.ttl")


def test_no_results_offers_did_you_mean_and_removable_filters(make):
    client = make(FakeES())
    html = client.get("/search?q=zzz&organization=tmd").get_data(as_text=True)
    assert "ไม่พบชุดข้อมูลที่ตรงกัน" in html
    assert "ค้นหาโดยไม่ใช้คำ" in html  # count() answered 3 without the words


def test_autocomplete_endpoint_returns_links(make):
    data = make(FakeES([SOURCE])).get("/search/suggest?q=น้ำ").get_json()
    kinds = {s["kind"]: s for s in data["suggestions"]}
    assert kinds["dataset"]["url"] == "/dataset/rain"
    assert kinds["organization"]["url"] == "/organization/tmd"


def test_home_and_organization_pages_render(make):
    client = make(FakeES([SOURCE]))
    assert client.get("/").status_code == 200
    assert client.get("/organization").status_code == 200
    html = client.get("/organization/tmd").get_data(as_text=True)
    assert "กรมอุตุนิยมวิทยา" in html


def test_pages_have_landmarks_and_a_skip_link(make):
    html = make(FakeES([SOURCE])).get("/search").get_data(as_text=True)
    assert 'href="#main"' in html and '<main id="main"' in html and "<nav" in html and "<header" in html


def test_dates_and_freshness():
    assert format_date("2021-10-31", "th") == "31 ต.ค. 2564"
    assert format_date("2021-10-31T10:00:00", "en") == "31 Oct 2021"
    assert format_date(None, "th") == ""
    fresh = freshness({"update_frequency_unit": "M", "update_frequency_interval": 1,
                       "last_updated_date": "2025-01-01"}, today=date(2025, 1, 20))
    assert fresh["due"] == date(2025, 2, 1) and not fresh["overdue"]
    assert freshness({"update_frequency_unit": "M", "last_updated_date": "2025-01-01"},
                     today=date(2025, 3, 1))["overdue"]
    assert not freshness({"update_frequency_unit": "O", "last_updated_date": "2000-01-01"})["overdue"]


def test_missing_alias_is_a_503_too(make):
    from elastic_transport import ApiResponseMeta, HttpHeaders
    from elasticsearch import NotFoundError

    class MissingIndex(FakeES):
        def search(self, **kw):
            meta = ApiResponseMeta(status=404, http_version="1.1", headers=HttpHeaders(), duration=0.0,
                                   node=None)
            raise NotFoundError("index_not_found_exception", meta, {"error": "no such index"})

    response = make(MissingIndex()).get("/search?q=x")
    assert response.status_code == 503 and "Traceback" not in response.get_data(as_text=True)


def test_name_tier_dataset_page_shows_the_name_and_how_to_ask_for_access(make):
    from flask import g

    from portal.auth.principal import Grant, Principal

    record = {"id": "s1", "name": "s1", "title": "ทะเบียนภายใน", "notes": "รายละเอียดลับ", "tags": ["ลับ"],
              "organization": {"name": "tmd", "title": "กรมอุตุนิยมวิทยา"}, "data_category": "internal",
              "data_classification": "02", "update_frequency_unit": "M", "access_request": "ติดต่อ กอง ก.",
              "resources": [{"name": "x", "url": "https://example.go.th/secret.csv"}]}
    source = {"id": "s1", "name": "s1", "visibility": "sensitive", "data_category": "internal",
              "classification_level": 2, "organization": "tmd", "record": record}
    client = make(FakeES([source]))
    analyst = Principal(kind="analyst", username="a", grants=(Grant(frozenset({"internal"}), 2),))
    client.application.before_request(lambda: setattr(g, "principal", analyst))
    html = client.get("/dataset/s1").get_data(as_text=True)
    assert "ทะเบียนภายใน" in html and "ติดต่อ กอง ก." in html and "การขอเข้าถึงข้อมูล" in html
    for hidden in ("รายละเอียดลับ", "secret.csv", "application/ld+json", ">ลับ<"):
        assert hidden not in html


def test_the_english_catalogue_translates_every_message():
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.mofile import read_mo

    root = Path(__file__).resolve().parents[2]
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    method_map = [("portal/**.py", "python"), ("templates/**.html", "jinja2")]
    # ngettext messages are (singular, plural): keyed by the singular, every plural form translated.
    found = {message if isinstance(message, str) else message[0]
             for _, _, message, _, _ in extract_from_dir(str(root), method_map, keywords=keywords)}
    with open(root / "translations" / "en" / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        catalogue = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_mo(mo) if m.id}

    def translated(message: str) -> bool:
        text = catalogue.get(message)
        return bool(text) and (isinstance(text, str) or all(text))

    assert sorted(m for m in found if not translated(m)) == []


def test_statistics_block_uses_the_standards_labels_and_code_lists(make):
    record = dict(RECORD, data_type="3", statistics={"unit_of_multiplier": "3", "disaggregate": ["sex", "age"],
                                                     "unit_of_measure": "คน"})
    client = make(FakeES([dict(SOURCE, record=record)]))
    client.set_cookie("gdc_lang", "en")
    html = client.get("/dataset/rain").get_data(as_text=True)
    assert "Unit of multiplier (Statistical data)" in html and "Thousands" in html
    assert "Sex, Age / age group" in html and "คน" in html


THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_in_thai_with_the_buddhist_era_and_in_english(month):
    assert format_date(f"2024-{month:02d}-09", "th") == f"9 {THAI_MONTHS[month - 1]} 2567"
    assert format_date(f"2024-{month:02d}-09", "en") == f"9 {ENGLISH_MONTHS[month - 1]} 2024"
    assert format_month(f"2025-{month:02d}", "th") == f"{THAI_MONTHS[month - 1]} 2568"
    assert format_month(f"2025-{month:02d}", "en") == f"{ENGLISH_MONTHS[month - 1]} 2025"


def test_the_date_spread_of_the_modified_sort_is_shared_by_visitors_for_a_while(make):
    es = FakeES([SOURCE])
    client = make(es)
    for _ in range(3):
        assert client.get("/search?q=ฝน&sort=modified").status_code == 200
    spreads = [c for c in es.calls if "spread" in (c.get("aggs") or {})]
    assert len(spreads) == 1  # the same for every anonymous visitor: computed once per GDC_CACHE_SECONDS
