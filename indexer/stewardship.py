"""Index fields for the governance views: which mandatory items a record lacks, its findings, and when
its next update is due under the frequency it declares.

Pure functions of the canonical record (no I/O), called by ``indexer.documents``. The figures the
portal shows (completeness per item, most common findings, overdue records) are counts over these
fields, so every one of them can be checked with a plain ``count`` query.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any, Mapping

from indexer import mapping as f
from indexer.schemas.quality import MANDATORY_ITEMS

# Declared frequency unit → length of one interval. Units without a schedule (real time, not updated
# after collection, unknown, other) have no due date and are never counted as overdue.
_DAYS = {"D": 1, "W": 7, "B": 7 / 5, "H": 1 / 24, "N": 1 / 1440}
_MONTHS = {"M": 1, "Q": 3, "S": 6, "A": 12}
SCHEDULED_UNITS = tuple(_DAYS) + tuple(_MONTHS)
_POSITION = re.compile(r"\[\d+\]")


def quality_gaps(record: Mapping[str, Any]) -> list[str]:
    """The standard's field names of the mandatory items not satisfied (missing, unknown, incomplete)."""
    plain = dict(record)
    return [name for _number, name, check in MANDATORY_ITEMS if _state(check, plain) != "ok"]


def _state(check: Any, record: dict[str, Any]) -> str:
    try:
        return check(record)
    except KeyError:  # a value outside the code list (only in hand-made records): not satisfied
        return "unknown"


def finding_keys(record: Mapping[str, Any]) -> list[str]:
    """``rule:field`` of every quality finding stored with the record, each once; a resource's finding
    under ``resources``, wherever it sits in the list (``resources[2]`` → ``resources``), so a catalogue's
    findings count records, not positions."""
    findings = (record.get("quality") or {}).get("findings") or []
    return sorted({f"{x['rule']}:{_POSITION.sub('', str(x.get('field')))}" for x in findings
                   if x.get("rule")})


def _last_update(record: Mapping[str, Any]) -> datetime | None:
    for name in (f.LAST_UPDATED_DATE, f.METADATA_MODIFIED):
        value = record.get(name)
        if not value:
            continue
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            continue
        return parsed.replace(tzinfo=None)
    return None


def _add_months(day: datetime, months: int) -> datetime:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def update_due(record: Mapping[str, Any]) -> str | None:
    """When the next update is due: the last update (``last_updated_date``, else ``metadata_modified``)
    plus the declared interval × unit (an interval left empty counts as 1). ``None`` without a schedule.

    >>> update_due({"update_frequency_unit": "M", "update_frequency_interval": 3,
    ...             "last_updated_date": "2025-11-30"})
    '2026-02-28T00:00:00'
    """
    unit, last = record.get(f.UPDATE_FREQUENCY_UNIT), _last_update(record)
    if unit not in SCHEDULED_UNITS or last is None:
        return None
    try:
        interval = float(record.get("update_frequency_interval") or 1)
    except (TypeError, ValueError):
        interval = 1.0
    interval = interval if interval > 0 else 1.0
    if unit in _MONTHS:
        due = _add_months(last, math.ceil(interval * _MONTHS[unit]))
    else:
        due = last + timedelta(days=interval * _DAYS[unit])
    return due.isoformat(timespec="seconds")


def stewardship_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The three indexed fields of one record."""
    return {f.QUALITY_GAPS: quality_gaps(record), f.QUALITY_FINDINGS: finding_keys(record),
            f.UPDATE_DUE: update_due(record)}
