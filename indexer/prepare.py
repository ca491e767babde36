"""Validation and Thai segmentation — the expensive part — spread over worker processes.

Records travel in small batches; at most ``workers × IN_FLIGHT_PER_WORKER`` batches are in flight,
so memory stays flat however large the input, and results come back in input order (the cross-record
checks and the rejects file see records in the order they were read).
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

import orjson

from analyzers import thai
from indexer import pipeline
from indexer.documents import record_hash, to_document

BATCH_SIZE = 64
# The cyclic garbage collector scans every tracked object each time 700 allocations pile up; a loader
# allocates millions of short-lived, acyclic dicts, so it runs rarely and skips what was loaded before.
GC_THRESHOLD = (50_000, 20, 100)
IN_FLIGHT_PER_WORKER = 16
PARENT_CHECK_SECONDS = 1.0

T = TypeVar("T")


# Record hashes of the live index (id → ``record_hash``) during an incremental load: set once per
# worker by its initializer (or for the duration of an in-process stream), never pickled per batch.
_known_hashes: Mapping[str, str] = {}


@dataclass
class Prepared:
    """One input record after validation and, when accepted, its index document as JSON.

    The document is serialised in the worker: the parent only forwards bytes to the bulk request.
    """

    outcome: Any  # the pipeline's Outcome; None when the input was an already-validated record
    record: dict | None  # the accepted canonical record
    doc_id: str | None
    body: bytes | None  # the index document, JSON
    validation_seconds: float = 0.0
    segmentation_seconds: float = 0.0
    unchanged: bool = False  # accepted, and the live index already holds this very record
    revised: bool = False  # a cross-record check changed the record after the worker saw it

    @property
    def accepted(self) -> bool:
        return self.body is not None or self.unchanged


def default_workers() -> int:
    """One worker per core: the main process mostly waits on Elasticsearch."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def encode(document: Mapping[str, Any]) -> bytes:
    """The document as compact UTF-8 JSON (orjson: a tenth of ``json.dumps``' time on 11 kB documents)."""
    return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS, default=str)


def decode(body: bytes) -> dict[str, Any]:
    return orjson.loads(body)


def _document_of(record: Mapping[str, Any]) -> tuple[bytes, float]:
    started = time.process_time()
    body = encode(to_document(record))
    return body, time.process_time() - started


def prepare_records(records: list[dict]) -> list[Prepared]:
    """Already-validated canonical records → documents (tests, benchmarks, re-indexing)."""
    prepared = []
    for record in records:
        record_id = str(record["id"])
        if _known_hashes and _known_hashes.get(record_id) == record_hash(record):
            prepared.append(Prepared(None, record, record_id, None, unchanged=True))
            continue
        body, seconds = _document_of(record)
        prepared.append(Prepared(None, record, record_id, body, 0.0, seconds))
    return prepared


def prepare_raw(raw_records: list, declarations: Mapping[str, str], context: Any = None) -> list[Prepared]:
    """Raw source records → validated outcomes → documents for the accepted ones.

    A record identical to the one the live index holds (same ``record_hash``) is not segmented again.
    """
    prepared = []
    for raw in raw_records:
        started = time.process_time()
        outcome = pipeline.validate_one(raw, declarations, context)
        validated = time.process_time() - started
        if not outcome.accepted:
            prepared.append(Prepared(outcome, None, None, None, validated, 0.0))
            continue
        record_id = str(outcome.record["id"])
        if _known_hashes and _known_hashes.get(record_id) == record_hash(outcome.record):
            prepared.append(Prepared(outcome, outcome.record, record_id, None, validated, unchanged=True))
            continue
        body, seconds = _document_of(outcome.record)
        prepared.append(Prepared(outcome, outcome.record, record_id, body, validated, seconds))
    return prepared


def validate_raw(raw_records: list, declarations: Mapping[str, str], context: Any = None) -> list:
    """Raw source records → outcomes only (``gdc-index validate``: no documents are built)."""
    return [pipeline.validate_one(raw, declarations, context) for raw in raw_records]


def raw_batch_function(declarations: Mapping[str, str],
                       context: Any = None) -> Callable[[list], list[Prepared]]:
    return partial(prepare_raw, declarations=declarations, context=context)


def _batches(items: Iterable[Any], size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _exit_with(parent: int) -> None:
    """A worker must not outlive a parent killed with -9 (its queue would never be read again)."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)


def _worker_init(parent: int, known_hashes: Mapping[str, str]) -> None:
    global _known_hashes
    _known_hashes = known_hashes
    # Ctrl-C is the parent's to handle: it cancels the pool and cleans up the new index.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    thai.index_fields("ตั้งต้นพจนานุกรม")  # load the dictionary once per worker, not on the first record
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Collect garbage rarely while a load runs in this process; back to normal afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _in_process(items: Iterable[Any], work: Callable[[list], list[T]], batch_size: int,
                known_hashes: Mapping[str, str]) -> Iterator[T]:
    global _known_hashes
    _known_hashes = known_hashes
    try:
        for batch in _batches(items, batch_size):
            yield from work(batch)
    finally:
        _known_hashes = {}


def prepared_stream(
    items: Iterable[Any], work: Callable[[list], list[T]], *, workers: int | None = None,
    batch_size: int = BATCH_SIZE, known_hashes: Mapping[str, str] | None = None,
) -> Iterator[T]:
    """Apply ``work`` to ``items`` in batches, in ``workers`` processes (0: in this process).

    ``known_hashes`` (id → record hash of the live index) lets ``prepare_raw`` skip unchanged records.
    """
    workers = default_workers() if workers is None else workers
    known_hashes = dict(known_hashes or {})
    if workers == 0:
        yield from _in_process(items, work, batch_size, known_hashes)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["analyzers.thai", "indexer.documents", "indexer.pipeline"])
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                                   initargs=(os.getpid(), known_hashes))
    pending: deque[Future] = deque()
    try:
        for batch in _batches(items, batch_size):
            pending.append(executor.submit(work, batch))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
