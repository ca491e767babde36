"""Indexer throughput benchmark (not a test): end-to-end rebuild vs the raw bulk ceiling.

    .venv/bin/python bench/index_throughput.py --records 100000

1. Generates a realistic corpus in the data.go.th mirror format by recombining the real sample's
   titles, descriptions, organizations, tags and resources (seeded, so runs are comparable).
2. (a) End to end: ``gdc-index rebuild``'s code path — read, validate, segment, bulk, swap — docs/s.
3. (b) Raw bulk: the same documents, pre-built into a file (not timed), bulk-loaded into a fresh
   index with the same settings and bulk code — the ceiling this node allows.
Prints the ratio, the peak RSS of the indexer (main process plus its workers), where the time went,
and the CPU each phase cost (main, workers, Elasticsearch) — the machine is shared, so CPU per document
is the figure that does not depend on what else runs.

``--semantic`` gives (a) the semantic layer's vectors (``indexer.vectors``, a fresh cache in a temporary
directory) and rebuilds a second time on the warm cache: the embedding cost per record, and what a
rebuild of unchanged records costs (nothing is embedded again). Embedding takes tens of milliseconds a
record, so use a few thousand records: ``--records 2000 --semantic``.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from elasticsearch import Elasticsearch

from indexer import bulk, indices, mapping, rebuild
from indexer.client import make_client
from indexer.prepare import prepared_stream, raw_batch_function
from indexer.rebuild import Options, Summary
from indexer.settings import Settings
from indexer.vectors import CACHE_FILE, Embedder, VectorCache

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
        "org": owner["org"], "tags": tags,
        "formats": sorted({r.get("format") or "" for r in resources} - {""}),
        "resources": len(resources), "resources_list": resources, "license": base["license"],
        "updated": base["updated"], "url": f"https://data.go.th/dataset/bench-{i:06d}",
    }


def generate_corpus(path: Path, count: int, seed: int = 836) -> None:
    sample, rng = _sample(), random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps(_recombined(i, sample, rng), ensure_ascii=False) + "\n")


# --- what the indexer's process tree uses: peak RSS and CPU -----------------------------------------

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


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class ProcessTree:
    """Samples this process and its descendants (the workers) every 100 ms: summed RSS, CPU per pid."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self.peak_main_kib = 0
        self.cpu: dict[int, float] = {}
        self._main_cpu_at_start = _cpu_seconds(os.getpid())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[int]:
        pids, queue = [], [os.getpid()]
        while queue:
            pid = queue.pop()
            pids.append(pid)
            queue += _children(pid)
        return pids

    def _sample(self) -> None:
        pids = self._tree()
        self.peak_kib = max(self.peak_kib, sum(_rss_kib(pid) for pid in pids))
        self.peak_main_kib = max(self.peak_main_kib, _rss_kib(os.getpid()))
        for pid in pids:
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    @property
    def main_cpu(self) -> float:
        return self.cpu.get(os.getpid(), 0.0) - self._main_cpu_at_start

    @property
    def workers_cpu(self) -> float:
        return sum(cpu for pid, cpu in self.cpu.items() if pid != os.getpid())

    def __enter__(self) -> "ProcessTree":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def es_cpu_seconds(es: Elasticsearch) -> float:
    """CPU the Elasticsearch node(s) used so far (the node is shared: others' load counts too)."""
    stats = es.nodes.stats(metric="process")["nodes"].values()
    return sum(node["process"]["cpu"]["total_in_millis"] for node in stats) / 1000


# --- the two measurements -------------------------------------------------------------------------

@dataclass
class Phase:
    seconds: float
    indexed: int
    tree: ProcessTree
    es_cpu: float

    @property
    def rate(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_doc(self) -> float:
        total = self.tree.main_cpu + self.tree.workers_cpu + self.es_cpu
        return 1000 * total / self.indexed if self.indexed else 0.0


def end_to_end(es: Elasticsearch, alias: str, corpus: Path, workers: int | None,
               vectors: Embedder | None = None) -> tuple[Summary, Phase]:
    es_before = es_cpu_seconds(es)
    with ProcessTree() as tree:
        summary = rebuild.rebuild(es, alias, [corpus], declarations=[OPEN_DATA_DECLARATION],
                                  options=Options(workers=workers, vectors=vectors))
    return summary, Phase(summary.seconds, summary.counts.indexed, tree, es_cpu_seconds(es) - es_before)


def prebuild_documents(corpus: Path, path: Path, workers: int | None) -> int:
    """The documents (a) indexes, built ahead and written one JSON per line (not timed)."""
    from indexer.pipeline import parse_declarations
    from indexer.sources import read_sources

    work = raw_batch_function(parse_declarations([OPEN_DATA_DECLARATION]))
    stream = prepared_stream(read_sources([str(corpus)]), work,
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


def raw_bulk(es: Elasticsearch, alias: str, documents: Path) -> Phase:
    """Pre-built documents into a fresh index with the rebuild's settings and bulk code."""
    index = mapping.physical_index_name(f"{alias}_raw")
    indexed = 0

    def ok(_id: str, _action: str, _found: bool) -> None:
        nonlocal indexed
        indexed += 1

    def error(failure: bulk.BulkError) -> None:
        print(failure.message(), file=sys.stderr)

    es_before = es_cpu_seconds(es)
    with ProcessTree() as tree:
        started = time.monotonic()
        indices.create_index(es, index)
        bulk.write(es, _documents(documents, index), on_ok=ok, on_error=error)
        indices.finish_index(es, index)
        seconds = time.monotonic() - started
    phase = Phase(seconds, indexed, tree, es_cpu_seconds(es) - es_before)
    es.indices.delete(index=index)
    return phase


def _delete_all(es: Elasticsearch, alias: str) -> None:
    for name in [*indices.physical_indices(es, alias), *indices.physical_indices(es, f"{alias}_raw")]:
        es.options(ignore_status=404).indices.delete(index=name)
    es.options(ignore_status=404).indices.delete(index=f"{alias}-lock")


def vector_rows(first: Embedder, again: Embedder, warm: Phase) -> list[tuple[str, str]]:
    return [
        ("vectors, cold cache (in (a))", first.line().removeprefix("vectors: ")),
        ("rebuild again, warm cache", f"{warm.seconds:.1f} s, {warm.rate:,.0f} docs/s; "
                                      + again.line().removeprefix("vectors: ")),
    ]


def report(records: int, summary: Summary, full: Phase, raw: Phase, load: tuple[float, ...],
           extra: list[tuple[str, str]] = ()) -> str:
    t = summary.timings
    ideal = 2000 / full.cpu_ms_per_doc if full.cpu_ms_per_doc else 0.0
    rows = [
        ("records", f"{records:,} (load average at start {load[0]:.1f} on {os.cpu_count()} cores)"),
        ("(a) end-to-end rebuild", f"{full.seconds:.1f} s, {full.rate:,.0f} docs/s"),
        ("(b) raw bulk, pre-built documents", f"{raw.seconds:.1f} s, {raw.rate:,.0f} docs/s"),
        ("ratio (a) / (b)", f"{full.rate / raw.rate:.2f}" if raw.rate else "n/a"),
        ("peak RSS, indexer (main + workers)", f"{full.tree.peak_kib / 1024:,.0f} MiB "
                                               f"(main {full.tree.peak_main_kib / 1024:,.0f} MiB)"),
        ("validation, CPU in workers", f"{t.validation:.1f} s "
                                       f"({1000 * t.validation / records:.2f} ms/record)"),
        ("segmentation + documents, CPU in workers", f"{t.segmentation:.1f} s "
                                                     f"({1000 * t.segmentation / records:.2f} ms/record)"),
        ("Elasticsearch bulk, wall in main", f"{t.elasticsearch:.1f} s"),
        ("(a) CPU: main / workers / Elasticsearch",
         f"{full.tree.main_cpu:.1f} / {full.tree.workers_cpu:.1f} / {full.es_cpu:.1f} s = "
         f"{full.cpu_ms_per_doc:.2f} ms/doc"),
        ("(b) CPU: main / Elasticsearch", f"{raw.tree.main_cpu:.1f} / {raw.es_cpu:.1f} s = "
                                          f"{raw.cpu_ms_per_doc:.2f} ms/doc"),
        ("(a) bound on 2 idle cores (CPU/2)", f"{ideal:,.0f} docs/s"),
        ("accepted / rejected / indexed", f"{summary.counts.accepted:,} / {summary.counts.rejected:,} / "
                                          f"{summary.counts.indexed:,}"),
        *extra,
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"| {name:<{width}} | {value} |" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--keep-corpus", type=Path, help="write the generated corpus here and keep it")
    parser.add_argument("--semantic", action="store_true",
                        help="with meaning vectors, then again on a warm cache")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill → cleanup, like Ctrl-C
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background

    es = make_client(Settings.from_env())
    alias = f"test_bench_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="gdc-bench-") as tmp:
        corpus = args.keep_corpus or Path(tmp) / "corpus.jsonl"
        generate_corpus(corpus, args.records)
        load = os.getloadavg()
        cache = Path(tmp) / CACHE_FILE
        first = Embedder(VectorCache(cache)) if args.semantic else None
        extra: list[tuple[str, str]] = []
        try:
            summary, full = end_to_end(es, alias, corpus, args.workers, first)
            if first is not None:
                again = Embedder(VectorCache(cache))
                _, warm = end_to_end(es, alias, corpus, args.workers, again)
                extra = vector_rows(first, again, warm)
            documents = Path(tmp) / "documents.jsonl"
            prebuild_documents(corpus, documents, args.workers)
            raw = raw_bulk(es, alias, documents)
        finally:
            _delete_all(es, alias)
    print(report(args.records, summary, full, raw, load, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
