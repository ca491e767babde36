"""Place, year, coverage and frequency facets on a real node: values on the real sample, the place
hierarchy and its filter (children included), multi-select counts, the BE year range, place-aware
ranking, the derived values in the JSON, CKAN and DCAT answers, and the name tier."""
from __future__ import annotations

import uuid

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from analyzers import places
from indexer.derived import lineage
from portal import create_app
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search import queries
from portal.search.params import parse_search_args
from portal.search.queries import SearchParams
from tests.esutil import drop_indices
from tests.support import dataset, load_records, with_derived

pytestmark = pytest.mark.integration
OPEN_FILTER = [{"term": {"visibility": "open"}}, {"term": {"data_category": "public"}}]


@pytest.fixture
def sample(sample_alias):
    return sample_alias


def small_record(rid: str, title: str, **fields) -> dict:
    return with_derived(dataset(rid, title=title, geo_coverage=None, update_frequency_unit=None,
                                update_frequency_interval=None, tags=[], notes="", **fields))


SMALL = [
    small_record("fang", "ทะเบียนวัด อำเภอฝาง จังหวัดเชียงใหม่ ปี 2560"),
    small_record("cm", "ทะเบียนวัด จังหวัดเชียงใหม่ รายเดือน ปี 2561-2562"),
    small_record("lp", "ทะเบียนวัด จังหวัดลำปาง ปี 2555"),
    small_record("bkk", "ทะเบียนวัด กทม. รายปี"),
    small_record("none", "ทะเบียนวัด"),
]


@pytest.fixture(scope="module")
def small(es):
    alias = f"test_{uuid.uuid4().hex[:10]}"
    load_records(es, alias, SMALL)
    yield alias
    drop_indices(es, alias)


def ids(es, alias, principal=ANONYMOUS, **filters) -> set[str]:
    result = queries.search(es, alias, SearchParams(filters=filters, size=100), principal)
    return {h["id"] for h in result.hits}


def facet(es, alias, params: SearchParams, name: str, principal=ANONYMOUS) -> dict[str, int]:
    return dict(queries.search(es, alias, params, principal).facets[name])


def test_the_sample_shows_all_four_mission_facets_with_several_values(es, sample):
    result = queries.search(es, sample, SearchParams(size=0), ANONYMOUS)
    counts = {name: dict(values) for name, values in result.facets.items()}
    assert {"north", "central", "northeast", "south", "east", "west", "10", "50"} <= set(counts["place"])
    assert set(counts["geo_coverage"]) >= {"04", "06"}
    # the real sample's text states monthly and yearly updates only (see docs/metadata.md)
    assert counts["update_frequency_unit"]["M"] >= 30 and counts["update_frequency_unit"]["A"] >= 20
    assert len(counts["year"]) >= 20 and counts["year"]["2562"] >= 30
    # the sample declares none of these: every value was read from the text
    assert all(not (h["record"].get("geo_coverage") or h["record"].get("update_frequency_unit"))
               for h in queries.search(es, sample, SearchParams(size=100), ANONYMOUS).hits)


def test_a_region_counts_exactly_the_records_inside_it(es, sample):
    counts = facet(es, sample, SearchParams(size=0), "place")
    north = ["north", *(c for c, p in places.gazetteer().items() if p.parent == "north")]
    independent = es.count(index=sample, query={"bool": {"filter": [*OPEN_FILTER, {"terms": {"place": north}}]}})
    assert counts["north"] == independent["count"] > 0
    hits = queries.search(es, sample, SearchParams(filters={"place": ["north"]}, size=100), ANONYMOUS).hits
    assert len(hits) == counts["north"]
    assert all("north" in lineage(h["record"]["derived"]["places"]["value"]) for h in hits)


def test_the_place_filter_includes_the_children_of_an_area(es, small):
    assert ids(es, small, place=["5009"]) == {"fang"}
    assert ids(es, small, place=["50"]) == {"fang", "cm"}
    assert ids(es, small, place=["north"]) == {"fang", "cm", "lp"}
    assert ids(es, small, place=["central"]) == {"bkk"}
    counts = facet(es, small, SearchParams(size=0), "place")
    assert counts == {"north": 3, "50": 2, "5009": 1, "52": 1, "central": 1, "10": 1}


def test_multi_select_counts(es, small):
    chosen = SearchParams(filters={"place": ["50", "52"]}, size=100)
    result = queries.search(es, small, chosen, ANONYMOUS)
    assert {h["id"] for h in result.hits} == {"fang", "cm", "lp"}           # OR within the facet
    assert dict(result.facets["place"]) == facet(es, small, SearchParams(size=0), "place")  # own choice ignored
    assert dict(result.facets["year"]) == {"2555": 1, "2560": 1, "2561": 1, "2562": 1}   # others narrowed
    both = SearchParams(filters={"place": ["north"], "year": ["2561"]}, size=100)
    result = queries.search(es, small, both, ANONYMOUS)
    assert {h["id"] for h in result.hits} == {"cm"}                           # AND across facets
    assert dict(result.facets["place"]) == {"north": 1, "50": 1}             # counted under the year only
    assert dict(result.facets["year"]) == {"2555": 1, "2560": 1, "2561": 1, "2562": 1}


def test_the_year_range_is_buddhist_era_and_inclusive(es, small, sample):
    params = parse_search_args({"year_from": "2556", "year_to": "2561"})
    assert {h["id"] for h in queries.search(es, small, params, ANONYMOUS).hits} == {"fang", "cm"}
    params = parse_search_args({"year_from": "2562", "year_to": "2563"})
    total = queries.search(es, sample, params, ANONYMOUS).total
    independent = es.count(index=sample, query={"bool": {"filter": [
        *OPEN_FILTER, {"terms": {"years": ["2562", "2563"]}}]}})["count"]
    assert total == independent > 0


def test_derived_coverage_and_frequency_are_facets_like_declared_ones(es, small):
    assert facet(es, small, SearchParams(size=0), "geo_coverage") == {"06": 3, "07": 1}
    assert facet(es, small, SearchParams(size=0), "update_frequency_unit") == {"M": 1, "A": 1}
    assert ids(es, small, update_frequency_unit=["M"]) == {"cm"}


def test_a_query_naming_a_place_ranks_that_place_first(es, sample):
    for q, code in (("ทะเบียนวัด ภาคเหนือ", "north"), ("หน่วยงานบริการสุขภาพ ภาคใต้", "south")):
        hits = queries.search(es, sample, SearchParams(q=q, size=5), ANONYMOUS).hits
        assert len(hits) == 5
        assert all(code in lineage(h["record"]["derived"]["places"]["value"]) for h in hits), q


@pytest.fixture(scope="module")
def client(small):
    return create_app({"TESTING": True, "GDC_INDEX": small, "SECRET_KEY": "place-tests",
                       "GDC_RATE_LIMIT_ANONYMOUS": 0}).test_client()


def test_json_api_facets_labels_and_derived_values(client):
    body = client.get("/api/v1/search?place=50&year_from=2560&year_to=2560").get_json()
    assert [r["dataset"]["id"] for r in body["results"]] == ["fang"]
    labels = {row["value"]: row["label"] for row in body["facets"]["place"]}
    assert labels["50"] == {"th": "จังหวัดเชียงใหม่", "en": "Chiang Mai"}
    record = client.get("/api/v1/datasets/fang").get_json()["dataset"]
    assert record["derived"]["places"] == {"value": ["50", "5009"], "from": ["title"]}
    assert record["derived"]["geo_coverage"]["value"] == "07" and record["geo_coverage"] is None
    assert client.get("/api/v1/search?year_from=2560&year_to=2500").status_code == 400


def test_ckan_api_filters_on_place_and_carries_the_derived_block(client):
    body = client.get('/api/3/action/package_search?fq=place:"north"&facet.field=["place","year"]').get_json()
    assert body["result"]["count"] == 3
    assert body["result"]["facets"]["place"]["50"] == 2
    package = client.get("/api/3/action/package_show?id=cm").get_json()["result"]
    assert package["derived"]["update_frequency_unit"] == {"value": "M", "from": ["title"], "evidence": "รายเดือน"}


def test_dcat_spatial_and_temporal_are_marked_derived(client):
    g = Graph().parse(data=client.get("/dataset/fang.ttl").get_data(as_text=True), format="turtle")
    spatial = {str(g.value(node, DCTERMS.identifier)) for node in g.objects(None, DCTERMS.spatial)}
    assert {"50", "5009"} <= spatial
    gdc_from = [o for s, p, o in g if str(p).endswith("#derivedFrom")]
    assert Literal("title") in gdc_from
    period = next(g.objects(None, DCTERMS.temporal))
    assert {str(o) for _, p, o in g.triples((period, None, None)) if str(p).endswith("startDate")} == {"2017"}


def test_dataset_page_says_where_a_value_was_read(client):
    page = client.get("/dataset/fang").get_data(as_text=True)
    assert "อำเภอฝาง" in page and "จากชื่อชุดข้อมูล" in page and "อำเภอ" in page
    in_english = client.application.test_client()
    in_english.set_cookie("gdc_lang", "en")
    english = in_english.get("/dataset/fang").get_data(as_text=True)
    assert "from the title" in english and "Fang" in english


def test_name_tier_frequency_comes_only_from_the_title(es):
    """A sensitive record seen by name only counts in the frequency facet (a name-tier field) — but
    only with a frequency its title states; one read from its description would reveal it."""
    grant = Principal(kind="analyst", username="n", grants=(
        Grant(categories=frozenset({"personal"}), max_level=3, full=False),))
    common = dict(data_category="personal", data_classification="03", allow_harvest=True)
    records = [small_record("by-notes", "ทะเบียนผู้ป่วย", **common) | {"notes": "ปรับปรุงรายชั่วโมง"},
               small_record("by-title", "ทะเบียนผู้ป่วย รายสัปดาห์ จังหวัดน่าน", **common)]
    with_derived(records[0])
    assert records[0]["derived"]["update_frequency_unit"]["value"] == "H"
    alias = f"test_{uuid.uuid4().hex[:10]}"
    load_records(es, alias, records)
    try:
        result = queries.search(es, alias, SearchParams(size=10), grant)
        assert {h["id"] for h in result.hits} == {"by-notes", "by-title"}
        assert all(h["tier"] == "name" and "derived" not in h["record"] for h in result.hits)
        assert dict(result.facets["update_frequency_unit"]) == {"W": 1}
        assert result.facets["place"] == [] and result.facets["year"] == []
        assert queries.search(es, alias, SearchParams(size=10), ANONYMOUS).total == 0
    finally:
        drop_indices(es, alias)
