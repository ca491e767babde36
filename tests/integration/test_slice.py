"""The vertical slice: the bundled sample, loaded through the real pipeline, searchable in Thai."""
from __future__ import annotations

import re

import pytest

from portal import create_app
from tests.support import SAMPLE_SIZE

BEC_TITLE = "ที่ตั้งโรงเรียนในสังกัดสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานในพื้นที่เขตกรุงเทพมหานคร"



@pytest.fixture
def web(sample_alias, es, monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_INDEX", sample_alias)
    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path))
    app = create_app({"TESTING": True})
    return app.test_client()


def test_sample_is_fully_indexed(es, sample_alias):
    assert es.count(index=sample_alias)["count"] == SAMPLE_SIZE


def test_thai_word_inside_an_unspaced_run_is_found(web):
    page = web.get("/search", query_string={"q": "โรงเรียน"})
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", "", page.get_data(as_text=True))
    assert BEC_TITLE in text, "the school-locations dataset must be found by a word inside its title"


def test_standard_analyzer_alone_would_miss_it(es, test_alias):
    """Elasticsearch's standard analyzer keeps the whole Thai run as one token: no match."""
    es.indices.create(index=test_alias, mappings={"properties": {"title": {"type": "text", "analyzer": "standard"}}})
    es.index(index=test_alias, id="bec_school", document={"title": BEC_TITLE}, refresh=True)
    assert es.count(index=test_alias, query={"match": {"title": "โรงเรียน"}})["count"] == 0
    assert es.count(index=test_alias, query={"match": {"title": BEC_TITLE}})["count"] == 1


def test_total_is_shown(web):
    page = web.get("/search", query_string={"q": "โรงเรียน"}).get_data(as_text=True)
    assert re.search(r"\d+", page)


def test_probes(web, sample_alias):
    assert web.get("/healthz").json == {"status": "ok"}
    ready = web.get("/readyz")
    assert ready.status_code == 200 and ready.json["alias_present"] is True


def test_readyz_is_503_without_the_alias(es, monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_INDEX", "test_slice_no_such_alias")
    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path))
    ready = create_app({"TESTING": True}).test_client().get("/readyz")
    assert ready.status_code == 503 and ready.json["alias_present"] is False


def test_readyz_is_503_when_elasticsearch_is_down(monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_ES_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path))
    app = create_app({"TESTING": True})
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.json["elasticsearch"] is False
