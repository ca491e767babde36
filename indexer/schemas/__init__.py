"""marshmallow schemas of the national metadata standard, one small module per part.

``organization``, ``tags``, ``resource``, ``statistics``, ``geospatial`` and ``dataset`` hold the schemas;
``fields`` the normalising fields; ``shapes`` maps each source's shape to the standard's names;
``quality`` scores an accepted record; ``problems`` is the catalogue of findings and their messages.

:func:`load_record` is the one entry point: standard-shaped dict in, canonical record (or errors) out.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterator

from marshmallow import ValidationError

from .dataset import FIELD_NAMES, DatasetSchema
from .problems import Finding, Problem, collecting, make
from .quality import assess
from .shapes import to_standard

__all__ = ["DatasetSchema", "FIELD_NAMES", "Finding", "load_record", "to_standard", "assess"]

_SCHEMA = DatasetSchema()


# A structural surprise in these fields rejects the record: without them it cannot be identified,
# attributed or given a visibility. Elsewhere the value is moved to extras with a quality finding.
ESSENTIAL_FIELDS = frozenset({"id", "name", "title", "organization", "owner_org", "data_category",
                              "data_classification", "license_id"})


def load_record(standard: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Finding], list[Finding]]:
    """Validate one record in the standard's field names.

    Returns ``(record, errors, notes)``: the canonical record (None when there are errors), the errors
    that reject it, and the quality notes raised while loading.
    """
    moved: list[Finding] = []
    for _attempt in range(2):
        with collecting() as notes:
            try:
                record = _SCHEMA.load(standard)
            except ValidationError as exc:
                errors = list(flatten(exc.messages, standard))
            else:
                return record, [], moved + notes
        movable = {_top(e.field) for e in errors
                   if e.rule == "invalid" and _top(e.field) not in ESSENTIAL_FIELDS}
        if not movable or any(_top(e.field) not in movable for e in errors):
            return None, errors, moved + notes
        standard = dict(standard)
        extras = dict(standard.get("extras") or {})
        for key in sorted(movable):
            extras[key] = standard.pop(key, None)
            moved.append(make("invalid_kept", key, extras[key]))
        standard["extras"] = extras
    return None, errors, moved + notes


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def flatten(messages: Any, original: Any, path: str = "") -> Iterator[Finding]:
    """marshmallow's nested error messages as findings named by their field path."""
    if isinstance(messages, dict):
        for key, inner in messages.items():
            key = str(key)
            if key == "_schema":
                child = path
            elif key.startswith(path) and path:
                child = key  # a list item already named with its index, e.g. resources[2]
            else:
                child = f"{path}.{key}" if path else key
            yield from flatten(inner, _child(original, key), child)
        return
    for message in messages if isinstance(messages, list) else [messages]:
        if isinstance(message, (dict, list)) and not isinstance(message, str):
            yield from flatten(message, original, path)
        elif isinstance(message, Problem):
            finding = message.finding
            yield dataclasses.replace(finding, field=path) if path and finding.field != path else finding
        else:
            yield make("invalid", path, original, detail=str(message))


def _child(original: Any, key: str) -> Any:
    if isinstance(original, dict):
        return original.get(key)
    return None
