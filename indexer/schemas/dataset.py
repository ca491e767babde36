"""The dataset record of the national standard, loaded into the canonical record (docs/architecture.md).

Input: a dict in the standard's field names (see :mod:`indexer.schemas.shapes` for how each source
format gets there). Output: the canonical record, with codes instead of labels. Errors that reject the
record are raised as a ValidationError whose messages are :class:`~indexer.schemas.problems.Problem`;
irregularities that keep the record are collected as quality notes.
"""
from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validates_schema

from indexer import codelists

from .fields import Code, Codes, Date, DateTime, Email, Flag, Link, Number, Text, clean_text
from .geospatial import GeospatialSchema
from .organization import OrganizationSchema
from .problems import note, problem
from .resource import Resources
from .statistics import StatisticsSchema
from .tags import Tags

STATISTICS_TYPE = "3"
GEOSPATIAL_TYPE = "2"
MULTIPLE_TYPE = "multiple"


class GroupSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # CKAN group bookkeeping (id, image_display_url…) says nothing about the data

    name = Text(allow_none=True)
    title = Text(allow_none=True)
    display_name = Text(allow_none=True)

    @post_load
    def shape(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {"name": data.get("name"), "title": data.get("title") or data.get("display_name")}


class Interval(Number):
    """``update_frequency_interval``: a positive number, or blank."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | float | None:
        number = super()._deserialize(value, attr, data, **kwargs)
        if number is not None and number <= 0:
            note("interval_invalid", "update_frequency_interval", number)
            return None
        return number


class DatasetSchema(Schema):
    id = Text(allow_none=True)
    name = Text(allow_none=True)
    title = Text(allow_none=True)
    title_en = Text(allow_none=True)
    notes = Text(allow_none=True)
    notes_en = Text(allow_none=True)
    organization = fields.Nested(OrganizationSchema, allow_none=True)
    tags = Tags(allow_none=True)
    resources = Resources(allow_none=True)
    groups = fields.List(fields.Nested(GroupSchema), allow_none=True)

    data_type = Code("data_type")
    objective = Codes("objective")
    update_frequency_unit = Code("update_frequency_unit")
    update_frequency_interval = Interval(allow_none=True)
    geo_coverage = Code("geo_coverage")
    data_format = Codes("data_format")
    data_category = Code("data_category")
    data_classification = Code("data_classification")
    license_id = Code("license_id")
    data_language = Codes("data_language")
    data_support = Code("data_support")
    data_collect = Code("data_collect")

    maintainer = Text(allow_none=True)
    maintainer_email = Email(allow_none=True)
    data_source = Text(allow_none=True)
    url = Link(allow_none=True)
    accessible_condition = Text(allow_none=True)
    access_request = Text(allow_none=True)
    created_date = Date(allow_none=True)
    last_updated_date = Date(allow_none=True)
    metadata_created = DateTime(allow_none=True)
    metadata_modified = DateTime(allow_none=True)

    allow_harvest = Flag(allow_none=True)
    private = Flag(allow_none=True)
    high_value_dataset = Flag(allow_none=True)
    reference_data = Flag(allow_none=True)
    official_statistics = Flag(allow_none=True)

    statistics = fields.Nested(StatisticsSchema, allow_none=True)
    geospatial = fields.Nested(GeospatialSchema, allow_none=True)
    extras = fields.Dict(allow_none=True)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def required_items(self, data: dict[str, Any], original: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[Any]] = {}
        if not data.get("id") and not _failed(original, data, "id"):
            errors["id"] = [problem("id_required", "id")]
        if not data.get("title") and not _failed(original, data, "title"):
            errors["title"] = [problem("required", "title")]
        if not data.get("organization"):
            errors.setdefault("owner_org", []).append(problem("organization_required", "owner_org"))
        if not data.get("data_category") and not _failed(original, data, "data_category"):
            errors.setdefault("data_category", []).append(problem("category_required", "data_category"))
        if errors:
            raise ValidationError(errors)

    @validates_schema(skip_on_field_errors=False)
    def governance(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Classification and licence must fit the category: it decides who may see the record."""
        category = data.get("data_category")
        if not category:
            return
        errors: dict[str, list[Any]] = {}
        classification = data.get("data_classification")
        allowed = codelists.allowed_classifications(category)
        if classification and classification not in allowed:
            errors["data_classification"] = [problem(
                "classification_not_allowed", "data_classification",
                codelists.label("data_classification", classification),
                category=codelists.label("data_category", category),
                allowed=", ".join(codelists.label("data_classification", c) for c in allowed))]
        licence = data.get("license_id")
        if licence and category != "public" and codelists.is_open_licence(licence):
            errors["license_id"] = [problem(
                "licence_contradicts_category", "license_id", codelists.label("license_id", licence),
                category=codelists.label("data_category", category))]
        if errors:
            raise ValidationError(errors)

    @post_load
    def canonical(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return canonical_record(data)


def _failed(original: Any, data: dict[str, Any], name: str) -> bool:
    """True when the source gave a value that failed its own field check (so it is reported already)."""
    if not isinstance(original, dict) or name in data:
        return False
    given = original.get(name)
    if isinstance(given, (dict, list)):
        return bool(given)
    return clean_text(given) is not None


def _block(data: dict[str, Any], name: str, data_type: str | None, own_type: str, type_label: str) -> Any:
    block = data.get(name) or None
    if block and data_type not in (own_type, MULTIPLE_TYPE, None):
        for key in block:
            note("not_for_type", key, block[key], detail=type_label)
    return block


def canonical_record(data: dict[str, Any]) -> dict[str, Any]:
    """Arrange loaded values in the canonical record's order (docs/architecture.md)."""
    data_type = data.get("data_type")
    record: dict[str, Any] = {
        "id": data.get("id"),
        "name": data.get("name") or data.get("id"),
        "title": data.get("title"),
    }
    for key in ("title_en", "notes"):
        record[key] = data.get(key)
    if data.get("notes_en"):
        record["notes_en"] = data["notes_en"]
    record["organization"] = data.get("organization")
    record["tags"] = data.get("tags") or []
    record["resources"] = data.get("resources") or []
    record["groups"] = [g for g in data.get("groups") or [] if g.get("name") or g.get("title")]
    record["data_type"] = data_type
    record["objective"] = data.get("objective") or []
    record["update_frequency_unit"] = data.get("update_frequency_unit")
    record["update_frequency_interval"] = data.get("update_frequency_interval")
    record["geo_coverage"] = data.get("geo_coverage")
    record["data_format"] = data.get("data_format") or []
    record["data_category"] = data.get("data_category")
    record["data_classification"] = data.get("data_classification")
    record["license_id"] = data.get("license_id")
    record["data_language"] = data.get("data_language") or []
    for key in ("data_support", "data_collect"):
        if data.get(key):
            record[key] = data[key]
    for key in ("maintainer", "maintainer_email", "data_source", "url", "accessible_condition"):
        record[key] = data.get(key)
    if data.get("access_request"):
        record["access_request"] = data["access_request"]
    for key in ("created_date", "last_updated_date", "metadata_created", "metadata_modified"):
        record[key] = data.get(key)
    record["allow_harvest"] = bool(data.get("allow_harvest"))
    record["private"] = bool(data.get("private"))
    for key in ("high_value_dataset", "reference_data", "official_statistics"):
        record[key] = data.get(key)
    record["statistics"] = _block(data, "statistics", data_type, STATISTICS_TYPE, "ข้อมูลสถิติ / statistics")
    record["geospatial"] = _block(data, "geospatial", data_type, GEOSPATIAL_TYPE,
                                  "ข้อมูลภูมิสารสนเทศเชิงพื้นที่ / geospatial")
    record["extras"] = data.get("extras") or {}
    return record


FIELD_NAMES = frozenset(
    (field.data_key or name) for name, field in DatasetSchema().fields.items()
)
