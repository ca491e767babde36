"""Every figure of the governance views equals an independent ``count`` on the same node.

The corpus: open records of three agencies placed in ``indexer/agencies.json`` (two under กระทรวงคมนาคม)
and one that is not, with declared frequencies that are overdue or on time, missing mandatory items,
a duplicated title, different months; plus sensitive records that only grant holders may count.
The independent queries below are written out by hand (field names and values), not built by
``portal.search.insights``.
"""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from portal import create_app
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search import insights
from tests.support import dataset, loaded_alias

pytestmark = pytest.mark.integration

ORGS = {
    "dlt": {"name": "org-dlt", "title": "กรมการขนส่งทางบก"},
    "doh": {"name": "org-doh", "title": "กรมทางหลวง"},
    "bma": {"name": "org-bma", "title": "กรุงเทพมหานคร"},
    "loose": {"name": "org-loose", "title": "สำนักงานที่ยังไม่มีในรายชื่อ"},
}
TODAY = date.today()
LONG_AGO = (TODAY - timedelta(days=800)).isoformat()
RECENT = (TODAY - timedelta(days=3)).isoformat()
FINDING = {"rule": "mandatory_missing", "field": "maintainer", "value": None,
           "message_th": "ไม่ได้ระบุ maintainer ซึ่งเป็นรายการบังคับของมาตรฐาน",
           "message_en": "maintainer, mandatory in the standard, is missing"}
DUPLICATE = {"rule": "duplicate_title", "field": "title", "value": "ชื่อซ้ำ", "message_th": "ชื่อซ้ำ",
             "message_en": "duplicate"}


def _record(n: int, org: str, **fields) -> dict:
    complete = n % 3 != 0
    base = dict(organization=ORGS[org], update_frequency_unit=["M", "A", "D", "O"][n % 4],
                last_updated_date=LONG_AGO if n % 2 else RECENT, data_type=["1", "3"][n % 2],
                metadata_created=f"2025-{1 + n % 6:02d}-15T10:00:00",
                metadata_modified=f"2025-{1 + n % 5:02d}-20T10:00:00",
                resources=[{"name": "f", "format": ["csv", "json", "xlsx"][n % 3], "url": "https://x.go.th/f"}],
                maintainer="ฝ่ายข้อมูล" if complete else None,
                maintainer_email="data@example.go.th" if complete else None,
                objective=["master_plan"], data_source="แหล่ง", title=f"ชุดข้อมูลทดสอบ {n}",
                quality={"score": 90, "findings": [] if complete else [FINDING]})
    base.update(fields)
    return dataset(f"rec-{n:02d}", **base)


OPEN = [_record(n, org) for n, org in enumerate(["dlt"] * 7 + ["doh"] * 5 + ["bma"] * 4 + ["loose"] * 3)]
OPEN += [_record(30, "bma", title="ชื่อซ้ำ", quality={"score": 90, "findings": [DUPLICATE]}),
         _record(31, "bma", title="ชื่อซ้ำ", quality={"score": 90, "findings": [DUPLICATE]})]
SENSITIVE = [_record(40 + n, "dlt", data_category="personal", data_classification="03", allow_harvest=True,
                     title=f"ทะเบียนลับ {n}") for n in range(4)]
ANALYST = Principal("analyst", "ana", (Grant(frozenset({"personal"}), 3, None, True),))
NAME_ONLY = Principal("analyst", "nam", (Grant(frozenset({"personal"}), 3, None, False),))


@pytest.fixture(scope="module")
def alias(es):
    with loaded_alias(es, OPEN + SENSITIVE) as name:
        yield name


OPEN_ONLY = [{"term": {"visibility": "open"}}, {"term": {"data_category": "public"}}]


def count(es, alias, *clauses) -> int:
    return es.count(index=alias, query={"bool": {"filter": list(clauses)}})["count"]


def test_public_figures_equal_independent_counts(es, alias):
    figures = insights.public_insights(es, alias)
    assert figures.total == count(es, alias, *OPEN_ONLY) == len(OPEN)
    for org in figures.organizations:
        assert org["count"] == count(es, alias, *OPEN_ONLY, {"term": {"organization": org["slug"]}})
    assert {o["slug"] for o in figures.organizations} == {o["name"] for o in ORGS.values()}
    for name, fld in (("data_category", "data_category"), ("data_type", "data_type"),
                      ("res_format", "res_format"), ("update_frequency_unit", "update_frequency_unit")):
        assert figures.dimensions[name], name
        for value, n in figures.dimensions[name]:
            assert n == count(es, alias, *OPEN_ONLY, {"term": {fld: value}}), (name, value)
    assert figures.schedule["overdue"] == count(es, alias, *OPEN_ONLY, {"range": {"update_due": {"lt": "now"}}})
    assert figures.schedule["on_time"] == count(es, alias, *OPEN_ONLY, {"range": {"update_due": {"gte": "now"}}})
    assert figures.schedule["overdue"] > 0 and figures.schedule["on_time"] > 0
    for kind, fld in (("created", "metadata_created"), ("modified", "metadata_modified")):
        assert sum(n for _, n in figures.months[kind]) == len(OPEN)
        for month, n in figures.months[kind]:
            y, m = (int(x) for x in month.split("-"))
            end = f"{y + m // 12}-{m % 12 + 1:02d}-01"
            assert n == count(es, alias, *OPEN_ONLY, {"range": {fld: {
                "gte": f"{month}-01T00:00:00+07:00", "lt": f"{end}T00:00:00+07:00"}}}), (kind, month)


def test_overdue_follows_the_declared_frequency(es, alias):
    # Last updated 800 or 3 days ago, against a month, a year or a day; "not updated after collection"
    # (O) has no schedule and is never overdue.
    period = {"M": 31, "A": 366, "D": 1}
    age = {LONG_AGO: 800, RECENT: 3}
    expected = sum(1 for r in OPEN if r["update_frequency_unit"] in period
                   and age[r["last_updated_date"]] > period[r["update_frequency_unit"]])
    assert count(es, alias, *OPEN_ONLY, {"range": {"update_due": {"lt": "now"}}}) == expected


@pytest.mark.parametrize("who, seen", [(ANALYST, len(OPEN) + len(SENSITIVE)), (NAME_ONLY, len(OPEN)),
                                       (ANONYMOUS, len(OPEN))])
def test_quality_figures_equal_independent_counts(es, alias, who, seen):
    figures = insights.quality(es, alias, who)
    scope = ({"bool": {"should": [{"bool": {"filter": OPEN_ONLY}}, {"bool": {"filter": [
        {"term": {"visibility": "sensitive"}}, {"terms": {"data_category": ["personal"]}},
        {"range": {"classification_level": {"lte": 3}}}]}}], "minimum_should_match": 1}}
        if who is ANALYST else {"bool": {"filter": OPEN_ONLY}})
    assert figures.total == count(es, alias, scope) == seen
    for org in figures.organizations:
        by_org = {"term": {"organization": org.slug}}
        assert org.count == count(es, alias, scope, by_org)
        for item, missing in org.gaps.items():
            assert missing == count(es, alias, scope, by_org, {"term": {"quality_gaps": item}}), item
        assert org.overdue == count(es, alias, scope, by_org, {"range": {"update_due": {"lt": "now"}}})
        assert org.duplicates == count(es, alias, scope, by_org, {"term": {"quality_findings": "duplicate_title:title"}})
    for key, n in figures.findings:
        assert n == count(es, alias, scope, {"term": {"quality_findings": key}})
    assert dict(figures.gaps)["maintainer"] == sum(1 for r in (OPEN + SENSITIVE)[:seen] if not r["maintainer"])
    assert [d["count"] for d in figures.duplicate_titles] == [2]


@pytest.fixture(scope="module")
def web(alias, tmp_path_factory):
    var = tmp_path_factory.mktemp("insights")
    app = create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "t",
                      "GDC_AUTH_DB": str(var / "auth.sqlite3"), "GDC_AUDIT_LOG": str(var / "audit.jsonl"),
                      "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
    from portal.auth.store import AccountStore

    store = AccountStore(var / "auth.sqlite3")
    store.add_account("ana", "analyst", "password for ana")
    store.add_grant("ana", {"personal"}, 3, None, True)
    token = store.create_token("ana")[0]
    return app, token


def test_directory_counts_equal_independent_counts(es, alias, web):
    app, _ = web
    body = app.test_client().get("/api/v1/insights/directory").get_json()
    transport = next(a for a in body["agencies"] if a["id"] == "mot")
    assert transport["count"] == count(es, alias, *OPEN_ONLY, {"terms": {"organization": ["org-dlt", "org-doh"]}})
    assert [c["id"] for c in transport["children"]] == ["dlt", "doh"]
    assert [o["slug"] for o in body["not_yet_placed"]] == ["org-loose"]
    assert body["total"] == len(OPEN)
    page = app.test_client().get("/organizations?q=%E0%B8%84%E0%B8%84.").get_data(as_text=True)  # คค.
    assert "กรมการขนส่งทางบก" in page and "กรุงเทพมหานคร" not in page
    page = app.test_client().get("/organizations?q=BMA").get_data(as_text=True)
    assert "กรุงเทพมหานคร" in page and "กรมทางหลวง" not in page


def test_agency_page_links_into_search_and_lists_stewards(web):
    app, _ = web
    page = app.test_client().get("/organizations/mot").get_data(as_text=True)
    assert "organization=org-dlt&amp;organization=org-doh" in page or "organization=org-doh&amp;organization=org-dlt" in page
    assert "ฝ่ายข้อมูล" in page and "data@example.go.th" in page


def test_pages_show_the_same_numbers_as_the_json(es, alias, web):
    app, token = web
    client = app.test_client()
    public = client.get("/api/v1/insights").get_json()
    assert public["total"] == len(OPEN)
    rows = {r["value"]: r["count"] for r in public["charts"]["organization"]}
    assert rows["org-dlt"] == count(es, alias, *OPEN_ONLY, {"term": {"organization": "org-dlt"}})
    html = client.get("/insights").get_data(as_text=True)
    assert "<svg" in html and "<title id=" in html and "<desc id=" in html and "<table>" in html
    assert "/search?organization=org-dlt" in html
    headers = {"Authorization": f"Bearer {token}"}
    quality = client.get("/api/v1/insights/quality", headers=headers).get_json()
    assert quality["total"] == len(OPEN) + len(SENSITIVE)
    overdue_link = quality["overdue"]["url"]
    listed = client.get(overdue_link, headers=headers).get_data(as_text=True)
    assert f"พบ {quality['overdue']['count']} ชุดข้อมูล" in listed


def test_csv_opens_with_thai_intact(web):
    app, token = web
    response = app.test_client().get("/insights/quality.csv", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["organization", "organization_title", "dataset_id", "dataset_title"]
    expected = sum(len(r["quality"]["findings"]) for r in OPEN + SENSITIVE)
    assert len(rows) - 1 == expected
    assert any(r[1] == "กรมการขนส่งทางบก" and r[6].startswith("ไม่ได้ระบุ") for r in rows[1:])


def test_ckan_and_dcat_publishers_carry_the_directory_names(web):
    app, _ = web
    client = app.test_client()
    shown = client.get("/api/3/action/organization_show?id=org-dlt").get_json()["result"]
    assert (shown["title"], shown["title_en"]) == ("กรมการขนส่งทางบก", "Department of Land Transport")
    listed = client.get("/api/3/action/organization_list?all_fields=true").get_json()["result"]
    assert {o["name"]: o.get("title_en") for o in listed}["org-bma"] == "Bangkok Metropolitan Administration"
    assert "title_en" not in {o["name"]: o for o in listed}["org-loose"]
    turtle = client.get("/catalog.ttl").get_data(as_text=True)
    assert '"Department of Land Transport"@en' in turtle


def test_a_records_page_past_the_result_window_is_a_400_that_says_why(web):
    app, _ = web
    client = app.test_client()
    assert client.get("/insights/records?page=2").status_code == 200
    response = client.get("/insights/records?page=100000")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "10,000" in response.get_data(as_text=True)
    asked = client.get("/insights/records?page=100000", headers={"Accept": "application/json"})
    assert asked.status_code == 400 and asked.content_type == "application/problem+json"
    assert "page" in asked.get_json()["errors"]
