"""Both question sets weighed together (``bench/natural_questions.py``): each set counts equally."""
from __future__ import annotations

import pytest

from tests.support import bench_module


@pytest.fixture(scope="module")
def natural():
    return bench_module("natural_questions", "bench_natural_questions")


def test_each_set_counts_equally_whatever_its_size(natural):
    # a small set 0.1 ahead, a set ten times larger 0.1 behind: level, not the larger set's −0.1
    result = natural.each_set_equally([[0.1] * 50, [-0.1] * 500], resamples=200)
    assert result["mean"] == pytest.approx(0.0)
    assert result["low"] == pytest.approx(0.0) and result["high"] == pytest.approx(0.0)


def test_the_interval_holds_the_mean_and_widens_with_noise(natural):
    quiet = natural.each_set_equally([[0.01, 0.0] * 100, [0.0, 0.02] * 100], resamples=500)
    noisy = natural.each_set_equally([[0.5, -0.49] * 100, [-0.5, 0.52] * 100], resamples=500)
    assert quiet["mean"] == pytest.approx(0.0075)  # (0.005 + 0.01) / 2
    assert quiet["low"] <= quiet["mean"] <= quiet["high"]
    assert noisy["low"] <= noisy["mean"] <= noisy["high"]
    assert noisy["high"] - noisy["low"] > 10 * (quiet["high"] - quiet["low"])


def test_it_runs_both_sets(natural):
    assert set(natural.SETS) == {"XQuAD-th", "iApp Wiki QA"}
