"""What a record's files are, on the bundled sample: the format a resource declares against the file its
link names. data.go.th declares its .xls files "XSL" (an XML stylesheet) and its .gml layers "MAP"; a
steward is told, and a visitor asking for Excel or GML finds them. No sample record declares its data
format (item 12): the data-format facet counts what its files are.

The expected records are read here from each record's own resources (declared format, link), with a
hand-written table of extensions — not from the index fields the indexer derives.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal import create_app
from portal.auth.principal import ANONYMOUS
from portal.search import insights, queries
from portal.search.queries import SearchParams
from tests.support import all_words

pytestmark = pytest.mark.integration

# extension → the names a declared format may use for it (one format in two versions counts as one)
# and the data-format code it is
SAME_FORMAT = {"csv": {"CSV"}, "xls": {"XLS", "XLSX", "EXCEL"}, "xlsx": {"XLS", "XLSX", "EXCEL"},
               "pdf": {"PDF"}, "json": {"JSON"}, "xml": {"XML"}, "gml": {"GML"}, "doc": {"DOC", "DOCX"},
               "docx": {"DOC", "DOCX"}, "rdf": {"RDF"}, "html": {"HTML"}, "shp": {"SHP", "SHAPEFILE"}}
CODE = {"csv": "csv", "xls": "xls", "xlsx": "xls", "pdf": "pdf", "json": "json", "xml": "xml", "gml": "gml",
        "doc": "doc", "docx": "doc", "rdf": "rdf", "html": "html", "shp": "shapefile", "image": "image"}


def records(es, alias) -> list[dict]:
    hits = es.search(index=alias, query={"term": {"visibility": "open"}}, size=1000, _source=["record"])
    return [h["_source"]["record"] for h in hits["hits"]["hits"]]


def extension(url: str | None) -> str:
    name = urlsplit(url or "").path.rpartition("/")[2]
    return name.rpartition(".")[2].lower() if "." in name.strip(".") else ""


def linking(es, alias, extensions: set[str]) -> set[str]:
    return {r["id"] for r in records(es, alias)
            if any(extension(res.get("url")) in extensions for res in r.get("resources") or [])}


def test_a_steward_is_told_of_every_record_whose_files_are_not_what_they_declare(es, sample_alias):
    contradicted = {r["id"] for r in records(es, sample_alias) for res in r.get("resources") or []
                    if res.get("format") and extension(res.get("url")) in SAME_FORMAT
                    and res["format"].strip().upper() not in SAME_FORMAT[extension(res.get("url"))]}
    figures = dict(insights.quality(es, sample_alias, ANONYMOUS).findings)
    assert contradicted and figures["resource_format_mismatch:resources"] == len(contradicted)
    # positions do not split a finding: one key per rule for every resource of a record
    assert not [key for key in figures if "[" in key]


@pytest.mark.parametrize("typed, extensions", [("Excel", {"xls", "xlsx"}), ("GML", {"gml"})])
def test_a_visitor_asking_for_a_format_finds_every_record_linking_such_a_file(
        es, sample_alias, typed, extensions):
    """286 sample records link .xls files they declare "XSL"; 39 .gml layers declared "MAP"."""
    expected = linking(es, sample_alias, extensions)
    assert expected and expected <= all_words(es, sample_alias, typed)


def test_the_record_page_names_the_resource_and_what_it_links_to(es, sample_alias, tmp_path):
    record = next(r for r in records(es, sample_alias) for res in r.get("resources") or []
                  if (res.get("format") or "").upper() == "XSL" and extension(res.get("url")) == "xls")
    client = _client(sample_alias, tmp_path)
    thai = client.get(f"/dataset/{record['id']}").get_data(as_text=True)
    assert "ระบุรูปแบบ “XSL” แต่ลิงก์เป็นไฟล์ .xls" in thai
    client.set_cookie("gdc_lang", "en")
    english = client.get(f"/dataset/{record['id']}").get_data(as_text=True)
    assert "declares format “XSL” but links to a .xls file" in english
    # item 12 is not declared: the page says what the files are, and where that was read
    assert "XLS/XLSX" in english and "from the resources&#39; file formats" in english
    assert "จากรูปแบบไฟล์ของทรัพยากรข้อมูล" in thai


def _client(alias: str, tmp_path):
    return create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "test",
                       "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"),
                       "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl"),
                       "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0}).test_client()


def test_the_data_format_facet_counts_what_each_records_files_are(es, sample_alias):
    """By the records' own resources: a declared format the table knows, or a link's extension."""
    expected: dict[str, int] = {}
    for r in records(es, sample_alias):
        assert not r.get("data_format")  # the sample declares none: every value below is read from files
        codes = set()
        for res in r.get("resources") or []:
            declared = (res.get("format") or "").strip().lower()
            codes |= {CODE[name] for name in (declared, extension(res.get("url"))) if name in CODE}
        for code in codes:
            expected[code] = expected.get(code, 0) + 1
    facet = dict(queries.search(es, sample_alias, SearchParams(size=0, facets=("data_format",)),
                                ANONYMOUS).facets["data_format"])
    assert expected and facet == expected
    figures = dict(insights.quality(es, sample_alias, ANONYMOUS).findings)
    assert figures["derivable:data_format"] == sum(1 for r in records(es, sample_alias) if _has_format(r))


def _has_format(record: dict) -> bool:
    return any(name in CODE for res in record.get("resources") or []
               for name in ((res.get("format") or "").strip().lower(), extension(res.get("url"))))


# extensions of files that hold geometry, by hand (not the code list's mark the indexer reads)
GEOMETRY = {"gml", "shp", "tif", "tiff", "e00"}


def test_the_data_type_facet_counts_the_records_whose_files_hold_geometry(es, sample_alias, tmp_path):
    """No sample record declares its data type (item 1): the 39 Bangkok GIS layers (.gml files declared
    "MAP") are geospatial data, on the facet, the record page and the steward's figures; nothing else is
    derived."""
    expected = {r["id"] for r in records(es, sample_alias) if not r.get("data_type") and any(
        extension(res.get("url")) in GEOMETRY or (res.get("format") or "").upper() in {"GML", "SHP"}
        for res in r.get("resources") or [])}
    facet = dict(queries.search(es, sample_alias, SearchParams(size=0, facets=("data_type",)),
                                ANONYMOUS).facets["data_type"])
    assert expected and facet == {"2": len(expected)}
    selected = SearchParams(size=100, facets=(), filters={"data_type": ["2"]})
    listed = queries.search(es, sample_alias, selected, ANONYMOUS)
    assert {h["id"] for h in listed.hits} == expected
    # a visitor asking for GIS data finds every layer, also by the facet's own label typed whole
    for typed in ("GIS", "geospatial", "ภูมิสารสนเทศ", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่"):
        assert all_words(es, sample_alias, typed) == expected, typed
    # the steward's finding, one per record, on the quality view with every other kind the records carry
    told = es.count(index=sample_alias, query={"term": {"quality_findings": "derivable:data_type"}})["count"]
    assert told == len(expected)
    kinds = es.search(index=sample_alias, size=0,
                      aggs={"k": {"terms": {"field": "quality_findings", "size": 500}}})
    carried = {b["key"]: b["doc_count"] for b in kinds["aggregations"]["k"]["buckets"]}
    assert len(carried) > 15 and dict(insights.quality(es, sample_alias, ANONYMOUS).findings) == carried
    client = _client(sample_alias, tmp_path)
    page = client.get(f"/dataset/{sorted(expected)[0]}").get_data(as_text=True)
    assert "ข้อมูลภูมิสารสนเทศเชิงพื้นที่" in page and "จากรูปแบบไฟล์ของทรัพยากรข้อมูล" in page
    client.set_cookie("gdc_lang", "en")
    assert "Geospatial data" in client.get(f"/dataset/{sorted(expected)[0]}").get_data(as_text=True)
