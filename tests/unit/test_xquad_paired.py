"""The XQuAD-th harness's figures (``bench/xquad_th.py``): reciprocal ranks and the paired comparison."""
from __future__ import annotations

import pytest

from tests.support import bench_module


@pytest.fixture(scope="module")
def xquad():
    return bench_module("xquad_th", "bench_xquad_th")


def test_evaluate_keeps_each_questions_reciprocal_rank(xquad):
    rankings = {"q1": ["a", "b"], "q2": ["x"] * 10 + ["b"], "q3": ["c", "b", "a"]}
    r = xquad.evaluate(lambda q: (rankings[q], len(rankings[q])), [("q1", "a"), ("q2", "b"), ("q3", "a")])
    assert r["rr"] == [1.0, 0.0, pytest.approx(1 / 3)]  # b is eleventh for q2: past the tenth counts 0
    assert (r["mrr"], r["hit1"], r["hit10"], r["n"]) == (pytest.approx(4 / 9), pytest.approx(1 / 3),
                                                         pytest.approx(2 / 3), 3)


def test_paired_comparison_counts_questions_and_brackets_the_mean(xquad):
    base = [1.0, 0.5, 0.0, 1.0] * 50
    same = xquad.paired(base, base)
    assert (same["mean"], same["low"], same["high"], same["better"], same["worse"]) == (0.0, 0.0, 0.0, 0, 0)
    better = [1.0, 1.0, 0.0, 1.0] * 50  # the second question of every four moves from rank 2 to 1
    d = xquad.paired(better, base)
    assert d["mean"] == pytest.approx(0.125) and (d["better"], d["worse"]) == (50, 0)
    assert 0 < d["low"] < 0.125 < d["high"] < 0.25
    assert xquad.paired(better, base) == d  # seeded: a run repeats
    worse = xquad.paired(base, better)
    assert worse["mean"] == pytest.approx(-0.125) and (worse["better"], worse["worse"]) == (0, 50)
