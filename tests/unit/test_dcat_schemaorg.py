"""schema.org Dataset JSON-LD for open dataset pages."""
import json

from portal.api.schemaorg import dataset_jsonld, script_text
from portal.auth.visibility import redact

BASE = "https://catalog.example.go.th"
RECORD = {"id": "abc", "name": "rain", "title": "ปริมาณน้ำฝน", "notes": "รายวัน </script><b>", "tags": ["ฝน"],
          "organization": {"name": "tmd", "title": "กรมอุตุนิยมวิทยา"}, "data_category": "public",
          "license_id": "cc-by", "geo_coverage": "06", "data_language": ["th"],
          "metadata_modified": "2025-01-01T00:00:00",
          "resources": [{"name": "csv", "format": "CSV", "url": "https://tmd.go.th/rain.csv"}]}


def test_open_record():
    data = dataset_jsonld(RECORD, BASE)
    assert data["@type"] == "Dataset" and data["url"] == f"{BASE}/dataset/rain"
    assert data["license"].startswith("https://creativecommons.org/licenses/by/")
    assert data["creator"]["name"] == "กรมอุตุนิยมวิทยา"
    assert data["distribution"][0]["contentUrl"].endswith(".csv")
    assert data["spatialCoverage"]["@type"] == "Place"


def test_script_text_cannot_close_the_element():
    text = script_text(RECORD, BASE)
    assert "</script>" not in text and "<b>" not in text
    assert json.loads(text)["description"] == RECORD["notes"]


def test_only_open_records_have_one():
    assert dataset_jsonld(dict(RECORD, data_category="personal"), BASE) is None
    assert dataset_jsonld(redact(RECORD, "name"), BASE) is None
    assert dataset_jsonld(dict(RECORD, private=True), BASE) is None
