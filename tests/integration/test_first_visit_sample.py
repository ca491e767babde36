"""What a first visitor meets on the bundled sample (what ``make run`` loads): every example of the API
page answers with results, the home page's browsing blocks are full of working links, and "recently
updated" says what the dates are worth."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from portal import create_app
from portal.api.docs import EXAMPLE_DATASET, EXAMPLE_QUERY, EXAMPLES
from tests.support import SAMPLE

pytestmark = pytest.mark.integration



@pytest.fixture
def web(sample_alias, monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_INDEX", sample_alias)
    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path))
    return create_app({"TESTING": True, "GDC_RATE_LIMIT_ANONYMOUS": 0}).test_client()


def test_the_example_dataset_is_in_the_bundled_sample():
    ids = {json.loads(line)["id"] for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert EXAMPLE_DATASET in ids


def _has_results(response) -> bool:
    if response.mimetype == "application/json":
        body = response.json
        result = body.get("result", body)
        if isinstance(result, dict):
            return bool(result.get("count") or result.get("results") or result.get("id")
                        or result.get("suggestions") or body.get("dataset") or body.get("suggestions"))
        return bool(result)
    text = response.get_data(as_text=True)
    if response.mimetype == "application/atom+xml":
        return "<entry>" in text
    if response.mimetype == "text/csv":
        return len(text.strip().splitlines()) > 1
    return EXAMPLE_DATASET in text or "dcat:Dataset" in text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.url)
def test_every_api_page_example_answers_with_results(web, example):
    response = web.get(example.path, query_string=list(example.params))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert _has_results(response), response.get_data(as_text=True)[:300]


def test_the_api_page_shows_the_examples_that_are_tested(web):
    page = web.get("/api").get_data(as_text=True)
    for example in EXAMPLES:
        assert example.path in page
    assert f"q={EXAMPLE_QUERY}" in page and "covid-19-daily" not in page and "โควิด" not in page


def test_api_page_python_examples_answer_too(web):
    """The ckanapi lines of the page: package_search q=… fq=res_format:CSV, package_show id=…"""
    found = web.get("/api/3/action/package_search", query_string={"q": EXAMPLE_QUERY, "fq": "res_format:CSV",
                                                                  "rows": 100}).json
    assert found["success"] and found["result"]["count"] > 0
    shown = web.get("/api/3/action/package_show", query_string={"id": EXAMPLE_DATASET}).json
    assert shown["success"] and shown["result"]["name"] == EXAMPLE_DATASET


def _links(html: str, section_id: str) -> list[str]:
    block = re.search(rf'<section[^>]*aria-labelledby="{section_id}".*?</section>', html, re.S)
    assert block, f"home page has no {section_id} block"
    return re.findall(r'<a href="([^"]+)"', block.group(0))


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("block", ["browse-topics", "browse-orgs", "browse-formats"])
def test_home_browse_blocks_are_full_of_links_that_find_datasets(web, block, lang):
    web.set_cookie("gdc_lang", lang)
    html = web.get("/").get_data(as_text=True)
    links = _links(html, block)
    assert len(links) >= 5, links
    counts = re.findall(r'<span class="count">([\d,]+)</span>',
                        re.search(rf'aria-labelledby="{block}".*?</section>', html, re.S).group(0))
    assert len(counts) >= len(links) - 1  # every entry has its count (the "all …" link has none)
    for href in links[:6]:
        page = web.get(href)
        assert page.status_code == 200, href
        if urlsplit(href).path == "/search":
            args = dict(parse_qsl(urlsplit(href).query))
            assert args, href
            shown = re.search(r'id="results-count"[^>]*>([^<]+)<', page.get_data(as_text=True)).group(1)
            assert int(re.sub(r"\D", "", shown)) > 0, href


@pytest.mark.parametrize("lang", ["th", "en"])
def test_recently_updated_does_not_pretend_on_the_sample(web, lang):
    """Every sample record was stamped 2021-10-31 within a minute: the home page says so and lists the
    datasets whose titles name the latest years instead; the "modified" order carries the same note."""
    web.set_cookie("gdc_lang", lang)
    html = web.get("/").get_data(as_text=True)
    block = re.search(r'aria-labelledby="recent".*?</section>', html, re.S).group(0)
    assert 'class="dates-note"' in block and ("2564" in block if lang == "th" else "2021" in block)
    years = [int(y) for y in re.findall(r'</span> (\d{4})</p>', block)]
    assert len(years) >= 3 and years == sorted(years, reverse=True)
    assert years[0] == (2564 if lang == "th" else 2021)  # the latest year any sample title names
    page = web.get("/search?sort=modified").get_data(as_text=True)
    assert 'class="dates-note"' in page
    assert 'class="dates-note"' not in web.get("/search").get_data(as_text=True)
