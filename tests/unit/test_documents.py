"""Canonical record → index document: governance fields fail closed, text is segmented by analyzers."""
from __future__ import annotations

import pytest

from indexer import documents, mapping as m
from tests.support import dataset


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"data_category": "public", "private": False}, m.OPEN),
        ({"data_category": "public", "private": True}, m.HIDDEN),
        ({"data_category": "public", "private": True, "allow_harvest": True}, m.HIDDEN),
        ({"data_category": "personal", "allow_harvest": True}, m.SENSITIVE),
        ({"data_category": "secret", "allow_harvest": True, "private": True}, m.SENSITIVE),
        ({"data_category": "internal", "allow_harvest": False}, m.HIDDEN),
        ({"data_category": "security", "allow_harvest": "True"}, m.HIDDEN),  # only a real boolean consents
        ({"data_category": None, "allow_harvest": False}, m.HIDDEN),
        ({"data_category": "ข้อมูลสาธารณะ"}, m.HIDDEN),  # a label, not a code: never guessed open
    ],
)
def test_visibility_is_open_only_for_public_non_private(fields, expected):
    assert documents.visibility(dataset(**fields)) == expected


@pytest.mark.parametrize(
    "category, classification, level",
    [
        ("public", "01", 1), ("personal", "03", 3), ("security", "05", 5), ("internal", "02", 2),
        ("public", None, 1), ("internal", None, 2), ("personal", None, 4),
        ("secret", None, 5), ("security", None, 5), (None, None, 5), ("unknown", "", 5),
        ("personal", "99", 5), ("personal", "x", 5),
    ],
)
def test_classification_level_from_code_or_highest_the_category_allows(category, classification, level):
    record = dataset(data_category=category, data_classification=classification)
    assert documents.classification_level(record) == level


def test_document_carries_segmented_title_words():
    document = documents.to_document(dataset(title="ที่ตั้งโรงเรียนในสังกัดสำนักงาน"))
    assert "โรงเรียน" in document[m.TITLE_WORDS].split()
    assert document[m.TITLE_SHINGLES]
    assert document[m.TITLE_SUB]
    assert "โรงเรียน" in document[m.SUGGEST_WORDS]


def test_document_facet_fields_come_from_the_record():
    record = dataset(
        "d1", organization={"name": "bma", "title": "กรุงเทพมหานคร"}, tags=["น้ำ", "น้ำ", "ฝน"],
        resources=[{"name": "a", "format": "csv"}, {"name": "b", "format": " CSV "},
                   {"name": "c", "format": "pdf"}],
        groups=[{"name": "env", "title": "สิ่งแวดล้อม"}],
    )
    document = documents.to_document(record)
    assert document[m.ID] == "d1"
    assert document[m.ORGANIZATION] == "bma"
    assert document[m.ORGANIZATION_TITLE] == "กรุงเทพมหานคร"
    assert document[m.TAGS] == ["น้ำ", "ฝน"]
    assert document[m.RES_FORMAT] == ["CSV", "PDF"]
    assert document[m.GROUPS] == ["env"]
    assert document[m.SOURCE] == "test"
    assert document[m.QUALITY_SCORE] == 100
    assert document[m.RECORD] == record


def test_a_resource_offers_the_format_its_link_names_too():
    """data.go.th declares .xls files "XSL" (an XML stylesheet): the record offers XLS too, so the format
    facet and "Excel" find it; a link that names no known format adds nothing."""
    record = dataset("d2", resources=[{"name": "a", "format": "XSL", "url": "https://x.go.th/a.xls"},
                                      {"name": "b", "format": "CSV", "url": "https://x.go.th/b.csv"},
                                      {"name": "c", "format": "ZIP", "url": "https://x.go.th/download?id=3"}])
    assert documents.to_document(record)[m.RES_FORMAT] == ["XSL", "CSV", "ZIP", "XLS"]


def test_every_document_field_is_in_the_mapping():
    document = documents.to_document(dataset())
    assert set(document) <= set(m.mappings()["properties"])


def test_record_hash_changes_with_the_record_only():
    record = dataset("h")
    assert documents.record_hash(record) == documents.record_hash(dict(record))
    assert documents.record_hash(record) != documents.record_hash(dataset("h", data_category="personal"))


def test_empty_optional_text_does_not_break_the_document():
    document = documents.to_document(dataset(notes=None, tags=[], organization={"name": "o", "title": None}))
    assert document[m.NOTES_WORDS] == ""
    assert document[m.TAGS_WORDS] == ""
    assert document[m.ORGANIZATION_WORDS] == ""


def test_with_quality_refreshes_score_and_record():
    record = dataset("q")
    document = documents.to_document(record)
    changed = dict(record, quality={"score": 50, "findings": [{"rule": "duplicate_title"}]})
    documents.with_quality(document, changed)
    assert document[m.QUALITY_SCORE] == 50
    assert document[m.RECORD]["quality"]["score"] == 50
    assert document[m.RECORD_HASH] == documents.record_hash(changed)
