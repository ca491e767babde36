"""The one enforcement point: a principal becomes a visibility filter and a field redaction.

Every request that touches the index goes through ``portal.search.queries``, which applies
``scope_for(principal)`` to the query itself (never as a post-filter), so hits, totals,
aggregations, suggestions and get-by-id all see the same set of records.

Fail closed: a record is open only when the indexer marked it ``visibility: open`` *and* its
governance category is an open one (``indexer.codelists.open_categories()``, the one home of that rule:
public data); anything else needs a grant or an administrator. Index fields and their values are
``indexer.mapping``'s.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import g, has_request_context

from indexer import mapping as m
from indexer.codelists import open_categories
from portal.auth.principal import Grant, Principal

# Keys of the canonical record (not index fields) shown in the name tier: title, organization,
# category, classification, update frequency.
NAME_TIER_FIELDS = (
    "id", "name", "title", "title_en", "organization", "data_category", "data_classification",
    "update_frequency_unit", "update_frequency_interval", "metadata_modified", "access_request",
)

OPEN_FILTER: dict = {"bool": {"filter": [
    {"term": {m.VISIBILITY: m.OPEN}},
    {"terms": {m.DATA_CATEGORY: list(open_categories())}},
]}}
NOTHING: dict = {"bool": {"must_not": [{"match_all": {}}]}}
EVERYTHING: dict = {"match_all": {}}


@dataclass(frozen=True)
class Scope:
    """Two filters: records seen in full, and records seen by name only.

    ``full_restricted`` is the part of ``full`` outside the open records (``NOTHING`` for visitors
    and name-tier-only analysts): open records are ranked apart from everything else.
    """

    full: dict
    name_only: dict
    full_restricted: dict = field(default_factory=lambda: NOTHING)

    @property
    def any(self) -> dict:
        return {"bool": {"should": [self.full, self.name_only], "minimum_should_match": 1}}

    @property
    def open_only(self) -> bool:
        """Nothing but open records is visible: search the open index alone."""
        return self.full_restricted == NOTHING and self.name_only == NOTHING


def _grant_filter(grant: Grant) -> dict:
    clauses: list[dict] = [
        {"term": {m.VISIBILITY: m.SENSITIVE}},
        {"terms": {m.DATA_CATEGORY: sorted(grant.categories)}},
        {"range": {m.CLASSIFICATION_LEVEL: {"lte": grant.max_level}}},
    ]
    if grant.organizations is not None:
        clauses.append({"terms": {m.ORGANIZATION: sorted(grant.organizations)}})
    return {"bool": {"filter": clauses}}


def _any_of(filters: list[dict]) -> dict:
    if not filters:
        return NOTHING
    return {"bool": {"should": filters, "minimum_should_match": 1}}


def scope_for(principal: Principal) -> Scope:
    """Turn a principal into its visibility scope (the single function every query uses)."""
    if principal.is_admin:
        return Scope(full=EVERYTHING, name_only=NOTHING,
                     full_restricted={"bool": {"must_not": [OPEN_FILTER]}})
    full_grants = [_grant_filter(g) for g in principal.grants if g.full]
    name_grants = [_grant_filter(g) for g in principal.grants if not g.full]
    full = _any_of([OPEN_FILTER, *full_grants])
    name_only = {"bool": {"filter": [_any_of(name_grants)], "must_not": [full]}} if name_grants else NOTHING
    full_restricted = {"bool": {"filter": [_any_of(full_grants)], "must_not": [OPEN_FILTER]}} if full_grants \
        else NOTHING
    return Scope(full=full, name_only=name_only, full_restricted=full_restricted)


def _grant_covers(grant: Grant, doc: dict[str, Any]) -> bool:
    if doc.get(m.VISIBILITY) != m.SENSITIVE:
        return False
    if doc.get(m.DATA_CATEGORY) not in grant.categories:
        return False
    if int(doc.get(m.CLASSIFICATION_LEVEL) or 99) > grant.max_level:
        return False
    return grant.organizations is None or doc.get(m.ORGANIZATION) in grant.organizations


def is_open(doc: dict[str, Any]) -> bool:
    """Open to everybody: marked open by the indexer and in an open category (fail closed)."""
    return doc.get(m.VISIBILITY) == m.OPEN and doc.get(m.DATA_CATEGORY) in open_categories()


def _tier(principal: Principal, doc: dict[str, Any]) -> str | None:
    if principal.is_admin or is_open(doc):
        return "full"
    covering = [grant for grant in principal.grants if _grant_covers(grant, doc)]
    if any(grant.full for grant in covering):
        return "full"
    return "name" if covering else None


def access_tier(principal: Principal, doc: dict[str, Any]) -> str | None:
    """``"full"``, ``"name"`` or ``None`` for an index document (its ``_source``).

    Every record leaving the index passes here, so this is also where a sensitive record shown to
    someone is noted for the audit trail (written once per request by ``portal.auth.disclosure``).
    """
    tier = _tier(principal, doc)
    if tier is not None and not is_open(doc) and has_request_context():
        g.setdefault("gdc_disclosed", {})[str(doc.get(m.ID))] = tier
    return tier


def redact(record: dict[str, Any], tier: str | None) -> dict[str, Any] | None:
    """The record as the tier allows: everything, the name-tier fields, or nothing."""
    if tier == "full":
        return record
    if tier == "name":
        return {k: record[k] for k in NAME_TIER_FIELDS if k in record} | {"tier": "name"}
    return None
