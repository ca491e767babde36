"""Natural Thai questions (issue 15): XQuAD's Thai questions, find the paragraph among 240.

    GDC_ES_URL=http://127.0.0.1:9250 python bench/xquad_th.py            # (b) and (p)
    GDC_ES_URL=http://127.0.0.1:9250 python bench/xquad_th.py --split dev    # tuning: dev half only

XQuAD (Artetxe et al. 2020, CC BY-SA 4.0: ``bench/xquad/``) is 240 Wikipedia paragraphs of 48 articles
with 1,190 questions, translated into Thai by professionals. Each paragraph becomes a record (its text
the description, the article's name — English, "Super_Bowl_50" — the title, the same for the five
paragraphs of an article); each question is asked as typed and the paragraph it was asked about is the
one relevant record. Reported: MRR@10, hits at 1 and 10, and each configuration against (b) question by
question (the mean difference with a paired-bootstrap 95 % interval, how many questions rank higher and
lower), for

(b) plain segmented BM25 (pythainlp ``newmm`` words, ``bench/relevance.py``'s baseline), and
(p) the product's own search (``bench/relevance.py``'s (p): the records holding every concept of the
    question, then those holding some), and
(h) the same with the semantic layer (``GDC_SEMANTIC=1``: ``bench/relevance.py``'s (h); the paragraphs
    are embedded passage by passage, cached under ``var/``; asked for with ``--config h``).

``bench/xquad/split.tsv`` halves the set by article: tune on ``--split dev`` only, the test half never;
no dictionary list is built from it. The data file is read from the repository (no download at run time).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import relevance as harness  # noqa: E402  (bench/relevance.py)
from indexer.client import make_client  # noqa: E402
from indexer.settings import Settings  # noqa: E402

DATA = Path(__file__).resolve().parent / "xquad" / "xquad.th.json.gz"
SPLIT = Path(__file__).resolve().parent / "xquad" / "split.tsv"


def read_split(path: Path = SPLIT) -> dict[str, str]:
    """Article name → ``dev`` or ``test`` (fixed before any question was read one by one)."""
    return dict(line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#"))


def read(path: Path = DATA, split: str | None = None) -> tuple[list[dict], list[tuple[str, str]]]:
    """(every paragraph as a sample row, (question, id of its paragraph) pairs — of the ``split``'s
    articles only when one is named; the 240 paragraphs are always all there)."""
    with gzip.open(path, "rt", encoding="utf-8-sig") as f:
        data = json.load(f)["data"]
    splits = read_split() if split else {}
    rows, questions = [], []
    for a, article in enumerate(data):
        for p, paragraph in enumerate(article["paragraphs"]):
            pid = f"xquad-{a:02d}-{p}"
            rows.append({"id": pid, "title": article["title"].replace("_", " "),
                         "summary": paragraph["context"].lstrip("\ufeff"), "org": "XQuAD", "tags": []})
            if not split or splits[article["title"]] == split:
                questions += [(qa["question"], pid) for qa in paragraph["qas"]]
    return rows, questions


def index_paragraphs(es, alias: str, rows: list[dict], semantic: bool = False) -> None:
    from indexer import rebuild
    from indexer.vectors import Embedder

    embedder = Embedder.for_var_dir(ROOT / "var") if semantic else None
    rebuild.rebuild_records(es, alias, [harness.canonical(r) for r in rows],
                            rebuild.Options(workers=0, lock=False, vectors=embedder))
    if embedder:
        print(embedder.line())
    es.indices.refresh(index=alias)


def evaluate(run, questions: list[tuple[str, str]]) -> dict:
    """MRR@10, hits at 1 and 10, and each question's reciprocal rank (``rr``, 0 past the tenth)."""
    each = []
    for text, pid in questions:
        ranked = run(text)[0][:10]
        each.append(1.0 / (ranked.index(pid) + 1) if pid in ranked else 0.0)
    n = len(questions)
    return {"mrr": sum(each) / n, "hit1": each.count(1.0) / n, "hit10": sum(r > 0 for r in each) / n, "n": n,
            "rr": each}


def paired(rr: list[float], base: list[float], resamples: int = 10_000) -> dict[str, float]:
    """``rr`` against ``base`` question by question: the mean difference of reciprocal rank, its 95 %
    interval by paired bootstrap (the questions resampled with replacement; seed 0, so a run repeats),
    and how many questions each ranks higher. An interval holding 0 says the two are not told apart by
    this many questions."""
    import numpy as np

    diff = np.asarray(rr) - np.asarray(base)
    rng = np.random.default_rng(0)
    means = diff[rng.integers(0, len(diff), (resamples, len(diff)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"mean": float(diff.mean()), "low": float(low), "high": float(high),
            "better": int((diff > 0).sum()), "worse": int((diff < 0).sum())}


def compare(name: str, rows: list[dict], questions: list[tuple[str, str]], configs: list[str],
            split: str | None = None) -> dict:
    """Index ``rows`` (the product's index and the baseline's), ask ``questions`` of each configuration,
    print the table and each configuration against (b); the indices are deleted whatever happens."""
    es = make_client(Settings.from_env())
    product = f"test_gdc_questions_{uuid.uuid4().hex[:8]}"
    baseline = f"{product}-baseline"
    try:
        index_paragraphs(es, product, rows, semantic="h" in configs)
        harness.index_baseline(es, baseline, rows)
        search = harness.searchers(es, product, baseline)
        print(f"{name}: {len(rows)} paragraphs, {len(questions)} questions{f' ({split})' if split else ''}\n")
        print("| config | MRR@10 | hit@1 | hit@10 |\n|---|---|---|---|")
        results = {}
        for config in configs:
            r = results[config] = evaluate(search[config], questions)
            print(f"| ({config}) | {r['mrr']:.3f} | {r['hit1']:.3f} | {r['hit10']:.3f} |", flush=True)
        if "b" in results and len(results) > 1:
            print("\n| against (b), question by question | MRR@10 difference "
                  "| 95 % interval (paired bootstrap) | ranked higher / lower |\n|---|---|---|---|")
            for config, r in results.items():
                if config != "b":
                    d = paired(r["rr"], results["b"]["rr"])
                    print(f"| ({config}) − (b) | {d['mean']:+.4f} | [{d['low']:+.4f}, {d['high']:+.4f}] "
                          f"| {d['better']} / {d['worse']} |")
        return results
    finally:
        es.options(ignore_status=404).indices.delete(index=baseline)
        answer = es.options(ignore_status=404).indices.get_alias(name=product)
        for index in answer.body if answer.meta.status == 200 else {}:
            es.options(ignore_status=404).indices.delete(index=index)


def arguments(description: str, argv: list[str] | None, split_help: str) -> argparse.Namespace:
    """The options every question set's benchmark takes."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", action="append", choices=["b", "p", "h"],
                        help="configurations (default: b, p; h embeds the paragraphs)")
    parser.add_argument("--limit", type=int, help="only the first N questions")
    parser.add_argument("--split", choices=["dev", "test"], help=split_help)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, argv, "only the questions of this half's articles (bench/xquad/split.tsv; tune on dev)")
    rows, questions = read(split=args.split)
    questions = questions[:args.limit] if args.limit else questions
    compare("XQuAD-th", rows, questions, args.config or ["b", "p"], args.split)
    return 0


if __name__ == "__main__":
    sys.exit(main())
