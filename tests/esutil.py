"""Small Elasticsearch helpers for tests."""
from __future__ import annotations


def drop_indices(es, prefix: str) -> None:
    """Delete every index whose name starts with ``prefix``, by name (clusters may forbid wildcards)."""
    names = list(es.options(ignore_status=404).indices.get(index=f"{prefix}*", expand_wildcards="all").body or {})
    if names:
        es.options(ignore_status=404).indices.delete(index=",".join(names))
