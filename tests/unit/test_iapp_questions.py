"""The iApp Wiki QA harness's reading (``bench/iapp_th.py``): records, questions and its split."""
from __future__ import annotations

import pytest

from tests.support import bench_module


@pytest.fixture(scope="module")
def iapp():
    return bench_module("iapp_th", "bench_iapp_th")


@pytest.fixture(scope="module")
def whole(iapp):
    return iapp.read()


def test_every_distinct_paragraph_is_one_record_and_every_question_has_its_record(whole):
    rows, questions = whole
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == len({r["summary"] for r in rows}) == 1904
    assert len(questions) == 7242
    assert {pid for _, pid in questions} <= set(ids)
    assert all(r["title"] and r["title"] == r["title"].strip() for r in rows)


def test_the_halves_share_no_question_and_keep_every_paragraph(iapp, whole):
    dev_rows, dev = iapp.read(split="dev")
    test_rows, test = iapp.read(split="test")
    assert (len(dev), len(test)) == (5761, 1481)
    assert sorted(dev + test) == sorted(whole[1])
    # The paragraphs are all there whichever half is asked: a question is answered among all 1,904.
    assert dev_rows == test_rows == whole[0]
