"""The one enforcement point: principal → scope filters, tiers and redaction (no Elasticsearch)."""
from __future__ import annotations

import json

import pytest
from flask import Flask, g

from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.auth.visibility import (EVERYTHING, NAME_TIER_FIELDS, NOTHING, OPEN_FILTER, access_tier, is_open,
                                    redact, scope_for)

ADMIN = Principal(kind="admin", username="root")
PERSONAL_MOPH = Grant(categories=frozenset({"personal"}), max_level=3, organizations=frozenset({"moph"}))
SECRET_FULL = Grant(categories=frozenset({"secret", "security"}), max_level=5, full=True)
ANALYST = Principal(kind="analyst", username="somchai", grants=(PERSONAL_MOPH, SECRET_FULL))


def doc(**fields) -> dict:
    base = {"id": "d1", "visibility": "sensitive", "data_category": "personal", "classification_level": 3,
            "organization": "moph"}
    return base | fields


def test_anonymous_sees_open_records_only():
    scope = scope_for(ANONYMOUS)
    assert scope.full == {"bool": {"should": [OPEN_FILTER], "minimum_should_match": 1}}
    assert scope.name_only == NOTHING
    assert json.dumps(scope.any).count('"sensitive"') == 0


def test_open_filter_needs_both_open_visibility_and_public_category():
    assert {"term": {"visibility": "open"}} in OPEN_FILTER["bool"]["filter"]
    assert {"terms": {"data_category": ["public"]}} in OPEN_FILTER["bool"]["filter"]


def test_analyst_with_no_grants_is_anonymous():
    assert scope_for(Principal(kind="analyst", username="x")) == scope_for(ANONYMOUS)


def test_admin_sees_everything_in_full():
    scope = scope_for(ADMIN)
    assert scope.full == EVERYTHING and scope.name_only == NOTHING


def test_name_grant_filter_names_every_dimension():
    scope = scope_for(Principal(kind="analyst", username="a", grants=(PERSONAL_MOPH,)))
    text = json.dumps(scope.name_only)
    for clause in ('{"term": {"visibility": "sensitive"}}', '{"terms": {"data_category": ["personal"]}}',
                   '{"range": {"classification_level": {"lte": 3}}}',
                   '{"terms": {"organization": ["moph"]}}'):
        assert clause in text
    # records seen in full are never also "name only"
    assert scope.name_only["bool"]["must_not"] == [scope.full]


def test_full_grant_joins_the_full_scope():
    scope = scope_for(Principal(kind="analyst", username="a", grants=(SECRET_FULL,)))
    assert scope.name_only == NOTHING
    assert '"secret"' in json.dumps(scope.full) and '"organization"' not in json.dumps(scope.full)


@pytest.mark.parametrize("principal, fields, tier", [
    (ANONYMOUS, {"visibility": "open", "data_category": "public"}, "full"),
    (ANONYMOUS, {}, None),
    (ANONYMOUS, {"visibility": "open", "data_category": "personal"}, None),  # fail closed
    (ANALYST, {}, "name"),
    (ANALYST, {"classification_level": 4}, None),
    (ANALYST, {"organization": "nso"}, None),
    (ANALYST, {"data_category": "internal"}, None),
    (ANALYST, {"visibility": "hidden"}, None),  # no consent: administrators only
    (ANALYST, {"classification_level": None}, None),  # unknown level: fail closed
    (ANALYST, {"data_category": "secret", "classification_level": 5, "organization": "nso"}, "full"),
    (ANALYST, {"data_category": "security", "visibility": "hidden"}, None),
    (ADMIN, {"visibility": "hidden"}, "full"),
])
def test_access_tier(principal, fields, tier):
    assert access_tier(principal, doc(**fields)) == tier


def test_is_open():
    assert is_open({"visibility": "open", "data_category": "public"})
    assert not is_open({"visibility": "open"})
    assert not is_open({"data_category": "public", "visibility": "hidden"})


RECORD = {
    "id": "d1", "name": "slug", "title": "ทะเบียนผู้ป่วย", "title_en": "Patients", "notes": "secret words",
    "tags": ["t"], "resources": [{"url": "u"}], "maintainer": "m", "maintainer_email": "m@x",
    "organization": {"name": "moph"}, "data_category": "personal", "data_classification": "03",
    "update_frequency_unit": "M", "update_frequency_interval": 1, "metadata_modified": "2025-01-01T00:00:00",
    "access_request": "ยื่นคำขอที่ ...", "url": "https://x", "extras": {"a": 1}, "quality": {"score": 1},
}


def test_redact_name_tier_keeps_exactly_the_name_fields():
    out = redact(RECORD, "name")
    assert set(out) == (set(NAME_TIER_FIELDS) & set(RECORD)) | {"tier"}
    for hidden in ("notes", "tags", "resources", "maintainer", "maintainer_email", "url", "extras",
                   "quality"):
        assert hidden not in out


def test_redact_full_and_none():
    assert redact(RECORD, "full") is RECORD
    assert redact(RECORD, None) is None


def test_disclosures_of_sensitive_records_are_noted_for_the_audit():
    app = Flask(__name__)
    with app.test_request_context("/search?q=x"):
        access_tier(ANALYST, doc(id="s1"))
        access_tier(ANALYST, doc(id="s2", classification_level=5))  # not visible: not noted
        # open records are not noted
        access_tier(ANONYMOUS, {"id": "o1", "visibility": "open", "data_category": "public"})
        assert g.gdc_disclosed == {"s1": "name"}


def test_access_tier_needs_no_request():
    assert access_tier(ANALYST, doc()) == "name"


@pytest.mark.parametrize("fields, expected", [
    ({"data_category": "public"}, True),
    ({"data_category": "public", "private": True}, False),
    ({"data_category": "internal", "allow_harvest": True}, False),
    ({"data_category": "personal"}, False),
])
def test_the_portal_reads_the_indexers_open_rule_the_same_way(fields, expected):
    """A document the indexer builds is open to the portal exactly when the indexer marked it open."""
    from indexer import documents, mapping

    record = {"id": "r", "title": "ข้อมูล", "organization": {"name": "o", "title": "หน่วยงาน"}, **fields}
    document = documents.to_document(record)
    assert (document[mapping.VISIBILITY] == mapping.OPEN) is expected
    assert is_open(document) is expected
