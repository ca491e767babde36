"""Natural Thai questions written in Thai (issue 15, "on any unseen set"): iApp Wiki QA, find the paragraph.

    GDC_ES_URL=http://127.0.0.1:9250 python bench/iapp_th.py --split test    # the held-out half
    GDC_ES_URL=http://127.0.0.1:9250 python bench/iapp_th.py --split dev     # tuning: dev only

iApp Technology's Thai Wikipedia QA set (MIT, ``bench/iapp/``) is 1,904 distinct Wikipedia paragraphs
with 7,242 questions written by Thai annotators — not translated, unlike XQuAD-th — most naming the
article's subject ("ปลาค้าวดำมีชื่อเรียกทางวิทยาศาสตร์ว่าอย่างไร"). Each distinct paragraph becomes a record
(its text the description, the article's Thai title the title); each question is asked as typed, and the
paragraph it was asked about is the one relevant record, found among all 1,904. Reported as
``bench/xquad_th.py`` reports: MRR@10, hits at 1 and 10, and (p)/(h) against (b) question by question.

The split is the set's own, by article: *dev* is its ``train`` file (5,761 questions), *test* its
``valid`` and ``test`` files (1,481). Tune on dev only; no dictionary list is built from either.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import xquad_th  # noqa: E402  (bench/xquad_th.py: the same comparison)

DATA = Path(__file__).resolve().parent / "iapp"
SPLITS = {"dev": ("train",), "test": ("valid", "test")}


def read(path: Path = DATA, split: str | None = None) -> tuple[list[dict], list[tuple[str, str]]]:
    """(every distinct paragraph as a sample row, (question, id of its paragraph) pairs — of the
    ``split``'s files only when one is named; the paragraphs of every file are always all there)."""
    wanted = SPLITS[split] if split else SPLITS["dev"] + SPLITS["test"]
    ids: dict[str, str] = {}
    rows, questions = [], []
    for part in SPLITS["dev"] + SPLITS["test"]:
        with gzip.open(path / f"{part}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                qa = json.loads(line)
                # One paragraph is in two files under two articles: it is one record.
                if (pid := ids.get(qa["context"])) is None:
                    pid = ids[qa["context"]] = f"iapp-{len(ids):04d}"
                    rows.append({"id": pid, "title": qa["title"].strip(), "summary": qa["context"],
                                 "org": "iApp Wiki QA", "tags": []})
                if part in wanted:
                    questions.append((qa["question"], pid))
    return rows, questions


def main(argv: list[str] | None = None) -> int:
    args = xquad_th.arguments(__doc__, argv, "only this half's questions (dev: the train file; tune on dev)")
    rows, questions = read(split=args.split)
    questions = questions[:args.limit] if args.limit else questions
    xquad_th.compare("iApp Wiki QA", rows, questions, args.config or ["b", "p"], args.split)
    return 0


if __name__ == "__main__":
    sys.exit(main())
