"""Real servers for fault tests: the portal as its own process, and a node that never answers.

``HangingSocket`` accepts connections and never replies (an overloaded node, a long GC pause, a
network partition). ``PortalProcess`` runs ``python -m portal`` with the given ``GDC_*`` settings
and stops it again. Both listen on 127.0.0.1 only.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port nothing listens on now (the system's choice: two test runs never collide)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HangingSocket:
    """Accepts every connection on ``port`` (0: a free one) and holds it open, silent, until closed."""

    def __init__(self, port: int = 0) -> None:
        self._server = socket.create_server(("127.0.0.1", port), backlog=256)
        self.port = self._server.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self._held.append(conn)

    def __enter__(self) -> "HangingSocket":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in [self._server, *self._held]:
            conn.close()

    @property
    def connections(self) -> int:
        return len(self._held)


@dataclass
class Answer:
    status: int
    body: str
    seconds: float
    content_type: str = ""


def fetch(url: str, timeout: float = 30.0, headers: dict | None = None) -> Answer:
    """GET ``url``; any HTTP status is an answer (never raised), with the time it took."""
    started = time.monotonic()
    url = urllib.parse.quote(url, safe=":/?&=%#")
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        status, body, kind = exc.code, exc.read(), exc.headers.get("Content-Type", "")
    return Answer(status, body.decode("utf-8", "replace"), time.monotonic() - started, kind)


# How each server is started: ``make run``'s waitress (one process, 8 threads) and ``make serve``'s
# gunicorn (here one worker × 8 threads: the same 8 requests at once, and a warm-up request that
# loads the Thai dictionaries reaches the only worker).
SERVERS = {
    "waitress": ([sys.executable, "-m", "portal"], {}),
    "gunicorn": ([sys.executable, "-m", "portal.serve"],
                 {"GDC_WORKERS": "1", "GDC_THREADS": "8", "GDC_REQUEST_TIMEOUT": "10", "GDC_ACCESS_LOG": "off"}),
}


class PortalProcess:
    """The portal served by ``server`` (see ``SERVERS``) on ``port`` (None: a free one), with ``env`` added to ours."""

    def __init__(self, port: int | None, env: dict[str, str], var_dir: Path, server: str = "waitress") -> None:
        self.port = port or free_port()
        self.command, server_env = SERVERS[server]
        self.env = {**os.environ, "GDC_PORT": str(self.port), "GDC_HOST": "127.0.0.1",
                    "GDC_VAR_DIR": str(var_dir), "GDC_SECRET_KEY": "fault-test",
                    "GDC_RATE_LIMIT_ANONYMOUS": "0", **server_env, **env}
        self.log = var_dir / f"portal-{port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "PortalProcess":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.command, env=self.env, cwd=PROJECT_ROOT,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"portal exited ({self.process.returncode}): {self.log.read_text()[-2000:]}")
            try:
                if fetch(f"{self.url}/healthz", timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"portal did not answer /healthz within 60 s: {self.log.read_text()[-2000:]}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")
