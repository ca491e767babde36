"""marshmallow fields that normalise the values real catalogues carry.

Text loses surrounding whitespace, zero-width characters and HTML entities; numbers, dates, years and
codes also accept Thai digits. Only a value outside a code list raises (it rejects the record); every
other irregularity becomes a quality note and the value is kept or blanked, never guessed.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import unicodedata
from typing import Any

from marshmallow import ValidationError, fields

from analyzers.script import BE_OFFSET, FIRST_BE_YEAR, INVISIBLE, TO_ARABIC_DIGITS
from indexer import codelists

from .problems import note, problem

_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)
_HAS_INVISIBLE = re.compile(f"[{INVISIBLE}]")  # translate only when needed
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")


def clean_text(value: Any) -> str | None:
    """Strip whitespace and invisible characters, decode HTML entities; blank → None."""
    if value is None:
        return None
    text = html.unescape(unicodedata.normalize("NFC", str(value)))
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    return text.strip() or None


def clean_number_text(value: Any) -> str | None:
    text = clean_text(value)
    return text.translate(TO_ARABIC_DIGITS).replace(",", "") if text else None


class Text(fields.Field):
    """Free text, normalised; non-text values (numbers from a spreadsheet) become their text."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        if isinstance(value, (dict, list)):
            raise ValidationError(problem("invalid", self.data_key or attr or "", value,
                                          detail="ต้องเป็นข้อความ / must be text"))
        return clean_text(value)


class Email(Text):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text and not _EMAIL.match(text):
            note("email_invalid", self.data_key or attr or "", text)
        return text


# Links the portal shows: only these schemes (and ``mailto:`` built from a contact e-mail address).
LINK_SCHEMES = ("http", "https", "ftp")
_LINK = re.compile(rf"^(?:{'|'.join(LINK_SCHEMES)})://[^\s/?#]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def allowed_link(value: Any) -> str | None:
    """``value`` when it is an absolute http, https or ftp URL, else ``None`` (``javascript:``,
    ``data:``, relative or scheme-less values; control characters browsers would strip)."""
    if not isinstance(value, str) or _CONTROL.search(value) or not _LINK.match(value):
        return None
    return value


class Link(Text):
    """A URL shown as a link: another scheme is a quality finding and the value is left out."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text and allowed_link(text) is None:
            note("url_scheme_not_allowed", self.data_key or attr or "", text)
            return None
        return text


def split_multi(value: Any) -> list[Any]:
    """A multi-valued cell: a list, a JSON list, CKAN's ``{a,b}`` text, or comma/semicolon separated."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    text = clean_text(value)
    if not text:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return parsed
        except ValueError:
            pass
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return [part.strip().strip('"') for part in re.split(r"[,;\n]", text) if part.strip().strip('"')]


class Code(fields.Field):
    """A code-list value given as code, label or alias; the loaded value is the code."""

    def __init__(self, list_name: str, **kwargs: Any) -> None:
        super().__init__(allow_none=True, **kwargs)
        self.list_name = list_name

    def to_code(self, value: Any, attr: str | None) -> str | None:
        if isinstance(value, list) and len(value) == 1:
            value = value[0]  # a one-item list where the standard has a single value
        if isinstance(value, (dict, list)):
            raise ValidationError(problem("invalid", self.data_key or attr or "", value,
                                          detail="ต้องเป็นค่าเดียว / must be a single value"))
        if clean_text(value) is None:
            return None
        found = codelists.lookup(self.list_name, value)
        if found is None:
            raise ValidationError(problem("code_unknown", self.data_key or attr or "", clean_text(value),
                                          allowed=_allowed(self.list_name)))
        return found.code

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        return self.to_code(value, attr)


class Codes(Code):
    """Several code-list values; duplicates dropped, order kept."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if isinstance(value, dict):
            raise ValidationError(problem("invalid", self.data_key or attr or "", value,
                                          detail="ต้องเป็นรายการ / must be a list"))
        whole = codelists.lookup(self.list_name, value) if isinstance(value, str) else None
        items = [value] if whole else split_multi(value)
        codes: list[str] = []
        problems = []
        for item in items:
            try:
                code = self.to_code(item, attr)
            except ValidationError as exc:
                problems.extend(exc.messages)
                continue
            if code and code not in codes:
                codes.append(code)
        if problems:
            raise ValidationError(problems)
        return codes


def _allowed(list_name: str) -> str:
    return ", ".join(e.th for e in codelists.code_list(list_name).entries)


_TRUE = {"true", "1", "yes", "y", "t", "ใช่", "ยินยอม", "เป็น", "มี"}
_FALSE = {"false", "0", "no", "n", "f", "ไม่ใช่", "ไม่ยินยอม", "ไม่เป็น", "ไม่มี", "ไม่"}


class Flag(fields.Field):
    """CKAN booleans: ``"True"``/``"False"``, legacy ``"1"``/``"0"``, Thai yes/no.

    An unreadable value becomes None with a quality note.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        text = clean_number_text(value)
        if text is None:
            return None
        key = text.casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        note("boolean_invalid", self.data_key or attr or "", text)
        return None


def parse_date(value: Any) -> str | None:
    """ISO date text from ISO, ``d/m/Y`` or spreadsheet dates; Buddhist-era years become CE.

    Returns the precision given: ``"2563"`` → ``"2020"``, ``"2563-05"`` → ``"2020-05"``.
    Raises ValueError when the text is not a date.
    """
    if isinstance(value, dt.datetime):
        return _ce(value.date()).isoformat()
    if isinstance(value, dt.date):
        return _ce(value).isoformat()
    text = clean_number_text(value)
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?", text)
    if match:
        year, month, day = match.groups()
        return _iso(int(year), month and int(month), day and int(day))
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: .*)?", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _iso(year, month, day)
    raise ValueError(text)


def _iso(year: int, month: int | None, day: int | None) -> str:
    year = year - BE_OFFSET if year >= FIRST_BE_YEAR else year
    if month is None:
        return f"{year:04d}"
    if day is None:
        dt.date(year, month, 1)
        return f"{year:04d}-{month:02d}"
    return dt.date(year, month, day).isoformat()


def _ce(day: dt.date) -> dt.date:
    if day.year >= FIRST_BE_YEAR:
        return day.replace(year=day.year - BE_OFFSET)
    return day


class Date(fields.Field):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        try:
            return parse_date(value)
        except ValueError:
            note("date_invalid", self.data_key or attr or "", clean_text(value))
            return None


class DateTime(fields.Field):
    """CKAN timestamps (``metadata_created``), kept as ISO text; a bare date is accepted."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        if isinstance(value, dt.datetime):
            return value.isoformat()
        text = clean_number_text(value)
        if text is None:
            return None
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
        except ValueError:
            try:
                return parse_date(text)
            except ValueError:
                note("date_invalid", self.data_key or attr or "", text)
                return None


class Year(fields.Field):
    """A year, CE or Buddhist era (``2563`` → 2020)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | None:
        text = clean_number_text(value)
        if text is None:
            return None
        match = re.fullmatch(r"(\d{4})(?:\.0+)?", text)
        if not match:
            note("year_invalid", self.data_key or attr or "", text)
            return None
        year = int(match.group(1))
        return year - BE_OFFSET if year >= FIRST_BE_YEAR else year


def parse_number(value: Any) -> int | float | None:
    """A number from text with Thai digits or thousands separators; raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number: int | float = value
    else:
        text = clean_number_text(value)
        if text is None:
            return None
        number = float(text)
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(value)
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


class Number(fields.Field):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | float | None:
        try:
            return parse_number(value)
        except (ValueError, OverflowError):
            note("number_invalid", self.data_key or attr or "", clean_text(value))
            return None
