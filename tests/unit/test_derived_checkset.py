"""Derived values against the hand-labelled check set (tests/checkset/): precision ≥ 0.95 on both splits.

``python -c "from tests.checkset import scoring; print(scoring.table())"`` prints the full table
(precision and recall per item, dev and test).
"""
from __future__ import annotations

import pytest

from tests.checkset import scoring

MIN_PRECISION = 0.95


def test_the_check_set_is_large_enough_and_split():
    labels = scoring.labels()
    assert len(labels) >= 150
    assert {label["split"] for label in labels} == {"dev", "test"}
    assert set(scoring.canonical_records()) >= {label["id"] for label in labels}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_precision_of_every_derived_item(split):
    for item, tally in scoring.score(split).items():
        assert tally.derived > 0, item
        assert tally.precision >= MIN_PRECISION, (item, split, tally.precision, tally.wrong)
