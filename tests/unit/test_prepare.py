"""Parallel preparation: results in input order, in-process and across worker processes."""
from __future__ import annotations

import json

from indexer import mapping as m
from indexer.prepare import prepare_records, prepared_stream
from tests.support import dataset


def test_in_process_and_workers_give_the_same_documents_in_order():
    records = [dataset(f"p{i}", title=f"สถิติประชากร ปี {2560 + i}") for i in range(30)]
    alone = list(prepared_stream(records, prepare_records, workers=0, batch_size=4))
    pooled = list(prepared_stream(records, prepare_records, workers=2, batch_size=4))
    assert [p.doc_id for p in alone] == [f"p{i}" for i in range(30)]
    assert [p.doc_id for p in pooled] == [p.doc_id for p in alone]
    assert [json.loads(p.body) for p in pooled] == [json.loads(p.body) for p in alone]


def test_a_prepared_document_is_the_json_of_the_index_document():
    prepared, = prepare_records([dataset("one", title="ที่ตั้งโรงเรียน")])
    document = json.loads(prepared.body)
    assert prepared.accepted and prepared.record["id"] == "one"
    assert "โรงเรียน" in document[m.TITLE_WORDS].split()
    assert prepared.segmentation_seconds > 0
