"""Choose the semantic layer's fusion settings on *dev*, then print them once on *test*.

    python bench/fusion_dev.py        # needs GDC_ES_URL; vectors cached in var/vectors.sqlite3

The sample is indexed with vectors (``bench/relevance.py``'s ``index_product``); for every judged query
the word ranking of each part ((p): the all-words records, then the partial ones) and its ``knn``
neighbours (``portal.search.hybrid``'s filter, up to 40) are read once, then fused offline for every
setting of the grid: the neighbours' weight and how many neighbours are fused. The setting with the best
mean nDCG@10 on dev (Recall@20, then the simpler setting, breaking ties) is printed on test beside (p)
and the current ``hybrid`` constants. Test never chooses anything.
"""
from __future__ import annotations

import sys
import uuid
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import relevance as harness  # noqa: E402  (bench/relevance.py)

WEIGHTS = (0.25, 0.5, 0.75, 1.0, 1.5)
# Which queries are fused: all; not those the word side corrected (a misspelling, or an English word
# no list knows); not those with a corrected *Thai* word.
RULES = ("all", "no correction", "no Thai correction")
NEIGHBOURS = (10, 20, 40)
READ = 1000


def rankings(es, alias: str, queries) -> dict[str, list[tuple[list[str], list[str]]]]:
    """qid → [(word ids, neighbour ids) per part]: the all-words part, then the partial part."""
    from analyzers import embedding
    from portal.auth.principal import ANONYMOUS
    from portal.search import hybrid
    from portal.search.queries import SearchParams, partial_body, search_body

    out = {}
    for query in queries:
        params = SearchParams(q=query.text, size=harness.K_RECALL, facets=())
        parts = []
        vector = embedding.query(query.text)
        for body in (search_body(params, ANONYMOUS), partial_body(params, ANONYMOUS, size=READ)):
            words = es.search(index=alias, query=body["query"], sort=body["sort"], size=READ, _source=False)
            near = []
            if vector is not None:
                knn = hybrid.knn_section(vector, hybrid.knn_filters(body, ANONYMOUS), k=max(NEIGHBOURS))
                near = [h["_id"] for h in es.search(index=alias, knn=knn, size=max(NEIGHBOURS),
                                                    _source=False)["hits"]["hits"]]
            parts.append(([h["_id"] for h in words["hits"]["hits"]], near))
        out[query.qid] = parts
    return out


def fused(parts, weight: float, neighbours: int) -> list[str]:
    from portal.search import hybrid

    ranked: list[str] = []
    for words, near in parts:
        ranked += hybrid.fuse(words, near[:neighbours], near_weight=weight) if weight else words
    return ranked


def kept_plain(text: str, rule: str) -> bool:
    """True when ``rule`` leaves the query to the word ranking."""
    from analyzers.query import understand
    from portal.search import hybrid

    return hybrid.corrected(understand(text), rule)


def score(runs, queries, qrels, weight, neighbours, rule="all") -> dict[str, tuple[float, float, int]]:
    per_kind: dict[str, list[tuple[float, float]]] = {}
    for query in queries:
        plain = kept_plain(query.text, rule)
        ranking = fused(runs[query.qid], 0.0 if plain else weight, neighbours)
        judged = qrels.get(query.qid, {})
        row = (harness.ndcg(ranking, judged), harness.recall(ranking, judged))
        per_kind.setdefault(query.kind, []).append(row)
        per_kind.setdefault("all", []).append(row)
    return {kind: (sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows), len(rows))
            for kind, rows in per_kind.items()}


def latency(es, alias: str, queries) -> str:
    """What the layer costs a search: embedding one query, and ``queries.search`` with the layer off and
    on, each query once (its vector not yet cached: the cost of a query the process has not seen)."""
    import statistics
    import time

    from analyzers import embedding
    from portal.auth.principal import ANONYMOUS
    from portal.search import queries as portal_queries
    from portal.search.queries import SearchParams

    def timed(fn) -> list[float]:
        out = []
        for query in queries:
            started = time.perf_counter()
            fn(query.text)
            out.append(1000 * (time.perf_counter() - started))
        return out

    embedding.query("warm")  # loads the model once
    embed = timed(embedding.query_uncached)
    rows = {"query embedding, uncached": embed}
    for label, on in (("search, layer off", False), ("search, layer on", True)):
        rows[label] = timed(lambda text: portal_queries.search(es, alias, SearchParams(q=text), ANONYMOUS,
                                                               semantic=on))
    return "\n".join(f"{label}: median {statistics.median(ms):.0f} ms, p95 "
                     f"{sorted(ms)[int(0.95 * len(ms)) - 1]:.0f} ms ({len(ms)} queries)"
                     for label, ms in rows.items()) + "\n"


def fourth_batch() -> set[str]:
    """qids written after the ``# fourth batch`` line: never used to build the dictionary or boosts."""
    qids, after = set(), False
    for line in harness.CRITERIA.read_text(encoding="utf-8").splitlines():
        after = after or line.startswith("# fourth batch")
        if after and line.strip() and not line.startswith("#"):
            qids.add(line.split("\t")[0])
    return qids


def main() -> int:
    from indexer.client import make_client
    from indexer.settings import Settings
    from portal.search import hybrid

    es = make_client(Settings.from_env())
    queries, qrels, split = harness.read_queries(), harness.read_qrels(), harness.read_split()
    dev = [q for q in queries if split[q.qid] == "dev"]
    fourth = fourth_batch()
    fresh = [q for q in dev if q.qid in fourth]
    test = [q for q in queries if split[q.qid] == "test"]
    alias = f"test_gdc15_fusion_{uuid.uuid4().hex[:8]}"
    try:
        print(harness.index_product(es, alias, semantic=True))
        runs = rankings(es, alias, queries)
        print(latency(es, alias, queries))
    finally:
        answer = es.options(ignore_status=404).indices.get_alias(name=alias)
        for name in answer.body if answer.meta.status == 200 else {}:
            es.options(ignore_status=404).indices.delete(index=name)
    keys = [(w, n, rule) for rule in RULES for w, n in product(WEIGHTS, NEIGHBOURS)]
    grid = {key: score(runs, dev, qrels, *key)["all"] for key in keys}
    fresh_grid = {key: score(runs, fresh, qrels, *key)["all"] for key in keys}
    words_only = score(runs, dev, qrels, 0.0, 10)["all"]
    print(f"dev, the word ranking alone: {words_only[0]:.3f} / {words_only[1]:.3f}\n")
    for title, table in (("dev", grid), (f"dev, fourth batch only ({len(fresh)} queries)", fresh_grid)):
        print(f"## {title} grid: nDCG@10 / R@20\n")
        heads = " | ".join(f"{n} neighbours" for n in NEIGHBOURS)
        print(f"| which queries are fused | neighbour weight | {heads} |")
        print("|---|---|" + "---|" * len(NEIGHBOURS))
        for rule, w in product(RULES, WEIGHTS):
            cells = [f"{table[w, n, rule][0]:.3f} / {table[w, n, rule][1]:.3f}" for n in NEIGHBOURS]
            print(f"| {rule} | {w} | " + " | ".join(cells) + " |")
        print()

    def best_of(table):
        return max(table, key=lambda k: (round(table[k][0], 3), round(table[k][1], 3), -k[0], -k[1]))

    best, best_fresh = best_of(grid), best_of(fresh_grid)
    current = (hybrid.NEAR_WEIGHT, hybrid.KNN, hybrid.FUSED_QUERIES)
    print(f"best on dev: {best}; best on the fourth batch's dev queries: {best_fresh}; hybrid.py now: "
          f"{current} (weight, neighbours, which queries)\n")
    for name, chosen in (("dev", dev), ("dev, fourth batch", fresh), ("test", test)):
        columns = {"(p) words": (0.0, 10, "all"), f"best on dev {best}": best,
                   f"best on fresh dev {best_fresh}": best_fresh, f"hybrid.py {current}": current}
        results = {label: score(runs, chosen, qrels, *key) for label, key in columns.items()}
        kinds = sorted(k for k in results["(p) words"] if k != "all") + ["all"]
        print(f"## {name}\n\n| kind | n | " + " | ".join(f"{c} nDCG@10 / R@20" for c in columns) + " |")
        print("|---|---|" + "---|" * len(columns))
        for kind in kinds:
            cells = [f"{r[kind][0]:.3f} / {r[kind][1]:.3f}" for r in results.values()]
            print(f"| {kind} | {results['(p) words'][kind][2]} | " + " | ".join(cells) + " |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
