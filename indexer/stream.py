"""Sources (or canonical records) → the stream of prepared records a pass writes, in read order.

Validation and segmentation run in worker processes (``indexer.prepare``); back in this process, in
read order, every outcome goes through the checks that need every record (``QualityTracker``:
repeated ids, repeated titles) and into the report, and a record those checks changed gets its
document rebuilt.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from indexer.documents import to_document, with_quality
from indexer.indexpass import Options
from indexer.pipeline import QualityTracker, parse_declarations
from indexer.prepare import Prepared, decode, encode, prepare_records, prepared_stream, raw_batch_function
from indexer.sources import read_sources

Review = Callable[[Prepared], Prepared]


def record_stream(records: Iterable[dict], options: Options,
                  known_hashes: Mapping[str, str] | None = None) -> Iterator[Prepared]:
    """Already-validated canonical records (tests, benchmark) as prepared records."""
    return prepared_stream(records, prepare_records, workers=options.workers, batch_size=options.batch_size,
                           known_hashes=known_hashes)


def declarations_of(declarations: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    """``field=value`` strings (or the parsed mapping) → ``{field: code}``; a bad one raises
    :class:`indexer.pipeline.DeclarationError`."""
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
    parsed = declarations_of(declarations)
    review = _reviewer(report)
    work = raw_batch_function(parsed, context)
    raw = read_sources(sources, fmt=fmt, declarations=parsed)
    stream = prepared_stream(raw, work, workers=options.workers, batch_size=options.batch_size,
                             known_hashes=known_hashes)
    try:
        for prepared in stream:
            yield review(prepared)
    finally:
        stream.close()  # stops the worker processes at once when the consumer gives up

