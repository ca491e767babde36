"""A lock in Elasticsearch itself, so two writers never overlap even from different machines.

One document (``_id: "writer"``) in the small index ``<alias>-lock``, created with ``op_type=create``
(only one creator wins). The holder refreshes a heartbeat; a lock whose holder process is gone (same
host, pid no longer alive) or whose heartbeat is stale is taken over with optimistic concurrency
control, so a killed rebuild never blocks the next one.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import datetime, timezone
from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError
from elasticsearch import BadRequestError

log = logging.getLogger(__name__)

LOCK_ID = "writer"
STALE_AFTER_SECONDS = 120.0
HEARTBEAT_SECONDS = 15.0


class LockHeld(RuntimeError):
    """Another rebuild or load holds the lock."""

    def __init__(self, holder: dict[str, Any]):
        self.holder = holder
        who = f"pid {holder.get('pid')} on {holder.get('host')}, since {holder.get('acquired_at')}"
        super().__init__(
            f"มีงาน {holder.get('purpose', 'writer')} อื่นถือล็อกดัชนีอยู่ ({who}) "
            f"ลองใหม่เมื่องานนั้นเสร็จ / "
            f"another {holder.get('purpose', 'writer')} holds the index lock ({who})"
        )


class LockLost(RuntimeError):
    """Our lock was taken over (our heartbeat stopped for too long): stop before touching the alias."""


def lock_index(alias: str) -> str:
    return f"{alias}-lock"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_stale(holder: dict[str, Any], stale_after: float = STALE_AFTER_SECONDS) -> bool:
    """A holder is gone when it ran on this host and its pid is dead, or its heartbeat is old."""
    if holder.get("host") == socket.gethostname() and not _pid_alive(int(holder.get("pid") or 0)):
        return True
    return time.time() - float(holder.get("heartbeat_epoch") or 0) > stale_after


class IndexLock:
    """``with IndexLock(es, alias, "rebuild"):`` — raises :class:`LockHeld` if someone else writes."""

    def __init__(self, es: Elasticsearch, alias: str, purpose: str, *,
                 stale_after: float = STALE_AFTER_SECONDS, heartbeat: float = HEARTBEAT_SECONDS):
        self.es = es
        self.index = lock_index(alias)
        self.purpose = purpose
        self.stale_after = stale_after
        self.heartbeat = heartbeat
        self._version: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lost = False

    def _document(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose, "host": socket.gethostname(), "pid": os.getpid(),
            "acquired_at": _now(), "heartbeat_epoch": time.time(),
        }

    def _ensure_index(self) -> None:
        try:
            self.es.indices.create(index=self.index, settings={
                "index.number_of_shards": 1, "index.auto_expand_replicas": "0-1"},
                mappings={"dynamic": False, "properties": {}})
        except BadRequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise

    def acquire(self) -> "IndexLock":
        self._ensure_index()
        document = self._document()
        try:
            answer = self.es.create(index=self.index, id=LOCK_ID, document=document, refresh=True)
        except ConflictError:
            answer = self._take_over(document)
        self._version = (answer["_seq_no"], answer["_primary_term"])
        self._thread = threading.Thread(target=self._beat, name="index-lock-heartbeat", daemon=True)
        self._thread.start()
        return self

    def _take_over(self, document: dict[str, Any]) -> dict:
        current = self.es.get(index=self.index, id=LOCK_ID)
        holder = current["_source"]
        if not is_stale(holder, self.stale_after):
            raise LockHeld(holder)
        log.warning("taking over a stale index lock from pid %s on %s", holder.get("pid"), holder.get("host"))
        try:
            return self.es.index(index=self.index, id=LOCK_ID, document=document, refresh=True,
                                 if_seq_no=current["_seq_no"], if_primary_term=current["_primary_term"])
        except ConflictError:
            raise LockHeld(self.es.get(index=self.index, id=LOCK_ID)["_source"]) from None

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat):
            try:
                self._touch()
            except ConflictError:
                self.lost = True
                return
            except Exception as exc:  # noqa: BLE001 - a missed beat is retried; staleness decides
                log.warning("index lock heartbeat failed: %s", exc)

    def _touch(self) -> None:
        assert self._version is not None
        seq_no, term = self._version
        answer = self.es.update(index=self.index, id=LOCK_ID, doc={"heartbeat_epoch": time.time()},
                                if_seq_no=seq_no, if_primary_term=term)
        self._version = (answer["_seq_no"], answer["_primary_term"])

    def check(self) -> None:
        """Raise :class:`LockLost` if another process took the lock from us."""
        if self.lost:
            raise LockLost(f"ล็อกดัชนี {self.index} ถูกงานอื่นยึดไป / "
                           f"the index lock {self.index} was taken over by another process")

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.heartbeat + 5)
        if self.lost or self._version is None:
            return
        seq_no, term = self._version
        try:
            self.es.delete(index=self.index, id=LOCK_ID, if_seq_no=seq_no, if_primary_term=term, refresh=True)
        except (NotFoundError, ConflictError):
            log.warning("index lock %s was no longer ours at release", self.index)
        self._version = None

    def __enter__(self) -> "IndexLock":
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()


def current_holder(es: Elasticsearch, alias: str) -> dict[str, Any] | None:
    """Who holds the lock now (for ``gdc-index status``), or ``None``."""
    try:
        return es.get(index=lock_index(alias), id=LOCK_ID)["_source"]
    except NotFoundError:
        return None
