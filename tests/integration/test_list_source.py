"""Result lists on pages fetch only ``queries.LIST_SOURCE`` of each record: the pages stay exactly those
the whole record gives, for every tier and both languages."""
from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.i18n import COOKIE
from portal.search import queries
from tests.support import dataset, loaded_alias

pytestmark = pytest.mark.integration

ORG = {"name": "nso", "title": "สำนักงานสถิติแห่งชาติ", "title_en": "National Statistical Office"}
RECORDS = [
    dataset("stat-cm", name="population-chiangmai", title="จำนวนประชากร จังหวัดเชียงใหม่ ปี 2565",
            title_en="Population of Chiang Mai, 2022", notes="ข้อมูลประชากรรายอำเภอ",
            notes_en="Population by district", organization=ORG, last_updated_date=None,
            resources=[{"name": "xlsx", "format": "XLSX", "url": "https://nso.go.th/p.xlsx"}, {"name": "api"}]),
    dataset("stat-bkk", title="จำนวนประชากร กรุงเทพมหานคร รายเดือน", organization=ORG, geo_coverage="06",
            update_frequency_unit=None, quality={"score": 40, "findings": [{"field": "notes", "rule": "x"}]}),
    dataset("stat-secret", title="ประชากรแฝง ข้อมูลลับ", notes="รายละเอียดลับ", data_category="personal",
            data_classification="03", allow_harvest=True, organization=ORG),
]
PAGES = ["/search?q=ประชากร", "/search?q=ประชากร&sort=modified", "/search?q=ประชากร&sort=title",
         "/search?q=population", "/search?res_format=XLSX", "/organization/nso", "/organization/nso?q=ประชากร"]
# Per-response tokens (CSRF, script nonces) are not part of what a page shows.
_TOKENS = re.compile(r'(nonce|value|content)="[A-Za-z0-9_.\-=+/]{20,}"')


@pytest.fixture(scope="module")
def app(es, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("list")
    with loaded_alias(es, RECORDS, "test_list_") as alias:
        app = create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "test",
                          "GDC_AUTH_DB": str(tmp / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp / "audit.jsonl"),
                          "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
        store = app.extensions["gdc_auth"]["store"]
        store.add_account("somsri", "analyst", "a long test password 1")
        store.add_grant("somsri", {"personal"}, 3, {"nso"})  # name tier
        yield app


def _pages(app, monkeypatch, source) -> dict:
    monkeypatch.setattr(queries, "LIST_SOURCE", source)
    token, _ = app.extensions["gdc_auth"]["store"].create_token("somsri")
    client, pages = app.test_client(), {}
    for path in PAGES:
        for who, headers in (("visitor", {}), ("analyst", {"Authorization": f"Bearer {token}"})):
            for lang in ("th", "en"):
                client.set_cookie(COOKIE, lang)
                answer = client.get(path, headers=headers)
                assert answer.status_code == 200, (path, who, lang)
                pages[path, who, lang] = _TOKENS.sub("", answer.get_data(as_text=True))
    return pages


def test_pages_fetching_the_list_fields_equal_pages_fetching_whole_records(app, monkeypatch):
    assert f"{queries.SOURCE[-1]}.quality" not in queries.LIST_SOURCE  # the quality report is left out
    listed = _pages(app, monkeypatch, queries.LIST_SOURCE)
    whole = _pages(app, monkeypatch, queries.SOURCE)
    assert "of Chiang Mai, 2022" in listed["/search?q=ประชากร", "visitor", "en"]
    assert "แฝง ข้อมูลลับ" in listed["/search?q=ประชากร", "analyst", "th"]
    for key in listed:
        assert listed[key] == whole[key], key
