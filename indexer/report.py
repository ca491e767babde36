"""Counting, rejects file and summary of a validate/load run: nothing lost, every record accounted for.

Per source: read = accepted + rejected, always; ``with_findings`` counts accepted records that carry
quality findings. Every rejected record is written to the rejects file (JSON Lines) exactly as read,
with its source, locator, id and reasons in Thai and English. Exit codes: 0 all accepted, 1 some
rejected, 2 a fatal problem (unreadable source, Elasticsearch unreachable).
"""
from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from indexer.pipeline import Outcome

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_FATAL = 2
SUMMARY_HEADER = ("แหล่งข้อมูล / source", "อ่าน / read", "ผ่าน / accepted", "ผ่าน มีข้อสังเกต / with findings",
                  "ไม่ผ่าน / rejected")


@dataclass
class SourceCounts:
    read: int = 0
    accepted: int = 0
    with_findings: int = 0
    rejected: int = 0


def reject_entry(outcome: Outcome) -> dict[str, Any]:
    """One line of the rejects file: where, which record, why, and the record exactly as read."""
    raw = outcome.raw
    entry: dict[str, Any] = {
        "source": raw.source,
        "locator": raw.locator,
        "id": outcome.record_id or None,
        "reasons": [f.as_dict() for f in outcome.errors],
    }
    if raw.data is not None:
        entry["record"] = raw.data
    else:
        entry["record"] = None
        entry["raw_text"] = raw.text
    return entry


class Report:
    """Collects outcomes; writes rejects as they come (constant memory); prints the summary."""

    def __init__(self, rejects_path: str | Path | None = None) -> None:
        self.sources: dict[str, SourceCounts] = {}
        self.rules: Counter[tuple[str, str]] = Counter()
        self.fatal_problems: list[str] = []
        self.rejects_path = Path(rejects_path) if rejects_path else None
        self._rejects: IO[str] | None = None
        if self.rejects_path:
            self.rejects_path.parent.mkdir(parents=True, exist_ok=True)
            self._rejects = self.rejects_path.open("w", encoding="utf-8")

    def __enter__(self) -> "Report":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._rejects is not None:
            self._rejects.close()
            self._rejects = None

    def expect(self, source: str) -> None:
        """List a source even if it yields no record (an empty file shows as 0 read)."""
        self.sources.setdefault(source, SourceCounts())

    def add(self, outcome: Outcome) -> None:
        counts = self.sources.setdefault(outcome.raw.source, SourceCounts())
        counts.read += 1
        for finding in outcome.errors + outcome.findings:
            self.rules[(finding.severity, finding.rule)] += 1
        if outcome.accepted:
            counts.accepted += 1
            counts.with_findings += bool(outcome.findings)
            return
        counts.rejected += 1
        if self._rejects is not None:
            self._rejects.write(json.dumps(reject_entry(outcome), ensure_ascii=False, default=str) + "\n")

    def fatal(self, message: str) -> None:
        """A problem that stops the run (the message should be Thai and English)."""
        self.fatal_problems.append(message)

    @property
    def totals(self) -> SourceCounts:
        total = SourceCounts()
        for counts in self.sources.values():
            total.read += counts.read
            total.accepted += counts.accepted
            total.with_findings += counts.with_findings
            total.rejected += counts.rejected
        return total

    def exit_code(self) -> int:
        if self.fatal_problems:
            return EXIT_FATAL
        return EXIT_REJECTED if self.totals.rejected else EXIT_OK

    def summary_lines(self) -> list[str]:
        """The summary table (per source and in total), the most frequent rules, rejects and fatal problems."""
        t = self.totals
        rows = [(name, c.read, c.accepted, c.with_findings, c.rejected) for name, c in self.sources.items()]
        rows.append(("รวม / total", t.read, t.accepted, t.with_findings, t.rejected))
        lines = _table(SUMMARY_HEADER, rows)
        if not self.fatal_problems:
            lines += [f"หมายเหตุ: {name} ไม่มีระเบียน / note: {name} holds no record"
                      for name, counts in self.sources.items() if counts.read == 0]
        if self.rules:
            lines.append("กฎที่พบบ่อย / most frequent rules:")
            for (severity, rule), count in self.rules.most_common(12):
                kind = "ปฏิเสธ/error" if severity == "error" else "ข้อสังเกต/quality"
                lines.append(f"  {count:>7}  {rule} ({kind})")
        if self.rejects_path and t.rejected:
            lines.append(f"ระเบียนที่ไม่ผ่านพร้อมเหตุผล / rejected records with reasons: {self.rejects_path}")
        lines += [f"ข้อผิดพลาดร้ายแรง / fatal: {message}" for message in self.fatal_problems]
        return lines

    def print_summary(self, file: IO[str] | None = None) -> None:
        out = file or sys.stdout
        for line in self.summary_lines():
            print(line, file=out)


def display_width(text: str) -> int:
    """Columns a terminal gives the text: Thai vowel and tone marks take none, wide characters two."""
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, aligned by display width (Thai-safe)."""
    cells = [tuple(str(v) for v in row) for row in [header, *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        parts = [row[0] + " " * (widths[0] - display_width(row[0]))]
        parts += [" " * (w - display_width(v)) + v for v, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(parts).rstrip())
    return lines
