"""DCAT graphs: the national standard mapped to DCAT-AP 3.0, parsed back, and checked with SHACL."""
import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from indexer import pipeline, sources
from portal.api import dcat

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "ckan-package-search-covid-19-daily.json"
SHAPES = Graph().parse(ROOT / "fixtures" / "shacl" / "dcat-ap-3-mandatory.ttl")
BASE = "https://catalog.example.go.th"
ABOUT = {"title_th": "บัญชีข้อมูล", "title_en": "Catalogue", "description_th": "คำอธิบาย",
         "description_en": "Description", "publisher_th": "ผู้ให้บริการ", "publisher_en": "Operator"}
EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"


@pytest.fixture(scope="module")
def record() -> dict:
    raw = next(iter(sources.read_sources([str(FIXTURE)])))
    return pipeline.validate_one(raw).record


def conforms(g: Graph) -> tuple[bool, str]:
    ok, _, text = pyshacl.validate(g, shacl_graph=SHAPES)
    return ok, text


def paging(total=1):
    url = f"{BASE}/catalog.ttl?page=1"
    return {"current": url, "total": total, "size": 100, "first": url, "last": url}


def test_dataset_mapping(record):
    g = dcat.dataset_graph(BASE, record)
    ds = dcat.dataset_uri(BASE, record)
    assert (ds, ns.RDF.type, ns.DCAT.Dataset) in g
    assert Literal(record["title"], lang="th") in set(g.objects(ds, ns.DCTERMS.title))
    assert {str(k) for k in g.objects(ds, ns.DCAT.keyword)} == set(record["tags"])
    publisher = g.value(ds, ns.DCTERMS.publisher)
    assert str(g.value(publisher, ns.FOAF.name)) == "กรมควบคุมโรค"
    contact = g.value(ds, ns.DCAT.contactPoint)
    assert g.value(contact, dcat.VCARD.hasEmail) == URIRef("mailto:satcovid1@ddc.mail.go.th")
    assert g.value(ds, ns.DCTERMS.accrualPeriodicity) == URIRef(EU_FREQ + "DAILY")
    assert g.value(ds, ns.DCTERMS.spatial) == dcat.EU_COUNTRY.THA
    assert g.value(ds, ns.DCTERMS.license) is not None
    assert str(g.value(ds, ns.DCTERMS.modified)).startswith("2024-07-09")
    distributions = list(g.objects(ds, ns.DCAT.distribution))
    assert len(distributions) == len(record["resources"])
    assert all(g.value(d, ns.DCAT.accessURL) is not None for d in distributions)
    formats = {g.value(d, ns.DCTERMS["format"]) for d in distributions}
    assert dcat.EU_FILE.XLSX in formats and dcat.EU_FILE.ZIP in formats
    gdc = dcat.gdc_namespace(BASE)
    assert str(g.value(ds, gdc.dataCategory)) == "public" and str(g.value(ds, gdc.dataType)) == "1"


def test_catalog_conforms_and_parses_back_in_every_format(record):
    g = dcat.catalog_graph(BASE, ABOUT, [record], paging())
    ok, report = conforms(g)
    assert ok, report
    for fmt in ("turtle", "xml", "json-ld"):
        text = dcat.serialize(g, fmt)
        again = Graph().parse(data=text, format=fmt)
        assert len(again) == len(g), fmt
        assert conforms(again)[0], fmt


def test_jsonld_is_compact_with_prefixes(record):
    doc = json.loads(dcat.serialize(dcat.dataset_graph(BASE, record), "json-ld"))
    assert doc["@context"]["dcat"] == str(ns.DCAT) and "brick" not in doc["@context"]


def test_record_without_description_still_conforms(record):
    bare = dict(record, notes=None, tags=["COVID-19"],
                resources=[{"name": "x", "format": "API", "url": None}])
    g = dcat.catalog_graph(BASE, ABOUT, [bare], paging())
    assert conforms(g)[0]


def test_shapes_catch_missing_mandatory_properties(record):
    g = dcat.dataset_graph(BASE, record)
    ds = dcat.dataset_uri(BASE, record)
    g.remove((ds, ns.DCTERMS.description, None))
    for d in g.objects(ds, ns.DCAT.distribution):
        g.remove((d, ns.DCAT.accessURL, None))
    ok, report = conforms(g)
    assert not ok and "dct:description is mandatory" in report and "accessURL is mandatory" in report


@pytest.mark.parametrize("unit, interval, code", [
    ("D", 1, "DAILY"), ("A", 1, "ANNUAL"), ("A", 2, "BIENNIAL"), ("S", None, "ANNUAL_2"),
    ("M", "1", "MONTHLY"), ("M", 3, "QUARTERLY"), ("W", 2, "BIWEEKLY"), ("H", 1, "HOURLY"),
    ("R", None, "CONT"), ("O", None, "NEVER"),
    ("U", None, "UNKNOWN"), ("B", 1, "OTHER"), ("Q", 2, "OTHER"),
])
def test_frequencies(unit, interval, code):
    assert dcat.frequency(unit, interval) == URIRef(EU_FREQ + code)


def test_hydra_paging():
    url = f"{BASE}/catalog.ttl?page="
    g = dcat.catalog_graph(BASE, ABOUT, [], {"current": url + "2", "total": 250, "size": 100,
                                             "first": url + "1", "last": url + "3", "next": url + "3",
                                             "previous": url + "1"})
    page = URIRef(url + "2")
    assert int(g.value(page, dcat.HYDRA.totalItems)) == 250
    assert str(g.value(page, dcat.HYDRA.nextPage)) == url + "3"
    assert str(g.value(page, dcat.HYDRA.previousPage)) == url + "1"


def test_vocabulary_labels_every_term_used(record):
    used = {p for p in dcat.dataset_graph(BASE, record).predicates() if str(p).startswith(BASE + "/ns/gdc#")}
    vocabulary = dcat.vocabulary_graph(BASE)
    assert used and all((p, ns.RDF.type, ns.RDF.Property) in vocabulary for p in used)


def test_large_turtle_stays_valid_turtle(record, monkeypatch):
    monkeypatch.setattr(dcat, "PRETTY_TURTLE_LIMIT", 10)
    g = dcat.catalog_graph(BASE, ABOUT, [record], paging())
    again = Graph().parse(data=dcat.serialize(g, "turtle"), format="turtle")
    assert len(again) == len(g)


def test_messy_urls_become_valid_iris(record):
    messy = dict(record, maintainer_email="a b@x.go.th", resources=[
        {"name": "a", "format": "CSV", "url": "https://x.go.th/ไฟล์ ข้อมูล{1}.csv"},
        {"name": "b", "format": "CSV", "url": "www.no-scheme.example/file.csv"}])
    g = dcat.dataset_graph(BASE, messy)
    for fmt in ("turtle", "xml", "json-ld"):
        assert len(Graph().parse(data=dcat.serialize(g, fmt), format=fmt)) == len(g)
    distributions = g.objects(dcat.dataset_uri(BASE, messy), ns.DCAT.distribution)
    urls = {str(g.value(d, ns.DCAT.accessURL)) for d in distributions}
    assert "https://x.go.th/ไฟล์%20ข้อมูล%7B1%7D.csv" in urls and f"{BASE}/dataset/covid-19-daily" in urls


def test_a_data_format_read_from_the_files_is_marked_derived(record):
    """Item 12 undeclared: the codes the resources' formats and links name go out as gdc:derivedDataFormat,
    never as the declared gdc property, and the vocabulary labels the term."""
    undeclared = {**record, "data_format": None,
                  "derived": {"data_format": {"value": ["xls", "pdf"], "from": ["resource_formats"]}}}
    g = dcat.dataset_graph(BASE, undeclared)
    ds, gdc = dcat.dataset_uri(BASE, undeclared), dcat.gdc_namespace(BASE)
    assert {str(v) for v in g.objects(ds, gdc.derivedDataFormat)} == {"xls", "pdf"}
    assert (gdc.derivedDataFormat, ns.RDF.type, ns.RDF.Property) in dcat.vocabulary_graph(BASE)
    assert not list(g.objects(ds, gdc.dataFormat))  # nothing declared is claimed


def test_a_data_type_read_from_the_files_is_marked_derived(record):
    """Item 1 undeclared, a GML layer among the files: geospatial (2) goes out as gdc:derivedDataType."""
    undeclared = {**record, "data_type": None,
                  "derived": {"data_type": {"value": "2", "from": ["resource_formats"], "evidence": "GML"}}}
    g = dcat.dataset_graph(BASE, undeclared)
    ds, gdc = dcat.dataset_uri(BASE, undeclared), dcat.gdc_namespace(BASE)
    assert [str(v) for v in g.objects(ds, gdc.derivedDataType)] == ["2"]
    assert (gdc.derivedDataType, ns.RDF.type, ns.RDF.Property) in dcat.vocabulary_graph(BASE)
    assert not list(g.objects(ds, gdc.dataType))
