"""Thai analysis throughput on the 836-record sample: segmentation engines and the full index fields.

    python bench/thai_throughput.py [--repeat 3]

Prints, per engine (``nlpo3`` and pythainlp's ``newmm``, both with the built custom dictionary), the
characters per second of segmentation alone (no cache), whether both engines cut every Thai run the
same way, and the characters per second of ``analyzers.thai.index_fields`` over every text field of a
record (normalisation, segmentation, parts, variants, shingles, subwords), cold and with the run cache
warm, as the indexer sees it.
"""
from __future__ import annotations

import argparse
import html
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analyzers import dictionary, thai  # noqa: E402
from analyzers.script import RUN, is_thai  # noqa: E402

SAMPLE = ROOT / "data" / "datagoth-sample-836.jsonl"


def sample_texts(path: Path = SAMPLE) -> list[str]:
    texts = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            description = html.unescape(row.get("summary") or "")
            texts += [row["title"], description, " ".join(row["tags"]), row["org"]]
    return [t for t in texts if t]


def thai_runs(texts: list[str]) -> list[str]:
    runs = (run for text in texts for run in RUN.findall(thai.normalise(text)))
    return [run for run in runs if is_thai(run)]


def engines() -> dict:
    import nlpo3
    from pythainlp.tokenize.newmm import segment as newmm_segment

    name, trie = dictionary.nlpo3_name(), dictionary.trie()
    return {
        "nlpo3": lambda run: nlpo3.segment(run, name),
        "newmm": lambda run: newmm_segment(run, custom_dict=trie),
    }


def measure(repeat: int) -> None:
    texts = sample_texts()
    runs = thai_runs(texts)
    run_chars = sum(map(len, runs))
    text_chars = sum(map(len, texts))
    outputs = {}
    for label, cut in engines().items():
        cut(runs[0])  # load the dictionary outside the timing
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            outputs[label] = [cut(run) for run in runs]
            best = min(best, time.perf_counter() - started)
        print(f"{label:6} segmentation: {run_chars / best:>12,.0f} chars/s  "
              f"({len(runs)} Thai runs, {run_chars:,} chars)")
    same = sum(a == b for a, b in zip(outputs["nlpo3"], outputs["newmm"]))
    print(f"identical tokens: {same}/{len(runs)} runs")
    thai.index_fields("กรมการขนส่งทางบก การเลือกตั้ง")  # load every word list and trie outside the timing
    for engine in ("nlpo3", "newmm"):
        thai.ENGINE = engine
        for warm in (False, True):
            if not warm:
                thai.clear_caches()
                dictionary.parts.cache_clear()
            started = time.perf_counter()
            for text in texts:
                thai.index_fields(text)
            seconds = time.perf_counter() - started
            state = "warm cache" if warm else "cold cache"
            print(f"index_fields with {engine:6} ({state}): {text_chars / seconds:>10,.0f} chars/s "
                  f"({len(texts) / seconds:,.0f} fields/s)")
    thai.ENGINE = "nlpo3"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    measure(parser.parse_args(argv).repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
