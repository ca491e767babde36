"""Search under load (a benchmark, not a test): what the portal adds on top of Elasticsearch.

    GDC_ES_URL=http://127.0.0.1:9220 .venv/bin/python bench/search_load.py

Builds (or reuses) a 100,000-record index from the indexer benchmark's generator (``--alias``,
default ``bench-load``), writes a seeded mix of realistic searches — single Thai words, unspaced
phrases, mixed Thai–English, organization names, 0–3 facet filters, the three sorts, pages 1–5, and
20 % signed-in analyst queries (API token; the grant covers every sensitive category) — and replays
it at concurrency 1, 8 and 32 against, in the same run:

  (a) Elasticsearch alone, sent the exact bodies the portal sends (``queries.search_body``),
  (b) the JSON API (``/api/v1/search``) and (c) the HTML search page (``/search``), under ``make serve``.

Targets rotate in short slices (``--rounds``) so that the shared machine's noise falls on all three
alike. Prints p50/p95/p99, throughput, errors and the load average per cell, and the ratios (b)/(a)
and (c)/(a). Closed-loop clients: each waits for its answer before sending the next request.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
from pathlib import Path

from load_common import (PROJECT_ROOT, Call, Cell, Server, analyst_principal, bench_account, ensure_index,
                         query_string, run_load, serve_env)

from indexer import mapping as m
from indexer.client import make_client
from indexer.settings import Settings
from portal.auth.principal import ANONYMOUS
from analyzers.query import understand
from portal.search import queries
from portal.search.facets import BY_NAME
from portal.search.queries import SearchParams

SAMPLE = PROJECT_ROOT / "data" / "datagoth-sample-836.jsonl"
ENGLISH = ["covid", "COVID-19", "GDP", "csv", "api", "PM2.5", "budget", "school", "tourism", "population",
           "statistics", "water", "map"]
FILTERED_FACETS = ["organization", "data_category", "update_frequency_unit", "res_format", "tags",
                   "license_id", "geo_coverage", "data_format"]
SORTS = ["relevance"] * 7 + ["modified"] * 2 + ["title"]
PAGES = [1] * 12 + [2] * 4 + [3] * 2 + [4, 5]
FILTER_COUNTS = [0] * 10 + [1] * 6 + [2] * 3 + [3]
ANALYST_SHARE = 0.2


def _vocabulary() -> dict[str, list[str]]:
    """Query material from the real sample: tags (single words), titles, organization names."""
    words, phrases, orgs = set(), set(), set()
    with SAMPLE.open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            words.update(t for t in record.get("tags") or [] if 2 <= len(t) <= 20 and " " not in t)
            first = (record.get("title") or "").split(" ")[0]
            if 6 <= len(first) <= 40:
                phrases.add(first)  # Thai titles are unspaced: the first run is a multi-word phrase
            if record.get("org"):
                orgs.add(record["org"])
    return {k: sorted(v) for k, v in (("words", words), ("phrases", phrases), ("orgs", orgs))}


def _facet_values(es, alias: str) -> dict[str, list[str]]:
    aggs = {name: {"terms": {"field": BY_NAME[name].field, "size": 30}} for name in FILTERED_FACETS}
    answer = es.search(index=alias, size=0, aggs=aggs,
                       query={"term": {m.VISIBILITY: "open"}})["aggregations"]
    return {name: [b["key"] for b in agg["buckets"]] for name, agg in answer.items() if agg["buckets"]}


def _query(rng: random.Random, vocab: dict[str, list[str]]) -> str:
    kind = rng.random()
    if kind < 0.30:
        return rng.choice(vocab["words"])
    if kind < 0.50:
        return rng.choice(vocab["phrases"])
    if kind < 0.65:
        return f"{rng.choice(vocab['words'])} {rng.choice(ENGLISH)}"
    if kind < 0.80:
        return rng.choice(vocab["orgs"])
    if kind < 0.90:
        return f"{rng.choice(vocab['words'])} {rng.choice(vocab['words'])}"
    return ""  # browsing by facets only


def search_mix(es, alias: str, count: int, seed: int = 12) -> list[tuple[SearchParams, bool]]:
    """``count`` searches (params, signed in as the analyst?), the same for every run with the seed."""
    rng, vocab, values = random.Random(seed), _vocabulary(), _facet_values(es, alias)
    mix = []
    for _ in range(count):
        chosen = rng.sample(sorted(values), rng.choice(FILTER_COUNTS))
        filters = {name: [rng.choice(values[name][:10])] for name in chosen}
        params = SearchParams(q=_query(rng, vocab), filters=filters, sort=rng.choice(SORTS),
                              page=rng.choice(PAGES))
        mix.append((params, rng.random() < ANALYST_SHARE))
    return mix


def url_params(params: SearchParams) -> dict:
    out: dict = {"q": params.q} if params.q else {}
    out.update(params.filters)
    if params.sort != "relevance":
        out["sort"] = params.sort
    if params.page != 1:
        out["page"] = str(params.page)
    return out


def calls_for(mix, alias: str, analyst, token: str) -> dict[str, list[Call]]:
    """The same searches as (a) Elasticsearch bodies, (b) API URLs, (c) page URLs."""
    out: dict[str, list[Call]] = {"es": [], "api": [], "html": []}
    es_headers = (("Content-Type", "application/json"), ("Accept", "application/json"))
    for params, signed_in in mix:
        principal = analyst if signed_in else ANONYMOUS
        plan = understand(params.q) if params.q.strip() else None
        body = json.dumps(queries.search_body(params, principal, plan), ensure_ascii=False).encode()
        # The index the portal reads for this principal (visitors: the open partition only).
        out["es"].append(Call("POST", f"/{queries.index_for(alias, principal)}/_search", body, es_headers))
        auth = (("Authorization", f"Bearer {token}"),) if signed_in else ()
        qs = query_string(url_params(params))
        out["api"].append(Call("GET", f"/api/v1/search?{qs}", None, auth))
        out["html"].append(Call("GET", f"/search?{qs}", None, auth + (("Accept-Language", "th"),)))
    return out


def _row(cell: Cell) -> str:
    return (f"| {cell.concurrency} | {cell.target} | {len(cell.latencies):,} | {cell.errors} | "
            f"{cell.throughput:.1f} | {cell.pct(50):.0f} | {cell.pct(95):.0f} | {cell.pct(99):.0f} | "
            f"{cell.load[0]:.1f}–{cell.load[1]:.1f} |")


def report(cells: dict[tuple[str, int], Cell], concurrencies: list[int]) -> str:
    lines = ["| concurrency | target | requests | errors | req/s | p50 ms | p95 ms | p99 ms | load (1 min) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for c in concurrencies:
        lines += [_row(cells[(t, c)]) for t in ("es", "api", "html")]
    lines += ["", "| concurrency | API/ES req/s | API/ES p95 | HTML/ES req/s | HTML/ES p95 |",
              "|---|---|---|---|---|"]
    for c in concurrencies:
        es, api, html = (cells[(t, c)] for t in ("es", "api", "html"))
        lines.append(f"| {c} | {api.throughput / es.throughput:.2f} | {api.pct(95) / es.pct(95):.2f} | "
                     f"{html.throughput / es.throughput:.2f} | {html.pct(95) / es.pct(95):.2f} |")
    return "\n".join(lines)


def targets_met(cells: dict[tuple[str, int], Cell], concurrencies: list[int]) -> list[str]:
    found = []
    if 32 in concurrencies:
        ratio = cells[("api", 32)].throughput / cells[("es", 32)].throughput
        found.append(f"JSON throughput at c=32: {ratio:.2f}× ES (target ≥ 0.6): {_met(ratio >= 0.6)}")
    if 8 in concurrencies:
        ratio = cells[("api", 8)].pct(95) / cells[("es", 8)].pct(95)
        found.append(f"JSON p95 at c=8: {ratio:.2f}× ES (target ≤ 1.5): {_met(ratio <= 1.5)}")
    worst = max(cells[("html", c)].pct(95) / cells[("es", c)].pct(95) for c in concurrencies)
    found.append(f"HTML p95, worst concurrency: {worst:.2f}× ES (target ≤ 2): {_met(worst <= 2)}")
    errors = sum(cell.errors for cell in cells.values())
    found.append(f"errors: {errors} (target 0): {_met(errors == 0)}")
    return found


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alias", default="bench-load")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--mix", type=int, default=3000, help="distinct searches in the mix")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=15, help="seconds per slice")
    parser.add_argument("--rounds", type=int, default=2, help="slices per (target, concurrency)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GDC_BENCH_PORT") or 5120))
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill → stop make serve, like Ctrl-C
    concurrencies = [int(c) for c in args.concurrency.split(",")]

    settings = Settings.from_env()
    es = make_client(settings)
    count = ensure_index(es, args.alias, args.records)
    with tempfile.TemporaryDirectory(prefix="gdc-search-load-") as tmp:
        var = Path(tmp)
        token = bench_account(var / "auth.sqlite3")
        mix = search_mix(es, args.alias, args.mix)
        calls = calls_for(mix, args.alias, analyst_principal(var / "auth.sqlite3"), token)
        env = serve_env(settings.es_url, args.alias, args.port, var)
        with Server(args.port, env, var / "serve.log") as server:
            print(f"{count:,} documents; {len(mix):,} searches ({sum(s for _, s in mix)} signed in); "
                  f"make serve pids {server.pids()}; cores {os.cpu_count()}; load {os.getloadavg()}",
                  flush=True)
            bases = {"es": settings.es_url, "api": server.url, "html": server.url}
            for target in ("es", "api", "html"):  # warm caches and connections, not measured
                run_load(bases[target], calls[target], 8, 5, target)
            cells: dict[tuple[str, int], Cell] = {}
            for c in concurrencies:
                for r in range(args.rounds):
                    for target in ("es", "api", "html"):
                        slice_ = run_load(bases[target], calls[target], c, args.seconds, target,
                                          offset=r * 104_729)
                        cells.setdefault((target, c), Cell(target, c)).add(slice_)
                        print(f"  c={c} round {r + 1} {target}: {slice_.throughput:.1f} req/s, "
                              f"p95 {slice_.pct(95):.0f} ms, errors {slice_.errors}, "
                              f"load {slice_.load[1]:.1f}", flush=True)
            rss = server.rss_mib()
    print()
    print(report(cells, concurrencies))
    print()
    print("\n".join(targets_met(cells, concurrencies)))
    print(f"portal RSS at the end: {rss:.0f} MiB; load average now {os.getloadavg()}")
    for cell in cells.values():
        for sample in cell.error_samples:
            print(f"error sample ({cell.target}, c={cell.concurrency}): {sample}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
