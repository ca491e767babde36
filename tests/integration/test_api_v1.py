"""JSON API v1 against a real node: answers, errors, visibility, CORS and OpenAPI conformance."""
from __future__ import annotations

import json

import pytest
from elasticsearch import Elasticsearch
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal import create_app
from portal.api.openapi import openapi_document
from tests.integration.api_corpus import (OPEN_IDS, app, assert_no_canary, client, corpus_alias,  # noqa: F401
                                          token)

pytestmark = pytest.mark.integration
RECORDED: list[tuple[str, int, str, object]] = []  # (path, status, content type, body) for conformance


def get(client, path, **kwargs):
    response = client.get(path, **kwargs)
    RECORDED.append((path, response.status_code, response.content_type, response.get_json(silent=True)))
    return response


def test_search_anonymous_sees_open_records_with_facets(client):
    body = get(client, "/api/v1/search?size=100").get_json()
    assert body["total"] == len(OPEN_IDS)
    assert {r["dataset"]["id"] for r in body["results"]} == set(OPEN_IDS)
    assert all(r["tier"] == "full" for r in body["results"])
    orgs = {row["value"]: row["count"] for row in body["facets"]["organization"]}
    assert orgs == {"mof": 22, "ddc": 1, "tmd": 1, "bma": 1}
    category = body["facets"]["data_category"][0]
    assert category["value"] == "public" and category["label"] == {"th": "ข้อมูลสาธารณะ", "en": "Public data"}
    assert_no_canary(json.dumps(body, ensure_ascii=False))


def test_a_search_that_finds_nothing_names_its_correction_and_answers_the_words_as_sent(client):
    """งบประมน (budget, a letter dropped) finds nothing: the answer stays empty and names งบประมาณ, which the
    22 budget records hold; a correction from a canary seen by nobody is never named."""
    body = get(client, "/api/v1/search?q=" + "งบประมน").get_json()
    assert body["total"] == 0 and body["results"] == [] and body["q"] == "งบประมน"
    assert body["did_you_mean"] == "งบประมาณ"
    assert get(client, "/api/v1/search?q=" + "งบประมาณ").get_json()["total"] == 22
    assert "did_you_mean" not in get(client, "/api/v1/search?q=" + "งบประมาณ").get_json()
    canary = get(client, "/api/v1/search?q=" + "canarytitel").get_json()
    assert canary["total"] == 0 and "did_you_mean" not in canary


def test_or_within_a_facet_and_across_facets(client):
    body = get(client, "/api/v1/search?organization=ddc&organization=tmd&size=10").get_json()
    assert {r["dataset"]["id"] for r in body["results"]} == {"covid-daily", "rain-daily"}
    # the organization facet ignores its own selection, so other organizations keep their counts
    assert {row["value"] for row in body["facets"]["organization"]} >= {"mof", "bma"}
    body = get(client, "/api/v1/search?organization=ddc&organization=tmd&res_format=XLSX").get_json()
    assert [r["dataset"]["id"] for r in body["results"]] == ["covid-daily"]
    # labels work as well as codes
    by_label = get(client, "/api/v1/search?update_frequency_unit=ปี&data_category=ข้อมูลสาธารณะ").get_json()
    assert [r["dataset"]["id"] for r in by_label["results"]] == ["school-locations"]
    assert by_label["filters"] == {"data_category": ["public"], "update_frequency_unit": ["A"]}


def test_query_sort_and_paging(client):
    body = get(client, "/api/v1/search?q=โควิด").get_json()
    assert body["results"][0]["dataset"]["id"] == "covid-daily"
    assert "<mark>" in body["results"][0]["highlights"]["title"]
    first = get(client, "/api/v1/search?sort=modified&size=5&page=1").get_json()
    second = get(client, "/api/v1/search?sort=modified&size=5&page=2").get_json()
    assert first["results"][0]["dataset"]["id"] == "covid-daily" and first["pages"] == 5
    ids = [{r["dataset"]["id"] for r in page["results"]} for page in (first, second)]
    assert not ids[0] & ids[1]


def test_a_repeated_parameter_counts_with_its_first_value_on_the_page_and_in_the_api(client):
    """One rule for both (portal.search.params): facets repeat for OR, anything else keeps its first value."""
    first = get(client, "/api/v1/search?sort=modified&size=3").get_json()
    body = get(client, "/api/v1/search?sort=modified&sort=title&size=3&size=7&page=1&page=2").get_json()
    assert (body["sort"], body["size"], body["page"]) == ("modified", 3, 1)
    assert [r["dataset"]["id"] for r in body["results"]] == [r["dataset"]["id"] for r in first["results"]]
    page = client.get("/search?sort=modified&sort=title&size=3&size=7").get_data(as_text=True)
    titles = [r["dataset"]["title"] for r in first["results"]]
    assert page.count('<li class="result">') == 3
    assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles)


@pytest.mark.parametrize("query, field", [
    ("size=101", "size"), ("size=-1", "size"), ("page=0", "page"), ("page=x", "page"), ("sort=views", "sort"),
    ("no_such_facet=x", "no_such_facet"), ("page=200&size=100", "page"), ("lang=th", "lang"),
])
def test_bad_parameters_are_problem_details(client, query, field):
    response = get(client, f"/api/v1/search?{query}")
    assert response.status_code == 400 and response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and field in body["errors"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_dataset_by_id_and_slug(client):
    by_id = get(client, "/api/v1/datasets/covid-daily").get_json()
    assert by_id["tier"] == "full" and by_id["dataset"]["maintainer_email"] == "epi@ddc.mail.go.th"
    assert by_id["links"]["dcat_ttl"].endswith("/dataset/covid-daily.ttl")


@pytest.mark.parametrize("path", ["/api/v1/datasets/", "/api/v1/organizations/", "/dataset/", "/organizations/"])
def test_a_key_longer_than_any_indexed_one_is_missing_not_an_engine_error(client, path):
    # 11,000 × 3 bytes is past Lucene's term limit: Elasticsearch would refuse the query itself.
    assert client.get(path + "%EF%BF%BD" * 11_000).status_code == 404
    assert client.get(path + "ก" * 513).status_code == 404


@pytest.mark.parametrize("hidden", ["canary-sensitive", "canary-hidden", "canary-private"])
def test_invisible_is_exactly_missing(client, hidden):
    missing = get(client, "/api/v1/datasets/no-such-dataset-at-all")
    invisible = get(client, f"/api/v1/datasets/{hidden}")
    assert missing.status_code == invisible.status_code == 404
    assert missing.get_data() == invisible.get_data()
    assert dict(missing.headers) == dict(invisible.headers)


def test_token_unlocks_the_name_tier_only(client, token):
    auth = {"Authorization": f"Bearer {token}"}
    body = get(client, "/api/v1/datasets/canary-sensitive", headers=auth).get_json()
    assert body["tier"] == "name" and body["dataset"]["title"].startswith("ผู้ป่วย")
    assert "notes" not in body["dataset"] and "tags" not in body["dataset"]
    assert "dcat_ttl" not in body["links"]
    search = get(client, "/api/v1/search?q=canarytitle", headers=auth).get_json()
    assert [r["tier"] for r in search["results"]] == ["name"]
    assert "canarynote" not in json.dumps(search, ensure_ascii=False)
    assert get(client, "/api/v1/datasets/canary-hidden", headers=auth).status_code == 404


def test_organizations(client):
    body = get(client, "/api/v1/organizations").get_json()
    assert [o["slug"] for o in body["organizations"]][0] == "mof" and body["count"] == 4
    one = get(client, "/api/v1/organizations/ddc").get_json()["organization"]
    assert one["title"] == "กรมควบคุมโรค" and one["title_en"] == "Department of Disease Control"
    assert get(client, "/api/v1/organizations/canaryorg").status_code == 404
    assert_no_canary(json.dumps(body, ensure_ascii=False))


def test_suggest(client):
    body = get(client, "/api/v1/suggest?q=โรง").get_json()
    assert any(s["value"] == "school-locations" for s in body["suggestions"])
    for prefix in ("คานา", "canary", "canaryt", "canaryo"):
        assert get(client, f"/api/v1/suggest?q={prefix}").get_json()["suggestions"] == []
    assert get(client, "/api/v1/suggest").status_code == 400


def test_codelists(client):
    body = get(client, "/api/v1/codelists").get_json()
    categories = {e["code"]: e for e in body["fields"]["data_category"]["entries"]}
    assert categories["public"]["th"] == "ข้อมูลสาธารณะ" and categories["public"]["en"]


def test_cors_for_anonymous_only(client, token):
    anonymous = client.get("/api/v1/search?size=1", headers={"Origin": "https://example.org"})
    assert anonymous.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in anonymous.headers
    signed = client.get("/api/v1/search?size=1", headers={"Origin": "https://example.org",
                                                          "Authorization": f"Bearer {token}"})
    assert "Access-Control-Allow-Origin" not in signed.headers
    preflight = client.options("/api/v1/search", headers={"Origin": "https://example.org",
                                                          "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" not in preflight.headers.get("Access-Control-Allow-Headers", "")


def test_elasticsearch_down_is_a_503_problem(tmp_path):
    down = Elasticsearch("http://127.0.0.1:9", max_retries=0, request_timeout=2)
    app = create_app({"TESTING": True, "GDC_ES_CLIENT": down, "GDC_INDEX": "test_nowhere",
                      "GDC_AUTH_DB": str(tmp_path / "a.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl")})
    client = app.test_client()
    for path in ("/api/v1/search", "/api/v1/datasets/x", "/api/v1/organizations", "/api/v1/suggest?q=ab"):
        response = get(client, path)
        assert response.status_code == 503 and response.content_type == "application/problem+json", path
        assert "Traceback" not in response.get_data(as_text=True)


def test_openapi_document_is_valid(client):
    doc = get(client, "/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    assert {p for p in doc["paths"]} >= {"/api/v1/search", "/api/v1/datasets/{id_or_slug}", "/api/v1/suggest",
                                         "/api/v1/organizations", "/api/v1/codelists"}


def _operation_for(doc: dict, path: str) -> dict | None:
    route = path.split("?")[0]
    for template, item in doc["paths"].items():
        parts, actual = template.split("/"), route.split("/")
        if len(parts) == len(actual) and all(p == a or p.startswith("{") for p, a in zip(parts, actual)):
            return item["get"]
    return None


def test_every_recorded_response_conforms_to_openapi():
    """Runs last in this module: every response above, checked against the published description."""
    doc = openapi_document("http://localhost")
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", resource)
    checked = 0
    for path, status, content_type, body in RECORDED:
        operation = _operation_for(doc, path)
        if operation is None or body is None:
            continue
        response = operation["responses"][str(status)]
        schema = response["content"][content_type]["schema"]
        name = schema["$ref"].rsplit("/", 1)[1]
        validator = Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"},
                                         registry=registry)
        errors = list(validator.iter_errors(body))
        assert not errors, (path, status, [e.message for e in errors[:3]])
        checked += 1
    assert checked >= 30


def test_facets_parameter_counts_only_what_is_asked(client):
    everything = get(client, "/api/v1/search?q=โควิด").get_json()
    assert set(everything["facets"]) == {"organization", "data_category", "update_frequency_unit",
                                         "geo_coverage", "data_type", "data_format", "res_format",
                                         "license_id", "tags", "place", "year"}
    two = get(client, "/api/v1/search?q=โควิด&facets=organization,res_format").get_json()
    assert set(two["facets"]) == {"organization", "res_format"}
    assert two["facets"]["organization"] == everything["facets"]["organization"]  # same counts
    assert two["results"] == everything["results"] and two["total"] == everything["total"]
    none = get(client, "/api/v1/search?q=โควิด&facets=").get_json()
    assert none["facets"] == {} and none["results"] == everything["results"]
    wrong = get(client, "/api/v1/search?facets=organization,colour")
    assert wrong.status_code == 400 and "colour" in json.dumps(wrong.get_json(), ensure_ascii=False)


def test_answers_are_readable_utf8(client):
    raw = client.get("/api/v1/search?q=โควิด").data
    assert "โควิด".encode() in raw and b"\\u0e" not in raw
    assert json.loads(raw)["q"] == "โควิด"
