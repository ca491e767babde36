"""DCAT, sitemap and robots.txt against a real node: parsed back with rdflib, validated with pyshacl,
and never showing anything but open records, whoever asks."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from portal.api.dcat import HYDRA
from tests.integration.api_corpus import (OPEN_IDS, app, assert_no_canary, client, corpus_alias,  # noqa: F401
                                          token)

pytestmark = pytest.mark.integration
SHAPES = Graph().parse(Path(__file__).resolve().parents[1] / "fixtures" / "shacl" / "dcat-ap-3-mandatory.ttl")
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parsed(response, fmt: str) -> Graph:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = response.get_data(as_text=True)
    assert_no_canary(text)
    return Graph().parse(data=text, format=fmt)


def conforms(g: Graph) -> None:
    ok, _, report = pyshacl.validate(g, shacl_graph=SHAPES)
    assert ok, report


def dataset_ids(g: Graph) -> set[str]:
    return {str(s).rsplit("/", 1)[1] for s in g.subjects(ns.RDF.type, ns.DCAT.Dataset)}


@pytest.mark.parametrize("ext", ["ttl", "rdf", "jsonld"])
def test_catalog_in_every_format_conforms(client, ext, token):
    g = parsed(client.get(f"/catalog.{ext}"), FORMATS[ext])
    conforms(g)
    assert dataset_ids(g) == set(OPEN_IDS)
    page = next(g.subjects(ns.RDF.type, HYDRA.PagedCollection))
    assert int(g.value(page, HYDRA.totalItems)) == len(OPEN_IDS)
    # a token changes nothing: DCAT federates open data only
    answer = client.get(f"/catalog.{ext}", headers={"Authorization": f"Bearer {token}"})
    with_token = parsed(answer, FORMATS[ext])
    assert dataset_ids(with_token) == set(OPEN_IDS)


def test_catalog_is_paged_with_hydra(app, client):
    app.config["GDC_CATALOG_PAGE_SIZE"] = 10
    try:
        seen: set[str] = set()
        url = "/catalog.ttl"
        pages = 0
        while url:
            g = parsed(client.get(url), "turtle")
            conforms(g)
            ids = dataset_ids(g)
            assert len(ids) <= 10 and not ids & seen
            seen |= ids
            pages += 1
            page = next(g.subjects(ns.RDF.type, HYDRA.PagedCollection))
            following = g.value(page, HYDRA.nextPage)
            url = str(following).replace("http://localhost", "") if following else None
        assert seen == set(OPEN_IDS) and pages == 3
        assert str(g.value(page, HYDRA.lastPage)).endswith("page=3")
        assert client.get("/catalog.ttl?page=4").status_code == 404
        bad = client.get("/catalog.ttl?page=0")
        assert bad.status_code == 400 and bad.content_type == "application/problem+json"
    finally:
        app.config.pop("GDC_CATALOG_PAGE_SIZE")


@pytest.mark.parametrize("ext", ["ttl", "rdf", "jsonld"])
def test_one_dataset(client, ext):
    g = parsed(client.get(f"/dataset/covid-daily.{ext}"), FORMATS[ext])
    conforms(g)
    assert dataset_ids(g) == {"covid-daily"}
    assert client.get(f"/dataset/covid-daily.{ext}").headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("hidden", ["canary-sensitive", "canary-hidden", "canary-private"])
def test_sensitive_records_are_missing_even_with_a_token(client, token, hidden):
    missing = client.get("/dataset/no-such-thing.ttl")
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        invisible = client.get(f"/dataset/{hidden}.ttl", headers=headers)
        assert invisible.status_code == missing.status_code == 404
        assert invisible.get_data() == missing.get_data()


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                                         ("application/ld+json", "json-ld")])
def test_content_negotiation_on_the_dataset_page(client, accept, fmt):
    response = client.get("/dataset/rain-daily", headers={"Accept": accept}, follow_redirects=True)
    assert response.mimetype == accept
    assert dataset_ids(parsed(response, fmt)) == {"rain-daily"}
    html = client.get("/dataset/rain-daily", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"


def test_project_vocabulary(client):
    g = parsed(client.get("/ns/gdc"), "turtle")
    assert (URIRef("http://localhost/ns/gdc#dataCategory"), ns.RDF.type, ns.RDF.Property) in g


def _locations(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/xml"
    text = response.get_data(as_text=True)
    assert_no_canary(text)
    return [loc.text for loc in ET.fromstring(text).iter(f"{SITEMAP}loc")]


def test_sitemap_lists_open_records_with_lastmod(client):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.get_data(as_text=True))
    assert root.tag == f"{SITEMAP}urlset"
    urls = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in root.iter(f"{SITEMAP}url")}
    assert {u.rsplit("/", 1)[1] for u in urls} == set(OPEN_IDS)
    assert urls["http://localhost/dataset/covid-daily"].text == "2025-06-30"


def test_sitemap_splits_into_an_index_past_the_limit(app, client):
    app.config["GDC_SITEMAP_MAX_URLS"] = 10
    try:
        index = client.get("/sitemap.xml")
        root = ET.fromstring(index.get_data(as_text=True))
        assert root.tag == f"{SITEMAP}sitemapindex"
        parts = _locations(index)
        assert [p.rsplit("/", 1)[1] for p in parts] == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
        seen: list[str] = []
        for part in parts:
            urls = _locations(client.get(part.replace("http://localhost", "")))
            assert len(urls) <= 10
            seen += urls
        assert sorted(u.rsplit("/", 1)[1] for u in seen) == sorted(OPEN_IDS)
        assert client.get("/sitemap-4.xml").status_code == 404
    finally:
        app.config.pop("GDC_SITEMAP_MAX_URLS")
    assert client.get("/sitemap-1.xml").status_code == 404  # one file again: no parts


def test_robots_txt(client):
    response = client.get("/robots.txt")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/plain" and "Sitemap: http://localhost/sitemap.xml" in text
    assert "Disallow: /api/" in text


def test_api_page_renders(client):
    response = client.get("/api")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "package_search" in text and "/catalog.ttl" in text


def test_schema_org_on_open_dataset_pages_only(client, token):
    page = client.get("/dataset/covid-daily").get_data(as_text=True)
    assert 'application/ld+json' in page and '"@type": "Dataset"' in page
    sensitive = client.get("/dataset/canary-sensitive", headers={"Authorization": f"Bearer {token}"})
    assert sensitive.status_code == 200 and "application/ld+json" not in sensitive.get_data(as_text=True)


def test_elasticsearch_down_is_a_503(tmp_path):
    from elasticsearch import Elasticsearch

    from portal import create_app

    down = Elasticsearch("http://127.0.0.1:9", max_retries=0, request_timeout=2)
    app = create_app({"TESTING": True, "GDC_ES_CLIENT": down, "GDC_INDEX": "test_nowhere",
                      "GDC_AUTH_DB": str(tmp_path / "a.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl")})
    client = app.test_client()
    for path in ("/catalog.ttl", "/dataset/x.ttl", "/sitemap.xml", "/sitemap-2.xml"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "Traceback" not in response.get_data(as_text=True)
