"""Full rebuild behind an atomic alias swap, and incremental sync into the live index.

Rebuild: lock → remove orphans → new index (refresh off, no replicas) → stream documents → restore
settings, refresh → count check → move the alias in **one** ``update_aliases`` call → delete the
indices it replaced. Any failure before the swap deletes the new index; a killed process leaves an
orphan that the next run removes. The portal never sees a half-built index.

Open records and all others go to two physical indices (``mapping.PARTITIONS``) so that ranking
statistics never cross the classification line; both are built together and swapped together.

Load: upsert by dataset id into the indices behind the alias (creating them by a rebuild when there
are none; a record whose classification moved it to the other partition leaves the old one first), hide (``visibility: hidden``) records whose new version was rejected, refresh before returning
so a classification or consent change is in force, and with ``delete_missing`` remove the records of
the loaded sources that were not accepted this time.
"""
from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from elasticsearch import Elasticsearch

from indexer import bulk, mapping
from indexer.bulk import BulkError
from indexer.documents import record_hash, to_document, visibility, with_quality
from indexer.indices import (check_version, create_index, finish_index, ids_of_sources, indices_behind,
                             live_index, record_hashes, remove_orphans, swap_alias)
from indexer.lock import IndexLock
from indexer.pipeline import QualityTracker, parse_declarations
from indexer.prepare import (BATCH_SIZE, Prepared, bulk_allocation, decode, encode, prepare_records,
                             prepared_stream, raw_batch_function)
from indexer.progress import Counts, Progress
from indexer.sources import read_sources

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1000

Review = Callable[[Prepared], Prepared]
StreamFactory = Callable[[Mapping[str, str]], Iterable[Prepared]]


class RebuildFailed(RuntimeError):
    """The new index is incomplete; the alias still points at the old one."""


@dataclass
class Options:
    workers: int | None = None  # worker processes for validation + segmentation; 0: in this process
    batch_size: int = BATCH_SIZE  # records per worker task
    chunk_size: int = bulk.CHUNK_SIZE  # documents per bulk request
    max_errors: int = 0  # documents Elasticsearch may refuse before a rebuild is abandoned
    lock: bool = True
    skip_unchanged: bool = True  # load: leave records the live index holds unchanged alone
    progress: Progress | None = None


@dataclass
class Timings:
    validation: float = 0.0  # CPU seconds summed over workers
    segmentation: float = 0.0  # CPU seconds summed over workers (building documents, mostly Thai)
    elasticsearch: float = 0.0  # wall seconds inside bulk requests


@dataclass
class Summary:
    mode: str
    alias: str
    index: str  # the build (``mapping.physical_index_name``); its indices are in ``indices``
    counts: Counts
    indices: dict[str, str] = field(default_factory=dict)  # partition → physical index
    seconds: float = 0.0
    timings: Timings = field(default_factory=Timings)
    errors: list[BulkError] = field(default_factory=list)
    duplicate_ids: int = 0
    replaced: list[str] = field(default_factory=list)
    orphans_removed: list[str] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.counts.indexed / self.seconds if self.seconds else 0.0

    @property
    def records_per_second(self) -> float:
        return self.counts.read / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        c, t = self.counts, self.timings
        lines = [
            f"{self.mode} {self.alias} → {self.index}: read {c.read}, accepted {c.accepted}, "
            f"rejected {c.rejected}, indexed {c.indexed}, failed {c.failed}, deleted {c.deleted}, "
            f"hidden {c.hidden}, unchanged {c.unchanged} in {self.seconds:.1f} s "
            f"({self.docs_per_second:.0f} docs/s indexed, {self.records_per_second:.0f} records/s read)",
            f"time: validation {t.validation:.1f} s, segmentation {t.segmentation:.1f} s "
            f"(CPU over all workers), elasticsearch {t.elasticsearch:.1f} s",
        ]
        if c.hidden:
            lines.append(f"{c.hidden} indexed records were hidden (visibility: hidden) because their new "
                         f"version was rejected; they reappear when a valid version is loaded")
        if self.duplicate_ids:
            lines.append(f"{self.duplicate_ids} records repeated an earlier id (the last one wins)")
        lines += [f"replaced {name}" for name in self.replaced]
        lines += [f"removed orphan index {name}" for name in self.orphans_removed]
        lines += [error.message() for error in self.errors]
        return lines


# --- one pass of documents into an index -------------------------------------------------------

class _Pass:
    """Streams prepared records into one index and keeps the counts, timings and errors."""

    def __init__(self, es: Elasticsearch, build: str, indices: dict[str, str], options: Options,
                 known: Mapping[str, str] | None = None, where: Mapping[str, str] | None = None):
        self.es, self.build, self.indices, self.options = es, build, indices, options
        self.known = known or {}  # id → record hash of the live indices (load only)
        self.where = where or {}  # id → partition holding it now (load only)
        self.moving: set[str] = set()  # ids deleted from their old partition on the way to the other
        self.hiding: set[str] = set()  # ids re-indexed as hidden into the restricted partition
        self.progress = options.progress or Progress(quiet=True)
        self.timings = Timings()
        self.errors: list[BulkError] = []
        self.accepted_ids: set[str] = set()
        self.indexed_ids: set[str] = set()
        self.rejected_ids: set[str] = set()
        self.sources: set[str] = set()
        self.duplicate_ids = 0

    def _actions(self, stream: Iterable[Prepared]) -> Iterator[dict]:
        for prepared in stream:
            self.timings.validation += prepared.validation_seconds
            self.timings.segmentation += prepared.segmentation_seconds
            accepted = prepared.accepted
            self.progress.advance(read=1, accepted=int(accepted), rejected=int(not accepted))
            if not accepted:
                if prepared.outcome is not None and prepared.outcome.record_id:
                    self.rejected_ids.add(prepared.outcome.record_id)
                continue
            record_id = prepared.doc_id
            if prepared.record.get("source"):
                self.sources.add(prepared.record["source"])
            if record_id in self.accepted_ids:
                self.duplicate_ids += 1
            self.accepted_ids.add(record_id)
            if prepared.unchanged or (prepared.revised
                                      and self.known.get(record_id) == record_hash(prepared.record)):
                self.progress.advance(unchanged=1)
                continue
            partition = mapping.partition_of(visibility(prepared.record))
            old = self.where.get(record_id)
            if old is not None and old != partition:
                # Out of the old partition first, in the same bulk request: never visible twice.
                self.moving.add(record_id)
                yield {"_op_type": "delete", "_index": self.indices[old], "_id": record_id}
            # The body is JSON bytes already: the bulk helper forwards it without re-serialising.
            yield {"_op_type": "index", "_index": self.indices[partition], "_id": record_id,
                   "_source": prepared.body}

    def _ok(self, record_id: str, action: str, found: bool) -> None:
        if action == "delete" and record_id in self.moving:
            self.moving.discard(record_id)
        elif action == "delete":
            self.progress.advance(deleted=int(found))
        elif action == "update":
            self.progress.advance(hidden=int(found))
        elif record_id in self.hiding:
            self.hiding.discard(record_id)
            self.progress.advance(hidden=1)
        else:
            self.indexed_ids.add(record_id)
            self.progress.advance(indexed=1)

    def _error(self, error: BulkError) -> None:
        log.error("%s", error.message())
        self.progress.advance(failed=1)
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def write(self, stream: Iterable[Prepared]) -> None:
        timer = bulk.BulkTimer()
        try:
            bulk.write(self.es, self._actions(stream), on_ok=self._ok, on_error=self._error, timer=timer,
                       chunk_size=self.options.chunk_size)
        finally:
            self.timings.elasticsearch += timer.seconds

    def _send(self, actions: Iterable[dict]) -> None:
        timer = bulk.BulkTimer()
        bulk.write(self.es, actions, on_ok=self._ok, on_error=self._error, timer=timer,
                   chunk_size=self.options.chunk_size)
        self.timings.elasticsearch += timer.seconds

    def delete(self, ids: Iterable[tuple[str, str]]) -> None:
        """Delete ``(index, id)`` pairs."""
        self._send({"_op_type": "delete", "_index": index, "_id": i} for index, i in ids)

    def hide_rejected(self) -> None:
        """Fail closed: a record whose new version was rejected (say, it turned personal without a
        classification) must not stay visible under its old governance. It stays for administrators
        (``visibility: hidden``) until a valid version arrives; ids not in the index are skipped.
        A hidden record leaves the open partition (its words must not weigh in open rankings)."""
        hide = sorted(self.rejected_ids - self.accepted_ids)
        restricted = self.indices[mapping.RESTRICTED_PARTITION]
        leaving = [i for i in hide if self.where.get(i) == mapping.OPEN_PARTITION]
        # No record hash: the next valid version is written even if it equals the hidden one.
        hidden = {mapping.VISIBILITY: mapping.HIDDEN, mapping.RECORD_HASH: None}
        self._send({"_op_type": "update", "_index": restricted, "_id": i, "doc": hidden}
                   for i in hide if i not in leaving)
        if leaving:
            self._move_hidden(leaving, hidden)

    def _move_hidden(self, ids: list[str], hidden: dict) -> None:
        source = self.indices[mapping.OPEN_PARTITION]
        found = self.es.mget(index=source, ids=ids, _source=[mapping.RECORD])["docs"]
        actions = []
        for doc in found:
            if doc.get("found"):
                self.moving.add(doc["_id"])
                self.hiding.add(doc["_id"])
                actions.append({"_op_type": "delete", "_index": source, "_id": doc["_id"]})
                document = to_document(doc["_source"][mapping.RECORD]) | hidden
                actions.append({"_op_type": "index", "_index": self.indices[mapping.RESTRICTED_PARTITION],
                                "_id": doc["_id"], "_source": document})
        self._send(actions)

    def summary(self, mode: str, alias: str, started: float) -> Summary:
        self.progress.close()
        return Summary(mode, alias, self.build, self.progress.counts, dict(self.indices),
                       time.monotonic() - started, self.timings, self.errors, self.duplicate_ids)


def _lock(es: Elasticsearch, alias: str, purpose: str, options: Options):
    return IndexLock(es, alias, purpose) if options.lock else nullcontext()


# --- rebuild ----------------------------------------------------------------------------------------

def _rebuild_locked(es: Elasticsearch, alias: str, stream: Iterable[Prepared], options: Options,
                    lock: Any, mode: str = "rebuild") -> Summary:
    started = time.monotonic()
    orphans = remove_orphans(es, alias)
    build = mapping.physical_index_name(alias)
    partitions = {p: mapping.partition_index_name(build, p) for p in mapping.PARTITIONS}
    try:
        # Inside the try: an interrupt while the create request is out must not leave an orphan.
        for index in partitions.values():
            create_index(es, index)
        run = _Pass(es, build, partitions, options)
        run.write(stream)
        for index in partitions.values():
            finish_index(es, index)
        failed = run.progress.counts.failed
        if failed > options.max_errors:
            raise RebuildFailed(f"ดัชนีไม่รับ {failed} ระเบียน (ยอมได้ {options.max_errors}) "
                                f"ดัชนีเดิมยังให้บริการ / "
                                f"{failed} documents failed to index (allowed: {options.max_errors}); "
                                f"the alias stays on the old index")
        count = sum(es.count(index=index)["count"] for index in partitions.values())
        if count != len(run.indexed_ids):
            raise RebuildFailed(f"{build} มี {count} ระเบียน แต่ควรมี {len(run.indexed_ids)} / "
                                f"{build} holds {count} documents, expected {len(run.indexed_ids)}")
        if isinstance(lock, IndexLock):
            lock.check()
        replaced = swap_alias(es, alias, partitions)
    except BaseException:
        _abandon(es, alias, list(partitions.values()))
        raise
    for name in replaced:
        es.options(ignore_status=404).indices.delete(index=name)
    summary = run.summary(mode, alias, started)
    summary.replaced, summary.orphans_removed = replaced, orphans
    return summary


def _abandon(es: Elasticsearch, alias: str, new: list[str]) -> None:
    """Delete the new indices after a failure, unless the swap went through just before it (then the
    new indices are serving and the old ones are orphans for the next run)."""
    try:
        if set(new) & set(indices_behind(es, alias)):
            log.warning("interrupted after the alias moved to %s: keeping them", ", ".join(new))
            return
        es.options(ignore_status=404).indices.delete(index=",".join(new))
    except Exception as exc:  # noqa: BLE001 - the original failure matters more; the next run cleans up
        log.error("could not remove %s (%s): the next rebuild will", ", ".join(new), exc)


def rebuild_prepared(es: Elasticsearch, alias: str, stream: Iterable[Prepared],
                     options: Options | None = None) -> Summary:
    """Build a new index from prepared records and swap the alias to it (see the module doc)."""
    options = options or Options()
    with _lock(es, alias, "rebuild", options) as lock, bulk_allocation():
        return _rebuild_locked(es, alias, stream, options, lock)


# --- incremental load ------------------------------------------------------------------------------

def load_prepared(es: Elasticsearch, alias: str, make_stream: StreamFactory, options: Options | None = None,
                  delete_missing: bool = False) -> Summary:
    """Upsert prepared records into the live index (or build it when the alias does not exist yet).

    ``make_stream(known_hashes)`` builds the stream once the live index is known, so records it
    already holds unchanged are neither segmented nor written again (``Options.skip_unchanged``).
    """
    options = options or Options()
    with _lock(es, alias, "load", options) as lock, bulk_allocation():
        partitions = live_index(es, alias)
        if partitions is None:
            return _rebuild_locked(es, alias, make_stream({}), options, lock, mode="load")
        for index in partitions.values():
            check_version(es, index)
        started = time.monotonic()
        hashes = {p: record_hashes(es, index) for p, index in partitions.items()}
        where = {i: p for p, by_id in hashes.items() for i in by_id}
        known = ({i: h for by_id in hashes.values() for i, h in by_id.items()}
                 if options.skip_unchanged else {})
        build = partitions[mapping.OPEN_PARTITION].rsplit("-", 1)[0]
        run = _Pass(es, build, partitions, options, known, where)
        run.write(make_stream(known))
        run.hide_rejected()
        both = ",".join(partitions.values())
        es.indices.refresh(index=both)
        if delete_missing and run.sources:
            missing = [(index, i) for index in partitions.values()
                       for i in ids_of_sources(es, index, run.sources) if i not in run.accepted_ids]
            run.delete(missing)
            es.indices.refresh(index=both)
        return run.summary("load", alias, started)


# --- entry points for files (through the validation pipeline) and for canonical records ---------

def _record_stream(records: Iterable[dict], options: Options,
                   known_hashes: Mapping[str, str] | None = None) -> Iterator[Prepared]:
    return prepared_stream(records, prepare_records, workers=options.workers, batch_size=options.batch_size,
                           known_hashes=known_hashes)


def rebuild_records(es: Elasticsearch, alias: str, records: Iterable[dict],
                    options: Options | None = None) -> Summary:
    """Rebuild from already-validated canonical records (tests, benchmark)."""
    options = options or Options()
    return rebuild_prepared(es, alias, _record_stream(records, options), options)


def load_records(es: Elasticsearch, alias: str, records: Iterable[dict], options: Options | None = None,
                 delete_missing: bool = False) -> Summary:
    """Upsert already-validated canonical records into the live index."""
    options = options or Options()
    return load_prepared(es, alias, lambda known: _record_stream(records, options, known), options,
                         delete_missing=delete_missing)


def _declarations(declarations: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    if declarations is None:
        return {}
    if isinstance(declarations, Mapping):
        return dict(declarations)
    return parse_declarations(declarations)


def _reviewer(report: Any | None) -> Review:
    """The checks that need every record (duplicate ids and titles), then the report, in read order."""
    tracker = QualityTracker()

    def review(prepared: Prepared) -> Prepared:
        outcome = prepared.outcome
        findings = len(outcome.record["quality"]["findings"]) if outcome.accepted else 0
        outcome = tracker.observe(outcome)
        if report is not None:
            report.add(outcome)
        if not outcome.accepted:
            return replace(prepared, outcome=outcome, record=None, doc_id=None, body=None, unchanged=False)
        if len(outcome.record["quality"]["findings"]) == findings:
            return replace(prepared, outcome=outcome)
        # A cross-record finding changed the record after the worker built (or skipped) its document.
        if prepared.unchanged:
            document = to_document(outcome.record)
        else:
            document = with_quality(decode(prepared.body), outcome.record)
        return replace(prepared, outcome=outcome, record=outcome.record, body=encode(document),
                       unchanged=False, revised=True)

    return review


def prepared_from_sources(sources: Sequence[str | Path], *,
                          declarations: Mapping[str, str] | Iterable[str] | None = None,
                          report: Any | None = None, options: Options | None = None, context: Any = None,
                          fmt: str | None = None,
                          known_hashes: Mapping[str, str] | None = None) -> Iterator[Prepared]:
    """Every record of ``sources`` read, validated (in worker processes), checked across records and
    reported, in read order, with its index document when accepted."""
    options = options or Options()
    parsed = _declarations(declarations)
    review = _reviewer(report)
    work = raw_batch_function(parsed, context)
    stream = prepared_stream(read_sources(sources, fmt=fmt, declarations=parsed), work, workers=options.workers,
                             batch_size=options.batch_size, known_hashes=known_hashes)
    try:
        for prepared in stream:
            yield review(prepared)
    finally:
        stream.close()  # stops the worker processes at once when the consumer gives up


def rebuild(es: Elasticsearch, alias: str, sources: Sequence[str | Path], *,
            declarations: Mapping[str, str] | Iterable[str] | None = None, report: Any | None = None,
            options: Options | None = None, context: Any = None, fmt: str | None = None) -> Summary:
    """``gdc-index rebuild``: read, validate and index every source into a new index, then swap the alias.

    ``sources`` are files (any format ``indexer.sources`` reads) or CKAN catalogue URLs (harvested).

    ``declarations`` are ``field=value`` strings (or the parsed mapping) applied to every record;
    ``report`` (``indexer.report.Report``) receives every outcome in read order for the summary and
    the rejects file.
    """
    options = options or Options()
    _declarations(declarations)  # a bad declaration fails before anything is touched
    stream = prepared_from_sources(sources, declarations=declarations, report=report, options=options,
                                   context=context, fmt=fmt)
    return rebuild_prepared(es, alias, stream, options)


def load(es: Elasticsearch, alias: str, sources: Sequence[str | Path], *,
         declarations: Mapping[str, str] | Iterable[str] | None = None, report: Any | None = None,
         options: Options | None = None, delete_missing: bool = False, context: Any = None,
         fmt: str | None = None) -> Summary:
    """``gdc-index load``: upsert every accepted record into the live index (building it if absent)."""
    options = options or Options()
    _declarations(declarations)  # a bad declaration fails before anything is touched

    def make_stream(known_hashes: Mapping[str, str]) -> Iterator[Prepared]:
        return prepared_from_sources(sources, declarations=declarations, report=report, options=options,
                                     context=context, fmt=fmt, known_hashes=known_hashes)

    return load_prepared(es, alias, make_stream, options, delete_missing)
