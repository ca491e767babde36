"""Canonical dataset record → index document (the field table in docs/architecture.md).

Pure functions: no Elasticsearch, no I/O. All Thai text processing is ``analyzers.thai``'s, so the
words stored here are exactly the words a query is cut into.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, Iterable, Mapping

import orjson

from analyzers import thai
from indexer import codelists, derived
from indexer import mapping as f
from indexer.schemas.resource import linked_format
from indexer.stewardship import stewardship_fields

HIGHEST_LEVEL = 5


def visibility(record: Mapping[str, Any]) -> str:
    """``open`` / ``sensitive`` / ``hidden``, failing closed on anything unexpected.

    Open only for a non-private record of an open category (``codelists.open_categories()``: public
    data); a record of another category is discoverable by grant holders only when its agency consented
    (``allow_harvest``); everything else is for administrators.
    """
    is_open_category = record.get("data_category") in codelists.open_categories()
    if is_open_category and record.get("private") is not True:
        return f.OPEN
    if not is_open_category and record.get("allow_harvest") is True:
        return f.SENSITIVE
    return f.HIDDEN


def is_open(record: Mapping[str, Any]) -> bool:
    """True when anyone may see the whole record (:func:`visibility` is ``open``)."""
    return visibility(record) == f.OPEN


def classification_level(record: Mapping[str, Any]) -> int:
    """1–5 from the classification code (``"03"`` → 3), else the highest its category allows (the code
    list's classifications for it, metadata standard §2.7): a record without a classification is treated
    as the most secret its category can be, fail closed."""
    code = record.get("data_classification")
    if code:
        try:
            level = int(code)
        except (TypeError, ValueError):
            level = HIGHEST_LEVEL
        if 1 <= level <= HIGHEST_LEVEL:
            return level
        return HIGHEST_LEVEL
    try:
        return codelists.max_level_for(record.get("data_category"))
    except KeyError:  # no category, or not one of ours
        return HIGHEST_LEVEL


def record_hash(record: Mapping[str, Any]) -> str:
    """A stable digest of the record and the index version: equal hash → identical document."""
    payload = orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    digest = hashlib.blake2b(payload, digest_size=16)
    digest.update(str(f.INDEX_VERSION).encode())
    return digest.hexdigest()


def _unique(values: Iterable[Any]) -> list:
    seen: dict = {}
    for value in values:
        if value is not None and value != "":
            seen.setdefault(value, None)
    return list(seen)


@lru_cache(maxsize=65536)
def _words_of_term(term: str) -> tuple[str, tuple[str, ...]]:
    """Index words and suggest words of a tag or organization name; these repeat across thousands
    of records, so each distinct one is segmented once per process."""
    return thai.index_fields(term)["words"], tuple(thai.suggest_terms(term))


def _terms(values: Iterable[str | None]) -> tuple[str, list[str]]:
    words, suggestions = [], []
    for value in _unique(values):
        term_words, term_suggestions = _words_of_term(value)
        if term_words:
            words.append(term_words)
        suggestions.extend(term_suggestions)
    return " ".join(words), suggestions


def _text_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    organization = record.get("organization") or {}
    title_text = record.get("title") or ""
    title = thai.index_fields(title_text)
    notes = thai.index_fields(record.get("notes") or "")
    tags_words, tags_suggest = _terms(record.get("tags") or [])
    organization_words, _ = _terms([organization.get("title"), organization.get("title_en")])
    _, organization_suggest = _terms([organization.get("title")])
    return {
        f.TITLE_WORDS: title["words"],
        f.TITLE_SHINGLES: title["shingles"],
        f.TITLE_SUB: title["sub"],
        f.NOTES_WORDS: notes["words"],
        f.NOTES_SUB: notes["sub"],
        f.TAGS_WORDS: tags_words,
        f.ORGANIZATION_WORDS: organization_words,
        f.SUGGEST_WORDS: _unique([*thai.suggest_terms(title_text), *tags_suggest, *organization_suggest]),
        f.TITLE_SORT: thai.sort_key(title_text),
        f.TITLE_EN: record.get("title_en") or None,
        f.NOTES_EN: record.get("notes_en") or None,
    }


def _facet_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    organization = record.get("organization") or {}
    resources = record.get("resources") or []
    return {
        f.ORGANIZATION: organization.get("name"),
        f.ORGANIZATION_TITLE: organization.get("title"),
        f.DATA_CATEGORY: record.get("data_category"),
        f.DATA_CLASSIFICATION: record.get("data_classification"),
        # item 1 as declared, else geospatial when the record's files hold geometry (derived.py); not a
        # name-tier facet: it is read from the resources
        f.DATA_TYPE: record.get("data_type") or _derived(record, "data_type"),
        f.UPDATE_FREQUENCY_UNIT: record.get("update_frequency_unit") or _derived_frequency(record),
        f.GEO_COVERAGE: record.get("geo_coverage") or _derived(record, "geo_coverage"),
        # item 12 as declared, else as the record's files are (derived.py); not a name-tier facet, so a
        # record seen by name only never shows what its resources are
        f.DATA_FORMAT: _unique(record.get("data_format") or _derived(record, "data_format") or []),
        # what the resources declare, and what their links are (an .xls file declared "XSL" is also XLS)
        f.RES_FORMAT: _unique([(r.get("format") or "").strip().upper() for r in resources]
                              + [linked_format(r.get("url")) for r in resources]),
        f.LICENSE_ID: record.get("license_id"),
        f.TAGS: _unique(record.get("tags") or []),
        f.GROUPS: _unique(g.get("name") for g in record.get("groups") or []),
        f.DATA_LANGUAGE: _unique(record.get("data_language") or []),
        f.OBJECTIVE: _unique(record.get("objective") or []),
        f.SOURCE: record.get("source"),
        f.PLACE: derived.lineage(_derived(record, "places") or []),
        f.YEARS: _years(_derived(record, "years")),
    }


def _derived(record: Mapping[str, Any], item: str) -> Any:
    return ((record.get("derived") or {}).get(item) or {}).get("value")


def _derived_frequency(record: Mapping[str, Any]) -> str | None:
    """The frequency read from the text, when the record states none. ``update_frequency_unit`` is a
    name-tier facet (it counts records seen by name only), so a sensitive record's frequency may come
    from its title only: one read from its description or resources would reveal them."""
    block = (record.get("derived") or {}).get("update_frequency_unit") or {}
    if not block or (visibility(record) != f.OPEN and block.get("from") != ["title"]):
        return None
    return block.get("value")


def _years(span: list[int] | None) -> list[str]:
    return [str(y) for y in range(span[0], span[1] + 1)] if span else []


def _governance_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        f.VISIBILITY: visibility(record),
        f.CLASSIFICATION_LEVEL: classification_level(record),
        f.ALLOW_HARVEST: record.get("allow_harvest") is True,
        f.PRIVATE: record.get("private") is True,
        f.HIGH_VALUE_DATASET: record.get("high_value_dataset"),
        f.REFERENCE_DATA: record.get("reference_data"),
        f.OFFICIAL_STATISTICS: record.get("official_statistics"),
    }


def _date_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: record.get(name) or None
        for name in (f.METADATA_CREATED, f.METADATA_MODIFIED, f.LAST_UPDATED_DATE, f.CREATED_DATE)
    }


def to_document(record: Mapping[str, Any]) -> dict[str, Any]:
    """The index document for one validated canonical record (``_id`` is ``record["id"]``)."""
    quality = record.get("quality") or {}
    document: dict[str, Any] = {f.ID: record["id"], f.NAME: record.get("name")}
    document |= _text_fields(record)
    document |= _facet_fields(record)
    document |= _governance_fields(record)
    document |= _date_fields(record)
    document[f.QUALITY_SCORE] = quality.get("score")
    document |= stewardship_fields(record)
    document[f.RECORD] = dict(record)
    document[f.RECORD_HASH] = record_hash(record)
    return document


def with_quality(document: dict[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """The document again after a cross-record check changed only the record's quality findings."""
    quality = record.get("quality") or {}
    document[f.QUALITY_SCORE] = quality.get("score")
    document |= stewardship_fields(record)
    document[f.RECORD] = dict(record)
    document[f.RECORD_HASH] = record_hash(record)
    return document
