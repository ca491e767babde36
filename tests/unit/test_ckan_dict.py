"""Canonical record → the national catalogue's package dict (codes back to the values CKAN stores)."""
import json
from pathlib import Path

import pytest

from indexer import pipeline, sources
from portal.api.ckan_dict import package_dict
from portal.auth.visibility import redact

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ckan-package-search-covid-19-daily.json"
NATIONAL_FIELDS = ("data_type", "objective", "update_frequency_unit", "update_frequency_interval",
                   "geo_coverage", "data_source", "data_format", "data_category", "license_id",
                   "data_language", "maintainer", "maintainer_email", "title", "name", "id", "notes",
                   "metadata_modified", "metadata_created")


@pytest.fixture(scope="module")
def original() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["result"]["results"][0]


@pytest.fixture(scope="module")
def served() -> dict:
    raw = next(iter(sources.read_sources([str(FIXTURE)])))
    return package_dict(pipeline.validate_one(raw).record)


def truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def test_national_fields_come_back_as_ckan_stores_them(original, served):
    for name in NATIONAL_FIELDS:
        assert served[name] == original[name], name
    assert truthy(served["high_value_dataset"]) == truthy(original["high_value_dataset"])


def test_organization_tags_resources_extras(original, served):
    for key in ("id", "name", "title"):
        assert served["organization"][key] == original["organization"][key]
    assert served["owner_org"] == original["owner_org"]
    assert [t["name"] for t in served["tags"]] == [t["name"] for t in original["tags"]]
    assert served["num_tags"] == original["num_tags"] and served["num_resources"] == original["num_resources"]
    for mine, theirs in zip(served["resources"], original["resources"], strict=True):
        for key in ("id", "name", "format", "url", "position", "package_id"):
            assert mine[key] == theirs[key], key
        for key, value in theirs.items():  # the resource's extra fields survive at its top level
            if key.startswith("resource_") and value not in (None, "", []):
                assert mine[key] == value, key
    served_extras = {e["key"]: e["value"] for e in served["extras"]}
    for extra in original["extras"]:
        assert served_extras[extra["key"]] == extra["value"]
    assert [g["name"] for g in served["groups"]] == [g["name"] for g in original["groups"]]


def test_ckan_bookkeeping_is_top_level_not_in_extras(served):
    keys = {e["key"] for e in served["extras"]}
    assert not keys & {"isopen", "license_title", "num_resources", "num_tags", "state", "type", "author"}
    assert served["type"] == "dataset" and served["state"] == "active" and served["private"] is False
    assert served["license_title"] == "Creative Commons Attributions"


def test_name_tier_record_shows_only_the_name_tier():
    record = {"id": "s1", "name": "secret-one", "title": "ชื่อชุดข้อมูลลับ", "notes": "คำอธิบายลับ",
              "tags": ["canary"], "organization": {"name": "moph", "title": "สธ."},
              "data_category": "personal",
              "data_classification": "03", "update_frequency_unit": "M", "maintainer_email": "x@y.go.th",
              "resources": [{"name": "r", "format": "CSV", "url": "https://secret.example/file.csv"}]}
    package = package_dict(redact(record, "name"))
    text = json.dumps(package, ensure_ascii=False)
    for secret in ("คำอธิบายลับ", "canary", "x@y.go.th", "secret.example"):
        assert secret not in text
    assert package["access_tier"] == "name" and package["data_category"] == "ข้อมูลส่วนบุคคล"
    assert package["tags"] == [] and package["resources"] == []


def test_unknown_codes_pass_through_unchanged():
    package = package_dict({"id": "a", "title": "t", "data_type": "not-a-code", "objective": ["x"]})
    assert package["data_type"] == "not-a-code" and package["objective"] == ["x"]
