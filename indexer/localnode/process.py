"""Starting, stopping and watching the node process (or every member of a local cluster)."""
from __future__ import annotations

import json
import os
import pwd
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from indexer.localnode import security
from indexer.localnode.config import heap_size, service_user, write_config
from indexer.localnode.distribution import install
from indexer.localnode.java import find_java
from indexer.localnode.layout import NodeError, NodePaths, cluster_paths, members
from indexer.settings import Settings

START_TIMEOUT_S = 180


def pid_of(paths: NodePaths) -> int | None:
    """The pid in the node's pid file while that process lives, else None."""
    try:
        pid = int(paths.pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


def _http_json(paths: NodePaths, path: str, timeout: float = 2.0) -> dict | None:
    """GET ``path`` of the node (as gdc-admin over HTTPS when secure); None when it does not answer."""
    try:
        if paths.secure:
            return security.request(paths, "GET", path, timeout=timeout)
        with urllib.request.urlopen(f"{paths.url}{path}", timeout=timeout) as response:
            return json.loads(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def last_log_lines(paths: NodePaths, count: int = 20) -> str:
    logs = sorted(paths.logs.glob("*.log"), key=lambda p: p.stat().st_mtime) if paths.logs.exists() else []
    stdout = paths.var / "stdout.log"
    lines: list[str] = []
    for path in [p for p in (*logs, stdout) if p.exists()]:
        lines += path.read_text(errors="replace").splitlines()
    return "\n".join(lines[-count:])


def health(paths: NodePaths) -> dict | None:
    return _http_json(paths, "/_cluster/health")


def version(paths: NodePaths) -> str | None:
    nodes = _http_json(paths, "/_nodes/_local?filter_path=nodes.*.version") or {}
    for node in (nodes.get("nodes") or {}).values():
        return node.get("version")
    return None


def _launch(paths: NodePaths, user: str | None, java_home: Path, heap: str) -> subprocess.Popen:
    """Write the node's configuration and start its process (not waiting for it)."""
    if _port_taken(paths.port):
        raise NodeError(f"port {paths.port} on 127.0.0.1 is taken by another process; stop it or set GDC_ES_PORT")
    write_config(paths, user, heap)
    env = {
        "PATH": "/usr/bin:/bin",
        "ES_JAVA_HOME": str(java_home),
        "ES_PATH_CONF": str(paths.conf),
        "ES_TMPDIR": str(paths.var / "tmp"),
        "LANG": "C.UTF-8",
    }
    command = [str(security.node_home(paths) / "bin" / "elasticsearch"), "-p", str(paths.pidfile)]
    as_user = {}
    if user:
        entry = pwd.getpwnam(user)
        as_user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    with (paths.var / "stdout.log").open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=paths.var,
                                stdin=subprocess.DEVNULL, start_new_session=True, **as_user)


def start(paths: NodePaths, timeout: float = START_TIMEOUT_S, nodes: int = 1,
          settings: Settings | None = None, secure: bool = False) -> str:
    """Start the node (or a local cluster of ``nodes``), or do nothing when it already runs.
    Java and heap from ``settings`` (default: read from the environment). ``secure``: HTTPS, users
    and API keys (``localnode.security``); a node once started secure stays so. Returns a one-line message."""
    settings = settings or Settings.from_env()
    secure = secure or paths.secure
    if secure and (nodes > 1 or len(members(paths)) > 1):
        raise NodeError("--secure runs one node only (a local cluster of several stays without security); "
                        "leave out --nodes or use another --var")
    if secure and not paths.secure and pid_of(paths):
        raise NodeError(f"the node in {paths.var} runs without security; stop it first (gdc-es stop), "
                        "then start it with --secure")
    group = cluster_paths(paths, nodes)
    first = group[0]
    if all(pid_of(member) for member in group) and _healthy(first, nodes):
        return f"already running: Elasticsearch {version(first)} at {_urls(group)}" + _keys_line(first, settings)
    java_home = find_java(settings.java_homes)
    install(paths)
    if secure:
        security.prepare(paths, java_home, settings.java_homes)
    user = service_user()
    heap = heap_size(nodes, settings.es_heap)
    processes = {member.port: _launch(member, user, java_home, heap) for member in group if not pid_of(member)}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for member in group:
            process = processes.get(member.port)
            if process is not None and process.poll() is not None:
                for other in group:
                    stop(other)
                raise NodeError(f"Elasticsearch {member.name} exited during start (code {process.returncode}). "
                                "Last log lines:\n" + last_log_lines(member))
        state = _healthy(first, nodes)
        if state:
            where = _urls(group)
            size = f", {nodes} nodes" if nodes > 1 else ""
            return (f"started: Elasticsearch {version(first)} at {where} (health {state['status']}{size})"
                    + _keys_line(first, settings))
        time.sleep(1)
    for member in group:
        stop(member)
    raise NodeError(f"Elasticsearch did not become healthy within {timeout:.0f} s. Last log lines:\n"
                    + last_log_lines(first))


def _keys_line(paths: NodePaths, settings: Settings) -> str:
    """For a secure node: its API keys for the portal and the indexer, made sure of now."""
    if not paths.secure:
        return ""
    try:
        files = security.ensure_api_keys(paths, settings.index)
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        raise NodeError(f"the node runs but its API keys could not be made: {exc}") from exc
    return f"; secured (CA {security.ca_certificate(paths)}), keys for {settings.index} in " + \
        ", ".join(str(path) for path in files)


def _urls(group: list[NodePaths]) -> str:
    return ",".join(member.url for member in group)


def _healthy(paths: NodePaths, nodes: int) -> dict | None:
    """Cluster health once every member has joined and the cluster serves (green or yellow)."""
    state = health(paths)
    if state and state.get("status") in ("green", "yellow") and state.get("number_of_nodes", 0) >= nodes:
        return state
    return None


def stop_one(paths: NodePaths, timeout: float = 60) -> str:
    pid = pid_of(paths)
    if pid is None:
        return "not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_of(paths):
        time.sleep(0.5)
    if pid_of(paths):
        os.kill(pid, signal.SIGKILL)
    paths.pidfile.unlink(missing_ok=True)
    return f"stopped (pid {pid})"


def stop(paths: NodePaths, timeout: float = 60) -> str:
    """Stop the node, or every member of the local cluster kept in ``paths.var``."""
    group = members(paths)
    if len(group) == 1:
        return stop_one(paths, timeout)
    return "; ".join(f"{member.name} {stop_one(member, timeout)}" for member in group)


def status(paths: NodePaths) -> tuple[bool, str]:
    group = members(paths)
    pids = [pid for pid in (pid_of(member) for member in group) if pid]
    state = next(filter(None, (health(member) for member in group)), None)
    if state is None:
        return False, "stopped" if not pids else f"starting or unresponsive (pid {', '.join(map(str, pids))})"
    first = next(member for member in group if health(member))
    owner = f"pid {', '.join(map(str, pids))}" if pids else "not started by gdc-es"
    size = f", {state.get('number_of_nodes')} of {len(group)} nodes" if len(group) > 1 else ""
    secured = f"; secured: keys in {security.security_dir(first)}" if first.secure else ""
    return True, (f"running: Elasticsearch {version(first)} at {_urls(group)}, "
                  f"health {state.get('status')}{size} ({owner}){secured}")
