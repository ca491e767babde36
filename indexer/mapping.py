"""The one index definition: settings, mappings, field names and the schema version.

The portal reads only the aliases (``GDC_INDEX``, default ``gdc-datasets``, and its ``-open`` twin).
Records live in two physical indices, one per *partition* (``<alias>-v<INDEX_VERSION>-<timestamp>-open``
and ``…-restricted``), built whole by ``indexer.rebuild`` before the aliases move to them: the alias
covers both, ``<alias>-open`` the open one only. Relevance statistics (document frequencies, average
lengths) are kept per index, so the open records are ranked by statistics of open records alone and
no sensitive or hidden record can shift their order or scores.

Change anything below that alters how a document is indexed → bump ``INDEX_VERSION``
(an incremental ``load`` refuses to write into an index built with another version).

Thai text is segmented in Python by ``analyzers.thai`` (the same function at index and query time)
and stored space-joined, so the built-in ``whitespace`` analyzer only has to split on spaces.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from analyzers import dictionary, embedding

# Deep paging stops here (``index.max_result_window``): the portal's schemas and queries refuse a page
# past it with a 400 that says why, rather than letting Elasticsearch fail.
MAX_RESULT_WINDOW = 10_000
# Keyword values longer than this are not indexed (``ignore_above``), so nothing can be found by one.
KEYWORD_MAX_LENGTH = 512

INDEX_VERSION = 8  # 2: governance fields; 3: open and restricted records in separate physical indices;
#                   4: place and years read from the text (indexer/derived.py); 5: meaning vector (embedding);
#                   6: one meaning vector per passage of a record (``passages``, nested);
#                   7: resource formats also as their links name them, data format read from them when
#                      undeclared; resource findings keyed by rule;
#                   8: a Latin word written with hyphens also indexed joined (O-NET → onet,
#                      thai.hyphen_joined)

# --- field names (the portal imports these; never spell them as literals elsewhere) ---------------
ID = "id"
NAME = "name"
TITLE_WORDS = "title_words"
TITLE_SHINGLES = "title_shingles"
TITLE_SUB = "title_sub"
NOTES_WORDS = "notes_words"
NOTES_SUB = "notes_sub"
TAGS_WORDS = "tags_words"
ORGANIZATION_WORDS = "organization_words"
TITLE_EN = "title_en"
NOTES_EN = "notes_en"
SUGGEST_WORDS = "suggest_words"
TITLE_SORT = "title_sort"
ORGANIZATION = "organization"
ORGANIZATION_TITLE = "organization_title"
DATA_CATEGORY = "data_category"
DATA_CLASSIFICATION = "data_classification"
CLASSIFICATION_LEVEL = "classification_level"
VISIBILITY = "visibility"
DATA_TYPE = "data_type"
UPDATE_FREQUENCY_UNIT = "update_frequency_unit"
GEO_COVERAGE = "geo_coverage"
DATA_FORMAT = "data_format"
RES_FORMAT = "res_format"
LICENSE_ID = "license_id"
TAGS = "tags"
GROUPS = "groups"
DATA_LANGUAGE = "data_language"
OBJECTIVE = "objective"
SOURCE = "source"
ALLOW_HARVEST = "allow_harvest"
PRIVATE = "private"
HIGH_VALUE_DATASET = "high_value_dataset"
REFERENCE_DATA = "reference_data"
OFFICIAL_STATISTICS = "official_statistics"
METADATA_CREATED = "metadata_created"
METADATA_MODIFIED = "metadata_modified"
LAST_UPDATED_DATE = "last_updated_date"
CREATED_DATE = "created_date"
QUALITY_SCORE = "quality_score"
RECORD = "record"
RECORD_HASH = "record_hash"
# Governance views (indexer/stewardship.py): unmet mandatory items, finding keys, next update due.
QUALITY_GAPS = "quality_gaps"
QUALITY_FINDINGS = "quality_findings"
UPDATE_DUE = "update_due"
PLACE = "place"          # derived place codes with their ancestors (region, province, district)
YEARS = "years"          # Buddhist-era years covered, from the text (derived)
# The record's meaning vectors (indexer/vectors.py), when the semantic layer is on: one per passage (its
# title and start, then the rest of a long description), each ``{EMBEDDING: vector}`` in ``PASSAGES``.
PASSAGES = "passages"
EMBEDDING = "embedding"
VECTOR = f"{PASSAGES}.{EMBEDDING}"  # what ``knn`` searches: a record is as near as its nearest passage

# Values of ``visibility`` (see docs/architecture.md, "The visibility contract").
OPEN, SENSITIVE, HIDDEN = "open", "sensitive", "hidden"

# Thai-segmented text: one space-joined token stream per field.
SEGMENTED_TEXT_FIELDS = (
    TITLE_WORDS, TITLE_SHINGLES, TITLE_SUB, NOTES_WORDS, NOTES_SUB, TAGS_WORDS, ORGANIZATION_WORDS,
)
POSITIONLESS_TEXT_FIELDS = (TITLE_SHINGLES, TITLE_SUB, NOTES_SUB)
ENGLISH_TEXT_FIELDS = (TITLE_EN, NOTES_EN)
KEYWORD_FIELDS = (
    ID, NAME, SUGGEST_WORDS, TITLE_SORT, ORGANIZATION, ORGANIZATION_TITLE, DATA_CATEGORY,
    DATA_CLASSIFICATION, VISIBILITY, DATA_TYPE, UPDATE_FREQUENCY_UNIT, GEO_COVERAGE, DATA_FORMAT,
    RES_FORMAT, LICENSE_ID, TAGS, GROUPS, DATA_LANGUAGE, OBJECTIVE, SOURCE, RECORD_HASH,
    QUALITY_GAPS, QUALITY_FINDINGS, PLACE, YEARS,
)
BOOLEAN_FIELDS = (ALLOW_HARVEST, PRIVATE, HIGH_VALUE_DATASET, REFERENCE_DATA, OFFICIAL_STATISTICS)
# Every search page and the default API answer count these facets: their global ordinals are built
# when a refresh publishes new documents, not by the first search after it (a search-time setting:
# existing indices take it with a mapping update, documents are indexed the same).
FACET_FIELDS = (ORGANIZATION, DATA_CATEGORY, UPDATE_FREQUENCY_UNIT, GEO_COVERAGE, DATA_TYPE, DATA_FORMAT,
                RES_FORMAT, LICENSE_ID, TAGS, PLACE, YEARS)
DATE_FIELDS = (METADATA_CREATED, METADATA_MODIFIED, LAST_UPDATED_DATE, CREATED_DATE, UPDATE_DUE)
INTEGER_FIELDS = (CLASSIFICATION_LEVEL, QUALITY_SCORE)


def _properties() -> dict:
    props: dict = {}
    for name in SEGMENTED_TEXT_FIELDS:
        props[name] = {"type": "text", "analyzer": "whitespace"}
    for name in POSITIONLESS_TEXT_FIELDS:
        # Trigrams and word pairs are matched as bags of terms, never as phrases.
        props[name]["index_options"] = "freqs"
    for name in ENGLISH_TEXT_FIELDS:
        props[name] = {"type": "text", "analyzer": "standard"}
    for name in KEYWORD_FIELDS:
        props[name] = {"type": "keyword", "ignore_above": KEYWORD_MAX_LENGTH}
    for name in FACET_FIELDS:
        props[name]["eager_global_ordinals"] = True
    for name in BOOLEAN_FIELDS:
        props[name] = {"type": "boolean"}
    for name in DATE_FIELDS:
        # A malformed legacy date must not cost the record its place in the catalogue.
        props[name] = {"type": "date", "ignore_malformed": True}
    for name in INTEGER_FIELDS:
        props[name] = {"type": "integer"}
    props[RECORD] = {"type": "object", "enabled": False}
    # Searched with ``knn`` (free licence); int8 quantisation keeps a quarter of the float memory with
    # no measurable change in the ranking. Unit vectors: cosine is their dot product. Nested: ``knn`` on
    # ``VECTOR`` ranks records by their nearest passage, and its filter reads the record's own fields.
    props[PASSAGES] = {"type": "nested", "properties": {
        EMBEDDING: {"type": "dense_vector", "dims": embedding.DIMENSIONS, "similarity": "cosine",
                    "index": True, "index_options": {"type": "int8_hnsw"}}}}
    return props


def mappings() -> dict:
    """The index mappings; ``dynamic: strict`` turns a misspelt field into a loud bulk error."""
    return {
        "dynamic": "strict",
        # The Thai dictionary decides every segmented field: an index is only ever extended with
        # documents analysed by the same dictionary (``indices.check_version``).
        "_meta": {"index_version": INDEX_VERSION, "dictionary_version": dictionary.version()},
        # The segmented forms and the vectors are derived from ``record`` and only searched, never read
        # back: keeping them out of ``_source`` halves what every bulk request makes the node store.
        "_source": {"excludes": [*SEGMENTED_TEXT_FIELDS, PASSAGES]},
        "properties": _properties(),
    }


# Serving settings; ``auto_expand_replicas`` keeps a single local node green and a cluster redundant.
SERVING_SETTINGS = {
    "index.refresh_interval": "1s",
    "index.auto_expand_replicas": "0-1",
    "index.translog.durability": "request",
}
# While a new index is bulk-loaded nobody reads it: no refreshes, no replicas to copy to, and no
# fsync per request (a crash mid-load only loses an index that is rebuilt from scratch anyway).
BULK_SETTINGS = {
    "index.refresh_interval": "-1",
    "index.auto_expand_replicas": False,
    "index.number_of_replicas": 0,
    "index.translog.durability": "async",
}


def settings(for_bulk: bool = False) -> dict:
    """Index settings at creation time (``for_bulk``: tuned for a full load, restored afterwards)."""
    base = {
        "index.number_of_shards": 1,
        "index.max_result_window": MAX_RESULT_WINDOW,
    }
    return base | (BULK_SETTINGS if for_bulk else SERVING_SETTINGS)


# --- physical index names -------------------------------------------------------------------------
_TIMESTAMP_FORMAT = "%Y%m%d%H%M%S%f"


def physical_index_name(alias: str, now: datetime | None = None) -> str:
    """``<alias>-v<version>-<UTC timestamp to the microsecond>``, e.g. ``gdc-datasets-v1-2026…``: the
    name of one build; its physical indices add the partition (``partition_index_name``)."""
    now = now or datetime.now(timezone.utc)
    return f"{alias}-v{INDEX_VERSION}-{now.strftime(_TIMESTAMP_FORMAT)}"


def physical_index_pattern(alias: str) -> re.Pattern:
    """Matches every physical index ever built for ``alias``, whatever its version (and partition)."""
    return re.compile(rf"^{re.escape(alias)}-v(\d+)-(\d{{20}})(?:-({'|'.join(PARTITIONS)}))?$")


# --- partitions: open records apart from everything else -------------------------------------------
OPEN_PARTITION, RESTRICTED_PARTITION = "open", "restricted"
PARTITIONS = (OPEN_PARTITION, RESTRICTED_PARTITION)


def partition_of(visibility: str) -> str:
    """Open records (``visibility: open``, which implies the public category) in one index, every
    other record — sensitive or hidden, whatever it is — in the other: fail closed."""
    return OPEN_PARTITION if visibility == OPEN else RESTRICTED_PARTITION


def partition_index_name(build: str, partition: str) -> str:
    """``<build>-open`` / ``<build>-restricted`` (``build`` from ``physical_index_name``)."""
    return f"{build}-{partition}"


def partition_of_index(index_name: str, alias: str) -> str | None:
    match = physical_index_pattern(alias).match(index_name)
    return match.group(3) if match else None


def open_alias(alias: str) -> str:
    """The alias of the open partition only: what visitors and analysts without grants search."""
    return f"{alias}-open"


def index_version_of(index_name: str, alias: str) -> int | None:
    """The schema version a physical index was built with, or ``None`` if it is not one of ours."""
    match = physical_index_pattern(alias).match(index_name)
    return int(match.group(1)) if match else None
