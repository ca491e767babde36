"""No page or catalogue output links to a scheme other than http, https or ftp (issue 16, item 4).

The metadata boundary leaves such URLs out (``url_scheme_not_allowed``, tests/unit/test_schema_resource.py);
these records are loaded as canonical records, past the boundary — as an index built before the rule
would hold them — and the outputs must still never link to them.
"""
from __future__ import annotations

import re

import pytest

from portal import create_app
from tests.support import dataset, loaded_alias

pytestmark = pytest.mark.integration

BAD = ["javascript:alert(5)", "JAVASCRIPT:alert(6)", "data:text/html,<script>alert(7)</script>",
       "javascript://example.go.th/%0Aalert(8)"]
RECORD = dataset("js-links", title="ชุดข้อมูลลิงก์ทดสอบ", url=BAD[0],
                 resources=[{"name": f"ไฟล์ {i}", "format": "CSV", "url": url} for i, url in enumerate(BAD)]
                 + [{"name": "ไฟล์ดี", "format": "CSV", "url": "https://example.go.th/good.csv"}])


@pytest.fixture(scope="module")
def client(es, tmp_path_factory):
    var = tmp_path_factory.mktemp("links")
    with loaded_alias(es, [RECORD]) as alias:
        app = create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "links",
                          "GDC_AUTH_DB": str(var / "auth.sqlite3"), "GDC_AUDIT_LOG": str(var / "audit.jsonl"),
                          "GDC_RATE_LIMIT_ANONYMOUS": 0})
        yield app.test_client()


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)\s*=\s*"([^"]*)"', html, flags=re.IGNORECASE)


def test_the_dataset_page_never_links_to_another_scheme(client):
    answer = client.get("/dataset/js-links")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    links = _links(html)
    assert "https://example.go.th/good.csv" in links
    bad = [link for link in links if re.match(r"\s*(javascript|data|vbscript):", link, re.IGNORECASE)]
    assert not bad
    assert "ไฟล์ 0" in html  # the resource is still listed, by name, without a link


@pytest.mark.parametrize("ext", ["ttl", "rdf", "jsonld"])
def test_dcat_never_carries_another_scheme(client, ext):
    answer = client.get(f"/dataset/js-links.{ext}")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True).lower()
    assert "javascript" not in text and "data:text" not in text
    assert "https://example.go.th/good.csv" in text
