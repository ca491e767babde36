"""Records seen by name are never ordered by what their tier hides (issue 16, items 2 and 3).

Autocomplete orders datasets by a quality score computed from every field (tags, contacts, description,
resources): for a record seen by name only that order would say how complete its hidden fields are.
Sorting by a hidden field (``metadata_created``, CKAN ``sort=metadata_created asc``) would place it
between neighbours whose visible dates bracket the hidden one. Both now treat the value as absent.
"""
from __future__ import annotations

import uuid

import pytest

from portal.auth.principal import Grant, Principal
from portal.search import queries
from portal.search.queries import SearchParams
from tests.canary import NAME_GRANT, ORGS
from tests.support import dataset, load_records

pytestmark = pytest.mark.integration

ANALYST = Principal(kind="analyst", username="somchai",
                    grants=(Grant(frozenset(NAME_GRANT[0]), NAME_GRANT[1], frozenset(NAME_GRANT[2])),))
ADMIN = Principal(kind="admin", username="root")
PREFIX = "ทะเบียนตรวจลำดับ"


def _named(id: str, title: str, quality: int, modified: str, created: str) -> dict:
    """A personal record the analyst's name grant covers."""
    return dataset(id, title=title, organization=ORGS["mixed"], data_category="personal",
                   data_classification="03", allow_harvest=True, quality={"score": quality, "findings": []},
                   metadata_modified=modified, metadata_created=created)


# Complete hidden fields and the oldest creation date on the *later* id; the newer record is poorer.
RICH = _named("s-zz-rich", f"{PREFIX}หนึ่ง", 98, "2024-01-01T00:00:00", "2020-01-01T00:00:00")
POOR = _named("s-aa-poor", f"{PREFIX}สอง", 5, "2025-06-01T00:00:00", "2023-06-01T00:00:00")
OPEN = [dataset(f"o-{n}", title=f"{PREFIX}เปิด{n}", quality={"score": 50 + n, "findings": []},
                metadata_created=f"202{n}-03-01T00:00:00") for n in range(1, 5)]


@pytest.fixture(scope="module")
def alias(es):
    name = f"test_{uuid.uuid4().hex[:10]}"
    load_records(es, name, OPEN + [RICH, POOR])
    yield name
    for index in es.indices.get_alias(name=name):
        es.indices.delete(index=index)


def _suggested(es, alias, principal) -> list[str]:
    return [s["value"] for s in queries.suggest(es, alias, PREFIX, principal, size=12) if s["kind"] == "dataset"]


def test_autocomplete_orders_name_tier_records_by_name_tier_fields_only(es, alias):
    suggested = _suggested(es, alias, ANALYST)
    named = [v for v in suggested if v.startswith("s-")]
    # As if neither had a quality score: newest modification first, the poorer record leads.
    assert named == ["s-aa-poor", "s-zz-rich"]
    # … and after every record the analyst sees in full with a quality score.
    assert suggested[-2:] == named
    # Open records keep their quality order; an administrator sees the real quality order.
    assert [v for v in suggested if v.startswith("o-")] == ["o-4", "o-3", "o-2", "o-1"]
    assert _suggested(es, alias, ADMIN)[:1] == ["s-zz-rich"]


@pytest.mark.parametrize("q", ["", PREFIX])
def test_sorting_by_a_hidden_field_places_name_tier_records_as_if_the_value_were_absent(es, alias, q):
    hits = queries.search(es, alias, SearchParams(q=q, sort="created", size=20), ANALYST).hits
    ids = [h["id"] for h in hits]
    # Open records by creation date; the two name-only records after them, in id order (as records
    # without a value are), not by their hidden creation dates (2020 would have come first).
    assert ids == ["o-1", "o-2", "o-3", "o-4", "s-aa-poor", "s-zz-rich"]
    admin = [h["id"] for h in queries.search(es, alias, SearchParams(q=q, sort="created", size=20), ADMIN).hits]
    assert admin == ["s-zz-rich", "o-1", "o-2", "o-3", "s-aa-poor", "o-4"]


@pytest.mark.parametrize("sort", ["modified", "title"])
def test_name_tier_sorts_are_unchanged(es, alias, sort):
    """Sorts on name-tier fields order name-only records among the others as before."""
    analyst = [h["id"] for h in queries.search(es, alias, SearchParams(sort=sort, size=20), ANALYST).hits]
    admin = [h["id"] for h in queries.search(es, alias, SearchParams(sort=sort, size=20), ADMIN).hits]
    assert analyst == admin


@pytest.mark.parametrize("page, size, expected", [
    (1, 3, ["o-1", "o-2", "o-3"]), (2, 3, ["o-4", "s-aa-poor", "s-zz-rich"]), (3, 3, []),
    (2, 2, ["o-3", "o-4"]), (3, 2, ["s-aa-poor", "s-zz-rich"]), (2, 4, ["s-aa-poor", "s-zz-rich"]),
    (3, 1, ["o-3"]), (6, 1, ["s-zz-rich"]),
])
def test_pages_of_a_hidden_field_sort_join_without_gaps(es, alias, page, size, expected):
    result = queries.search(es, alias, SearchParams(sort="created", size=size, page=page), ANALYST)
    assert [h["id"] for h in result.hits] == expected
    assert result.total == 6


def test_exports_follow_the_same_order(es, alias):
    """The CSV export (``iter_search``) orders name-only records as the search does."""
    exported = [r["id"] for r in queries.iter_search(es, alias, SearchParams(sort="created"), ANALYST, batch=2)]
    assert exported == ["o-1", "o-2", "o-3", "o-4", "s-aa-poor", "s-zz-rich"]
