"""Choose the "related by meaning" part's cosine floor (``portal.search.hybrid.RELATED_FLOOR``) on *dev*.

    python bench/related_dev.py        # needs GDC_ES_URL; vectors cached in var/vectors.sqlite3

The sample is indexed with vectors (``bench/relevance.py``'s ``index_product``). For every judged query
the product's word ranking ((p): the all-words records, then the partial ones) is read once, and so are
the ``hybrid.RELATED`` records nearest the query among those no word of it finds, with their cosine
(the ``knn`` search of ``hybrid.related_section`` without its floor). The same is read for every query
of ``bench/relevance/nonsense.txt``. Then, for each floor of the grid, the related records at or above
it are appended after the word ranking (as a page shows them: after the word matches).

The rule, fixed before the grid was run: among the floors at which **no nonsense query finds any
related record**, the best mean nDCG@10 on dev, then Recall@20, then the higher floor. The chosen floor
is then printed once on test beside (p) — test chooses nothing.
"""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import relevance as harness  # noqa: E402  (bench/relevance.py)

NONSENSE = harness.JUDGED / "nonsense.txt"
FLOORS = (0.78, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 1.01)  # 1.01: the part never shows


def nonsense_queries() -> list[str]:
    return [line.strip() for line in NONSENSE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def nearest_unmatched(es, alias: str, q: str) -> list[tuple[str, float]]:
    """(id, cosine) of the ``RELATED`` records nearest ``q`` that no word query finds (no floor)."""
    from analyzers import embedding
    from analyzers.query import understand
    from portal.auth.principal import ANONYMOUS
    from portal.auth.visibility import scope_for
    from portal.search import hybrid
    from portal.search.queries.matching import match_query

    plan = understand(q)
    if not hybrid.relatable(plan, "relevance"):
        return []
    scope = scope_for(ANONYMOUS)
    words = [match_query(q, scope, plan, "all"), match_query(q, scope, plan, "some")]
    section = hybrid.related_section(embedding.query(q), scope.full, [], words)
    del section["similarity"]
    hits = es.search(index=alias, knn=section, size=hybrid.RELATED, _source=False)["hits"]["hits"]
    return [(h["_id"], 2 * h["_score"] - 1) for h in hits]  # cosine: Elasticsearch scores (1 + cos) / 2


def score(runs, queries, qrels, floor: float) -> dict[str, tuple[float, float, int]]:
    per_kind: dict[str, list[tuple[float, float]]] = {}
    for query in queries:
        words, near = runs[query.qid]
        ranking = words + [doc for doc, cosine in near if cosine >= floor and doc not in words]
        judged = qrels.get(query.qid, {})
        row = (harness.ndcg(ranking, judged), harness.recall(ranking, judged))
        per_kind.setdefault(query.kind, []).append(row)
        per_kind.setdefault("all", []).append(row)
    return {kind: (sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows), len(rows))
            for kind, rows in per_kind.items()}


def main() -> int:
    from indexer.client import make_client
    from indexer.settings import Settings
    from portal.search import hybrid

    es = make_client(Settings.from_env())
    queries, qrels, split = harness.read_queries(), harness.read_qrels(), harness.read_split()
    dev = [q for q in queries if split[q.qid] == "dev"]
    test = [q for q in queries if split[q.qid] == "test"]
    alias = f"test_gdc15_related_{uuid.uuid4().hex[:8]}"
    try:
        print(harness.index_product(es, alias, semantic=True))
        portal = harness.searchers(es, alias, alias)["p"]
        runs = {q.qid: (portal(q.text)[0], nearest_unmatched(es, alias, q.text)) for q in queries}
        nonsense = {q: nearest_unmatched(es, alias, q) for q in nonsense_queries()}
    finally:
        answer = es.options(ignore_status=404).indices.get_alias(name=alias)
        for name in answer.body if answer.meta.status == 200 else {}:
            es.options(ignore_status=404).indices.delete(index=name)
    top = {q: max((c for _, c in near), default=None) for q, near in nonsense.items()}
    print("nonsense queries, closest unmatched record (cosine):")
    print("  " + ", ".join(f"{q!r} {c:.3f}" if c is not None else f"{q!r} -" for q, c in top.items()) + "\n")
    print("| floor | nonsense queries finding something | dev nDCG@10 / R@20 | english | mixed | question |")
    print("|---|---|---|---|---|---|")
    grid = {}
    for floor in FLOORS:
        found = sum(1 for c in top.values() if c is not None and c >= floor)
        result = score(runs, dev, qrels, floor)
        grid[floor] = (found, result["all"])
        cells = [f"{result[k][0]:.3f} / {result[k][1]:.3f}" if k in result else "-"
                 for k in ("all", "english", "mixed", "question")]
        print(f"| {floor} | {found} | " + " | ".join(cells) + " |")
    allowed = [f for f, (found, _) in grid.items() if found == 0]
    best = max(allowed, key=lambda f: (round(grid[f][1][0], 3), round(grid[f][1][1], 3), f))
    print(f"\nchosen on dev: floor {best}; hybrid.py now: {hybrid.RELATED_FLOOR}\n")
    for name, chosen in (("dev", dev), ("test", test)):
        columns = {"(p) words": score(runs, chosen, qrels, 1.01), f"floor {best}": score(runs, chosen, qrels, best)}
        kinds = sorted(k for k in columns["(p) words"] if k != "all") + ["all"]
        print(f"## {name}\n\n| kind | n | " + " | ".join(f"{c} nDCG@10 / R@20" for c in columns) + " |")
        print("|---|---|" + "---|" * len(columns))
        for kind in kinds:
            cells = [f"{r[kind][0]:.3f} / {r[kind][1]:.3f}" for r in columns.values()]
            print(f"| {kind} | {columns['(p) words'][kind][2]} | " + " | ".join(cells) + " |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
