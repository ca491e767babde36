"""The CKAN Action API layer against a real node, through Flask's client, the real ``ckanapi`` client and
command line on a live server, and our own harvester reading our own ``package_search``."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import ckanapi
import pytest
from werkzeug.serving import make_server

from indexer import pipeline
from indexer.sources import harvest
from tests.integration.api_corpus import (OPEN_IDS, app, assert_no_canary, client, corpus_alias,  # noqa: F401
                                          token)

pytestmark = pytest.mark.integration
CKANAPI_CLI = Path(sys.executable).with_name("ckanapi")
RECORDED: list[tuple[str, int, dict]] = []  # (action, status, body) for the OpenAPI check at the end


def action(client, action_name, method="GET", headers=None, **params):
    if method == "POST":
        response = client.post(f"/api/3/action/{action_name}", json=params, headers=headers)
    else:
        response = client.get(f"/api/3/action/{action_name}", query_string=params, headers=headers)
    body = response.get_json()
    assert body["help"].endswith(f"/api/3/action/help_show?name={action_name}")
    RECORDED.append((action_name, response.status_code, body))
    return response.status_code, body


def result(client, action_name, **params):
    status, body = action(client, action_name, **params)
    assert status == 200 and body["success"] is True, body
    return body["result"]


# --- package_search -------------------------------------------------------------------------------

def test_package_search_shape_and_counts(client):
    found = result(client, "package_search", rows=1000, **{"facet.field": '["organization","data_category"]'})
    assert found["count"] == len(OPEN_IDS) and {p["id"] for p in found["results"]} == set(OPEN_IDS)
    assert found["sort"] == "score desc, metadata_modified desc"
    assert found["facets"]["data_category"] == {"ข้อมูลสาธารณะ": len(OPEN_IDS)}
    items = {i["name"]: i for i in found["search_facets"]["organization"]["items"]}
    assert items["ddc"] == {"count": 1, "display_name": "กรมควบคุมโรค", "name": "ddc"}
    covid = next(p for p in found["results"] if p["id"] == "covid-daily")
    assert covid["organization"]["name"] == "ddc" and covid["update_frequency_unit"] == "วัน"
    assert covid["license_id"] == "Creative Commons Attributions" and covid["num_resources"] == 2
    assert_no_canary(json.dumps(found, ensure_ascii=False))


def test_fq_in_ckan_syntax_with_stored_values(client):
    found = result(client, "package_search", fq='data_category:"ข้อมูลสาธารณะ" AND res_format:(XLSX OR JSON)')
    assert {p["name"] for p in found["results"]} == {"covid-daily", "school-locations"}
    found = result(client, "package_search", fq='+organization:ddc +tags:"COVID-19"')
    assert [p["name"] for p in found["results"]] == ["covid-daily"]
    found = result(client, "package_search", fq='update_frequency_unit:"ปี" geo_coverage:"จังหวัด"')
    assert [p["name"] for p in found["results"]] == ["school-locations"]
    found = result(client, "package_search", fq='license_id:"Open Data Common"', rows=0)
    assert found["count"] == len(OPEN_IDS) - 1 and found["results"] == []


def test_facet_limit_and_mincount(client):
    found = result(client, "package_search", fq="organization:ddc", **{"facet.field": '["organization"]',
                                                                       "facet.limit": "2"})
    assert len(found["search_facets"]["organization"]["items"]) <= 2
    found = result(client, "package_search", fq="organization:ddc",
                   **{"facet.field": '["res_format"]', "facet.mincount": "1"})
    assert found["facets"]["res_format"] == {"CSV": 1, "XLSX": 1}


def test_rows_start_paging_including_unaligned_starts(client):
    everything = result(client, "package_search", rows=1000, sort="metadata_modified desc")["results"]
    everything = [p["id"] for p in everything]
    for start, rows in ((0, 7), (7, 7), (3, 10), (20, 10), (24, 5)):
        page = result(client, "package_search", rows=rows, start=start, sort="metadata_modified desc")
        assert [p["id"] for p in page["results"]] == everything[start:start + rows], (start, rows)


@pytest.mark.parametrize("sort", ["title_string asc", "metadata_created asc, name asc", "name asc", "id asc"])
def test_sorts(client, sort):
    ids = [p["id"] for p in result(client, "package_search", rows=1000, sort=sort)["results"]]
    assert sorted(ids) == sorted(OPEN_IDS)
    if sort.startswith("name"):
        assert ids == sorted(ids)


@pytest.mark.parametrize("params, status, kind, field", [
    ({"facet.field": '["no_such_facet"]'}, 409, "Validation Error", "facet.field"),
    ({"facet.field": '["organization"'}, 409, "Validation Error", "facet.field"),
    ({"rows": "100000"}, 409, "Validation Error", "rows"),
    ({"start": "-1"}, 409, "Validation Error", "start"),
    ({"fq": 'organization:"ddc'}, 400, "Search Query Error", None),
    ({"fq": "organization:ddc OR tags:x"}, 400, "Search Query Error", None),
    ({"fq": "visibility:sensitive"}, 400, "Search Query Error", None),
    ({"sort": "views_recent desc"}, 400, "Search Query Error", None),
    ({"nonsense": "1"}, 400, "Search Query Error", None),
])
def test_bad_parameters_have_ckan_error_shapes(client, params, status, kind, field):
    got, body = action(client, "package_search", **params)
    assert got == status and body["success"] is False and body["error"]["__type"] == kind
    if field:
        assert isinstance(body["error"][field], list) and body["error"][field]
    else:
        assert body["error"]["message"]


def test_unknown_action_and_bad_body(client):
    got, body = action(client, "package_create")
    assert got == 400 and body["success"] is False and "Action name not known" in body["error"]["message"]
    response = client.post("/api/3/action/package_search", data="[1,2", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["success"] is False


def test_include_private_needs_a_token(client, token):
    plain = result(client, "package_search", q="canarytitle", include_private="true")
    assert plain["count"] == 0 and plain["results"] == []
    status, body = action(client, "package_search", headers={"Authorization": token}, q="canarytitle",
                          include_private="true")
    assert status == 200 and [p["name"] for p in body["result"]["results"]] == ["canary-sensitive"]
    package = body["result"]["results"][0]
    assert package["access_tier"] == "name" and package["tags"] == [] and package["notes"] is None
    assert "canarynote" not in json.dumps(body, ensure_ascii=False)
    status, body = action(client, "package_search", headers={"Authorization": token}, q="canarytitle")
    assert body["result"]["count"] == 0  # without include_private a token holder gets open data, as in CKAN


# --- the other actions -----------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_package_show_by_id_or_name(client, method):
    _, body = action(client, "package_show", method=method, id="covid-daily")
    assert body["result"]["name"] == "covid-daily" and body["result"]["data_category"] == "ข้อมูลสาธารณะ"


@pytest.mark.parametrize("hidden", ["canary-sensitive", "canary-hidden", "canary-private"])
def test_package_show_invisible_is_missing(client, hidden):
    missing = client.get("/api/3/action/package_show?id=nothing-here")
    invisible = client.get(f"/api/3/action/package_show?id={hidden}")
    assert missing.status_code == invisible.status_code == 404
    assert missing.get_json()["error"] == invisible.get_json()["error"] == {"__type": "Not Found Error",
                                                                             "message": "Not found"}
    assert dict(missing.headers) == dict(invisible.headers)


def test_package_list_with_limit_and_offset(client):
    names = result(client, "package_list")
    assert names == sorted(OPEN_IDS)
    assert result(client, "package_list", limit=5, offset=3) == sorted(OPEN_IDS)[3:8]
    assert action(client, "package_list", offset=-1)[0] == 409


def test_organizations(client):
    assert sorted(result(client, "organization_list")) == ["bma", "ddc", "mof", "tmd"]
    full = result(client, "organization_list", all_fields="true", sort="package_count desc")
    assert full[0]["name"] == "mof" and full[0]["package_count"] == 22 and full[0]["is_organization"] is True
    org = result(client, "organization_show", id="ddc", include_datasets="true")
    assert org["title"] == "กรมควบคุมโรค" and [p["name"] for p in org["packages"]] == ["covid-daily"]
    assert action(client, "organization_show", id="canaryorg")[0] == 404


def test_tags_groups_status_help(client):
    tags = result(client, "tag_list")
    assert {"COVID-19", "โควิด", "ฝน", "งบประมาณ"} <= set(tags) and "canarytag" not in tags
    assert result(client, "tag_list", query="covid") == ["COVID-19"]
    assert result(client, "group_list") == ["environment"]
    assert result(client, "group_list", all_fields="true")[0]["package_count"] == 1
    status = result(client, "status_show")
    assert status["api_version"] == 3 and status["ckan_version"]
    assert "fq" in result(client, "help_show", name="package_search")
    assert action(client, "help_show", name="nope")[0] == 404


def test_api_action_alias_path(client):
    assert client.get("/api/action/package_list").get_json()["success"] is True


# --- real clients on a live server ------------------------------------------------------------------

@pytest.fixture(scope="module")
def live_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_ckanapi_remote_client(live_url, token):
    portal = ckanapi.RemoteCKAN(live_url)
    found = portal.action.package_search(q="โควิด", fq="res_format:CSV", rows=5)
    assert found["results"][0]["name"] == "covid-daily"
    assert portal.action.package_show(id="rain-daily")["organization"]["name"] == "tmd"
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="canary-sensitive")
    with pytest.raises(ckanapi.ValidationError):
        portal.action.package_search(rows=100000)
    with pytest.raises(ckanapi.SearchQueryError):
        portal.action.package_search(fq='organization:"broken')
    assert sorted(portal.action.organization_list()) == ["bma", "ddc", "mof", "tmd"]
    get_only = ckanapi.RemoteCKAN(live_url, get_only=True)
    assert get_only.action.package_search(fq="organization:mof", rows=0)["count"] == 22
    with_key = ckanapi.RemoteCKAN(live_url, apikey=token)
    assert with_key.action.package_search(q="canarytitle", include_private=True)["count"] == 1


def cli(*args: str) -> str:
    done = subprocess.run([str(CKANAPI_CLI), *args], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_ckanapi_command_line(live_url):
    names = json.loads(cli("action", "package_list", "-r", live_url))
    assert names == sorted(OPEN_IDS)
    shown = json.loads(cli("action", "package_show", "id=school-locations", "-r", live_url))
    assert shown["geo_coverage"] == "จังหวัด"
    lines = cli("search", "datasets", "fq=organization:mof", "-r", live_url).splitlines()
    assert len(lines) == 22 and all(json.loads(line)["organization"]["name"] == "mof" for line in lines)
    facets = json.loads(cli("action", "package_search", 'facet.field:["organization"]', "rows:0",
                            "-r", live_url))
    assert facets["facets"]["organization"]["mof"] == 22


def test_our_harvester_reads_our_api_without_loss(live_url, app):
    stats = harvest.HarvestStats()
    raws = list(harvest.iter_remote(live_url, rows=7, stats=stats))
    assert stats.count == len(OPEN_IDS) and len(raws) == len(OPEN_IDS) and stats.pages >= 4
    outcomes = list(pipeline.validate(raws))
    assert all(o.accepted for o in outcomes), [o.errors for o in outcomes if not o.accepted][:2]
    with app.test_request_context():
        from portal.auth.principal import ANONYMOUS
        from portal.search import queries
        from portal import es as portal_es

        records = queries.iter_records(portal_es.client(), app.config["GDC_INDEX"], ANONYMOUS)
        served = {r["id"]: r for r in records}
    compared = ("id", "name", "title", "notes", "data_type", "update_frequency_unit", "geo_coverage",
                "data_category", "license_id", "data_format", "data_language", "tags", "metadata_modified")
    for outcome in outcomes:
        harvested = outcome.record
        original = served[harvested["id"]]
        for key in compared:
            assert harvested.get(key) == original.get(key), (harvested["id"], key)
        assert harvested["organization"]["name"] == original["organization"]["name"]
        assert [(r["name"], r["format"], r["url"]) for r in harvested["resources"]] == \
               [(r["name"], r["format"], r["url"]) for r in original["resources"]]


@pytest.mark.parametrize("q", ["canary", "canarytitle", "คานารี", "canarynote", "name:canary*",
                               "data_category:personal", "visibility:sensitive OR canarytag", "*", "*:*"])
def test_crafted_queries_never_reveal_sensitive_records(client, q):
    every_facet = json.dumps(["organization", "data_category", "update_frequency_unit", "geo_coverage",
                              "data_type", "data_format", "res_format", "license_id", "tags"])
    found = result(client, "package_search", q=q, include_private="true", rows=1000,
                   **{"facet.field": every_facet})
    assert_no_canary(json.dumps(found, ensure_ascii=False))
    assert found["count"] in (0, len(OPEN_IDS))
    assert sum(found["facets"]["data_category"].values()) == found["count"]


def test_elasticsearch_down_is_a_ckan_search_error(tmp_path):
    from elasticsearch import Elasticsearch

    from portal import create_app

    down = Elasticsearch("http://127.0.0.1:9", max_retries=0, request_timeout=2)
    app = create_app({"TESTING": True, "GDC_ES_CLIENT": down, "GDC_INDEX": "test_nowhere",
                      "GDC_AUTH_DB": str(tmp_path / "a.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl")})
    client = app.test_client()
    for name, params in (("package_search", {}), ("package_show", {"id": "x"}), ("package_list", {}),
                         ("organization_list", {})):
        status, body = action(client, name, **params)
        assert status == 503 and body["success"] is False and body["error"]["__type"] == "Search Error"


def test_every_recorded_answer_conforms_to_openapi():
    """Runs last: each CKAN answer above against the envelope schemas of /api/v1/openapi.json."""
    from jsonschema import Draft202012Validator

    from portal.api.openapi import openapi_document

    doc = openapi_document("http://localhost")
    for name, status, body in RECORDED:
        path = doc["paths"].get(f"/api/3/action/{name}")
        if path is None:  # an unknown action: CKAN's error envelope all the same
            schema_name = "CkanError"
        else:
            schema = path["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
            schema_name = schema["$ref"].rsplit("/", 1)[1]
        errors = list(Draft202012Validator(doc["components"]["schemas"][schema_name]).iter_errors(body))
        assert not errors, (name, status, errors[0].message)
    assert len(RECORDED) > 50
