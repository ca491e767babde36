"""Backups: snapshots of the indices behind the alias into a filesystem repository, and restore.

A filesystem repository lives in a directory every node lists in ``path.repo`` (``gdc-es`` sets
``var/es/snapshots``; a cluster's nodes must share it, e.g. over NFS). A snapshot holds the physical
indices behind the alias, never the lock index or other tenants' indices. Restore brings those
indices back under new names (``<alias>-v<n>-<now>``) and then moves the alias to them in one atomic
call, so a portal keeps serving the old index until the restored one is complete; the old index is
left as an orphan for ``gdc-index cleanup``.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from elasticsearch import Elasticsearch

from indexer import indices, mapping

REPOSITORY = "gdc-backups"
# Relative to the first ``path.repo`` directory of the nodes.
LOCATION = "gdcatalog"


class SnapshotError(RuntimeError):
    """A backup or restore the operator must act on; the message says what to do."""


def ensure_repository(es: Elasticsearch, name: str = REPOSITORY, location: str = LOCATION,
                      readonly: bool = False) -> None:
    """Register (or re-register) the filesystem repository ``name`` at ``location``."""
    try:
        es.snapshot.create_repository(name=name, repository={
            "type": "fs", "settings": {"location": location, "readonly": readonly}})
    except Exception as exc:  # noqa: BLE001 - the node's reason is the useful part
        reason = getattr(exc, "message", None) or str(exc)
        if getattr(getattr(exc, "meta", None), "status", None) == 403:
            raise SnapshotError(
                f"GDC_ES_API_KEY may not register the snapshot repository {name} (403): the key needs the "
                "cluster privilege cluster:admin/repository/put (and create_snapshot; restore: "
                "cluster:admin/snapshot/restore), see docs/OPERATIONS.md / คีย์ไม่มีสิทธิ์ลงทะเบียนที่เก็บสแนปชอต") from exc
        raise SnapshotError(
            f"snapshot repository {name} at {location!r} cannot be used: {reason}. Every node needs the "
            f"directory in path.repo (gdc-es sets var/es/snapshots) / ใช้ที่เก็บสแนปชอตไม่ได้") from exc


def snapshot(es: Elasticsearch, alias: str, name: str | None = None, repository: str = REPOSITORY) -> dict:
    """Snapshot the indices behind ``alias``; returns ``{"snapshot", "indices", "documents"}``."""
    behind = indices.indices_behind(es, alias)
    if not behind:
        raise SnapshotError(f"alias {alias} is missing: nothing to back up / ไม่มีดัชนีให้สำรอง")
    name = name or f"{alias}-{datetime.now(timezone.utc).strftime('%Y%m%dt%H%M%S%f')}".lower()
    documents = es.count(index=alias)["count"]
    answer = es.snapshot.create(repository=repository, snapshot=name, indices=",".join(behind),
                                include_global_state=False, wait_for_completion=True,
                                metadata={"alias": alias, "documents": documents})
    state = answer["snapshot"]
    if state.get("state") != "SUCCESS" or state.get("shards", {}).get("failed"):
        raise SnapshotError(f"snapshot {name} ended {state.get('state')}: {state.get('failures')}")
    return {"snapshot": name, "indices": behind, "documents": documents}


def list_snapshots(es: Elasticsearch, alias: str, repository: str = REPOSITORY) -> list[dict]:
    """The repository's snapshots of ``alias``, oldest first."""
    answer = es.snapshot.get(repository=repository, snapshot="_all")
    own = [s for s in answer["snapshots"] if (s.get("metadata") or {}).get("alias") == alias]
    return sorted(own, key=lambda s: s.get("start_time_in_millis", 0))


def restore(es: Elasticsearch, alias: str, name: str = "latest", repository: str = REPOSITORY) -> dict:
    """Restore snapshot ``name`` (default: the newest of ``alias``) and point ``alias`` at it."""
    known = list_snapshots(es, alias, repository)
    if name == "latest":
        if not known:
            raise SnapshotError(f"repository {repository} holds no snapshot of {alias} / ไม่มีสแนปชอต")
        chosen = known[-1]
    else:
        chosen = next((s for s in known if s["snapshot"] == name), None)
        if chosen is None:
            raise SnapshotError(f"no snapshot {name} of {alias} in {repository} / ไม่พบสแนปชอต {name}")
    pattern = mapping.physical_index_pattern(alias)
    saved = [index for index in chosen["indices"] if pattern.match(index)]
    if not saved:
        raise SnapshotError(f"snapshot {chosen['snapshot']} holds no index of {alias}")
    restored = []
    partitions: dict[str, str] = {}
    stamp = datetime.now(timezone.utc).strftime('%Y%m%d%H%M%S%f')
    try:
        for index in saved:
            # Under a new name: the serving index (perhaps the very one saved) keeps serving meanwhile.
            match = pattern.match(index)
            target = _fresh_name(alias, match.group(1), stamp, match.group(3))
            es.snapshot.restore(repository=repository, snapshot=chosen["snapshot"], indices=index,
                                rename_pattern=re.escape(index), rename_replacement=target,
                                include_aliases=False, include_global_state=False, wait_for_completion=True)
            restored.append(target)
            if match.group(3):
                partitions[match.group(3)] = target
            es.cluster.health(index=target, wait_for_status="yellow", timeout="60s")
        es.indices.refresh(index=",".join(restored))
        if set(partitions) == set(mapping.PARTITIONS):
            # Both aliases (the whole catalogue and its open twin) move in one atomic call.
            previous = indices.swap_alias(es, alias, partitions)
        else:
            previous = _swap_all(es, alias, restored)
    except Exception:
        for target in restored:
            es.options(ignore_status=404).indices.delete(index=target)
        raise
    return {"snapshot": chosen["snapshot"], "indices": restored, "previous": previous,
            "documents": es.count(index=alias)["count"],
            "expected": (chosen.get("metadata") or {}).get("documents")}


def _fresh_name(alias: str, version: str, stamp: str, partition: str | None = None) -> str:
    """A physical index name like the indexer's own (partition kept), with a new 20-digit timestamp."""
    build = f"{alias}-v{version}-{stamp}"
    return mapping.partition_index_name(build, partition) if partition else build


def _swap_all(es: Elasticsearch, alias: str, wanted: list[str]) -> list[str]:
    previous = [name for name in indices.indices_behind(es, alias) if name not in wanted]
    actions = [{"remove": {"index": name, "alias": alias}} for name in previous]
    actions += [{"add": {"index": name, "alias": alias}} for name in wanted]
    es.indices.update_aliases(actions=actions)
    return previous
