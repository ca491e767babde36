"""Bulk writes against a stub node: 429s are retried with back-off, refusals name the record id."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elasticsearch import Elasticsearch

from indexer import bulk


class StubNode(BaseHTTPRequestHandler):
    """Answers ``_bulk`` from a script: each request gets the next list of per-item statuses."""

    script: list[list[int]] = []
    requests: list[list[str]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        lines = self.rfile.read(int(self.headers["Content-Length"])).splitlines()
        ids = [json.loads(line)["index"]["_id"] for line in lines[::2]]
        type(self).requests.append(ids)
        statuses = type(self).script.pop(0) if type(self).script else [201] * len(ids)
        items = []
        for record_id, status in zip(ids, statuses):
            item = {"_id": record_id, "status": status}
            if status >= 300:
                item["error"] = {"type": "es_rejected_execution_exception" if status == 429
                                 else "document_parsing_exception", "reason": f"status {status}"}
            items.append({"index": item})
        body = json.dumps({"took": 1, "errors": any(s >= 300 for s in statuses), "items": items}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST  # the Python client sends _bulk as PUT

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def node(monkeypatch):
    monkeypatch.setattr(bulk, "INITIAL_BACKOFF", 0.01)
    StubNode.script, StubNode.requests = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubNode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Elasticsearch(f"http://127.0.0.1:{server.server_port}")
    server.shutdown()


def actions(*ids: str):
    return [{"_op_type": "index", "_index": "test_stub", "_id": i, "_source": b'{"id":"%s"}' % i.encode()}
            for i in ids]


def test_documents_refused_with_429_are_sent_again(node):
    StubNode.script = [[201, 429, 429], [201, 201]]
    ok, errors = [], []
    bulk.write(node, actions("a", "b", "c"), on_ok=lambda i, a, f: ok.append(i), on_error=errors.append)
    assert StubNode.requests == [["a", "b", "c"], ["b", "c"]]
    assert sorted(ok) == ["a", "b", "c"] and errors == []


def test_a_refused_document_is_reported_with_its_record_id(node):
    StubNode.script = [[201, 400]]
    ok, errors = [], []
    timer = bulk.BulkTimer()
    bulk.write(node, actions("good", "bad"), on_ok=lambda i, a, f: ok.append(i), on_error=errors.append,
               timer=timer)
    assert ok == ["good"]
    assert [(e.record_id, e.status) for e in errors] == [("bad", 400)]
    assert "record bad" in errors[0].message() and "document_parsing_exception" in errors[0].message()
    assert timer.seconds > 0
