"""read → validate: every source format through one validation, nothing lost.

``indexer.sources.read_sources`` streams :class:`RawRecord` s from files of any supported format and from
remote catalogues; ``validate_one`` turns one into an :class:`Outcome` (pure: picklable in, picklable
out, safe in a process pool); ``QualityTracker`` adds the checks that need to see every record (duplicate
ids, duplicate titles within an organization) and must run sequentially in one process, in reading
order. ``validate`` chains both for the simple case::

    for outcome in validate(read_sources(paths), parse_declarations(["data_category=ข้อมูลสาธารณะ"])):
        report.add(outcome)
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

from indexer import codelists, derived
from indexer.codelists import normalise_key
from indexer.schemas import FIELD_NAMES, assess, load_record, to_standard
from indexer.schemas.problems import ERROR, QUALITY, Finding, make
from indexer.sources import RawRecord

__all__ = [
    "Finding", "Outcome", "ValidationContext", "DeclarationError", "QualityTracker",
    "validate", "validate_one", "parse_declarations", "DECLARABLE_FIELDS", "ERROR", "QUALITY",
]

# Free-text items an operator may declare for a whole source, besides every code-list field.
DECLARABLE_TEXT_FIELDS = ("maintainer", "maintainer_email", "data_source")
DECLARABLE_FIELDS: tuple[str, ...] = (
    tuple(f for f in codelists.FIELDS if f in FIELD_NAMES) + DECLARABLE_TEXT_FIELDS)
_MULTIPLE = {name for name in codelists.FIELDS if codelists.code_list(name).multiple}


@dataclass
class Outcome:
    """The result of validating one raw record. ``record`` is the canonical record when accepted."""

    raw: RawRecord
    record: dict[str, Any] | None
    errors: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors and self.record is not None

    @property
    def record_id(self) -> str:
        if self.record and self.record.get("id"):
            return str(self.record["id"])
        data = self.raw.data if isinstance(self.raw.data, dict) else {}
        return str(data.get("id") or data.get("name") or "")


@dataclass(frozen=True)
class ValidationContext:
    """Per-run options shared by every record (picklable)."""

    source_label: str | None = None


class DeclarationError(ValueError):
    """A ``--declare field=value`` the standard does not allow; ``str()`` is Thai and English."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(f"{message_th} / {message_en}")
        self.message_th = message_th
        self.message_en = message_en


def parse_declarations(items: Iterable[str]) -> dict[str, str]:
    """Operator declarations ``field=value`` → ``{field: code}`` (free-text fields keep their text).

    >>> parse_declarations(["data_category=ข้อมูลสาธารณะ"])
    {'data_category': 'public'}
    """
    declared: dict[str, str] = {}
    for item in items:
        name, sep, value = str(item).partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise DeclarationError(
                f"การประกาศ “{item}” ต้องอยู่ในรูป ช่อง=ค่า เช่น data_category=ข้อมูลสาธารณะ",
                f"declaration “{item}” must read field=value, e.g. data_category=ข้อมูลสาธารณะ")
        if name not in DECLARABLE_FIELDS:
            declarable = ", ".join(DECLARABLE_FIELDS)
            raise DeclarationError(f"ประกาศช่อง “{name}” ไม่ได้ (ประกาศได้: {declarable})",
                                   f"“{name}” cannot be declared (declarable: {declarable})")
        if name in codelists.FIELDS:
            found = codelists.lookup(name, value)
            if found is None:
                allowed = ", ".join(e.th for e in codelists.code_list(name).entries)
                raise DeclarationError(f"“{value}” ไม่อยู่ในรายการรหัสของ {name} (ใช้ได้: {allowed})",
                                       f"“{value}” is not in the {name} code list (allowed: {allowed})")
            value = found.code
        if name in declared and declared[name] != value:
            raise DeclarationError(f"ประกาศ {name} ไว้สองค่าที่ต่างกัน",
                                   f"{name} is declared twice with different values")
        declared[name] = value
    return declared


def validate_one(raw: RawRecord, declarations: Mapping[str, str] | None = None,
                 context: ValidationContext | None = None) -> Outcome:
    """Validate one raw record into an :class:`Outcome` (pure; run it in worker processes if you like)."""
    if raw.data is None or not isinstance(raw.data, dict):
        rule = "unparseable" if raw.error else "not_a_record"
        error = make(rule, "", raw.text if raw.data is None else raw.data, detail=raw.error or "")
        return _placed(Outcome(raw, None, [error], []))
    try:
        standard, notes = to_standard(raw.data, FIELD_NAMES)
        declared, declaration_notes = _apply_declarations(standard, declarations or {})
        record, errors, load_notes = load_record(standard)
    except Exception as exc:  # noqa: BLE001 - one odd record must never stop a run; it is rejected, not lost
        error = make("validation_failed", "", None, detail=f"{type(exc).__name__}: {exc}")
        return _placed(Outcome(raw, None, [error], []))
    findings = notes + declaration_notes + load_notes
    if record is not None:
        score, quality = assess(record)
        record["derived"] = derived.derive(record)
        findings += quality + derived.findings(record["derived"])
        record["source"] = (context.source_label if context and context.source_label else raw.source)
        record["declared"] = declared
        record["quality"] = {"score": score, "findings": [f.as_dict() for f in findings]}
    return _placed(Outcome(raw, record, errors, findings))


def _placed(outcome: Outcome) -> Outcome:
    rid, raw = outcome.record_id, outcome.raw
    outcome.errors = [f.at(raw.source, raw.locator, rid) for f in outcome.errors]
    outcome.findings = [f.at(raw.source, raw.locator, rid) for f in outcome.findings]
    return outcome


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, dict)):
        return not value
    return normalise_key(value) == ""


def _apply_declarations(standard: dict[str, Any],
                        declarations: Mapping[str, str]) -> tuple[list[str], list[Finding]]:
    """Fill declared fields the record lacks; a record's own value wins and a difference is noted."""
    declared, notes = [], []
    for name, value in declarations.items():
        given = standard.get(name)
        if _blank(given):
            standard[name] = [value] if name in _MULTIPLE else value
            declared.append(name)
            continue
        if name in codelists.FIELDS:
            found = codelists.lookup(name, given) if not isinstance(given, list) else None
            if found is not None and found.code != value:
                notes.append(make("declaration_conflict", name, given, detail=codelists.label(name, value)))
    return declared, notes


class QualityTracker:
    """The checks that need every record: run it in one process, in reading order.

    A repeated dataset id rejects the later record (it would silently replace the earlier one in the
    index); a title repeated within one organization is a quality finding on the later record.
    Memory: one entry per accepted record (id and a title key).
    """

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._titles: dict[tuple[str, str], str] = {}

    def observe(self, outcome: Outcome) -> Outcome:
        if not outcome.accepted:
            return outcome
        record, raw = outcome.record, outcome.raw
        assert record is not None
        where = f"{raw.source} {raw.locator}"
        first = self._ids.get(record["id"])
        if first is not None:
            error = make("duplicate_id", "id", record["id"], detail=first)
            error = error.at(raw.source, raw.locator, record["id"])
            return dataclasses.replace(outcome, record=None, errors=[error])
        self._ids[record["id"]] = where
        key = (record["organization"]["name"], normalise_key(record["title"]))
        earlier = self._titles.get(key)
        if earlier is None:
            self._titles[key] = f"{record['id']} ({where})"
            return outcome
        finding = make("duplicate_title", "title", record["title"], detail=earlier)
        record["quality"]["findings"].append(finding.as_dict())
        outcome.findings.append(finding.at(raw.source, raw.locator, record["id"]))
        return outcome


def validate(raw_records: Iterable[RawRecord], declarations: Mapping[str, str] | None = None,
             context: ValidationContext | None = None) -> Iterator[Outcome]:
    """Validate a stream of raw records in this process, including the :class:`QualityTracker` pass."""
    tracker = QualityTracker()
    for raw in raw_records:
        yield tracker.observe(validate_one(raw, declarations, context))
