"""The audit trail: an append-only JSON Lines file, one line per event.

Who saw which sensitive records, when, through which request; sign-ins, failures, lockouts and
account changes. Lines are only ever appended (``O_APPEND`` under an exclusive lock, so concurrent
workers never interleave); nothing in the product rewrites or truncates the file.
"""
from __future__ import annotations

import fcntl
import json
import os
from collections import deque
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator


class AuditLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def append(self, event: str, **fields: Any) -> dict:
        """Write one entry ``{"ts", "event", …fields}`` and return it."""
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        entry = {"ts": now, "event": event, **fields}
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
        finally:
            os.close(fd)
        return entry

    def entries(self) -> Iterator[dict]:
        """Every entry, oldest first (a damaged line is skipped, never fatal)."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue

    def tail(self, limit: int = 200, who: str | None = None, event: str | None = None,
             record_id: str | None = None) -> list[dict]:
        """The newest ``limit`` entries matching the filters, newest first."""
        kept: deque[dict] = deque(maxlen=max(1, limit))
        for entry in self.entries():
            if who and entry.get("who") != who:
                continue
            if event and entry.get("event") != event:
                continue
            if record_id and record_id not in (entry.get("ids") or []):
                continue
            kept.append(entry)
        return list(reversed(kept))
