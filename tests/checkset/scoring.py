"""Precision and recall of the derived values against the hand-labelled check set.

Per item, per split: a record counts as *derived* when the recogniser gives a value, *labelled* when
the label has one; a derived value is *correct* when it equals the label exactly (places: per place
code, so one record may contribute several). precision = correct / derived, recall = correct / labelled.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analyzers import places
from indexer.derived import derive
from indexer.pipeline import parse_declarations, validate
from indexer.sources import read_sources

ROOT = Path(__file__).resolve().parents[2]
LABELS = Path(__file__).resolve().parent / "derived_labels.jsonl"
SAMPLE = ROOT / "data" / "datagoth-sample-836.jsonl"
ITEMS = ("places", "geo_coverage", "update_frequency_unit", "years")


@dataclass
class Tally:
    derived: int = 0
    labelled: int = 0
    correct: int = 0
    wrong: list = field(default_factory=list)   # (id, derived, label) of every derived value not in the label

    @property
    def precision(self) -> float:
        return self.correct / self.derived if self.derived else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


def labels() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=1)
def canonical_records() -> dict[str, dict]:
    """The sample through the real validator (what the indexer derives from), by id."""
    declarations = parse_declarations(["data_category=ข้อมูลสาธารณะ"])
    return {o.record["id"]: o.record for o in validate(read_sources([str(SAMPLE)]), declarations) if o.accepted}


def _values(item: str, derived: dict, label: dict) -> tuple[set, set]:
    got = (derived.get(item) or {}).get("value")
    if item == "places":
        return _most_specific(got or []), _most_specific(label["places"])
    wanted = label["years_be"] if item == "years" else label[item]
    as_key = (lambda v: tuple(v) if v else None) if item == "years" else (lambda v: v)
    return ({as_key(got)} - {None}), ({as_key(wanted)} - {None})


def _most_specific(codes: list[str]) -> set[str]:
    """Codes without those that are an ancestor of another (a district's province is implied)."""
    ancestors = {a for c in codes if places.get(c) for a in places.get(c).lineage()[:-1]}
    return set(codes) - ancestors


def score(split: str) -> dict[str, Tally]:
    """A tally per item over the labelled records of ``split`` (``dev``, ``test`` or ``all``)."""
    records = canonical_records()
    tallies = {item: Tally() for item in ITEMS}
    for label in labels():
        if split != "all" and label["split"] != split:
            continue
        derived = derive(records[label["id"]])
        for item in ITEMS:
            got, wanted = _values(item, derived, label)
            tally = tallies[item]
            tally.derived += len(got)
            tally.labelled += len(wanted)
            tally.correct += len(got & wanted)
            tally.wrong += [(label["id"], v, sorted(wanted)) for v in got - wanted]
    return tallies


def table(splits=("dev", "test")) -> str:
    lines = [f"{'item':<22} {'split':<5} {'derived':>7} {'labelled':>8} {'correct':>7} {'precision':>9} {'recall':>6}"]
    for split in splits:
        for item, t in score(split).items():
            lines.append(f"{item:<22} {split:<5} {t.derived:>7} {t.labelled:>8} {t.correct:>7} "
                         f"{t.precision:>9.3f} {t.recall:>6.3f}")
    return "\n".join(lines)
