"""Index fields of the governance views: unmet mandatory items, finding keys, the next update due."""
import pytest

from indexer.stewardship import finding_keys, quality_gaps, update_due
from tests.support import dataset


@pytest.mark.parametrize("unit, interval, last, due", [
    ("M", 1, "2025-01-31", "2025-02-28T00:00:00"),
    ("Q", 1, "2025-10-01", "2026-01-01T00:00:00"),
    ("S", 1, "2025-10-01", "2026-04-01T00:00:00"),
    ("A", 2, "2024-02-29", "2026-02-28T00:00:00"),
    ("W", 2, "2025-10-01", "2025-10-15T00:00:00"),
    ("D", None, "2025-10-01", "2025-10-02T00:00:00"),      # an empty interval counts as 1
    ("O", None, "2025-10-01", None), ("R", None, "2025-10-01", None), ("U", None, "2025-10-01", None),
    ("M", 1, None, None),
])
def test_update_due_from_the_declared_frequency(unit, interval, last, due):
    record = {"update_frequency_unit": unit, "update_frequency_interval": interval, "last_updated_date": last}
    assert update_due(record) == due


def test_metadata_modified_stands_in_for_a_missing_last_update():
    record = {"update_frequency_unit": "M", "metadata_modified": "2025-03-15T08:00:00"}
    assert update_due(record) == "2025-04-15T08:00:00"


def test_gaps_name_the_unmet_mandatory_items():
    record = dataset("x", update_frequency_unit="A", objective=["master_plan"], geo_coverage="04", maintainer="ฝ่ายข้อมูล",
                     maintainer_email="a@b.go.th", data_source="แหล่ง")
    assert quality_gaps(record) == []
    assert quality_gaps({**record, "maintainer": None, "tags": []}) == ["maintainer", "tag_string"]


def test_finding_keys_are_unique_rule_field_pairs():
    quality = {"findings": [{"rule": "mandatory_missing", "field": "maintainer"},
                            {"rule": "mandatory_missing", "field": "maintainer"},
                            {"rule": "too_long", "field": "title"}]}
    assert finding_keys({"quality": quality}) == ["mandatory_missing:maintainer", "too_long:title"]


def test_a_resources_findings_count_once_wherever_it_sits_in_the_list():
    quality = {"findings": [{"rule": "resource_format_mismatch", "field": "resources[0]"},
                            {"rule": "resource_format_mismatch", "field": "resources[2]"},
                            {"rule": "url_scheme_not_allowed", "field": "resources[1].url"}]}
    assert finding_keys({"quality": quality}) == ["resource_format_mismatch:resources",
                                                  "url_scheme_not_allowed:resources.url"]
