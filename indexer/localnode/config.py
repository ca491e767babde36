"""A node's configuration: the service user it runs as, its heap, and the files under ``var/es/config``
(bound to 127.0.0.1; security off — for this local node only — unless started with ``--secure``)."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from indexer.localnode.distribution import server_home
from indexer.localnode.layout import NodeError, NodePaths
from indexer.localnode.security import elasticsearch_yml

SERVICE_USER = "gdc-es"
CLUSTER_NAME = "gdcatalog-local"


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
        shutil.copy2(server_home(paths) / "config" / name, paths.conf / name)
    (paths.conf / "jvm.options.d").mkdir(exist_ok=True)
    heap = heap or heap_size()
    (paths.conf / "jvm.options.d" / "heap.options").write_text(f"-Xms{heap}\n-Xmx{heap}\n")
    (paths.conf / "elasticsearch.yml").write_text(
        "# Written by gdc-es: a local development node (security off unless started with --secure).\n"
        f"cluster.name: {CLUSTER_NAME}\n"
        f"node.name: {paths.name}\n"
        "network.host: 127.0.0.1\n"
        f"http.port: {paths.port}\n"
        f"transport.port: {paths.transport_port}\n"
        + _discovery(paths) + elasticsearch_yml(paths) +
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


