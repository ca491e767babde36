"""Request arguments of a search, validated at the boundary: the one schema of the search page, the
widget, the insights filters and (as the subclass ``portal.api.args.V1SearchArgs``) the JSON API.

``q``, one repeatable parameter per facet named after the standard's field (``organization``,
``data_category`` …), ``sort`` (relevance | modified | title), ``page`` and ``size``; ``year_from`` and
``year_to`` (Buddhist era) select the years in between as values of the ``year`` facet.

A facet parameter repeats for OR; any other parameter given twice counts with its **first** value
(Werkzeug's ``MultiDict.get``), on the pages and in the API alike.
"""
from __future__ import annotations

from typing import Any, Mapping

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from indexer.mapping import MAX_RESULT_WINDOW
from portal.search.facets import NAMES
from portal.search.queries import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS, SearchParams

MAX_QUERY_LENGTH = 500
MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 512
YEAR_MIN, YEAR_MAX = 2480, 2600    # Buddhist era, as analyzers.periods reads years
DEFAULT_OPEN_RANGE = MAX_VALUES_PER_FACET - 1
_VALUE = fields.String(validate=validate.Length(min=1, max=MAX_VALUE_LENGTH))


class SearchArgsSchema(Schema):
    """``SearchArgsSchema().load(request.args)`` → :class:`SearchParams` (or ``ValidationError``)."""

    class Meta:
        unknown = RAISE

    q = fields.String(load_default="", validate=validate.Length(max=MAX_QUERY_LENGTH))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(tuple(SORTS)))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    size = fields.Integer(load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    # A range of Buddhist-era years (the page shows BE): becomes the ``year`` facet's values.
    year_from = fields.Integer(load_default=None, validate=validate.Range(min=YEAR_MIN, max=YEAR_MAX))
    year_to = fields.Integer(load_default=None, validate=validate.Range(min=YEAR_MIN, max=YEAR_MAX))
    locals().update({
        name: fields.List(_VALUE, load_default=list, validate=validate.Length(max=MAX_VALUES_PER_FACET))
        for name in NAMES
    })

    @validates_schema
    def _within_result_window(self, data: dict, **_: Any) -> None:
        if data["page"] * data["size"] > MAX_RESULT_WINDOW:
            raise ValidationError(
                f"Only the first {MAX_RESULT_WINDOW} results can be paged through; "
                f"page {data['page']} of {data['size']} goes past them. Narrow the search instead.",
                field_name="page",
            )

    @validates_schema
    def _year_range(self, data: dict, **_: Any) -> None:
        check_year_range(data.get("year_from"), data.get("year_to"))

    @post_load
    def _to_params(self, data: dict, **_: Any) -> SearchParams:
        filters = {name: list(dict.fromkeys(v.strip() for v in data[name] if v.strip()))
                   for name in NAMES if data.get(name)}
        years = year_range(data.get("year_from"), data.get("year_to"))
        if years:
            filters["year"] = list(dict.fromkeys([*filters.get("year", []), *years]))
        return SearchParams(q=" ".join(data["q"].split()), filters={k: v for k, v in filters.items() if v},
                            sort=data["sort"], page=data["page"], size=data["size"],
                            facets=data.get("facets"))


def check_year_range(start: int | None, end: int | None) -> None:
    """``year_to`` before ``year_from``, or a span too long to select, is a 400 that says why."""
    if start and end and not 0 <= end - start < MAX_VALUES_PER_FACET:
        raise ValidationError(f"year_to must be from year_from up to {MAX_VALUES_PER_FACET - 1} years later "
                              f"(Buddhist era, e.g. year_from=2560&year_to=2565)", field_name="year_to")


def year_range(start: int | None, end: int | None) -> list[str]:
    """``year_from``/``year_to`` (BE, either may be open) → the years, as the ``year`` facet values."""
    if start is None and end is None:
        return []
    start = start if start is not None else (end or YEAR_MAX) - DEFAULT_OPEN_RANGE
    end = end if end is not None else min(start + DEFAULT_OPEN_RANGE, YEAR_MAX)
    return [str(y) for y in range(max(start, YEAR_MIN), end + 1)][:MAX_VALUES_PER_FACET]


class LenientSearchArgsSchema(SearchArgsSchema):
    """For pages: unknown parameters (e.g. tracking tags on a shared link) are ignored, not refused."""

    class Meta:
        unknown = EXCLUDE


def search_input(args: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten a MultiDict (or a dict of values or lists): facet parameters keep every value, the
    others keep their first."""
    getlist = getattr(args, "getlist", None)
    out: dict[str, Any] = {}
    for key in args:
        values = getlist(key) if getlist else (args[key] if isinstance(args[key], list) else [args[key]])
        out[key] = list(values) if key in NAMES else values[0]
    return out


def parse_search_args(args: Mapping[str, Any], strict: bool = True) -> SearchParams:
    """Validated :class:`SearchParams` from request arguments; raises ``ValidationError`` (→ 400)."""
    schema = SearchArgsSchema() if strict else LenientSearchArgsSchema()
    return schema.load(search_input(args))
