"""The harvester against a local HTTP server serving recorded CKAN package_search pages.

Pages are cut from real records (the data.go.th COVID-19 package with new ids); one page fails once
with HTTP 503 and is retried; the consent rule keeps sensitive records without ``allow_harvest`` out.
"""
import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from indexer.sources.harvest import HarvestError, HarvestStats, action_url, consented, iter_remote
from indexer.pipeline import validate
from indexer.report import Report

COVID = Path(__file__).parents[1] / "fixtures" / "ckan-package-search-covid-19-daily.json"


def _catalogue() -> list[dict]:
    base = json.loads(COVID.read_text("utf-8"))["result"]["results"][0]
    packages = []
    for i in range(7):
        package = copy.deepcopy(base)
        package.update(id=f"pkg-{i}", name=f"pkg-{i}", title=f"{base['title']} ชุดที่ {i}")
        packages.append(package)
    packages[3].update(data_category="ข้อมูลส่วนบุคคล", data_classification="ลับ", license_id="อื่นๆ",
                       allow_harvest="False")                         # sensitive, no consent: not taken
    packages[5].update(data_category="ข้อมูลส่วนบุคคล", data_classification="ลับ", license_id="อื่นๆ",
                       allow_harvest="True")                          # sensitive, consented: taken
    packages[6].update(private=True)                                  # private, no consent: not taken
    return packages


class Catalogue:
    """Serves package_search pages; ``failures`` maps a start offset to how many times it answers 503."""

    def __init__(self, packages, failures=None, fail_forever=(), garbled=None):
        self.packages = packages
        self.garbled = dict(garbled or {})
        self.failures = dict(failures or {})
        self.fail_forever = set(fail_forever)
        self.requests: list[dict] = []
        catalogue = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                catalogue.requests.append(params)
                if url.path != "/api/3/action/package_search":
                    return self._send(404, {"success": False})
                start, rows = int(params.get("start", 0)), int(params.get("rows", 10))
                if start in catalogue.fail_forever or catalogue.failures.get(start, 0) > 0:
                    catalogue.failures[start] = catalogue.failures.get(start, 0) - 1
                    return self._send(503, {"success": False, "error": "busy"})
                if catalogue.garbled.get(start, 0) > 0:
                    catalogue.garbled[start] -= 1
                    body = b"<html>proxy error</html>" if start == 0 else b'{"success": false}'
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    return self.wfile.write(body)
                page = catalogue.packages[start:start + rows]
                self._send(200, {"help": "recorded", "success": True,
                                 "result": {"count": len(catalogue.packages), "results": page, "facets": {}}})

            def _send(self, status, body):
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_harvest_pages_retries_and_honours_consent(tmp_path):
    sleeps = []
    stats = HarvestStats()
    with Catalogue(_catalogue(), failures={2: 1}) as remote:
        raw = list(iter_remote(remote.url, rows=2, stats=stats, sleep=sleeps.append, backoff=0.5,
                               state_path=tmp_path / "state.json"))
    assert [r.data["id"] for r in raw] == ["pkg-0", "pkg-1", "pkg-2", "pkg-4", "pkg-5"]
    assert [r.locator for r in raw] == ["page 1 item 1", "page 1 item 2", "page 2 item 1", "page 3 item 1",
                                        "page 3 item 2"]
    assert stats.retries == 1 and sleeps == [0.5]
    assert stats.without_consent == 2 and stats.not_taken == ["pkg-3", "pkg-6"]
    assert stats.pages == 4 and stats.count == 7 and stats.taken == 5
    starts = [int(r["start"]) for r in remote.requests]
    assert starts == [0, 2, 2, 4, 6]                                    # the failing page asked twice
    assert all(r["rows"] == "2" and r["sort"] == "metadata_created asc, name asc" for r in remote.requests)
    assert json.loads((tmp_path / "state.json").read_text())["done"] is True

    report = Report(tmp_path / "rejects.jsonl")
    for outcome in validate(raw):
        report.add(outcome)
    counts = report.sources[action_url(remote.url)]
    assert (counts.read, counts.accepted, counts.rejected) == (5, 5, 0)


def test_harvest_resumes_from_the_saved_page(tmp_path):
    state = tmp_path / "state.json"
    with Catalogue(_catalogue(), fail_forever={4}) as remote:
        taken = []
        with pytest.raises(HarvestError) as exc:
            for record in iter_remote(remote.url, rows=2, state_path=state, retries=2, sleep=lambda s: None):
                taken.append(record.data["id"])
        assert "start=4" in str(exc.value) and "3" in str(exc.value)
        assert taken == ["pkg-0", "pkg-1", "pkg-2"]
        assert json.loads(state.read_text())["start"] == 4
        remote.fail_forever.clear()
        remote.requests.clear()
        again = iter_remote(remote.url, rows=2, state_path=state, sleep=lambda s: None)
        resumed = [r.data["id"] for r in again]
    assert resumed == ["pkg-4", "pkg-5"]
    assert [int(r["start"]) for r in remote.requests] == [4, 6]


def test_an_html_page_or_a_failed_answer_is_retried():
    stats = HarvestStats()
    with Catalogue(_catalogue()[:4], garbled={0: 1, 2: 2}) as remote:
        raw = list(iter_remote(remote.url, rows=2, stats=stats, sleep=lambda s: None))
    assert [r.data["id"] for r in raw] == ["pkg-0", "pkg-1", "pkg-2"]
    assert stats.retries == 3 and stats.without_consent == 1


def test_harvest_does_not_retry_a_client_error():
    with Catalogue(_catalogue()) as remote:
        with pytest.raises(HarvestError) as exc:
            list(iter_remote(remote.url + "/nowhere", rows=2, sleep=lambda s: None))
    assert "404" in str(exc.value)


def test_consent_rule():
    assert consented({"data_category": "ข้อมูลสาธารณะ"})
    assert not consented({"data_category": "ข้อมูลสาธารณะ", "private": True})
    assert consented({"data_category": "ข้อมูลสาธารณะ", "private": True, "allow_harvest": "True"})
    assert not consented({"data_category": "ข้อมูลความมั่นคง", "allow_harvest": "False"})
    consent_in_extras = [{"key": "allow_harvest", "value": "1"}]
    assert consented({"data_category": "ข้อมูลความมั่นคง", "extras": consent_in_extras})
    assert not consented({"data_category": "ลับเฉพาะ"})                  # unrecognised: treated as sensitive
    assert consented({})                                                # no category: validation rejects it
    assert not consented({}, {"data_category": "personal"})
    assert consented({}, {"data_category": "public"})


def test_action_url_forms():
    assert action_url("https://data.go.th") == "https://data.go.th/api/3/action/package_search"
    assert action_url("https://data.go.th/api/3/action/") == "https://data.go.th/api/3/action/package_search"
    assert action_url("https://x/api/3/action/package_search") == "https://x/api/3/action/package_search"


def test_a_catalogue_url_is_a_pipeline_source(tmp_path):
    from indexer.sources import read_sources
    from indexer.sources.harvest import state_file_for

    with Catalogue(_catalogue()[:3]) as remote:
        raw = list(read_sources([remote.url], state_dir=str(tmp_path)))
    assert [r.data["id"] for r in raw] == ["pkg-0", "pkg-1", "pkg-2"]
    state = state_file_for(remote.url, tmp_path)
    assert state.name.startswith("harvest-127-0-0-1-") and json.loads(state.read_text())["done"] is True


def test_a_damaged_state_file_starts_over(tmp_path):
    state = tmp_path / "state.json"
    state.write_text("{not json")
    with Catalogue(_catalogue()[:2]) as remote:
        raw = list(iter_remote(remote.url, rows=2, state_path=state, sleep=lambda s: None))
    assert [r.data["id"] for r in raw] == ["pkg-0", "pkg-1"]
    assert json.loads(state.read_text())["done"] is True


def test_a_catalogue_that_does_not_answer_is_retried_then_fatal():
    sleeps, stats = [], HarvestStats()
    with Catalogue([]) as remote:
        url = remote.url
    with pytest.raises(HarvestError) as exc:  # the server is gone: connection refused every time
        list(iter_remote(url, rows=2, retries=2, backoff=0.5, sleep=sleeps.append, stats=stats, timeout=5))
    assert "still failing after 3 attempts" in str(exc.value) and "start=0" in str(exc.value)
    assert sleeps == [0.5, 1.0] and stats.retries == 2


def test_a_busy_answer_and_a_garbled_one_spend_one_budget():
    sleeps, stats = [], HarvestStats()
    with Catalogue(_catalogue()[:2], failures={0: 1}, garbled={0: 1}) as remote:
        raw = list(iter_remote(remote.url, rows=2, backoff=0.5, sleep=sleeps.append, stats=stats))
        assert [r.data["id"] for r in raw] == ["pkg-0", "pkg-1"]
        assert sleeps == [0.5, 1.0] and stats.retries == 2  # 503, then an HTML page, then the page
        remote.failures, remote.garbled = {0: 1}, {0: 1}
        with pytest.raises(HarvestError, match="still failing after 2 attempts"):
            list(iter_remote(remote.url, rows=2, retries=1, sleep=lambda s: None))
