"""Bulk writes with back-off on transient errors and a per-document error naming the record id."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

# ~5 MB requests keep a small node busy without long GC pauses; 500 documents rarely reach it.
CHUNK_SIZE = 500
MAX_CHUNK_BYTES = 5 * 1024 * 1024
# 429 (queue full) and gateway errors are retried per document with exponential back-off;
# timeouts and connection resets are retried per request by the transport.
RETRY_ON_STATUS = (429, 502, 503, 504)
MAX_RETRIES = 6
INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 30.0
REQUEST_TIMEOUT = 120


@dataclass(frozen=True)
class BulkError:
    """One document Elasticsearch refused, named by its record id."""

    record_id: str
    action: str
    status: int
    reason: str

    def message(self) -> str:
        return f"record {self.record_id}: {self.action} failed with HTTP {self.status}: {self.reason}"


@dataclass
class BulkTimer:
    """Wall time spent on the bulk side: serialisation, network and Elasticsearch."""

    seconds: float = 0.0


def _error_of(action: str, item: dict[str, Any]) -> BulkError:
    error = item.get("error") or {}
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        caused = error.get("caused_by") or {}
        if caused.get("reason"):
            reason += f" ({caused.get('reason')})"
    else:
        reason = str(error)
    return BulkError(str(item.get("_id")), action, int(item.get("status") or 0), reason)


class _Upstream:
    """Measures the time spent waiting for the next action, to subtract it from the bulk time."""

    def __init__(self, actions: Iterable[dict]):
        self._actions = iter(actions)
        self.seconds = 0.0

    def __iter__(self) -> Iterator[dict]:
        while True:
            started = time.perf_counter()
            try:
                action = next(self._actions)
            except StopIteration:
                self.seconds += time.perf_counter() - started
                return
            self.seconds += time.perf_counter() - started
            yield action


def write(
    es: Elasticsearch,
    actions: Iterable[dict],
    *,
    on_ok: Callable[[str, str, bool], None],
    on_error: Callable[[BulkError], None],
    timer: BulkTimer | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> None:
    """Send ``actions`` in chunks; report each document's success or :class:`BulkError`.

    ``on_ok(id, action, found)``: deleting or updating a document that is not there counts as
    success with ``found=False`` (the wanted state holds).
    Exceptions other than per-document errors (node unreachable after retries) propagate.
    """
    timer = timer or BulkTimer()
    client = es.options(request_timeout=REQUEST_TIMEOUT, retry_on_timeout=True, max_retries=5)
    upstream = _Upstream(actions)
    results = iter(streaming_bulk(
        client, iter(upstream), chunk_size=chunk_size, max_chunk_bytes=MAX_CHUNK_BYTES,
        raise_on_error=False, raise_on_exception=True, max_retries=MAX_RETRIES,
        initial_backoff=INITIAL_BACKOFF, max_backoff=MAX_BACKOFF, retry_on_status=RETRY_ON_STATUS,
    ))
    while True:
        started, waited = time.perf_counter(), upstream.seconds
        try:
            ok, result = next(results)
        except StopIteration:
            timer.seconds += time.perf_counter() - started - (upstream.seconds - waited)
            return
        timer.seconds += time.perf_counter() - started - (upstream.seconds - waited)
        (action, item), = result.items()
        missing = action in ("delete", "update") and item.get("status") == 404
        if ok or missing:
            on_ok(str(item.get("_id")), action, not missing)
        else:
            on_error(_error_of(action, item))
