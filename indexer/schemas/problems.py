"""Findings: every problem a record can have, with its rule, field, value and a Thai and English message.

Two severities: ``error`` rejects the record, ``quality`` keeps it and stores the finding with it.
The message catalogue below is the one place a rule's wording lives.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

ERROR = "error"
QUALITY = "quality"

# rule: (severity, Thai template, English template). Templates see {field}, {value} and rule parameters.
MESSAGES: dict[str, tuple[str, str, str]] = {
    # errors: the record is rejected
    "required": (ERROR, "ต้องระบุ {field}", "{field} is required"),
    "id_required": (ERROR, "ต้องระบุรหัสชุดข้อมูล (id หรือ name)",
                    "the dataset needs an identifier (id or name)"),
    "organization_required": (
        ERROR, "ต้องระบุองค์กรเจ้าของชุดข้อมูล (owner_org หรือ organization)",
        "the owning organization is required (owner_org or organization)"),
    "category_required": (
        ERROR, "ไม่มีหมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ (data_category) จึงกำหนดผู้มีสิทธิ์เห็นไม่ได้ "
               "ให้ระบุในระเบียน หรือประกาศทั้งแหล่งด้วย --declare data_category=…",
        "no governance category (data_category), so who may see the record cannot be decided; "
        "give it in the record or declare it for the whole source with --declare data_category=…"),
    "code_unknown": (
        ERROR, "ค่า “{value}” ไม่อยู่ในรายการรหัสของ {field} (ใช้ได้: {allowed})",
        "“{value}” is not in the {field} code list (allowed: {allowed})"),
    "classification_not_allowed": (
        ERROR, "ชั้นข้อมูล “{value}” ใช้กับหมวดหมู่ “{category}” ไม่ได้ (ใช้ได้: {allowed})",
        "classification “{value}” is not allowed for category “{category}” (allowed: {allowed})"),
    "licence_contradicts_category": (
        ERROR, "สัญญาอนุญาต “{value}” เป็นสัญญาอนุญาตแบบเปิด แต่หมวดหมู่ “{category}” ไม่ใช่ข้อมูลสาธารณะ",
        "licence “{value}” is an open licence, but category “{category}” is not public data"),
    "invalid": (ERROR, "ค่า “{value}” ของ {field} ไม่ถูกต้อง: {detail}",
                "invalid {field} “{value}”: {detail}"),
    "not_a_record": (
        ERROR, "ข้อมูลไม่ใช่ระเบียนชุดข้อมูล (ต้องเป็นออบเจกต์ JSON หรือแถวที่มีหัวคอลัมน์)",
        "not a dataset record (expected a JSON object or a row with a header)"),
    "unparseable": (ERROR, "อ่านข้อมูลไม่ได้: {detail}", "cannot be read: {detail}"),
    "validation_failed": (ERROR, "ตรวจระเบียนนี้ไม่สำเร็จ ({detail}) โปรดแจ้งผู้ดูแลระบบพร้อมระเบียนนี้",
                          "the record could not be checked ({detail}); please report it with this record"),
    "duplicate_id": (
        ERROR, "รหัสชุดข้อมูล “{value}” ซ้ำกับระเบียนที่ {detail}",
        "dataset id “{value}” repeats the record at {detail}"),
    # quality findings: the record is kept
    "mandatory_missing": (QUALITY, "ไม่ได้ระบุ {field} ซึ่งเป็นรายการบังคับของมาตรฐาน",
                          "{field}, mandatory in the standard, is missing"),
    "mandatory_unknown": (QUALITY, "{field} ระบุว่า “ไม่ทราบ”", "{field} is “unknown” (ไม่ทราบ)"),
    "too_long": (QUALITY, "{field} ยาว {length} ตัวอักษร เกินที่มาตรฐานกำหนด {limit}",
                 "{field} has {length} characters, over the standard's limit of {limit}"),
    "email_invalid": (QUALITY, "อีเมล “{value}” ไม่ถูกรูปแบบ", "e-mail address “{value}” is malformed"),
    "interval_invalid": (QUALITY, "ค่าความถี่ “{value}” ต้องเป็นจำนวนบวก",
                         "update frequency interval “{value}” must be a positive number"),
    "interval_missing": (
        QUALITY, "ไม่ได้ระบุค่าความถี่ (เว้นว่างได้เฉพาะ ตามเวลาจริง / ไม่มีการปรับปรุง / ไม่ทราบ)",
        "update frequency interval is blank (allowed only for real time, not updated or unknown)"),
    "date_invalid": (QUALITY, "วันที่ “{value}” อ่านไม่ได้", "date “{value}” cannot be read"),
    "year_invalid": (QUALITY, "ปี “{value}” อ่านไม่ได้", "year “{value}” cannot be read"),
    "year_range": (QUALITY, "ปีแรกของข้อมูล {value} อยู่หลังปีสุดท้าย {detail}",
                   "first year of data {value} is after the last year {detail}"),
    "number_invalid": (QUALITY, "“{value}” ไม่ใช่ตัวเลข", "“{value}” is not a number"),
    "bbox_invalid": (QUALITY, "ขอบเขตพิกัด {field} = “{value}” ไม่ถูกต้อง: {detail}",
                     "bounding coordinate {field} = “{value}” is invalid: {detail}"),
    "boolean_invalid": (QUALITY, "“{value}” ไม่ใช่ค่าใช่/ไม่ใช่", "“{value}” is not a yes/no value"),
    "invalid_kept": (QUALITY, "{field} มีโครงสร้างไม่ถูกต้อง (“{value}”) เก็บไว้ใน extras",
                     "{field} has an unexpected structure (“{value}”); kept in extras"),
    "unknown_field": (QUALITY, "ช่อง {field} ไม่อยู่ในมาตรฐาน เก็บไว้ใน extras",
                      "field {field} is not in the standard; kept in extras"),
    "not_for_type": (QUALITY, "{field} ใช้กับข้อมูลประเภท {detail} เท่านั้น",
                     "{field} applies only to data type {detail}"),
    "classification_missing": (
        QUALITY, "ไม่ได้ระบุชั้นข้อมูล จึงถือระดับสูงสุดที่หมวดหมู่นี้อนุญาต ({detail})",
        "no classification: the highest level this category allows ({detail}) is assumed"),
    "licence_not_open": (QUALITY, "ข้อมูลสาธารณะแต่สัญญาอนุญาต “{value}” ไม่ใช่สัญญาอนุญาตแบบเปิด",
                         "public data under “{value}”, which is not an open licence"),
    "declaration_conflict": (
        QUALITY, "ระเบียนระบุ {field} = “{value}” ต่างจากที่ประกาศไว้ “{detail}” ใช้ค่าของระเบียน",
        "the record says {field} = “{value}”, unlike the declared “{detail}”; the record's value is used"),
    "duplicate_title": (QUALITY, "ชื่อชุดข้อมูลซ้ำกับ {detail} ในองค์กรเดียวกัน",
                        "the title repeats {detail} in the same organization"),
    "resource_url_missing": (QUALITY, "ทรัพยากร {field} ไม่มี URL", "resource {field} has no URL"),
    "resource_format_mismatch": (
        QUALITY, "ทรัพยากร {field} ระบุรูปแบบ “{value}” แต่ลิงก์เป็นไฟล์ .{detail}",
        "resource {field} declares format “{value}” but links to a .{detail} file"),
    "text_broken": (QUALITY, "{field} “{value}” มีอักขระที่เสีย (�) จากการแปลงรหัสอักขระ จึงไม่นำมาใช้",
                    "{field} “{value}” holds broken characters (�) from a bad encoding and was dropped"),
    "url_scheme_not_allowed": (QUALITY, "{field} “{value}” ไม่ใช่ลิงก์ http, https หรือ ftp จึงไม่นำมาแสดง",
                               "{field} “{value}” is not an http, https or ftp link; it is left out"),
    "derivable": (QUALITY, "{where_th}ระบุ “{evidence}” แต่ไม่ได้ระบุ {field} (ระบุได้ว่า “{label_th}”)",
                  "the {where_en} says “{evidence}”; {field} is not stated (it could be “{label_en}”)"),
}


@dataclass(frozen=True)
class Finding:
    """One problem of one record. ``str()`` gives a single self-contained line."""

    rule: str
    field: str
    value: Any
    message_th: str
    message_en: str
    severity: str = QUALITY
    source: str = ""
    locator: str = ""
    record_id: str = ""

    def __str__(self) -> str:
        where = " ".join(p for p in (self.source, self.locator) if p) or "-"
        value = _short(self.value)
        return (f"{where} id={self.record_id or '-'} field={self.field or '-'} rule={self.rule} "
                f"value={value} | {self.message_th} | {self.message_en}")

    def at(self, source: str, locator: str, record_id: str | None) -> "Finding":
        """The same finding, placed in its source."""
        return Finding(self.rule, self.field, self.value, self.message_th, self.message_en,
                       self.severity, source, locator, record_id or "")

    def as_dict(self) -> dict[str, Any]:
        """The stored form (index ``quality.findings`` and rejects ``reasons``)."""
        return {"rule": self.rule, "field": self.field, "value": _jsonable(self.value),
                "message_th": self.message_th, "message_en": self.message_en}


# Findings repeat across thousands of records ("maintainer missing"): one made with plain values is
# kept and handed out again (it is frozen). Sharing the message strings also lets a worker's pickled
# batch carry each message once. No floats in the key: -0.0 == 0.0 but they print differently.
_PLAIN = (str, int, bool, type(None))
_MADE: dict[tuple, Finding] = {}
MADE_LIMIT = 16384  # at most ~16 MB per process even when every value is long


def make(rule: str, field_name: str = "", value: Any = None, **params: Any) -> Finding:
    """A finding of ``rule`` with its catalogue messages filled in."""
    key = _key_of(rule, field_name, value, params)
    if key is None:
        return _make(rule, field_name, value, params)
    finding = _MADE.get(key)
    if finding is None:
        if len(_MADE) >= MADE_LIMIT:
            _MADE.clear()
        finding = _MADE[key] = _make(rule, field_name, value, params)
    return finding


def _key_of(rule: str, field_name: str, value: Any, params: dict[str, Any]) -> tuple | None:
    if type(field_name) is not str or type(value) not in _PLAIN:
        return None
    if any(type(v) not in _PLAIN for v in params.values()):
        return None
    return (rule, field_name, type(value), value, *((k, type(v), v) for k, v in params.items()))


def _make(rule: str, field_name: str, value: Any, params: dict[str, Any]) -> Finding:
    severity, th, en = MESSAGES[rule]
    shown = _short(value)
    values = {"field": field_name or "-", "value": shown, "detail": "", "allowed": "", **params}
    return Finding(rule, field_name, _jsonable(value), th.format(**values), en.format(**values), severity)


class Problem(str):
    """A marshmallow error message that carries its :class:`Finding` (marshmallow stores messages as str)."""

    finding: Finding

    def __new__(cls, finding: Finding) -> "Problem":
        obj = super().__new__(cls, finding.message_en)
        obj.finding = finding
        return obj


def problem(rule: str, field_name: str = "", value: Any = None, **params: Any) -> Problem:
    return Problem(make(rule, field_name, value, **params))


# --- quality notes raised while deserialising (they never stop loading) ----------------------

_notes: contextvars.ContextVar[list[Finding] | None] = contextvars.ContextVar(
    "gdc_quality_notes", default=None)
_prefix: contextvars.ContextVar[str] = contextvars.ContextVar("gdc_field_prefix", default="")


@contextmanager
def collecting() -> Iterator[list[Finding]]:
    """Collect the quality notes raised by fields during one record's load."""
    notes: list[Finding] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


@contextmanager
def nested(prefix: str) -> Iterator[None]:
    """Name fields inside a nested block, e.g. ``resources[2].``."""
    token = _prefix.set(_prefix.get() + prefix)
    try:
        yield
    finally:
        _prefix.reset(token)


def field_path(name: str) -> str:
    prefix = _prefix.get()
    if prefix and name and not prefix.endswith("."):
        return f"{prefix}.{name}"  # resources[2] + url → resources[2].url
    return prefix + name


def note(rule: str, field_name: str, value: Any = None, **params: Any) -> None:
    """Record a quality finding for the record being loaded (no-op outside :func:`collecting`)."""
    notes = _notes.get()
    if notes is not None:
        notes.append(make(rule, field_path(field_name), value, **params))


def _short(value: Any, limit: int = 120) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


STORED_VALUE_LIMIT = 200  # a finding quotes the value; the record (or raw text) holds all of it


def _jsonable(value: Any) -> Any:
    if isinstance(value, str):
        return _short(value, STORED_VALUE_LIMIT)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
