"""Meaning vectors for index documents, cached by content hash (the semantic layer, docs/relevance.md).

What is embedded for a record (``passages``): first its title, English title, tags, organization and the
start of its description — the fields a search reads; then, for a description longer than that, the
title with each further window of the description (``WINDOW`` characters, overlapping by ``OVERLAP``,
at most ``MAX_PASSAGES`` in all). A long description is about several things: one vector made from
its first lines cannot be near a question about its last ones (on XQuAD-th's 240 long paragraphs the
model alone found the right one with MRR@10 0.82 from the first passage, 0.95 from every passage).
The vectors go into the document's nested ``passages`` field (``indexer.mapping.PASSAGES``) on their
way to the bulk request (``attach``); the portal searches them with ``knn`` among the records the
visitor sees in full, a record as near as its nearest passage.

Embedding costs tens of milliseconds per passage, so vectors are kept in a cache keyed by the hash of
the model name and the embedded text: a rebuild re-embeds only passages whose text changed. The cache
is a SQLite file, ``<GDC_VAR_DIR>/vectors.sqlite3`` (float16, ≈ 0.8 kB a passage), bounded to
``MAX_ENTRIES``: beyond it, the entries no build has used for the longest time are dropped.
"""
from __future__ import annotations

import hashlib
import html
import sqlite3
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from analyzers import embedding
from indexer import mapping
from indexer.prepare import Prepared, decode, encode

CACHE_FILE = "vectors.sqlite3"
MAX_ENTRIES = 100_000  # ≈ 80 MB; several times a national catalogue (data.go.th: ≈ 10,000 records)
DESCRIPTION_CHARS = 300
WINDOW = 300  # characters of the description in each further passage (with the title before them)
OVERLAP = 50  # each window repeats the end of the one before, so a sentence cut at a border is whole once
MAX_PASSAGES = 10  # a bound on a record's embedding cost: 2,550 characters of description are read
BATCH = 64  # documents held back from the bulk stream while their vectors are made


def passage(record: Mapping[str, Any]) -> str:
    """The text embedded for ``record``: what a person searching would recognise it by."""
    organization = record.get("organization") or {}
    parts = [record.get("title"), record.get("title_en"), " ".join(record.get("tags") or []),
             organization.get("title"), html.unescape(record.get("notes") or "")[:DESCRIPTION_CHARS]]
    return " ".join(" ".join(str(p).split()) for p in parts if p)


def passages(record: Mapping[str, Any]) -> list[str]:
    """Every text embedded for ``record``: ``passage(record)``, then the title with each window of the
    description after its first ``DESCRIPTION_CHARS`` characters."""
    title = " ".join(str(record.get("title") or "").split())
    notes = " ".join(html.unescape(record.get("notes") or "").split())
    windows = [notes[start - OVERLAP:start + WINDOW - OVERLAP]
               for start in range(DESCRIPTION_CHARS, len(notes), WINDOW - OVERLAP)]
    return [passage(record), *(f"{title} {w}".strip() for w in windows)][:MAX_PASSAGES]


def content_key(text: str) -> str:
    """The cache key: the model (and how a passage is cut) and the text, hashed."""
    return hashlib.blake2b(f"{embedding.MODEL}\0{text}".encode(), digest_size=16).hexdigest()


class VectorCache:
    """``key → vector`` in SQLite (``path``), or in memory when ``path`` is ``None``."""

    def __init__(self, path: Path | None, max_entries: int = MAX_ENTRIES) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.max_entries = max_entries
        self._db = sqlite3.connect(str(path) if path else ":memory:", timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL, "
                         "used INTEGER NOT NULL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used)")

    def get(self, keys: list[str]) -> dict[str, list[float]]:
        """The cached vectors among ``keys``; each found entry is marked used now."""
        found: dict[str, list[float]] = {}
        if not keys:
            return found
        marks = ",".join("?" * len(keys))
        for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", keys):
            found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32).tolist()
        if found:
            with self._db:
                self._db.execute(f"UPDATE vectors SET used = ? WHERE key IN ({','.join('?' * len(found))})",
                                 [_now(), *found])
        return found

    def put(self, vectors: Mapping[str, list[float]]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector, used) VALUES (?, ?, ?)",
                                 [(k, np.asarray(v, dtype=np.float16).tobytes(), _now())
                                  for k, v in vectors.items()])

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM vectors").fetchone()[0]

    def prune(self) -> int:
        """Drop the least recently used entries beyond ``max_entries``; how many went."""
        excess = len(self) - self.max_entries
        if excess <= 0:
            return 0
        with self._db:
            self._db.execute("DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY used, key "
                             "LIMIT ?)", (excess,))
        return excess

    def close(self) -> None:
        self._db.close()


def _now() -> int:
    return time.time_ns()


@dataclass
class Embedder:
    """Vectors for records through ``cache``; counts what one indexing run embedded and reused."""

    cache: VectorCache
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0  # wall time inside the model
    _pending: dict[str, list[float]] = field(default_factory=dict, repr=False)

    @classmethod
    def for_var_dir(cls, var_dir: Path) -> "Embedder":
        return cls(VectorCache(var_dir / CACHE_FILE))

    def vectors(self, records: list[Mapping[str, Any]]) -> list[list[list[float]]]:
        """Each record's passage vectors (``passages``), from the cache or the model."""
        per_record = [passages(r) for r in records]
        texts = [t for texts in per_record for t in texts]
        keys = [content_key(t) for t in texts]
        known = self.cache.get(list(dict.fromkeys(keys)))
        todo = {k: t for k, t in zip(keys, texts) if k not in known}
        if todo:
            started = time.perf_counter()
            made = dict(zip(todo, embedding.passages(list(todo.values()))))
            self.seconds += time.perf_counter() - started
            self.cache.put(made)
            known |= made
        self.embedded += len(todo)
        self.reused += len(keys) - len(todo)
        flat = iter(known[k] for k in keys)
        return [[next(flat) for _ in texts] for texts in per_record]

    def finish(self) -> None:
        """After a run: keep the cache within its bound."""
        self.cache.prune()

    def line(self) -> str:
        per = f", {self.seconds / self.embedded * 1000:.0f} ms/passage" if self.embedded else ""
        return (f"vectors: {self.embedded} passages embedded in {self.seconds:.1f} s{per}, "
                f"{self.reused} from the cache ({embedding.MODEL})")


def attach(stream: Iterable[Prepared], embedder: Embedder) -> Iterator[Prepared]:
    """``stream`` with each written document carrying its vectors; order and everything else unchanged."""
    held: list[Prepared] = []
    for prepared in stream:
        held.append(prepared)
        if len(held) >= BATCH:
            yield from _with_vectors(held, embedder)
            held = []
    yield from _with_vectors(held, embedder)
    embedder.finish()


def _with_vectors(batch: list[Prepared], embedder: Embedder) -> list[Prepared]:
    # Records the live index holds unchanged are not written again, so they need no vector.
    written = [i for i, p in enumerate(batch) if p.body is not None and not p.unchanged]
    if not written:
        return batch
    vectors = embedder.vectors([batch[i].record or {} for i in written])
    out = list(batch)
    for i, record_vectors in zip(written, vectors):
        nested = [{mapping.EMBEDDING: vector} for vector in record_vectors]
        document = decode(batch[i].body) | {mapping.PASSAGES: nested}
        out[i] = replace(batch[i], body=encode(document))
    return out
