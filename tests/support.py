"""Helpers every integration test may use to put datasets behind a ``test_`` alias.

``load_records(es, alias, records)`` indexes canonical records (docs/architecture.md) into a fresh
versioned index behind ``alias``, refreshed; ``load_sample(es, alias)`` indexes the 836-record
data.go.th sample through the real read → validate → index pipeline under the open-data declaration;
``dataset(...)`` builds one valid canonical record with sensible defaults; ``loaded_alias(es, records)``
is a module fixture's alias of its own, dropped (its lock index too) afterwards; ``bench_module(name)``
loads a script of ``bench/`` (not a package) as a module.
"""
from __future__ import annotations

import importlib.util
import sys
import uuid
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from elasticsearch import Elasticsearch

from indexer import mapping as m
from indexer import rebuild
from indexer.derived import derive
from indexer.prepare import Prepared
from indexer.rebuild import Options, Summary
from tests.esutil import drop_indices

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT_ROOT / "data" / "datagoth-sample-836.jsonl"
SAMPLE_SIZE = 836
OPEN_DATA_DECLARATION = "data_category=ข้อมูลสาธารณะ"


def bench_module(name: str, as_name: str):
    """``bench/<name>.py`` loaded as the module ``as_name`` (registered, so its dataclasses resolve)."""
    spec = importlib.util.spec_from_file_location(as_name, PROJECT_ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# In-process and unlocked: fast for a handful of records, and tests use unique aliases anyway.
TEST_OPTIONS = dict(workers=0, lock=False)

# Records that carry meaning vectors (the semantic layer): a nested query, as the vectors are per passage.
WITH_VECTORS = {"nested": {"path": m.PASSAGES, "query": {"exists": {"field": m.VECTOR}}}}


def dataset(id: str = "test-dataset", **fields: Any) -> dict[str, Any]:
    """A valid canonical record: public open data unless ``fields`` say otherwise.

    >>> dataset("rain", title="ปริมาณน้ำฝนรายวัน", data_category="personal", allow_harvest=True)
    """
    record: dict[str, Any] = {
        "id": id, "name": id, "title": f"ชุดข้อมูล {id}", "title_en": None,
        "notes": "คำอธิบายชุดข้อมูล", "notes_en": None,
        "organization": {"name": "test-org", "title": "หน่วยงานทดสอบ", "title_en": "Test Agency"},
        "tags": ["ทดสอบ"],
        "resources": [{"name": "data", "format": "csv", "url": "https://example.go.th/a.csv"}],
        "groups": [], "data_type": "1", "objective": [], "update_frequency_unit": "year",
        "update_frequency_interval": 1, "geo_coverage": "country", "data_format": ["csv"],
        "data_category": "public", "data_classification": "01", "license_id": "odc",
        "data_language": ["th"], "maintainer": None, "maintainer_email": None, "data_source": None,
        "url": None, "accessible_condition": None, "access_request": None,
        "created_date": "2024-01-01", "last_updated_date": "2025-01-01",
        "metadata_created": "2024-01-01T00:00:00", "metadata_modified": "2025-01-01T00:00:00",
        "allow_harvest": False, "private": False, "high_value_dataset": None, "reference_data": None,
        "official_statistics": None, "statistics": None, "geospatial": None, "extras": {},
        "source": "test", "declared": [], "quality": {"score": 100, "findings": []},
    }
    record.update(fields)
    return record


def with_derived(record: dict[str, Any]) -> dict[str, Any]:
    """The record with the values the indexer's pipeline reads from its text and files (places, years,
    frequency, data format …): canonical records given to ``load_records`` skip that pipeline."""
    record["derived"] = derive(record)
    return record


def load_records(es: Elasticsearch, alias: str, records: list[dict]) -> Summary:
    """Index canonical records into a new versioned index behind ``alias`` (refreshed on return)."""
    summary = rebuild.rebuild_records(es, alias, records, Options(**TEST_OPTIONS))
    assert summary.counts.indexed == len({r["id"] for r in records}), summary.lines()
    return summary


@contextmanager
def loaded_alias(es: Elasticsearch, records: list[dict], prefix: str = "test_") -> Iterator[str]:
    """A fresh alias (``prefix`` and a random suffix) holding ``records``; on exit every index of that
    name is dropped, the indexer's lock index with the rest. A module fixture: ``with loaded_alias(es,
    RECORDS) as alias: yield alias``."""
    alias = f"{prefix}{uuid.uuid4().hex[:10]}"
    load_records(es, alias, records)
    try:
        yield alias
    finally:
        drop_indices(es, alias)


@lru_cache(maxsize=1)
def _sample_prepared() -> tuple[Prepared, ...]:
    """The sample read, validated and segmented once per test process (documents are immutable bytes)."""
    return tuple(rebuild.prepared_from_sources([SAMPLE], declarations=[OPEN_DATA_DECLARATION],
                                               options=Options(**TEST_OPTIONS)))


def load_sample(es: Elasticsearch, alias: str, *extra: Path) -> Summary:
    """The 836-record sample through the real pipeline, declared as open data (refreshed on return),
    with the records of the ``extra`` source files beside it (read under the same declaration).

    The sample is read and segmented once per test process however many aliases it is loaded into."""
    more = tuple(rebuild.prepared_from_sources(list(extra), declarations=[OPEN_DATA_DECLARATION],
                                               options=Options(**TEST_OPTIONS))) if extra else ()
    summary = rebuild.rebuild_prepared(es, alias, _sample_prepared() + more, Options(**TEST_OPTIONS))
    assert summary.counts.indexed == SAMPLE_SIZE + len(more), summary.lines()
    return summary


def all_words(es: Elasticsearch, alias: str, q: str) -> set[str]:
    """The ids of the records holding every word of ``q``, as a visitor sees them (none when no record
    does: the page then shows partial matches only)."""
    from portal.auth.principal import ANONYMOUS
    from portal.search import queries

    result = queries.search(es, alias, queries.SearchParams(q=q, size=1000, facets=()), ANONYMOUS,
                            partial=False)
    return {h["record"]["id"] for h in result.hits} if result.all_words else set()
