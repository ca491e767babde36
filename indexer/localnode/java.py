"""The Java the node runs on: the first home with Java 21 or newer."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Iterable

from indexer.localnode.distribution import ES_VERSION
from indexer.localnode.layout import NodeError

MIN_JAVA = 21


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


def find_java(homes: Iterable[str] = (), jvm_dir: Path = Path("/usr/lib/jvm"), tool: str = "java") -> Path:
    """A Java home with Java 21+: ``homes`` (``Settings.java_homes``: ``GDC_ES_JAVA_HOME``,
    ``ES_JAVA_HOME``, ``JAVA_HOME``), then those in ``jvm_dir``; one with ``bin/<tool>`` (``javac``:
    a JDK, to build the plugin of ``gdc-es start --secure``)."""
    candidates = list(homes)
    if jvm_dir.is_dir():
        candidates += [str(p) for p in sorted(jvm_dir.iterdir(), reverse=True)]
    seen: list[str] = []
    for home in filter(None, candidates):
        java = Path(home) / "bin" / "java"
        if not java.exists() or not (Path(home) / "bin" / tool).exists():
            continue
        major = _java_major(java)
        if major is not None and major >= MIN_JAVA:
            return Path(home)
        seen.append(f"{home} (Java {major})")
    found = ", ".join(seen) or ("no Java at all" if tool == "java" else f"no Java with {tool}")
    need = "" if tool == "java" else f" with {tool} (a JDK)"
    raise NodeError(
        f"Elasticsearch {ES_VERSION} needs Java {MIN_JAVA} or newer{need}; found {found}. "
        f"Install a JDK {MIN_JAVA}+ or set GDC_ES_JAVA_HOME."
    )

