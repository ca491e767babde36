"""``gdc-es``: a local Elasticsearch node (or a small local cluster) for development, demos and tests.

The server is Elastic's ``integ-test-zip`` distribution from Maven Central, fetched with Maven,
checked against a pinned SHA-512, unpacked once into a cache outside the work tree and run as a
dedicated non-root user (Elasticsearch refuses to run as root), bound to 127.0.0.1 with security
off — for this local node only. Data, logs and configuration live under ``var/es/``.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from indexer.settings import PROJECT_ROOT, Settings

ES_VERSION = "9.5.4"
ES_ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
# Maven Central publishes no checksum file beside the 9.x integ-test zips (only 8.x have .sha1), so
# the SHA-512 of the artifact as downloaded from Maven Central on 2026-11-25 is pinned here; when a
# published .sha1 exists Maven verifies it as well (checksum policy "fail" is used in that case).
ES_SHA512 = (
    "a75df614854ace52dd0bce977662b3792873ac077ec0af9026cd0b2a0eb119e4"
    "49910f8eb8ed577d1a83c51c6ee6af71bf5004c3cf5b418c979186de8b5dd9e6"
)
MIN_JAVA = 21
SERVICE_USER = "gdc-es"
CLUSTER_NAME = "gdcatalog-local"
START_TIMEOUT_S = 180


class NodeError(RuntimeError):
    """A problem the operator can act on; printed as one line."""


@dataclass(frozen=True)
class NodePaths:
    cache: Path
    var: Path
    port: int
    # A member of a local cluster: its name and every member's transport port (empty: single node).
    name: str = "gdc-local"
    seeds: tuple[int, ...] = ()
    # Snapshot repositories (``path.repo``); one directory shared by every member of a cluster.
    repo: Path | None = None

    @property
    def home(self) -> Path:
        return self.cache / f"elasticsearch-{ES_VERSION}"

    @property
    def conf(self) -> Path:
        return self.var / "config"

    @property
    def pidfile(self) -> Path:
        return self.var / "elasticsearch.pid"

    @property
    def logs(self) -> Path:
        return self.var / "logs"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def transport_port(self) -> int:
        return self.port + 100

    @property
    def snapshots(self) -> Path:
        return self.repo or self.var / "snapshots"


def default_paths(port: int | None = None, var: Path | None = None,
                  settings: Settings | None = None) -> NodePaths:
    """Cache in ``settings.cache_dir`` (``GDC_CACHE_DIR``) or ``~/.cache/gdcatalog``
    (``/var/cache/gdcatalog`` for root, whose home the service user cannot enter); node state in
    ``var/es``; the port ``settings.es_port`` (``GDC_ES_PORT``) unless given."""
    settings = settings or Settings.from_env()
    cache = settings.cache_dir
    if cache is None:
        cache = Path("/var/cache/gdcatalog") if os.geteuid() == 0 else Path.home() / ".cache" / "gdcatalog"
    port = port or settings.es_port
    return NodePaths(cache=cache, var=(var or PROJECT_ROOT / "var" / "es").absolute(), port=port)


# --- Java -----------------------------------------------------------------------------------

def _java_major(java: Path) -> int | None:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


def find_java(homes: Iterable[str] = (), jvm_dir: Path = Path("/usr/lib/jvm")) -> Path:
    """A Java home with Java 21+: ``homes`` (``Settings.java_homes``: ``GDC_ES_JAVA_HOME``,
    ``ES_JAVA_HOME``, ``JAVA_HOME``), then those in ``jvm_dir``."""
    candidates = list(homes)
    if jvm_dir.is_dir():
        candidates += [str(p) for p in sorted(jvm_dir.iterdir(), reverse=True)]
    seen: list[str] = []
    for home in filter(None, candidates):
        java = Path(home) / "bin" / "java"
        if not java.exists():
            continue
        major = _java_major(java)
        if major is not None and major >= MIN_JAVA:
            return Path(home)
        seen.append(f"{home} (Java {major})")
    found = ", ".join(seen) or "no Java at all"
    raise NodeError(
        f"Elasticsearch {ES_VERSION} needs Java {MIN_JAVA} or newer; found {found}. "
        f"Install a JDK {MIN_JAVA}+ or set GDC_ES_JAVA_HOME."
    )


# --- Download and unpack ----------------------------------------------------------------------

def _sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_distribution(paths: NodePaths) -> Path:
    """Download the zip with Maven into the cache's own local repository and verify it."""
    if shutil.which("mvn") is None:
        raise NodeError("Maven (mvn) is needed to fetch Elasticsearch from Maven Central; install it (apt-get install maven).")
    repo = paths.cache / "m2"
    zip_path = repo / "org/elasticsearch/distribution/integ-test-zip/elasticsearch" / ES_VERSION / f"elasticsearch-{ES_VERSION}.zip"
    if not zip_path.exists():
        print(f"gdc-es: downloading Elasticsearch {ES_VERSION} from Maven Central …", flush=True)
        cmd = ["mvn", "-q", "-B", f"-Dmaven.repo.local={repo}", "dependency:get",
               f"-Dartifact={ES_ARTIFACT}", "-Dtransitive=false"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0 or not zip_path.exists():
            tail = " ".join((done.stdout + done.stderr).split()[-40:])
            raise NodeError(f"download of {ES_ARTIFACT} from Maven Central failed: {tail}")
    actual = _sha512(zip_path)
    if actual != ES_SHA512:
        zip_path.unlink()
        raise NodeError(f"checksum mismatch for {zip_path.name}: expected SHA-512 {ES_SHA512[:16]}…, got {actual[:16]}…; the file was removed")
    return zip_path


def _unpack(zip_path: Path, paths: NodePaths) -> None:
    staging = paths.cache / f".unpack-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            archive.extract(info, staging)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(staging / info.filename, mode)
    (staging / paths.home.name).rename(paths.home)
    staging.rmdir()


def install(paths: NodePaths) -> Path:
    """The unpacked server in the cache, fetching and unpacking it the first time."""
    if (paths.home / "bin" / "elasticsearch").exists():
        return paths.home
    paths.cache.mkdir(parents=True, exist_ok=True)
    _unpack(fetch_distribution(paths), paths)
    for directory in (paths.cache, paths.home):
        directory.chmod(0o755)
    return paths.home


# --- Service user and configuration -------------------------------------------------------------

def service_user() -> str | None:
    """The user the node runs as: ``gdc-es`` (created when we are root), else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        done = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise NodeError(f"could not create the service user {SERVICE_USER}: {done.stderr.strip()}")
    return SERVICE_USER


def heap_size(nodes: int = 1, configured: str | None = None) -> str:
    """``configured`` (``GDC_ES_HEAP``), else for a 2-core / 24 GB machine: 2 GB leaves room for the
    portal, indexer and browser; each member of a local cluster gets 512 MB so that three fit beside
    everything else."""
    return configured or ("2g" if nodes == 1 else "512m")


def cluster_paths(paths: NodePaths, nodes: int) -> list[NodePaths]:
    """The members of a local cluster of ``nodes``: HTTP ports ``port``…``port+nodes-1`` (transport
    +100), state in ``var/node-<i>``, one snapshot directory. One node is ``paths`` itself."""
    if nodes < 1:
        raise NodeError(f"--nodes must be at least 1, got {nodes}")
    if nodes == 1:
        return [paths]
    seeds = tuple(paths.port + 100 + i for i in range(nodes))
    return [NodePaths(cache=paths.cache, var=paths.var / f"node-{i}", port=paths.port + i,
                      name=f"gdc-node-{i}", seeds=seeds, repo=paths.var / "snapshots")
            for i in range(nodes)]


def members(paths: NodePaths) -> list[NodePaths]:
    """What ``paths`` manages now: the cluster members whose state directories exist, else itself."""
    found = sorted(paths.var.glob("node-*/config/elasticsearch.yml")) if paths.var.exists() else []
    return cluster_paths(paths, len(found)) if len(found) > 1 else [paths]


def _discovery(paths: NodePaths) -> str:
    if not paths.seeds:
        return "discovery.type: single-node\n"
    hosts = ", ".join(f'"127.0.0.1:{port}"' for port in paths.seeds)
    names = ", ".join(f'"gdc-node-{i}"' for i in range(len(paths.seeds)))
    return f"discovery.seed_hosts: [{hosts}]\ncluster.initial_master_nodes: [{names}]\n"


def _let_user_traverse(directory: Path) -> None:
    """The service user must reach ``var/es`` even in a private checkout (e.g. under ``mktemp -d``):
    add search permission (x, never read) for others on each ancestor that lacks it."""
    for ancestor in [directory, *directory.parents]:
        mode = ancestor.stat().st_mode
        if not mode & 0o001:
            ancestor.chmod(mode | 0o001)


def write_config(paths: NodePaths, user: str | None, heap: str | None = None) -> None:
    for directory in (paths.var, paths.conf, paths.logs, paths.var / "data", paths.var / "tmp", paths.snapshots):
        directory.mkdir(parents=True, exist_ok=True)
    for name in ("jvm.options", "log4j2.properties"):
        shutil.copy2(paths.home / "config" / name, paths.conf / name)
    (paths.conf / "jvm.options.d").mkdir(exist_ok=True)
    heap = heap or heap_size()
    (paths.conf / "jvm.options.d" / "heap.options").write_text(f"-Xms{heap}\n-Xmx{heap}\n")
    (paths.conf / "elasticsearch.yml").write_text(
        "# Written by gdc-es: a local development node. Security is off for THIS node only.\n"
        f"cluster.name: {CLUSTER_NAME}\n"
        f"node.name: {paths.name}\n"
        "network.host: 127.0.0.1\n"
        f"http.port: {paths.port}\n"
        f"transport.port: {paths.transport_port}\n"
        + _discovery(paths) +
        "xpack.security.enabled: false\n"
        f"path.data: {paths.var / 'data'}\n"
        f"path.logs: {paths.logs}\n"
        f"path.repo: [{paths.snapshots}]\n"
        "cluster.routing.allocation.disk.threshold_enabled: false\n"
    )
    if user:
        _let_user_traverse(paths.var)
        entry = pwd.getpwnam(user)
        os.chown(paths.snapshots, entry.pw_uid, entry.pw_gid)
        for root, dirs, files in os.walk(paths.var):
            for name in [root, *(os.path.join(root, d) for d in dirs), *(os.path.join(root, f) for f in files)]:
                os.chown(name, entry.pw_uid, entry.pw_gid)


# --- Process control ----------------------------------------------------------------------------

def _pid(paths: NodePaths) -> int | None:
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


def _http_json(url: str, timeout: float = 2.0) -> dict | None:
    import json

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
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
    return _http_json(f"{paths.url}/_cluster/health")


def version(paths: NodePaths) -> str | None:
    nodes = _http_json(f"{paths.url}/_nodes/_local?filter_path=nodes.*.version") or {}
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
    command = [str(paths.home / "bin" / "elasticsearch"), "-p", str(paths.pidfile)]
    as_user = {}
    if user:
        entry = pwd.getpwnam(user)
        as_user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    with (paths.var / "stdout.log").open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=paths.var,
                                stdin=subprocess.DEVNULL, start_new_session=True, **as_user)


def start(paths: NodePaths, timeout: float = START_TIMEOUT_S, nodes: int = 1,
          settings: Settings | None = None) -> str:
    """Start the node (or a local cluster of ``nodes``), or do nothing when it already runs.
    Java and heap from ``settings`` (default: read from the environment). Returns a one-line message."""
    settings = settings or Settings.from_env()
    group = cluster_paths(paths, nodes)
    first = group[0]
    if all(_pid(member) for member in group) and _healthy(first, nodes):
        return f"already running: Elasticsearch {version(first)} at {_urls(group)}"
    java_home = find_java(settings.java_homes)
    install(paths)
    user = service_user()
    heap = heap_size(nodes, settings.es_heap)
    processes = {member.port: _launch(member, user, java_home, heap) for member in group if not _pid(member)}
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
            return f"started: Elasticsearch {version(first)} at {where} (health {state['status']}{size})"
        time.sleep(1)
    for member in group:
        stop(member)
    raise NodeError(f"Elasticsearch did not become healthy within {timeout:.0f} s. Last log lines:\n"
                    + last_log_lines(first))


def _urls(group: list[NodePaths]) -> str:
    return ",".join(member.url for member in group)


def _healthy(paths: NodePaths, nodes: int) -> dict | None:
    """Cluster health once every member has joined and the cluster serves (green or yellow)."""
    state = health(paths)
    if state and state.get("status") in ("green", "yellow") and state.get("number_of_nodes", 0) >= nodes:
        return state
    return None


def stop_one(paths: NodePaths, timeout: float = 60) -> str:
    pid = _pid(paths)
    if pid is None:
        return "not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid(paths):
        time.sleep(0.5)
    if _pid(paths):
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
    pids = [pid for pid in (_pid(member) for member in group) if pid]
    state = next(filter(None, (health(member) for member in group)), None)
    if state is None:
        return False, "stopped" if not pids else f"starting or unresponsive (pid {', '.join(map(str, pids))})"
    first = next(member for member in group if health(member))
    owner = f"pid {', '.join(map(str, pids))}" if pids else "not started by gdc-es"
    size = f", {state.get('number_of_nodes')} of {len(group)} nodes" if len(group) > 1 else ""
    return True, (f"running: Elasticsearch {version(first)} at {_urls(group)}, "
                  f"health {state.get('status')}{size} ({owner})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gdc-es", description="Manage the local Elasticsearch node.")
    parser.add_argument("command", choices=["start", "stop", "status", "logs", "install"])
    parser.add_argument("--port", type=int, help="HTTP port (default $GDC_ES_PORT or 9200)")
    parser.add_argument("--var", type=Path, help="node state directory (default var/es)")
    parser.add_argument("-n", "--lines", type=int, default=50, help="log lines to show")
    parser.add_argument("--nodes", type=int, default=1,
                        help="start a local cluster of this many nodes on consecutive ports (default 1)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    paths = default_paths(args.port, args.var, settings)
    try:
        if args.command == "start":
            print(f"gdc-es: {start(paths, nodes=args.nodes, settings=settings)}")
        elif args.command == "stop":
            print(f"gdc-es: {stop(paths)}")
        elif args.command == "status":
            running, message = status(paths)
            print(f"gdc-es: {message}")
            return 0 if running else 3
        elif args.command == "logs":
            print("\n".join(last_log_lines(member, args.lines) for member in members(paths)))
        else:
            print(f"gdc-es: installed in {install(paths)}")
    except NodeError as exc:
        print(f"gdc-es: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
