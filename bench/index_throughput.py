"""Indexer throughput benchmark (not a test): end-to-end rebuild vs the raw bulk ceiling.

    .venv/bin/python bench/index_throughput.py --records 100000

1. Generates a realistic corpus in the data.go.th mirror format by recombining the real sample's
   titles, descriptions, organizations, tags and resources (seeded, so runs are comparable).
2. (a) End to end: ``gdc-index rebuild``'s code path — read, validate, segment, bulk, swap — docs/s.
3. (b) Raw bulk: the same documents, pre-built into a file (not timed), bulk-loaded into a fresh
   index with the same settings and bulk code — the ceiling this node allows.
Prints the ratio, the peak RSS of the indexer (main process plus its workers) and where the time went.
Uses ``test_bench_*`` indices and deletes them afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

from elasticsearch import Elasticsearch

from indexer import bulk, indices, mapping, rebuild
from indexer.client import make_client
from indexer.prepare import prepared_stream, raw_batch_function
from indexer.rebuild import Options, Summary
from indexer.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT_ROOT / "data" / "datagoth-sample-836.jsonl"
OPEN_DATA_DECLARATION = "data_category=ข้อมูลสาธารณะ"
YEARS = range(2553, 2569)


# --- corpus ---------------------------------------------------------------------------------------

def _sample() -> list[dict]:
    with SAMPLE.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _recombined(i: int, sample: list[dict], rng: random.Random) -> dict:
    base, other, third, owner = (rng.choice(sample) for _ in range(4))
    title = base["title"]
    if i % 3:
        title = f"{title} {other['org']}"
    tags = sorted(set(rng.sample(base["tags"] + third["tags"], k=min(5, len(base["tags"] + third["tags"])))))
    resources = third["resources_list"]
    return {
        "id": f"bench-{i:06d}", "title": f"{title} พ.ศ. {rng.choice(YEARS)}",
        "summary": " ".join(s for s in (base["summary"], other["summary"] if i % 2 else "") if s),
        "org": owner["org"], "tags": tags, "formats": sorted({r.get("format") or "" for r in resources} - {""}),
        "resources": len(resources), "resources_list": resources, "license": base["license"],
        "updated": base["updated"], "url": f"https://data.go.th/dataset/bench-{i:06d}",
    }


def generate_corpus(path: Path, count: int, seed: int = 836) -> None:
    sample, rng = _sample(), random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps(_recombined(i, sample, rng), ensure_ascii=False) + "\n")


# --- peak RSS of this process and its descendants (the workers) ---------------------------------

def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    return found


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakRss:
    """Samples the summed RSS of this process tree every 100 ms."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self.peak_main_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[int]:
        pids, queue = [], [os.getpid()]
        while queue:
            pid = queue.pop()
            pids.append(pid)
            queue += _children(pid)
        return pids

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(pid) for pid in self._tree()))
            self.peak_main_kib = max(self.peak_main_kib, _rss_kib(os.getpid()))

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()


# --- the two measurements -------------------------------------------------------------------------

def end_to_end(es: Elasticsearch, alias: str, corpus: Path, workers: int | None) -> tuple[Summary, PeakRss]:
    with PeakRss() as rss:
        summary = rebuild.rebuild(es, alias, [corpus], declarations=[OPEN_DATA_DECLARATION],
                                  options=Options(workers=workers))
    return summary, rss


def prebuild_documents(corpus: Path, path: Path, workers: int | None) -> int:
    """The documents (a) indexes, built ahead and written one JSON per line (not timed)."""
    from indexer.pipeline import parse_declarations, read_sources

    stream = prepared_stream(read_sources([str(corpus)]), raw_batch_function(parse_declarations([OPEN_DATA_DECLARATION])),
                             workers=workers)
    count = 0
    with path.open("wb") as out:
        for prepared in stream:
            if prepared.accepted:
                out.write(prepared.doc_id.encode() + b"\t" + prepared.body + b"\n")
                count += 1
    return count


def _documents(path: Path, index: str) -> Iterator[dict]:
    with path.open("rb") as lines:
        for line in lines:
            record_id, body = line.rstrip(b"\n").split(b"\t", 1)
            yield {"_op_type": "index", "_index": index, "_id": record_id.decode(), "_source": body}


def raw_bulk(es: Elasticsearch, alias: str, documents: Path) -> tuple[int, float]:
    """Pre-built documents into a fresh index with the rebuild's settings: (indexed, seconds)."""
    index = mapping.physical_index_name(f"{alias}_raw")
    indices.create_index(es, index)
    indexed = 0

    def ok(_id: str, _action: str, _found: bool) -> None:
        nonlocal indexed
        indexed += 1

    def error(failure: bulk.BulkError) -> None:
        print(failure.message(), file=sys.stderr)

    started = time.monotonic()
    bulk.write(es, _documents(documents, index), on_ok=ok, on_error=error)
    indices.finish_index(es, index)
    seconds = time.monotonic() - started
    es.indices.delete(index=index)
    return indexed, seconds


def _delete_all(es: Elasticsearch, alias: str) -> None:
    for name in list(indices.physical_indices(es, alias)) + list(indices.physical_indices(es, f"{alias}_raw")):
        es.options(ignore_status=404).indices.delete(index=name)
    es.options(ignore_status=404).indices.delete(index=f"{alias}-lock")


def report(records: int, summary: Summary, rss: PeakRss, raw_indexed: int, raw_seconds: float) -> str:
    raw_rate = raw_indexed / raw_seconds if raw_seconds else 0.0
    t = summary.timings
    rows = [
        ("records", f"{records:,}"),
        ("end-to-end rebuild", f"{summary.seconds:.1f} s, {summary.docs_per_second:,.0f} docs/s"),
        ("raw bulk (pre-built documents)", f"{raw_seconds:.1f} s, {raw_rate:,.0f} docs/s"),
        ("ratio end-to-end / raw", f"{summary.docs_per_second / raw_rate:.2f}" if raw_rate else "n/a"),
        ("peak RSS, indexer process tree", f"{rss.peak_kib / 1024:,.0f} MiB (main {rss.peak_main_kib / 1024:,.0f} MiB)"),
        ("validation (CPU, all workers)", f"{t.validation:.1f} s"),
        ("segmentation + documents (CPU, all workers)", f"{t.segmentation:.1f} s"),
        ("Elasticsearch bulk (wall)", f"{t.elasticsearch:.1f} s"),
        ("accepted / rejected / indexed", f"{summary.counts.accepted} / {summary.counts.rejected} / {summary.counts.indexed}"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"| {name:<{width}} | {value} |" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--keep-corpus", type=Path, help="write the generated corpus here and keep it")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill → cleanup, like Ctrl-C
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background

    es = make_client(Settings.from_env())
    alias = f"test_bench_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="gdc-bench-") as tmp:
        corpus = args.keep_corpus or Path(tmp) / "corpus.jsonl"
        generate_corpus(corpus, args.records)
        try:
            summary, rss = end_to_end(es, alias, corpus, args.workers)
            documents = Path(tmp) / "documents.jsonl"
            prebuild_documents(corpus, documents, args.workers)
            raw_indexed, raw_seconds = raw_bulk(es, alias, documents)
        finally:
            _delete_all(es, alias)
    print(report(args.records, summary, rss, raw_indexed, raw_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
