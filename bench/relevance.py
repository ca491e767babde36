"""Relevance harness: the 836-record sample, judged queries, three analysis configurations.

    python bench/relevance.py            # index, run every query, print dev and test tables
    python bench/relevance.py judge      # (re)write bench/relevance/qrels.tsv from criteria.tsv
    python bench/relevance.py --split dev --per-query mixed   # tuning: dev only, each mixed query

``--split dev`` runs and prints the dev queries only (test's are not even searched): what tuning reads.
``--per-query KIND`` (or ``all``) prints, for the splits run, each query of that kind with every
configuration's nDCG@10 and Recall@20 — with ``--split dev`` only, so no test query is read one by one.
``--group NAME=REGEX`` (repeatable) also prints the per-kind tables of the queries whose qid matches
REGEX (``--group 'ninth batch=nm5[0-9]+'``): means over a group, never a query one by one.

Queries are split into *dev* (tuning) and *test* (never tuned on) by ``bench/relevance/split.tsv``, fixed
before any tuning; every table is printed for each split. Besides nDCG@10, MRR@10 and Recall@20 the
harness reports the result-count spread: per query, the number of records a configuration answers
(the product: its headline count) divided by the number of relevant records, as median and p90.

The sample goes into a real node through the real indexer (``indexer.rebuild``) behind a ``test_``
alias; configurations (a) and (b) need fields the product index does not have, so they get a small
baseline index of their own. Every index is deleted at the end.

(a) Elasticsearch's ``standard`` analyzer on the raw text (one token per run of Thai letters);
(b) pythainlp ``newmm`` words with its stock dictionary, nothing else;
(c) the full analysis: ``portal.search.relevance.text_query(analyzers.query.understand(q))``;
(p) the portal's own request (``portal.search.queries.search_body``), to show the wiring;
(h) (p) with the semantic layer (``portal.search.hybrid``: (p)'s ranking fused with the records
    nearest in meaning, then the records related by meaning that no word finds; the index then
    carries vectors, cached in ``var/vectors.sqlite3``).
"""
from __future__ import annotations

import argparse
import html
import json
import math
import re
import sys
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from analyzers.query import understand  # noqa: E402
from indexer.client import make_client  # noqa: E402
from indexer.settings import Settings  # noqa: E402
from portal.search.relevance import text_query  # noqa: E402

SAMPLE = ROOT / "data" / "datagoth-sample-836.jsonl"
JUDGED = Path(__file__).resolve().parent / "relevance"
CRITERIA = JUDGED / "criteria.tsv"
QRELS = JUDGED / "qrels.tsv"
SPLIT = JUDGED / "split.tsv"
SPLITS = ("dev", "test")
OPEN_DATA_DECLARATION = "data_category=ข้อมูลสาธารณะ"
CONFIGS = ("a", "b", "c", "p", "h")
BASELINE_BOOSTS = {"title": 4, "tags": 3, "org": 2, "notes": 2}
K_NDCG, K_MRR, K_RECALL, K_PRECISION = 10, 10, 20, 10
# Hits read per query: more than the sample holds, so precision is measured on the whole result set a
# person could page through, not only on the first page.
RESULT_SET = 1000


@dataclass(frozen=True)
class Query:
    qid: str
    kind: str
    text: str
    title: str
    org: str
    anywhere: str
    need: str


# --- the labelled set -------------------------------------------------------------------------------

def read_queries(path: Path = CRITERIA) -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            queries.append(Query(*line.split("\t")))
    return queries


def read_split(path: Path = SPLIT) -> dict[str, str]:
    """qid → ``dev`` or ``test``; every judged query is in exactly one."""
    split = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            qid, name = line.split("\t")
            split[qid] = name
    return split


def read_sample(path: Path = SAMPLE) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def grade(query: Query, row: dict) -> int:
    """2: the record is about what the query means (title or owning agency); 1: it touches it; else 0."""
    title = html.unescape(row.get("title") or "")
    org = row.get("org") or ""
    if query.title != "-" and re.search(query.title, title):
        return 2
    if query.org != "-" and re.search(query.org, org):
        return 2
    description = html.unescape(row.get("summary") or "")
    everything = " ".join([title, description, " ".join(row.get("tags") or []), org])
    return 1 if re.search(query.anywhere, everything) else 0


def judge(queries: list[Query], rows: list[dict]) -> dict[str, dict[str, int]]:
    """Grade every record of the sample for every query: the pool is the whole collection."""
    return {q.qid: {r["id"]: g for r in rows if (g := grade(q, r))} for q in queries}


def write_qrels(qrels: dict[str, dict[str, int]], path: Path = QRELS) -> None:
    lines = ["# qid\tdataset id\tgrade (1 partly relevant, 2 relevant; unlisted records are 0)"]
    lines += [f"{qid}\t{doc}\t{g}" for qid, docs in qrels.items() for doc, g in sorted(docs.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_qrels(path: Path = QRELS) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            qid, doc, g = line.split("\t")
            qrels[qid][doc] = int(g)
    return qrels


# --- metrics ----------------------------------------------------------------------------------------

def ndcg(ranked: list[str], judged: dict[str, int], k: int = K_NDCG) -> float:
    gains = [(2 ** judged.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k])]
    ideal = [(2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(sorted(judged.values(), reverse=True)[:k])]
    return sum(gains) / sum(ideal) if ideal else 0.0


def reciprocal_rank(ranked: list[str], judged: dict[str, int], k: int = K_MRR) -> float:
    return next((1.0 / (i + 1) for i, doc in enumerate(ranked[:k]) if judged.get(doc, 0) > 0), 0.0)


def recall(ranked: list[str], judged: dict[str, int], k: int = K_RECALL) -> float:
    """Capped recall (as BEIR reports it): found / min(relevant, k), so 200 relevant records can score 1."""
    relevant = {doc for doc, g in judged.items() if g > 0}
    return len(relevant & set(ranked[:k])) / min(len(relevant), k) if relevant else 0.0


def precision(ranked: list[str], judged: dict[str, int], k: int = K_PRECISION) -> float:
    """Precision@k: relevant (grade ≥ 1) records among the first ``k``, divided by ``k``."""
    return sum(judged.get(doc, 0) > 0 for doc in ranked[:k]) / k


def noise(ranked: list[str], judged: dict[str, int]) -> float | None:
    """Share of the *whole* result set judged not relevant (grade 0); ``None`` when nothing came back
    (the zero-result rate counts those)."""
    return sum(judged.get(doc, 0) == 0 for doc in ranked) / len(ranked) if ranked else None


# --- indexing ---------------------------------------------------------------------------------------

def canonical(row: dict) -> dict:
    """A data.go.th sample row as a canonical record, for an indexer without a reader for this format."""
    org = row.get("org") or ""
    return {
        "id": row["id"], "name": row["id"], "title": row.get("title") or "", "title_en": None,
        "notes": html.unescape(row.get("summary") or ""), "notes_en": None,
        "organization": {"name": org, "title": org}, "tags": row.get("tags") or [],
        "resources": [{"name": r.get("name"), "format": r.get("format"), "url": r.get("url")}
                      for r in row.get("resources_list") or []],
        "groups": [], "data_category": "public", "private": False, "allow_harvest": True,
        "data_classification": "01", "license_id": row.get("license"),
        "data_format": row.get("formats") or [],
        "metadata_modified": row.get("updated"), "source": "bench-sample", "declared": [],
        "quality": {"score": 0, "findings": []},
    }


def index_product(es, alias: str, semantic: bool = False) -> str:
    """The sample through the real indexer: the file reader and pipeline when present, else records;
    with ``semantic``, with meaning vectors (``indexer.vectors``, cached under ``var/``)."""
    from indexer import rebuild
    from indexer.vectors import Embedder

    embedder = Embedder.for_var_dir(ROOT / "var") if semantic else None
    options = rebuild.Options(workers=0, lock=False, vectors=embedder)
    if hasattr(rebuild, "rebuild"):
        summary = rebuild.rebuild(es, alias, [SAMPLE], declarations=[OPEN_DATA_DECLARATION], options=options)
        how = "indexer.rebuild.rebuild (file reader + validation pipeline)"
    else:
        summary = rebuild.rebuild_records(es, alias, [canonical(r) for r in read_sample()], options)
        how = "indexer.rebuild.rebuild_records (bench converts the sample rows)"
    es.indices.refresh(index=alias)
    return f"{how}: {summary.counts.indexed} documents" + (f"; {embedder.line()}" if embedder else "")


def index_baseline(es, index: str, rows: list[dict]) -> None:
    """Raw text for (a) and stock-pythainlp words for (b)."""
    from elasticsearch.helpers import bulk

    props = {}
    for name in BASELINE_BOOSTS:
        props[name] = {"type": "text", "analyzer": "standard"}
        props[f"{name}_seg"] = {"type": "text", "analyzer": "whitespace"}
    es.indices.create(index=index, mappings={"properties": props}, settings={"number_of_shards": 1})

    def doc(row: dict) -> dict:
        raw = {"title": row.get("title") or "", "notes": html.unescape(row.get("summary") or ""),
               "tags": " ".join(row.get("tags") or []), "org": row.get("org") or ""}
        segmented = {f"{k}_seg": stock_words(v) for k, v in raw.items()}
        return {"_index": index, "_id": row["id"], **raw, **segmented}

    bulk(es, (doc(r) for r in rows), refresh=True)


def stock_words(text: str) -> str:
    from pythainlp.tokenize import word_tokenize

    return " ".join(w for w in word_tokenize(text.lower(), engine="newmm") if w.strip())


# --- querying ---------------------------------------------------------------------------------------

def baseline_query(q: str, segmented: bool) -> dict:
    suffix, text = ("_seg", stock_words(q)) if segmented else ("", q)
    fields = [f"{name}{suffix}^{boost}" for name, boost in BASELINE_BOOSTS.items()]
    return {"multi_match": {"query": text, "fields": fields, "type": "best_fields", "operator": "or"}}


Answer = tuple[list[str], int]  # ranked ids (up to RESULT_SET), how many records the answer counts


def searchers(es, product: str, baseline: str) -> dict[str, Callable[[str], Answer]]:
    def ids(index: str, query: dict) -> Answer:
        answer = es.search(index=index, query=query, size=RESULT_SET, _source=False, track_total_hits=True)
        return [h["_id"] for h in answer["hits"]["hits"]], answer["hits"]["total"]["value"]

    def portal(q: str) -> Answer:
        """What a person sees: the records holding every word (their count is the headline), then the
        records holding some, apart; when none holds every word, the partial matches are the answer."""
        from portal.auth.principal import ANONYMOUS
        from portal.search.queries import SearchParams, partial_body, search_body

        params = SearchParams(q=q, size=K_RECALL, facets=())
        body = search_body(params, ANONYMOUS)
        answer = es.search(index=product, query=body["query"], sort=body["sort"], size=RESULT_SET,
                           _source=False, track_total_hits=True)
        ranked, count = [h["_id"] for h in answer["hits"]["hits"]], answer["hits"]["total"]["value"]
        if q.strip():
            body = partial_body(params, ANONYMOUS, size=RESULT_SET)
            rest = es.search(index=product, query=body["query"], sort=body["sort"], size=RESULT_SET,
                             _source=False, track_total_hits=True)
            ranked += [h["_id"] for h in rest["hits"]["hits"]]
            count = count or rest["hits"]["total"]["value"]
        return ranked, count

    def hybrid(q: str) -> Answer:
        """(p) with the semantic layer: each part's ranking fused with the query's nearest records, then
        the records related by meaning that no word finds (after the word matches, as a page shows them;
        never in the count)."""
        from portal.auth.principal import ANONYMOUS
        from portal.search import hybrid
        from portal.search.queries import SearchParams, partial_body, related_matches, search_body

        params = SearchParams(q=q, size=K_RECALL, facets=())
        body = search_body(params, ANONYMOUS)
        if not hybrid.fusable(body, understand(q)):
            return portal(q)
        ranked, answer = hybrid.ranked(es, product, body, ANONYMOUS, q, RESULT_SET)
        count = answer["hits"]["total"]["value"]
        body = partial_body(params, ANONYMOUS, size=RESULT_SET)
        rest, answer = hybrid.ranked(es, product, body, ANONYMOUS, q, RESULT_SET)
        related = [h["id"] for h in related_matches(es, product, params, ANONYMOUS, understand(q), semantic=True)]
        return ranked + rest + related, count or answer["hits"]["total"]["value"]

    return {
        "a": lambda q: ids(baseline, baseline_query(q, segmented=False)),
        "b": lambda q: ids(baseline, baseline_query(q, segmented=True)),
        "c": lambda q: ids(product, text_query(understand(q))),
        "p": portal,
        "h": hybrid,
    }


def count_ratio(count: int, judged: dict[str, int]) -> float | None:
    """Records answered ÷ relevant records (``None`` when the query has no relevant record)."""
    relevant = sum(1 for g in judged.values() if g > 0)
    return count / relevant if relevant else None


def evaluate(run: Callable[[str], Answer], queries: Iterable[Query], qrels,
             each: dict[str, tuple] | None = None) -> dict[str, dict[str, float]]:
    """Per kind (and ``all``): nDCG@10, MRR@10, Recall@20, zero-result rate, Precision@10, noise rate
    (mean over the queries that returned something), median and p90 of count ÷ relevant, query count.
    ``each``, when given, receives every query's row (qid → the metrics tuple)."""
    rows = {}
    for query in queries:
        judged = qrels.get(query.qid, {})
        ranked, count = run(query.text)
        rows[query.qid] = (ndcg(ranked, judged), reciprocal_rank(ranked, judged), recall(ranked, judged),
                           float(not ranked), precision(ranked, judged), noise(ranked, judged),
                           count_ratio(count, judged))
        if each is not None:
            each[query.qid] = rows[query.qid]
    return summarise(queries, rows)


def summarise(queries: Iterable[Query], rows: dict[str, tuple]) -> dict[str, dict[str, float]]:
    """Per kind (and ``all``) of ``queries``: the means and quantiles of their rows (qid → the metrics
    tuple of ``evaluate``); queries without a row are left out."""
    per_kind: dict[str, list[tuple]] = defaultdict(list)
    for query in queries:
        if query.qid in rows:
            per_kind[query.kind].append(rows[query.qid])
            per_kind["all"].append(rows[query.qid])
    return {kind: {"ndcg": _mean(r, 0), "mrr": _mean(r, 1), "recall": _mean(r, 2), "zero": _mean(r, 3),
                   "p10": _mean(r, 4), "noise": _mean(r, 5), "med": _quantile(r, 6, 0.5),
                   "p90": _quantile(r, 6, 0.9), "n": len(r)} for kind, r in per_kind.items()}


def _mean(rows: list[tuple], i: int) -> float:
    values = [r[i] for r in rows if r[i] is not None]
    return sum(values) / len(values) if values else 0.0


def _quantile(rows: list[tuple], i: int, q: float) -> float:
    """Nearest-rank quantile of column ``i`` (``None`` values left out)."""
    values = sorted(r[i] for r in rows if r[i] is not None)
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))] if values else 0.0


RANKING = {"ndcg": ("nDCG@10", 3), "mrr": ("MRR@10", 3), "recall": ("R@20", 3), "zero": ("zero", 2)}
PRECISION = {"p10": ("P@10", 3), "noise": ("noise", 3)}
SPREAD = {"med": ("count/rel median", 1), "p90": ("p90", 1)}


def table(results: dict[str, dict[str, dict[str, float]]], metrics: dict = RANKING) -> str:
    """Markdown: one row per query kind, the ``metrics`` (name → (label, decimals)) per config."""
    configs = list(results)
    kinds = sorted({k for r in results.values() for k in r} - {"all"}) + ["all"]
    labels = " / ".join(label for label, _ in metrics.values())
    head = "| kind | n | " + " | ".join(f"({c}) {labels}" for c in configs) + " |"
    lines = [head, "|---|---|" + "---|" * len(configs)]
    for kind in kinds:
        n = results[configs[0]][kind]["n"]
        cells = [" / ".join(f"{r[kind][m]:.{digits}f}" for m, (_, digits) in metrics.items())
                 for r in results.values()]
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run(es, queries: list[Query], configs: Iterable[str] = CONFIGS, log=print, show: Iterable[str] = (),
        alias: str | None = None, split: dict[str, str] | None = None, splits: Iterable[str] = SPLITS,
        each: dict[str, dict[str, tuple]] | None = None) -> dict:
    """Index the sample behind ``alias`` (a fresh ``test_`` name by default), evaluate ``configs`` on
    ``queries``, delete every index it made; return ``{config: {kind: metrics}}``, or with ``split``
    (qid → split name) ``{split name: {config: {kind: metrics}}}`` for the ``splits`` named (the others'
    queries are not searched). ``each``, when given, receives config → qid → that query's metrics."""
    product = alias or f"test_gdc4_rel_{uuid.uuid4().hex[:8]}"
    baseline = f"{product}-baseline"
    qrels = read_qrels()
    try:
        log(index_product(es, product, semantic="h" in configs))
        if {"a", "b"} & set(configs):
            index_baseline(es, baseline, read_sample())
        search = searchers(es, product, baseline)
        shown = [q for q in queries if (q.qid in set(show) or "all" in show)
                 and (split is None or split[q.qid] in splits)]
        for query in shown:
            judged = qrels.get(query.qid, {})
            ranked, _ = search["p"](query.text)
            log(f"{query.qid} {query.text}: nDCG {ndcg(ranked, judged):.2f} R {recall(ranked, judged):.2f} "
                + " ".join(f"{doc[:14]}={judged.get(doc, 0)}" for doc in ranked[:K_RECALL]))
        each = each if each is not None else {}
        if split is None:
            return {c: evaluate(search[c], queries, qrels, each.setdefault(c, {})) for c in configs}
        return {name: {c: evaluate(search[c], [q for q in queries if split[q.qid] == name], qrels,
                                   each.setdefault(c, {}))
                       for c in configs} for name in splits}
    finally:
        es.options(ignore_status=404).indices.delete(index=baseline)
        answer = es.options(ignore_status=404).indices.get_alias(name=product)
        for name in answer.body if answer.meta.status == 200 else {}:
            es.options(ignore_status=404).indices.delete(index=name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", choices=["run", "judge"], default="run")
    parser.add_argument("--config", action="append", choices=CONFIGS, help="configurations (default: all)")
    parser.add_argument("--show", metavar="QID", action="append", default=[], help="print (p)'s ranking")
    parser.add_argument("--split", choices=SPLITS, help="run and print this split only (tune with dev)")
    parser.add_argument("--per-query", metavar="KIND",
                        help="print each query of KIND (or 'all') per configuration; needs --split dev")
    parser.add_argument("--group", metavar="NAME=REGEX", action="append", default=[],
                        help="also print the tables of the queries whose qid matches REGEX (means only)")
    args = parser.parse_args(argv)
    if args.per_query and args.split != "dev":
        parser.error("--per-query reads queries one by one: only with --split dev (test is never tuned on)")
    groups = [tuple(g.split("=", 1)) for g in args.group]
    if any(len(g) != 2 for g in groups):
        parser.error("--group takes NAME=REGEX")
    queries = read_queries()
    split = read_split()
    unsplit = [q.qid for q in queries if q.qid not in split]
    if unsplit:
        parser.error(f"queries missing from {SPLIT.name}: {', '.join(unsplit)}")
    if args.command == "judge":
        qrels = judge(queries, read_sample())
        write_qrels(qrels)
        print(f"{QRELS}: {sum(len(d) for d in qrels.values())} judgments for {len(queries)} queries")
        return 0
    es = make_client(Settings.from_env())
    configs = args.config or CONFIGS
    splits = (args.split,) if args.split else SPLITS
    each: dict[str, dict[str, tuple]] = {}
    results = run(es, queries, configs, show=args.show, split=split, splits=splits, each=each)
    if args.per_query:
        print("| qid | query | " + " | ".join(f"({c}) nDCG@10 / R@20" for c in configs) + " |")
        print("|---|---|" + "---|" * len(configs))
        for q in queries:
            if split[q.qid] in splits and args.per_query in ("all", q.kind):
                cells = [f"{each[c][q.qid][0]:.3f} / {each[c][q.qid][2]:.3f}" for c in configs]
                print(f"| {q.qid} | {q.text} | " + " | ".join(cells) + " |")
        print()
    for name in splits:
        print(f"## {name}\n")
        for metrics in (RANKING, SPREAD, PRECISION):
            print(table(results[name], metrics))
            print()
        for label, pattern in groups:
            chosen = [q for q in queries if split[q.qid] == name and re.fullmatch(pattern, q.qid)]
            if chosen:
                print(f"### {name}, {label} ({len(chosen)} queries)\n")
                print(table({c: summarise(chosen, each[c]) for c in configs}))
                print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
