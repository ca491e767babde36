"""Every API request's arguments pass through one of these marshmallow schemas.

The JSON API v1 takes the search page's parameters (the standard's field names, repeatable for OR).
The CKAN schemas follow CKAN's ``default_package_search_schema`` and friends: the same names, the
same defaults, and CKAN's limits (``rows`` ≤ 1000, ``start`` ≥ 0, ``facet.field`` a JSON list).
"""
from __future__ import annotations

import json
from typing import Any, Mapping, NamedTuple

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema
from werkzeug.datastructures import MultiDict

from indexer.mapping import MAX_RESULT_WINDOW
from portal.search.facets import NAMES as FACET_NAMES
from portal.search.params import SearchArgsSchema
from portal.search.queries import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS, SearchParams

V1_MAX_SIZE = MAX_PAGE_SIZE
V1_SORTS = tuple(SORTS)
CKAN_MAX_ROWS = 1000
CKAN_DEFAULT_ROWS = 10
CKAN_DEFAULT_FACET_LIMIT = 50


class FacetNames(fields.String):
    """``facets=organization,tags``: the facets to count (empty: none); absent means all of them."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(n.strip() for n in super()._deserialize(value, attr, data).split(",")
                                    if n.strip()))
        unknown = [n for n in names if n not in FACET_NAMES]
        if unknown:
            raise ValidationError(f"unknown facet {', '.join(unknown)} (known: {', '.join(FACET_NAMES)})")
        return names


class V1Search(NamedTuple):
    params: SearchParams
    partial: bool  # also the records holding some words but not all (the page's own section)


class V1SearchArgs(SearchArgsSchema):
    """``/api/v1/search``: the search page's arguments (loaded into ``SearchParams``), plus ``facets`` and
    ``partial``; ``size=0`` is allowed here (facet counts only)."""

    size = fields.Integer(load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=0, max=V1_MAX_SIZE))
    facets = FacetNames(load_default=None)
    partial = fields.Boolean(load_default=False)

    @post_load
    def _to_params(self, data: dict, **kwargs: Any) -> V1Search:
        partial = data.pop("partial")
        return V1Search(SearchArgsSchema._to_params(self, data, **kwargs), partial)


class V1SuggestArgs(Schema):
    class Meta:
        unknown = RAISE

    q = fields.String(required=True, validate=validate.Length(min=1, max=100))
    size = fields.Integer(load_default=8, validate=validate.Range(min=1, max=20))


class V1ListArgs(Schema):
    class Meta:
        unknown = RAISE


# --- CKAN ------------------------------------------------------------------------------------------
class JsonList(fields.Field):
    """A list given as a real list (JSON POST body) or as a JSON string (query string)."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> list[str]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise ValidationError("Could not parse as valid JSON") from exc
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError("Not a list of strings")
        return value


class CkanBoolean(fields.Boolean):
    truthy = fields.Boolean.truthy | {"True", "yes"}
    falsy = fields.Boolean.falsy | {"False", "no", ""}


class PackageSearchArgs(Schema):
    """CKAN ``package_search``. Unknown parameters are CKAN's "Search Query Error", raised by the view."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="", validate=validate.Length(max=500))
    fq = fields.String(load_default="", validate=validate.Length(max=2000))
    fq_list = JsonList(load_default=list)
    sort = fields.String(load_default="score desc, metadata_modified desc", validate=validate.Length(max=200))
    rows = fields.Integer(load_default=CKAN_DEFAULT_ROWS, validate=validate.Range(
        min=0, max=CKAN_MAX_ROWS, error=f"Must be a natural number no greater than {CKAN_MAX_ROWS}"))
    start = fields.Integer(load_default=0, validate=validate.Range(min=0, error="Must be a natural number"))
    facet = CkanBoolean(load_default=True)
    facet_field = JsonList(data_key="facet.field", load_default=list)
    facet_limit = fields.Integer(data_key="facet.limit", load_default=CKAN_DEFAULT_FACET_LIMIT,
                                 validate=validate.Range(min=-1, max=1000))
    facet_mincount = fields.Integer(data_key="facet.mincount", load_default=1,
                                    validate=validate.Range(min=0, error="Must be a natural number"))
    include_private = CkanBoolean(load_default=False)
    include_drafts = CkanBoolean(load_default=False)
    include_deleted = CkanBoolean(load_default=False)
    use_default_schema = CkanBoolean(load_default=False)

    @validates_schema
    def _known_facets(self, data: dict, **kwargs) -> None:
        unknown = [name for name in data.get("facet_field", []) if name not in FACET_NAMES]
        if unknown:
            raise ValidationError(
                f"Unknown facet field: {', '.join(unknown)} (known: {', '.join(FACET_NAMES)})",
                field_name="facet.field",
            )

    @validates_schema
    def _inside_result_window(self, data: dict, **kwargs) -> None:
        if data.get("start", 0) + data.get("rows", 0) > MAX_RESULT_WINDOW:
            raise ValidationError(f"start + rows may not pass {MAX_RESULT_WINDOW}", field_name="start")


# Parameters CKAN/Solr would accept that carry no meaning here; any other name is refused, as Solr does.
PACKAGE_SEARCH_IGNORED = frozenset({"callback", "_", "defType", "qf", "fl", "hl", "mm", "tie", "bf",
                                    "df", "wt", "q.op", "facet.sort", "facet.prefix", "indent"})
PACKAGE_SEARCH_KNOWN = frozenset(
    {f.data_key or name for name, f in PackageSearchArgs._declared_fields.items()}
) | PACKAGE_SEARCH_IGNORED


class IdArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    include_datasets = CkanBoolean(load_default=False)


class PagingArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=None, allow_none=True,
                           validate=validate.Range(min=0, error="Must be a natural number"))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, error="Must be a natural number"))
    all_fields = CkanBoolean(load_default=False)
    include_private = CkanBoolean(load_default=False)
    sort = fields.String(load_default="name asc")
    query = fields.String(load_default="", validate=validate.Length(max=200))
    q = fields.String(load_default="", validate=validate.Length(max=200))


class HelpArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True)


def ckan_input(args: MultiDict, body: Mapping[str, Any] | None) -> dict[str, Any]:
    """CKAN actions take a JSON body (``ckanapi``'s POST) or query-string arguments (GET)."""
    if body is not None:
        return dict(body)
    return {key: args.getlist(key)[-1] for key in args}
