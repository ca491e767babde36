"""Where a local node lives: its cache, state directory and ports (one node, or one member of a
local cluster: ``cluster_paths``), and the error every part of ``gdc-es`` reports problems with."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from indexer.settings import PROJECT_ROOT, Settings


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
    def conf(self) -> Path:
        return self.var / "config"

    @property
    def pidfile(self) -> Path:
        return self.var / "elasticsearch.pid"

    @property
    def logs(self) -> Path:
        return self.var / "logs"

    @property
    def secure(self) -> bool:
        """Started with ``gdc-es start --secure`` (HTTPS, users, API keys: ``localnode.security``)."""
        return (self.var / "security" / "ca.crt").exists()

    @property
    def url(self) -> str:
        return f"{'https' if self.secure else 'http'}://127.0.0.1:{self.port}"

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


