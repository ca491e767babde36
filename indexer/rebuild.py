"""Full rebuild behind an atomic alias swap, and incremental sync into the live index.

Rebuild: lock → remove orphans → new index (refresh off, no replicas) → stream documents → restore
settings, refresh → count check → move the alias in **one** ``update_aliases`` call → delete the
indices it replaced. Any failure before the swap deletes the new index; a killed process leaves an
orphan that the next run removes. The portal never sees a half-built index.

Open records and all others go to two physical indices (``mapping.PARTITIONS``) so that ranking
statistics never cross the classification line; both are built together and swapped together.

Load: upsert by dataset id into the indices behind the alias (creating them by a rebuild when there
are none; a record whose classification moved it to the other partition leaves the old one first),
hide (``visibility: hidden``) records whose new version was rejected, refresh before returning so a
classification or consent change is in force, and with ``delete_missing`` remove the records of the
loaded sources that were not accepted this time.

The documents come from ``indexer.stream`` (sources → prepared records, in read order) and are
written by ``indexer.indexpass`` (one pass: bulk actions, counts, the summary).
"""
from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from elasticsearch import Elasticsearch

from indexer import mapping
from indexer.indexpass import IndexPass, Options, Summary
from indexer.indices import (check_version, create_index, finish_index, ids_of_sources, indices_behind,
                             live_index, record_hashes, remove_orphans, swap_alias)
from indexer.lock import IndexLock
from indexer.prepare import Prepared, bulk_allocation
from indexer.stream import declarations_of, prepared_from_sources, record_stream

__all__ = ["Options", "Summary", "RebuildFailed", "rebuild", "load", "rebuild_records", "load_records",
           "rebuild_prepared", "load_prepared", "prepared_from_sources"]

log = logging.getLogger(__name__)

StreamFactory = Callable[[Mapping[str, str]], Iterable[Prepared]]


class RebuildFailed(RuntimeError):
    """The new index is incomplete; the alias still points at the old one."""


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
        run = IndexPass(es, build, partitions, options)
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
        run = IndexPass(es, build, partitions, options, known, where)
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

def rebuild_records(es: Elasticsearch, alias: str, records: Iterable[dict],
                    options: Options | None = None) -> Summary:
    """Rebuild from already-validated canonical records (tests, benchmark)."""
    options = options or Options()
    return rebuild_prepared(es, alias, record_stream(records, options), options)


def load_records(es: Elasticsearch, alias: str, records: Iterable[dict], options: Options | None = None,
                 delete_missing: bool = False) -> Summary:
    """Upsert already-validated canonical records into the live index."""
    options = options or Options()
    return load_prepared(es, alias, lambda known: record_stream(records, options, known), options,
                         delete_missing=delete_missing)


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
    declarations_of(declarations)  # a bad declaration fails before anything is touched
    stream = prepared_from_sources(sources, declarations=declarations, report=report, options=options,
                                   context=context, fmt=fmt)
    return rebuild_prepared(es, alias, stream, options)


def load(es: Elasticsearch, alias: str, sources: Sequence[str | Path], *,
         declarations: Mapping[str, str] | Iterable[str] | None = None, report: Any | None = None,
         options: Options | None = None, delete_missing: bool = False, context: Any = None,
         fmt: str | None = None) -> Summary:
    """``gdc-index load``: upsert every accepted record into the live index (building it if absent)."""
    options = options or Options()
    declarations_of(declarations)  # a bad declaration fails before anything is touched

    def make_stream(known_hashes: Mapping[str, str]) -> Iterator[Prepared]:
        return prepared_from_sources(sources, declarations=declarations, report=report, options=options,
                                     context=context, fmt=fmt, known_hashes=known_hashes)

    return load_prepared(es, alias, make_stream, options, delete_missing)
