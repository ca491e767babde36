"""The "related by meaning" part (semantic layer) in a real browser: a portal with ``GDC_SEMANTIC`` on,
in front of five records with meaning vectors; Thai by default, English complete, no JavaScript needed,
no serious accessibility violation."""
from __future__ import annotations

import threading
import uuid
from dataclasses import replace

import pytest
from werkzeug.serving import make_server

from indexer import rebuild
from indexer.settings import Settings
from indexer.vectors import Embedder, VectorCache
from portal import create_app
from portal.search import hybrid
from tests.browser.conftest import axe_violations, page_maker
from tests.esutil import drop_indices
from tests.integration.test_semantic import MEANINGS
from tests.support import TEST_OPTIONS

# The five records' meanings sit closer than the sample's (the floor was chosen on the sample's dev split).
FLOOR = 0.8


@pytest.fixture(scope="module")
def semantic_portal(es, tmp_path_factory):
    alias = f"test_{uuid.uuid4().hex[:10]}"
    options = rebuild.Options(**TEST_OPTIONS, vectors=Embedder(VectorCache(None)))
    rebuild.rebuild_records(es, alias, MEANINGS, options)
    var = tmp_path_factory.mktemp("semantic-var")
    app = create_app({
        "GDC_INDEX": alias, "SECRET_KEY": "browser-tests",
        "GDC_SETTINGS": replace(Settings.from_env(), index=alias, semantic=True),
        "GDC_AUTH_DB": str(var / "auth.sqlite3"), "GDC_AUDIT_LOG": str(var / "audit.jsonl"),
        "GDC_RATE_LIMIT_ANONYMOUS": 1_000_000,
    })
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)
    drop_indices(es, alias)


@pytest.fixture
def related_page(browser, semantic_portal, monkeypatch):
    monkeypatch.setattr(hybrid, "RELATED_FLOOR", FLOOR)
    with page_maker(browser, semantic_portal) as make:
        yield make


def test_related_records_without_javascript_in_thai(related_page):
    page = related_page(javascript=False)
    page.goto("/search?q=precipitation")
    assert "ไม่พบชุดข้อมูลที่ตรงกัน" in page.locator(".no-results h2").inner_text()
    section = page.locator("#related-meaning")
    assert section.is_visible()
    assert section.locator("h2").inner_text().startswith("ชุดข้อมูลที่อาจเกี่ยวข้องตามความหมาย (")
    first = section.locator("ol.results > li").first
    assert "ปริมาณน้ำฝนรายวัน" in first.inner_text()
    first.locator("a").first.click()
    assert "/dataset/rain" in page.url


def test_related_records_in_english_and_accessible(related_page):
    page = related_page(lang="en")
    page.goto("/search?q=precipitation")
    section = page.locator("#related-meaning")
    assert section.locator("h2").inner_text().startswith("Datasets that may be related in meaning (")
    assert "found by similar meaning" in section.inner_text()
    assert axe_violations(page) == []
