"""What ``bench/search_load.py`` and ``bench/soak.py`` share: the 100k index, the request mix, the
HTTP load loop, ``make serve`` under the benchmark, and the figures.

The index is built from the indexer benchmark's generator (``bench/index_throughput.generate_corpus``,
seeded: every run gets the same corpus) under the open-data declaration, plus a 2 % share of
sensitive records (synthetic, after ``data/sample-sensitive.jsonl``) so that signed-in analyst
queries have something their grants uncover. An alias already holding the expected count is reused.
"""
from __future__ import annotations

import http.client
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from elasticsearch import Elasticsearch  # noqa: E402

from index_throughput import OPEN_DATA_DECLARATION, generate_corpus  # noqa: E402
from indexer import rebuild  # noqa: E402
from indexer.rebuild import Options  # noqa: E402

SENSITIVE_TEMPLATE = PROJECT_ROOT / "data" / "sample-sensitive.jsonl"
ANALYST = "bench-analyst"
SENSITIVE_SHARE = 0.02


# --- the index ----------------------------------------------------------------------------------------

def _sensitive_records(corpus: Path, count: int, seed: int = 12) -> list[dict]:
    """``count`` sensitive records (consenting agencies) with real titles and descriptions."""
    with SENSITIVE_TEMPLATE.open(encoding="utf-8") as lines:
        templates = [t for t in map(json.loads, lines) if t.get("allow_harvest") == "true"]
    with corpus.open(encoding="utf-8") as lines:
        texts = [json.loads(line) for _, line in zip(range(count * 2), lines)]
    rng = random.Random(seed)
    out = []
    for i in range(count):
        template, text = templates[i % len(templates)], rng.choice(texts)
        out.append({**template, "id": f"bench-sensitive-{i:05d}", "name": f"bench-sensitive-{i:05d}",
                    "title": f"{text['title']} (ตัวอย่างสมมติ)",
                    "notes": text["summary"] or template["notes"]})
    return out


def ensure_index(es: Elasticsearch, alias: str, records: int) -> int:
    """The alias with ``records`` open and 2 % more sensitive records: reused when already there."""
    sensitive = int(records * SENSITIVE_SHARE)
    expected = records + sensitive
    if es.indices.exists_alias(name=alias) and es.count(index=alias)["count"] == expected:
        return expected
    started = time.monotonic()
    print(f"building {alias}: {records:,} open + {sensitive:,} sensitive records …", flush=True)
    with tempfile.TemporaryDirectory(prefix="gdc-load-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        generate_corpus(corpus, records)
        summary = rebuild.rebuild(es, alias, [corpus], declarations=[OPEN_DATA_DECLARATION],
                                  options=Options())
        print("\n".join(summary.lines()), flush=True)
        secret = Path(tmp) / "sensitive.jsonl"
        secret.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                  for r in _sensitive_records(corpus, sensitive)), encoding="utf-8")
        summary = rebuild.load(es, alias, [secret], options=Options(workers=0))
        print("\n".join(summary.lines()), flush=True)
    es.indices.refresh(index=alias)
    count = es.count(index=alias)["count"]
    print(f"index ready: {count:,} documents in {time.monotonic() - started:.0f} s", flush=True)
    return count


# --- HTTP load -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    """One request: method, path (with query string), body (bytes or None) and headers."""

    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    kind: str = "search"


@dataclass
class Cell:
    """The figures of one (target, concurrency) run."""

    target: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at the start and the end

    def add(self, other: "Cell") -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.error_samples = (self.error_samples + other.error_samples)[:5]
        self.seconds += other.seconds
        self.load = (max(self.load[0], other.load[0]), max(self.load[1], other.load[1]))

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))] * 1000


def run_load(base_url: str, calls: list[Call], concurrency: int, seconds: float, target: str,
             ok: Callable[[int, bytes], bool] = lambda status, body: status == 200,
             offset: int = 0, pace: float | None = None) -> Cell:
    """``concurrency`` closed-loop clients replay ``calls`` (each client from its own offset) for
    ``seconds``; with ``pace`` (requests/s over all clients) each client waits for its next slot."""
    url = urlsplit(base_url)
    cell = Cell(target, concurrency)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        latencies, errors, samples = [], 0, []
        i = offset + n * 7919
        interval = concurrency / pace if pace else 0.0
        next_at = time.monotonic() + (n / pace if pace else 0.0)
        while True:
            if pace:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at += interval
            if time.monotonic() >= stop_at:
                break
            call = calls[i % len(calls)]
            i += 1
            started = time.perf_counter()
            for attempt in (1, 2):
                reused = conn.sock is not None
                try:
                    conn.request(call.method, call.path, body=call.body, headers=dict(call.headers))
                    response = conn.getresponse()
                    body = response.read()
                    good = ok(response.status, body)
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
                    break
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    good, body, response = False, str(exc).encode(), None
                    # A kept-alive connection the server closed while idle: send again on a new one,
                    # as browsers and HTTP libraries do. A fresh connection's failure is an error.
                    if not (reused and attempt == 1):
                        break
            elapsed = time.perf_counter() - started
            if good:
                latencies.append(elapsed)
            else:
                errors += 1
                status = response.status if response is not None else "exception"
                if len(samples) < 3:
                    samples.append(f"{status} {call.method} {call.path[:80]}: {body[:160]!r}")
        conn.close()
        with lock:
            cell.latencies.extend(latencies)
            cell.errors += errors
            cell.error_samples = (cell.error_samples + samples)[:5]

    load_before = os.getloadavg()[0]
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cell.seconds = time.monotonic() - started
    cell.load = (load_before, os.getloadavg()[0])
    return cell


# --- make serve under the benchmark -----------------------------------------------------------------------

def serve_env(es_url: str, alias: str, port: int, var: Path) -> dict[str, str]:
    """The ``GDC_*`` settings ``make serve`` runs with under a benchmark: state in ``var``, loopback only."""
    return {"GDC_ES_URL": es_url, "GDC_INDEX": alias, "GDC_PORT": str(port),
            "GDC_HOST": "127.0.0.1", "GDC_VAR_DIR": str(var), "GDC_AUTH_DB": str(var / "auth.sqlite3"),
            "GDC_AUDIT_LOG": str(var / "audit.jsonl"), "GDC_ACCESS_LOG": str(var / "access.log"),
            "GDC_SECRET_KEY": "benchmark",
            # Far above what the benchmarks send, so the limiter runs (and costs) but never refuses.
            "GDC_RATE_LIMIT_ANONYMOUS": "100000000", "GDC_RATE_LIMIT_SIGNED_IN": "100000000"}


class Server:
    """``make serve`` on a loopback port, in its own process group; stopped with SIGTERM on exit."""

    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port, self.env, self.log = port, env, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        with self.log.open("w") as out:
            self.process = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=PROJECT_ROOT,
                                            env={**os.environ, **self.env}, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make serve exited:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"make serve did not become ready:\n{self.log.read_text()}")

    def __exit__(self, *exc_info) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(60)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def pids(self) -> list[int]:
        """gunicorn's master and workers (every process of the group but make and its shell)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            pgid = int(stat.rsplit(")", 1)[1].split()[2])
            if self.process and pgid == self.process.pid and b"portal.serve" in cmdline:
                found.append(int(entry))
        return found

    def rss_mib(self) -> float:
        """Resident memory of gunicorn's master and workers together."""
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total / 1024


def bench_account(auth_db: Path) -> str:
    """An analyst whose grant covers every sensitive category up to ลับมาก (level 4); returns a token."""
    from portal.auth.store import AccountStore
    from portal.auth.principal import SENSITIVE_CATEGORIES

    store = AccountStore(auth_db)
    if store.account(ANALYST) is None:
        store.add_account(ANALYST, "analyst", None)
        store.add_grant(ANALYST, set(SENSITIVE_CATEGORIES), 4)
    secret, _ = store.create_token(ANALYST, days=1, label="benchmark")
    return secret


def analyst_principal(auth_db: Path):
    from portal.auth.store import AccountStore

    return AccountStore(auth_db).principal_for(ANALYST)


def query_string(params: dict[str, list[str] | str]) -> str:
    return urlencode([(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)])
