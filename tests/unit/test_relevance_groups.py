"""The harness's group tables (``bench/relevance.py --group``): means over the chosen queries, per kind."""
from __future__ import annotations

import pytest

from tests.support import bench_module


@pytest.fixture(scope="module")
def harness():
    return bench_module("relevance", "bench_relevance_groups")


def _query(harness, qid, kind):
    return harness.Query(qid, kind, qid, "-", "-", "-", "-")


def test_summarise_averages_only_the_queries_given(harness):
    rows = {"a1": (1.0, 1.0, 1.0, 0.0, 0.5, 0.0, 1.0),
            "a2": (0.5, 0.5, 0.0, 0.0, 0.1, 0.5, 3.0),
            "b1": (0.0, 0.0, 0.0, 1.0, 0.0, None, None)}
    queries = [_query(harness, "a1", "mixed"), _query(harness, "a2", "mixed"), _query(harness, "b1", "typo")]
    every = harness.summarise(queries, rows)
    assert every["mixed"]["n"] == 2 and every["all"]["n"] == 3
    assert every["mixed"]["ndcg"] == pytest.approx(0.75)
    assert every["all"]["recall"] == pytest.approx(1 / 3)
    assert every["all"]["noise"] == pytest.approx(0.25)  # the query with no result set is left out
    one = harness.summarise(queries[1:2], rows)
    assert set(one) == {"mixed", "all"} and one["mixed"]["ndcg"] == pytest.approx(0.5)


def test_a_query_without_a_row_is_left_out(harness):
    rows = {"a1": (1.0, 1.0, 1.0, 0.0, 0.5, 0.0, 1.0)}
    summary = harness.summarise([_query(harness, "a1", "mixed"), _query(harness, "zz", "mixed")], rows)
    assert summary["mixed"]["n"] == 1


def test_the_judged_set_is_split_with_forty_eight_test_mixed_queries(harness):
    queries, split = harness.read_queries(), harness.read_split()
    assert {q.qid for q in queries} == set(split)
    ninth = [q for q in queries if q.qid.startswith("nm5")]
    assert len(ninth) == 40 and {split[q.qid] for q in ninth} == {"test"}
    assert sum(1 for q in queries if q.kind == "mixed" and split[q.qid] == "test") == 48
