"""The one index definition: field types, settings and physical index names."""
from __future__ import annotations

from datetime import datetime, timezone

from indexer import mapping as m


def test_text_fields_use_the_whitespace_analyzer_only():
    properties = m.mappings()["properties"]
    for name in m.SEGMENTED_TEXT_FIELDS:
        assert properties[name]["type"] == "text"
        assert properties[name]["analyzer"] == "whitespace"
    assert properties[m.TITLE_SUB]["index_options"] == "freqs"
    assert "index_options" not in properties[m.TITLE_WORDS]  # positions kept for phrase queries


def test_derived_text_stays_out_of_source_but_the_record_is_kept():
    excludes = m.mappings()["_source"]["excludes"]
    assert set(excludes) == {*m.SEGMENTED_TEXT_FIELDS, m.PASSAGES}
    assert m.RECORD not in excludes and m.SUGGEST_WORDS not in excludes


def test_facet_and_governance_fields_are_first_class():
    properties = m.mappings()["properties"]
    for name in (m.ORGANIZATION, m.DATA_CATEGORY, m.VISIBILITY, m.TAGS, m.RES_FORMAT, m.SUGGEST_WORDS):
        assert properties[name]["type"] == "keyword"
    assert properties[m.CLASSIFICATION_LEVEL]["type"] == "integer"
    assert properties[m.QUALITY_SCORE]["type"] == "integer"
    assert properties[m.ALLOW_HARVEST]["type"] == "boolean"
    assert properties[m.METADATA_MODIFIED]["type"] == "date"
    assert properties[m.RECORD] == {"type": "object", "enabled": False}


def test_mapping_is_strict_and_versioned():
    definition = m.mappings()
    assert definition["dynamic"] == "strict"
    assert definition["_meta"]["index_version"] == m.INDEX_VERSION


def test_bulk_settings_turn_off_refresh_and_replicas():
    bulk = m.settings(for_bulk=True)
    assert bulk["index.refresh_interval"] == "-1"
    assert bulk["index.number_of_replicas"] == 0
    serving = m.settings()
    assert serving["index.refresh_interval"] == "1s"


def test_physical_index_name_carries_alias_version_and_timestamp():
    when = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    name = m.physical_index_name("gdc-datasets", when)
    assert name == f"gdc-datasets-v{m.INDEX_VERSION}-20260102030405000006"
    assert m.index_version_of(name, "gdc-datasets") == m.INDEX_VERSION


def test_pattern_does_not_claim_other_aliases_indices():
    assert m.index_version_of("gdc-datasets-v1-20260102030405000006", "gdc") is None
    assert m.index_version_of("gdc-datasets-lock", "gdc-datasets") is None
    assert m.index_version_of("gdc-datasets", "gdc-datasets") is None


def test_every_facet_has_eager_global_ordinals():
    from portal.search.facets import FACETS

    properties = m.mappings()["properties"]
    assert {f.field for f in FACETS} == set(m.FACET_FIELDS)
    for name in m.FACET_FIELDS:
        assert properties[name]["eager_global_ordinals"] is True
    assert "eager_global_ordinals" not in properties[m.ID]
