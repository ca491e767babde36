"""Configuration from ``GDC_*`` environment variables: one reader for portal, indexer and tests.

Read only when called (from ``create_app`` or a command's ``main``), never at import time.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    es_url: str = "http://127.0.0.1:9200"
    es_api_key: str | None = None
    es_ca_certs: str | None = None
    index: str = "gdc-datasets"
    secret_key: str | None = None
    port: int = 5000
    var_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var")
    es_timeout: float = 5.0
    # --- gdc-es, the local node (indexer/localnode.py) ----------------------------------------------
    es_port: int = 9200  # GDC_ES_PORT: the local node's HTTP port (and es_url's without GDC_ES_URL)
    es_heap: str | None = None  # GDC_ES_HEAP; None: 2g for one node, 512m for each member of a cluster
    cache_dir: Path | None = None  # GDC_CACHE_DIR; None: ~/.cache/gdcatalog (/var/cache/gdcatalog for root)
    # Java homes to try in order: GDC_ES_JAVA_HOME, then Elastic's ES_JAVA_HOME and the JDK's JAVA_HOME.
    java_homes: tuple[str, ...] = ()
    # --- end of gdc-es --------------------------------------------------------------------------------

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        es_port = int(env.get("GDC_ES_PORT") or cls.es_port)
        return cls(
            # Without GDC_ES_URL, the local node gdc-es manages (on GDC_ES_PORT) is the cluster.
            es_url=env.get("GDC_ES_URL") or f"http://127.0.0.1:{es_port}",
            es_api_key=env.get("GDC_ES_API_KEY") or None,
            es_ca_certs=env.get("GDC_ES_CA_CERTS") or None,
            index=env.get("GDC_INDEX") or cls.index,
            secret_key=env.get("GDC_SECRET_KEY") or None,
            port=int(env.get("GDC_PORT") or cls.port),
            var_dir=Path(env.get("GDC_VAR_DIR") or PROJECT_ROOT / "var"),
            es_timeout=_positive_seconds(env, "GDC_ES_TIMEOUT", cls.es_timeout),
            es_port=es_port,
            es_heap=env.get("GDC_ES_HEAP") or None,
            cache_dir=Path(env["GDC_CACHE_DIR"]) if env.get("GDC_CACHE_DIR") else None,
            java_homes=tuple(filter(None, map(env.get, ("GDC_ES_JAVA_HOME", "ES_JAVA_HOME", "JAVA_HOME")))),
        )


def _positive_seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """A duration in seconds from ``name``; a malformed or non-positive value is refused by name."""
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, got {raw!r} "
                         f"({name} ต้องเป็นจำนวนวินาทีที่มากกว่า 0)")
    return value
