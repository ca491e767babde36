"""The widget without Elasticsearch: parameters, URLs, snippets, and the request it sends (as ANONYMOUS)."""
from __future__ import annotations

from urllib.parse import unquote

import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from indexer.settings import Settings
from portal import create_app
from portal.auth.principal import ANONYMOUS
from portal.search import queries
from portal.search.queries import SearchParams
from portal.views import widget


class RecordingES:
    """Answers every search with no hits, and remembers the requests."""

    def __init__(self):
        self.calls: list[dict] = []

    def search(self, **kw):
        self.calls.append(kw)
        return {"took": 1, "hits": {"total": {"value": 0}, "hits": []},
                "aggregations": {name: {"buckets": {} if "filters" in spec else [], "values": {"buckets": []}}
                                 for name, spec in (kw.get("aggs") or {}).items()}}


@pytest.fixture
def es():
    return RecordingES()


@pytest.fixture
def app(tmp_path, es, monkeypatch):
    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path))
    return create_app({
        "TESTING": True, "GDC_SETTINGS": Settings(var_dir=tmp_path), "GDC_INDEX": "test_widget",
        "GDC_ES_CLIENT": es, "SECRET_KEY": "unit", "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"),
        "GDC_AUDIT_LOG": str(tmp_path / "audit.jsonl"), "GDC_RATE_LIMIT_ANONYMOUS": 0,
    })


def test_params_default_to_a_small_page_without_facets():
    params = widget.widget_params(MultiDict([("q", " น้ำ  ฝน "), ("organization", "tmd"), ("lang", "en")]))
    assert params == SearchParams(q="น้ำ ฝน", filters={"organization": ["tmd"]}, size=widget.DEFAULT_SIZE,
                                  facets=())


@pytest.mark.parametrize("args, field", [
    ([("size", "21")], "size"), ([("size", "0")], "size"), ([("sort", "nope")], "sort"),
    ([("organization", f"o{i}") for i in range(widget.MAX_PRESET_ORGANIZATIONS + 1)], "organization"),
    ([("page", "2001")], "page"),  # 2001 × 5 is past the first 10,000 results
])
def test_bad_params_name_the_field(args, field):
    with pytest.raises(ValidationError) as caught:
        widget.widget_params(MultiDict(args))
    assert field in caught.value.normalized_messages()


def test_page_2000_of_5_is_still_inside_the_window():
    assert widget.widget_params(MultiDict([("page", "2000")])).page == 2000


@pytest.mark.parametrize("value, expected",
                         [(None, "th"), ("", "th"), ("en", "en"), ("th", "th"), ("fr", None)])
def test_language(value, expected):
    assert widget.widget_language({} if value is None else {"lang": value}) == expected


def test_urls_keep_presets_and_language_and_leave_defaults_out(app):
    params = SearchParams(q="โรงเรียน", filters={"tags": ["ก"], "organization": ["a", "b"]}, size=5)
    with app.test_request_context():
        thai = widget.widget_url(params, "th")
        assert unquote(thai) == "/widget?q=โรงเรียน&organization=a&organization=b&tags=ก"
        english = widget.widget_url(params, "en", page=3, q="")
        assert unquote(english) == "/widget?organization=a&organization=b&tags=ก&page=3&lang=en"
        assert widget.widget_url(SearchParams(size=12, sort="title"), "th") == "/widget?sort=title&size=12"
        assert widget.portal_search_url(SearchParams(q="x", size=5, page=4)) == "/search?q=x"


def test_snippets_escape_what_the_agency_typed(app):
    choice = {"organization": "dga", "q": 'ฝน "><script>alert(1)</script>', "lang": "th", "size": 5,
              "height": widget.DEFAULT_HEIGHT}
    with app.test_request_context(base_url="https://catalog.example.go.th"):
        snippets = widget.embed_snippets(choice)
    assert "<script>alert" not in snippets["script"] and "<script>alert" not in snippets["iframe"]
    assert 'data-q="ฝน &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in snippets["script"]
    loader = '<script src="https://catalog.example.go.th/widget/embed.js" async></script>'
    assert snippets["script"].endswith(loader)
    assert snippets["iframe"].startswith('<iframe src="https://catalog.example.go.th/widget?q=')
    assert 'title="ค้นหาชุดข้อมูลเปิดภาครัฐ" width="100%" height="520"' in snippets["iframe"]


def test_the_widget_searches_as_anonymous_whatever_the_request_carries(app, es):
    client = app.test_client()
    response = client.get("/widget?q=ฝน&organization=tmd&size=3",
                          headers={"Authorization": "Bearer gdc_not_a_real_token", "Cookie": "gdc_session=x"})
    assert response.status_code == 200  # an invalid token is not even looked at: the widget is anonymous
    params = widget.widget_params({"q": "ฝน", "organization": "tmd", "size": "3"})
    expected = queries.search_body(params, ANONYMOUS)
    searches = [call for call in es.calls if "post_filter" in call or call.get("from") is not None]
    assert searches and searches[0] == {"index": "test_widget-open", **expected}  # the open index only


def test_the_loader_knows_every_facet_parameter():
    """``static/js/widget-embed.js`` lists the facet names by hand: a new facet must be added there too."""
    from pathlib import Path

    from portal.search.facets import NAMES

    loader = (Path(__file__).resolve().parents[2] / "static" / "js" / "widget-embed.js").read_text()
    params = loader.split("var PARAMS = [", 1)[1].split("]", 1)[0]
    multi = loader.split("var MULTI = {", 1)[1].split("}", 1)[0]
    for name in NAMES:
        assert f'"{name}"' in params and f"{name}: 1" in multi, name
