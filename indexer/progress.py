"""Progress of a rebuild or load: a bar with rate and ETA on a terminal, log lines otherwise."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, fields
from typing import TextIO

from tqdm import tqdm

LOG_INTERVAL_SECONDS = 5.0


@dataclass
class Counts:
    """read = accepted + rejected; indexed/failed are Elasticsearch's answers for the accepted;
    hidden: records already in the index whose new version was rejected (see ``rebuild.load_prepared``);
    unchanged: accepted records the live index already held exactly (not written again)."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    indexed: int = 0
    failed: int = 0
    deleted: int = 0
    hidden: int = 0
    unchanged: int = 0

    def line(self) -> str:
        return " ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


@dataclass
class Progress:
    """Counts plus their display; ``quiet`` shows nothing (library use, tests)."""

    label: str = "indexing"
    total: int | None = None
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    interval: float = LOG_INTERVAL_SECONDS
    counts: Counts = field(default_factory=Counts)

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self._last_log = self.started
        self._bar = None
        if not self.quiet and self.stream.isatty():
            self._bar = tqdm(total=self.total, desc=self.label, unit="rec", file=self.stream,
                             dynamic_ncols=True, smoothing=0.1)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def advance(self, **deltas: int) -> None:
        """Add to the counts (``read=1``, ``indexed=500``, …) and refresh the display."""
        for name, delta in deltas.items():
            setattr(self.counts, name, getattr(self.counts, name) + delta)
        if self._bar is not None:
            if deltas.get("read"):
                self._bar.update(deltas["read"])
            if self._bar.n % 200 == 0 or not deltas.get("read"):
                self._bar.set_postfix(ok=self.counts.indexed, rejected=self.counts.rejected,
                                      failed=self.counts.failed, refresh=False)
        elif not self.quiet and time.monotonic() - self._last_log >= self.interval:
            self._last_log = time.monotonic()
            self._log_line()

    def _log_line(self) -> None:
        rate = self.counts.read / self.elapsed if self.elapsed else 0.0
        eta = ""
        if self.total and rate:
            eta = f" eta={max(0.0, (self.total - self.counts.read) / rate):.0f}s"
        of_total = f"/{self.total}" if self.total else ""
        print(f"{self.label}: {self.counts.read}{of_total} records, {self.counts.line()} "
              f"rate={rate:.0f}/s{eta}", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.set_postfix(ok=self.counts.indexed, rejected=self.counts.rejected,
                                  failed=self.counts.failed, refresh=False)
            self._bar.close()
            self._bar = None
