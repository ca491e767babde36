"""Quality of an accepted record: the 14 mandatory items of the standard, length limits, licence fit.

The score is the share of the 14 items that are present and not "ไม่ทราบ" (unknown), 0–100.
Items 9.1 (unit) and 9.2 (interval) of the update frequency count together as item 9.
"""
from __future__ import annotations

from typing import Any, Callable

from indexer import codelists
from indexer.codelists import normalise_key

from .fields import _EMAIL
from .problems import Finding, make
from .tags import tag_string

MANDATORY_COUNT = 14
# field: the standard's length limit (characters); an overflow is a quality finding.
LENGTH_LIMITS = {"title": 150, "maintainer": 150, "maintainer_email": 50, "tag_string": 200,
                 "notes": 1000, "data_source": 200}
_UNKNOWN_TEXT = {normalise_key(t) for t in ("ไม่ทราบ", "unknown", "ไม่ระบุ")}

Check = Callable[[dict[str, Any]], str]  # "ok", "missing" or "unknown"


def _text(name: str) -> Check:
    def check(record: dict[str, Any]) -> str:
        value = record.get(name)
        if not value:
            return "missing"
        return "unknown" if normalise_key(value) in _UNKNOWN_TEXT else "ok"
    return check


def _code(name: str) -> Check:
    def check(record: dict[str, Any]) -> str:
        code = record.get(name)
        if not code:
            return "missing"
        return "unknown" if codelists.entry(name, code).unknown else "ok"
    return check


def _codes(name: str) -> Check:
    def check(record: dict[str, Any]) -> str:
        codes = record.get(name) or []
        if not codes:
            return "missing"
        return "unknown" if all(codelists.entry(name, c).unknown for c in codes) else "ok"
    return check


def _email(record: dict[str, Any]) -> str:
    value = record.get("maintainer_email")
    if not value:
        return "missing"
    return "ok" if _EMAIL.match(value) else "unknown"


def _frequency(record: dict[str, Any]) -> str:
    state = _code("update_frequency_unit")(record)
    if state != "ok":
        return state
    unit = codelists.entry("update_frequency_unit", record["update_frequency_unit"])
    if record.get("update_frequency_interval") is None and not unit.attrs.get("blank_interval"):
        return "interval"
    return "ok"


# (item number, field named in findings, check)
MANDATORY_ITEMS: tuple[tuple[str, str, Check], ...] = (
    ("1", "data_type", _code("data_type")),
    ("2", "title", _text("title")),
    ("3", "owner_org", lambda r: "ok" if r.get("organization") else "missing"),
    ("4", "maintainer", _text("maintainer")),
    ("5", "maintainer_email", _email),
    ("6", "tag_string", lambda r: "ok" if r.get("tags") else "missing"),
    ("7", "notes", _text("notes")),
    ("8", "objective", _codes("objective")),
    ("9", "update_frequency_unit", _frequency),
    ("10", "geo_coverage", _code("geo_coverage")),
    ("11", "data_source", _text("data_source")),
    ("12", "data_format", _codes("data_format")),
    ("13", "data_category", _code("data_category")),
    ("14", "license_id", _code("license_id")),
)


def assess(record: dict[str, Any]) -> tuple[int, list[Finding]]:
    """The quality score of a canonical record and its findings (mandatory items, lengths, licence)."""
    findings: list[Finding] = []
    satisfied = 0
    for _number, name, check in MANDATORY_ITEMS:
        state = check(record)
        if state == "ok":
            satisfied += 1
        elif state == "missing":
            findings.append(make("mandatory_missing", name))
        elif state == "interval":
            findings.append(make("interval_missing", "update_frequency_interval"))
        elif name != "maintainer_email":  # a malformed address was reported by the field itself
            findings.append(make("mandatory_unknown", name, _shown(record, name)))
    findings.extend(_length_findings(record))
    findings.extend(_licence_findings(record))
    return round(100 * satisfied / MANDATORY_COUNT), findings


def _shown(record: dict[str, Any], name: str) -> Any:
    value = record.get(name)
    if name in codelists.FIELDS and value:
        if isinstance(value, list):
            return [codelists.label(name, v) for v in value]
        return codelists.label(name, value)
    return value


def _length_findings(record: dict[str, Any]) -> list[Finding]:
    findings = []
    for name, limit in LENGTH_LIMITS.items():
        value = tag_string(record.get("tags") or []) if name == "tag_string" else record.get(name)
        if isinstance(value, str) and len(value) > limit:
            findings.append(make("too_long", name, value, length=len(value), limit=limit))
    return findings


def _licence_findings(record: dict[str, Any]) -> list[Finding]:
    findings = []
    category, licence = record.get("data_category"), record.get("license_id")
    is_open_category = category in codelists.open_categories()
    if is_open_category and licence and not codelists.is_open_licence(licence):
        findings.append(make("licence_not_open", "license_id", codelists.label("license_id", licence)))
    if category and not is_open_category and not record.get("data_classification"):
        level = codelists.max_level_for(category)
        findings.append(make("classification_missing", "data_classification", None, detail=str(level)))
    return findings
