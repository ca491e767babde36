"""Natural Thai questions, every set together (issue 15: "natural questions ≥ plain segmented BM25").

    GDC_ES_URL=http://127.0.0.1:9250 python bench/natural_questions.py --split test   # the held-out halves
    GDC_ES_URL=http://127.0.0.1:9250 python bench/natural_questions.py --split dev    # tuning: dev only

Runs ``bench/xquad_th.py`` (XQuAD-th: 1,190 questions translated into Thai, among 240 paragraphs) and
``bench/iapp_th.py`` (iApp Wiki QA: 7,242 questions written in Thai, among 1,904 paragraphs), each as
its own script does, then weighs each configuration against (b) over both sets at once:

- *every question once*: the mean difference of reciprocal rank over all questions of both sets, with a
  95 % interval by paired bootstrap (the pooled questions resampled);
- *each set equally*: the mean of the two sets' mean differences, with a 95 % interval by a bootstrap
  that resamples each set's questions within the set (seed 0) — so the larger set does not decide alone.

One half alone tells little below its noise (XQuAD-th's test half: 602 questions, about ±0.007); both
sets' held-out halves together are 2,083 questions.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import iapp_th  # noqa: E402  (bench/iapp_th.py)
import xquad_th  # noqa: E402  (bench/xquad_th.py)

SETS = {"XQuAD-th": xquad_th.read, "iApp Wiki QA": iapp_th.read}


def each_set_equally(diffs: list[list[float]], resamples: int = 10_000) -> dict[str, float]:
    """The mean of the sets' mean differences, and its 95 % interval (each set resampled within itself)."""
    import numpy as np

    rng = np.random.default_rng(0)
    means = np.zeros(resamples)
    for diff in map(np.asarray, diffs):
        means += diff[rng.integers(0, len(diff), (resamples, len(diff)))].mean(axis=1)
    means /= len(diffs)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"mean": float(np.mean([np.mean(d) for d in diffs])), "low": float(low), "high": float(high)}


def main(argv: list[str] | None = None) -> int:
    args = xquad_th.arguments(__doc__, argv, "only each set's dev or test half (tune on dev)")
    configs = args.config or ["b", "p"]
    runs = []
    for name, read in SETS.items():
        rows, questions = read(split=args.split)
        runs.append(xquad_th.compare(name, rows, questions[:args.limit] if args.limit else questions,
                                     configs, args.split))
        print()
    if "b" not in configs or len(configs) < 2:
        return 0
    total = sum(len(r["b"]["rr"]) for r in runs)
    print(f"Both sets{f' ({args.split})' if args.split else ''}: {total} questions\n")
    print("| against (b) | every question once | 95 % interval | higher / lower "
          "| each set equally | 95 % interval |\n|---|---|---|---|---|---|")
    for config in configs:
        if config == "b":
            continue
        pooled = xquad_th.paired([x for r in runs for x in r[config]["rr"]],
                                 [x for r in runs for x in r["b"]["rr"]])
        equal = each_set_equally([[a - b for a, b in zip(r[config]["rr"], r["b"]["rr"])] for r in runs])
        print(f"| ({config}) − (b) | {pooled['mean']:+.4f} | [{pooled['low']:+.4f}, {pooled['high']:+.4f}] "
              f"| {pooled['better']} / {pooled['worse']} | {equal['mean']:+.4f} "
              f"| [{equal['low']:+.4f}, {equal['high']:+.4f}] |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
