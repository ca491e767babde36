"""Physical indices and the alias: names, creation, the atomic swap, orphans, scans.

The portal reads only the alias; ``indexer.rebuild`` decides when these run.
"""
from __future__ import annotations

import logging
from typing import Iterator

from elasticsearch import Elasticsearch, NotFoundError

from analyzers import dictionary
from indexer import mapping
from indexer.scan import scan

log = logging.getLogger(__name__)

SCAN_PAGE = 5000


class SchemaMismatch(RuntimeError):
    """The live index was built with another ``INDEX_VERSION``: a rebuild is needed."""


def indices_behind(es: Elasticsearch, alias: str) -> list[str]:
    """The physical indices the alias points at now (normally exactly one)."""
    try:
        return sorted(es.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


def physical_indices(es: Elasticsearch, alias: str) -> dict[str, list[str]]:
    """Every ``<alias>-v<n>-<timestamp>`` index → the aliases it carries."""
    try:
        answer = es.indices.get_alias(index=f"{alias}-v*", expand_wildcards="all")
    except NotFoundError:
        return {}
    pattern = mapping.physical_index_pattern(alias)
    return {name: sorted(answer[name].get("aliases", {})) for name in sorted(answer) if pattern.match(name)}


def remove_orphans(es: Elasticsearch, alias: str) -> list[str]:
    """Delete indices left by a failed or killed rebuild (ours, but not behind the alias)."""
    orphans = sorted(name for name, aliases in physical_indices(es, alias).items() if alias not in aliases)
    for name in orphans:
        log.warning("removing orphan index %s", name)
        es.options(ignore_status=404).indices.delete(index=name)
    return orphans


def create_index(es: Elasticsearch, index: str) -> None:
    """A new physical index set up for bulk loading (see ``mapping.settings``)."""
    es.indices.create(index=index, settings=mapping.settings(for_bulk=True), mappings=mapping.mappings())


def finish_index(es: Elasticsearch, index: str) -> None:
    """Serving settings back, one refresh, replicas (if any) allocated."""
    es.indices.put_settings(index=index, settings=mapping.SERVING_SETTINGS)
    es.indices.refresh(index=index)
    es.cluster.health(index=index, wait_for_status="yellow", timeout="60s")


def swap_alias(es: Elasticsearch, alias: str, partitions: dict[str, str]) -> list[str]:
    """Point the alias at the new build's indices and ``<alias>-open`` at its open one, in one atomic
    call; return the indices they left. ``partitions``: partition → physical index."""
    open_alias = mapping.open_alias(alias)
    new = set(partitions.values())
    held = [(name, a) for a in (alias, open_alias) for name in indices_behind(es, a) if name not in new]
    previous = sorted({name for name, _ in held})
    actions: list[dict] = [{"remove": {"index": name, "alias": a}} for name, a in held]
    actions += [{"add": {"index": index, "alias": alias}} for index in sorted(new)]
    actions.append({"add": {"index": partitions[mapping.OPEN_PARTITION], "alias": open_alias}})
    if es.indices.exists(index=alias) and not es.indices.exists_alias(name=alias):
        # A plain index squatting on the alias name (an old setup): replaced in the same call.
        actions.append({"remove_index": {"index": alias}})
    es.indices.update_aliases(actions=actions)
    return previous


def live_index(es: Elasticsearch, alias: str) -> dict[str, str] | None:
    """partition → physical index behind the alias, or ``None`` when there is no alias yet.

    An alias over one unpartitioned index (built before ``INDEX_VERSION`` 2) needs a rebuild.
    """
    behind = indices_behind(es, alias)
    if not behind:
        return None
    partitions = {mapping.partition_of_index(name, alias): name for name in behind}
    if sorted(partitions, key=str) != sorted(mapping.PARTITIONS) or len(behind) != len(mapping.PARTITIONS):
        raise SchemaMismatch(
            f"{alias} ชี้ไปที่ {', '.join(behind)} ไม่ใช่ดัชนีข้อมูลเปิดหนึ่งและข้อมูลจำกัดหนึ่ง: "
            f"สั่ง gdc-index rebuild ก่อน / {alias} points at {', '.join(behind)}, not at one open and one restricted "
            f"index: run `gdc-index rebuild` first")
    return partitions


def check_version(es: Elasticsearch, index: str) -> None:
    meta = es.indices.get_mapping(index=index)[index]["mappings"].get("_meta", {})
    if meta.get("index_version") != mapping.INDEX_VERSION:
        raise SchemaMismatch(
            f"{index} สร้างด้วยโครงสร้างดัชนีรุ่น {meta.get('index_version')} แต่โปรแกรมนี้เขียนรุ่น "
            f"{mapping.INDEX_VERSION}: สั่ง gdc-index rebuild ก่อน / {index} was built with index version "
            f"{meta.get('index_version')}, this indexer writes version {mapping.INDEX_VERSION}: "
            f"run `gdc-index rebuild` first")
    built_with, current = meta.get("dictionary_version"), dictionary.version()
    if built_with != current:
        raise SchemaMismatch(
            f"{index} ตัดคำด้วยพจนานุกรมรุ่น {built_with} แต่พจนานุกรมปัจจุบันคือรุ่น {current}: "
            f"สั่ง gdc-index rebuild ก่อน / {index} was segmented with Thai dictionary {built_with}, "
            f"the current dictionary is {current}: run `gdc-index rebuild` first")


def ids_of_sources(es: Elasticsearch, index: str, sources: set[str]) -> Iterator[str]:
    """Every document id whose ``source`` is one of ``sources`` (for ``--delete-missing``)."""
    query = {"terms": {mapping.SOURCE: sorted(sources)}}
    for hit in scan(es, index, size=SCAN_PAGE, source=False, query=query):
        yield hit["_id"]


def record_hashes(es: Elasticsearch, index: str) -> dict[str, str]:
    """id → ``record_hash`` of every document, ``""`` when it has none (hidden after a rejection)
    (doc values only; ~100 bytes per dataset in memory)."""
    hashes: dict[str, str] = {}
    for hit in scan(es, index, size=SCAN_PAGE, source=False, docvalue_fields=[mapping.RECORD_HASH]):
        value = hit.get("fields", {}).get(mapping.RECORD_HASH)
        hashes[hit["_id"]] = value[0] if value else ""
    return hashes
