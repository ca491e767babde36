"""Search latency benchmark (not a test): what a person waits for on the search page.

    .venv/bin/python bench/search_latency.py --copies 10 --rounds 20

Loads the data.go.th sample (836 records) behind a ``test_bench_search_*`` alias through the real
pipeline, optionally multiplied (``--copies``) by re-indexing its documents under new ids, then
times, for a set of Thai and English queries with and without facet selections:
  - ``queries.search`` (hits, totals and all nine facets in one request),
  - the whole ``/search`` page through the Flask app (query + render),
  - autocomplete (``queries.suggest``) on prefixes, and "did you mean" on misspellings.
Prints p50/p95/max in milliseconds and Elasticsearch's own ``took``. Deletes its indices afterwards.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from elasticsearch import helpers  # noqa: E402

from indexer.client import make_client  # noqa: E402
from portal import create_app  # noqa: E402
from portal.auth.principal import ANONYMOUS  # noqa: E402
from portal.search import queries  # noqa: E402
from portal.search.queries import SearchParams  # noqa: E402
from tests.support import load_sample  # noqa: E402

QUERIES = ["โรงเรียน", "กรุงเทพมหานคร", "งบประมาณ", "สถิติการท่องเที่ยว", "ไฟฟ้า", "ข้อมูล ปี 2563",
           "อุบัติเหตุ จราจร", "statistics", "สพฐ", ""]
PREFIXES = ["โรง", "กรุงเท", "สถิ", "การไฟ", "ท่อง", "งบ"]
TYPOS = ["โรงเรยน", "กรุงเทพมหนคร", "งบประมน", "ท่องเทียว"]


def multiply(es, alias: str, copies: int) -> int:
    index = next(iter(es.indices.get_alias(name=alias)))
    docs = [h for h in helpers.scan(es, index=alias, query={"query": {"match_all": {}}})]

    def actions():
        for n in range(1, copies):
            for h in docs:
                src = dict(h["_source"])
                src["id"] = f"{src['id']}-copy{n}"
                src["name"] = f"{src.get('name') or src['id']}-copy{n}"
                src["record"] = {**src["record"], "id": src["id"], "name": src["name"]}
                yield {"_index": index, "_id": src["id"], "_source": src}

    helpers.bulk(es.options(request_timeout=120), actions(), chunk_size=1000)
    es.indices.refresh(index=alias)
    return es.count(index=alias)["count"]


def timed(fn, rounds: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{label:<38} n={len(samples):<5} p50={statistics.median(samples):7.1f} ms  "
          f"p95={p95:7.1f} ms  max={samples[-1]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1, help="multiply the sample this many times")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    es = make_client()
    alias = f"test_bench_search_{uuid.uuid4().hex[:8]}"
    try:
        load_sample(es, alias)
        total = multiply(es, alias, args.copies) if args.copies > 1 else es.count(index=alias)["count"]
        print(f"{total} records behind {alias}")
        app = create_app({"GDC_INDEX": alias, "GDC_RATE_LIMIT_ANONYMOUS": 10**9, "SECRET_KEY": "bench"})
        client = app.test_client()
        org = queries.search(es, alias, SearchParams(), ANONYMOUS).facets["organization"][0][0]
        search, page, took = [], [], []
        for q in QUERIES:
            for filters in ({}, {"organization": [org], "res_format": ["PDF", "ZIP"]}):
                params = SearchParams(q=q, filters=filters)
                search += timed(lambda: took.append(queries.search(es, alias, params, ANONYMOUS).took_ms),
                                args.rounds)
                url = "/search?" + urlencode([("q", q)] + [(k, v) for k, vs in filters.items() for v in vs])
                page += timed(lambda: client.get(url), args.rounds)
        suggest = [t for p in PREFIXES
                   for t in timed(lambda: queries.suggest(es, alias, p, ANONYMOUS), args.rounds)]
        fixes = [t for q in TYPOS
                 for t in timed(lambda: queries.did_you_mean(es, alias, q, ANONYMOUS), args.rounds)]
        report("queries.search (hits + 9 facets)", search)
        report("  of which Elasticsearch 'took'", [float(t) for t in took])
        report("/search page (query + render)", page)
        report("autocomplete (queries.suggest)", suggest)
        report("did you mean", fixes)
    finally:
        names = list(es.indices.get(index=f"{alias}*", expand_wildcards="all"))
        if names:
            es.options(ignore_status=404).indices.delete(index=",".join(names))


if __name__ == "__main__":
    main()
