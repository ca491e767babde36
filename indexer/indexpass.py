"""One pass of documents into the indices of a build: the bulk actions, the counts, the summary.

``IndexPass`` turns a stream of prepared records into bulk actions (index into the record's partition;
on a load, delete from the other partition first when the record moved, leave an unchanged record
alone), counts what Elasticsearch did with each, hides records whose new version was rejected, and
ends in a :class:`Summary`. Which indices, and when the alias moves, is ``indexer.rebuild``'s business.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

from elasticsearch import Elasticsearch

from indexer import bulk, mapping, vectors
from indexer.bulk import BulkError
from indexer.documents import record_hash, to_document, visibility
from indexer.prepare import BATCH_SIZE, Prepared
from indexer.progress import Counts, Progress

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1000


@dataclass
class Options:
    """How a rebuild or load runs (``gdc-index`` fills it from its flags)."""

    workers: int | None = None  # worker processes for validation + segmentation; 0: in this process
    batch_size: int = BATCH_SIZE  # records per worker task
    chunk_size: int = bulk.CHUNK_SIZE  # documents per bulk request
    max_errors: int = 0  # documents Elasticsearch may refuse before a rebuild is abandoned
    lock: bool = True
    skip_unchanged: bool = True  # load: leave records the live index holds unchanged alone
    progress: Progress | None = None
    vectors: vectors.Embedder | None = None  # the semantic layer: documents carry meaning vectors


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



class IndexPass:
    """Streams prepared records into the indices of one build and keeps the counts, timings and errors."""

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
        if self.options.vectors is not None:
            stream = vectors.attach(stream, self.options.vectors)
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
