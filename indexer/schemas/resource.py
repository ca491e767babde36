"""Resources (distributions): name, format, url, description; anything else kept in the resource's extras."""
from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load

from indexer import codelists

from .fields import Link, Text, clean_text
from .problems import field_path, nested, note, problem

# CKAN bookkeeping that says nothing about the data; not carried into the record.
_BOOKKEEPING = {
    "cache_last_updated", "cache_url", "datastore_active", "hash", "mimetype_inner", "package_id",
    "position", "resource_type", "state", "url_type", "revision_id", "tracking_summary",
    "downloadall_datapackage_hash", "downloadall_metadata_modified",
}


class ResourceSchema(Schema):
    class Meta:
        unknown = INCLUDE

    id = Text(allow_none=True)
    name = Text(allow_none=True)
    format = Text(allow_none=True)
    url = Link(allow_none=True)
    description = Text(allow_none=True)

    @post_load
    def shape(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        known = ("name", "format", "url", "description", "id")
        resource = {key: data.get(key) for key in ("name", "format", "url")}
        for key in ("description", "id"):
            if data.get(key):
                resource[key] = data[key]
        # marshmallow hands INCLUDE'd keys over in set order (it varies with the hash seed): sort them,
        # so a record reads the same in every process.
        extras = {k: v for k, v in sorted(data.items())
                  if k not in known and k not in _BOOKKEEPING and v not in (None, "", [], {})}
        if extras:
            resource["extras"] = extras
        if not resource["url"]:
            note("resource_url_missing", "", resource["name"] or "")
        elif resource["format"] and (linked := linked_format(resource["url"])) \
                and codelists.lookup("data_format", resource["format"]) != codelists.file_format(linked):
            # data.go.th's "XSL" for .xls files (an XML stylesheet is another thing), "MAP" for .gml
            note("resource_format_mismatch", "", resource["format"], detail=linked.lower())
        return resource


def linked_format(url: str | None) -> str | None:
    """The file format a link's file extension names (``…/budget.xls`` → ``XLS``), or None."""
    name = urlsplit(url or "").path.rpartition("/")[2]
    stem, dot, extension = name.rpartition(".")
    return extension.upper() if dot and stem and codelists.file_format(extension) else None


@lru_cache(maxsize=1)
def _resource_schema() -> ResourceSchema:
    """One schema instance per process: building one deep-copies its fields (0.1 ms, a third of a
    record's validation when it was done per record). Loading keeps no state on the instance."""
    return ResourceSchema()


class Resources(fields.Field):
    """A list of resources; each problem is named ``resources[i].field``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[dict[str, Any]]:
        if not isinstance(value, (list, tuple)):
            raise ValidationError(problem("invalid", "resources", value,
                                          detail="ต้องเป็นรายการ / must be a list"))
        loaded = []
        schema = _resource_schema()
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                if item is None or (isinstance(item, str) and clean_text(item) is None):
                    continue
                raise ValidationError(problem("invalid", f"resources[{index}]", item,
                                              detail="ต้องเป็นออบเจกต์ / must be an object"))
            with nested(f"resources[{index}]"):
                try:
                    loaded.append(schema.load(item))
                except ValidationError as exc:
                    raise ValidationError({field_path(""): exc.messages}) from None
        return loaded
