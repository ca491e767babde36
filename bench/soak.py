"""Soak (a benchmark, not a test): ten minutes at 70 % of the portal's measured maximum.

    GDC_ES_URL=http://127.0.0.1:9220 .venv/bin/python bench/soak.py

Uses the index of ``bench/search_load.py`` (built when missing) and ``make serve``. First measures the
maximum: the mix below at concurrency 32 for ``--probe`` seconds. Then paces requests at 70 % of it for
``--minutes`` minutes — searches through the JSON API and the HTML page (the search benchmark's mix,
a fifth signed in), dataset pages and autocomplete — and prints, minute by minute, throughput, p50/p95,
errors and the resident memory of gunicorn's master and workers. Pass/fail: zero errors, the last
minute's p95 within 20 % of the first's, memory flat (last minute within 10 % of the first).
"""
from __future__ import annotations

import argparse
import math
import os
import random
import signal
import sys
import tempfile
from pathlib import Path

from load_common import (Call, Server, analyst_principal, bench_account, ensure_index, query_string, run_load,
                         serve_env)
from search_load import calls_for, search_mix

from indexer.client import make_client
from indexer.settings import Settings


def _dataset_calls(es, alias: str, count: int, seed: int = 5) -> list[Call]:
    ids = [h["_id"] for h in es.search(index=alias, size=count, query={"term": {"visibility": "open"}},
                                       sort=[{"id": "asc"}], _source=False)["hits"]["hits"]]
    random.Random(seed).shuffle(ids)
    return [Call("GET", f"/dataset/{i}", kind="dataset") for i in ids]


def _suggest_calls(mix) -> list[Call]:
    prefixes = []
    for params, _ in mix:
        word = params.q.split(" ")[0] if params.q else ""
        if len(word) >= 3:
            prefixes.append(word[: max(2, len(word) // 2)])
    return [Call("GET", f"/search/suggest?{query_string({'q': p})}", kind="suggest") for p in prefixes]


def soak_mix(es, alias: str, analyst, token: str, size: int = 3000) -> list[Call]:
    """Searches (API and page) 60 %, dataset pages 20 %, suggestions 20 %, interleaved."""
    mix = search_mix(es, alias, size, seed=99)
    searches = calls_for(mix, alias, analyst, token)
    pool = {"api": searches["api"], "html": searches["html"], "dataset": _dataset_calls(es, alias, 1000),
            "suggest": _suggest_calls(mix)}
    weights = [("api", 3), ("html", 3), ("dataset", 2), ("suggest", 2)]
    rng, out = random.Random(7), []
    for n in range(size * 2):
        kind = rng.choices([k for k, _ in weights], [w for _, w in weights])[0]
        out.append(pool[kind][n % len(pool[kind])])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alias", default="bench-load")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--share", type=float, default=0.7, help="of the measured maximum")
    parser.add_argument("--probe", type=float, default=30, help="seconds to measure the maximum")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GDC_BENCH_PORT") or 5121))
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill → stop make serve, like Ctrl-C

    settings = Settings.from_env()
    es = make_client(settings)
    ensure_index(es, args.alias, args.records)
    with tempfile.TemporaryDirectory(prefix="gdc-soak-") as tmp:
        var = Path(tmp)
        token = bench_account(var / "auth.sqlite3")
        calls = soak_mix(es, args.alias, analyst_principal(var / "auth.sqlite3"), token)
        env = serve_env(settings.es_url, args.alias, args.port, var)
        with Server(args.port, env, var / "serve.log") as server:
            run_load(server.url, calls, 8, 5, "warm-up")
            probe = run_load(server.url, calls, 32, args.probe, "probe")
            rate = probe.throughput * args.share
            # Enough paced clients that one slow answer does not hold the pace back, each sending at
            # least every 2 s (well inside gunicorn's 5 s keep-alive).
            clients = max(4, min(32, math.ceil(rate * 2)))
            print(f"maximum {probe.throughput:.1f} req/s at c=32 (errors {probe.errors}); "
                  f"soaking at {rate:.1f} req/s for {args.minutes} min; load {os.getloadavg()[0]:.1f}",
                  flush=True)
            for sample in probe.error_samples:
                print(f"  probe error: {sample}", file=sys.stderr)
            print("| minute | requests | errors | req/s | p50 ms | p95 ms | p99 ms | portal RSS MiB | load |")
            print("|---|---|---|---|---|---|---|---|---|")
            minutes = []
            for minute in range(1, args.minutes + 1):
                cell = run_load(server.url, calls, clients, 60, "soak", offset=minute * 7727, pace=rate)
                rss = server.rss_mib()
                minutes.append((cell, rss))
                print(f"| {minute} | {len(cell.latencies):,} | {cell.errors} | {cell.throughput:.1f} | "
                      f"{cell.pct(50):.0f} | {cell.pct(95):.0f} | {cell.pct(99):.0f} | {rss:.0f} | "
                      f"{cell.load[1]:.1f} |", flush=True)
                for sample in cell.error_samples:
                    print(f"  error: {sample}", file=sys.stderr)
    first, last = minutes[0], minutes[-1]
    errors = sum(cell.errors for cell, _ in minutes) + probe.errors
    drift = last[0].pct(95) / first[0].pct(95)
    growth = last[1] / first[1]
    print()
    print(f"errors: {errors} (target 0): {'met' if errors == 0 else 'NOT met'}")
    print(f"last minute p95 / first minute p95: {drift:.2f} (target ≤ 1.20): "
          f"{'met' if drift <= 1.2 else 'NOT met'}")
    print(f"portal RSS last / first minute: {last[1]:.0f} / {first[1]:.0f} MiB = {growth:.2f} "
          f"(target ≤ 1.10): {'met' if growth <= 1.1 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
