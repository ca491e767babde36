"""Every hit of a search, read through a point in time with ``search_after``: one consistent snapshot
of the index and no scroll state kept on the node. The one loop for whole result lists — the
indexer's sync (record hashes, ``--delete-missing``) and the portal's sitemap, exports and feeds.

Not ``elasticsearch.dsl``'s ``Search.iterate()``: it leaves the point in time open when the reader
stops early (a sitemap download cut short, an export at its limit), does not follow a ``pit_id`` the
node hands back, and ends only on an empty page (one request more).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from elasticsearch import Elasticsearch

KEEP_ALIVE = "2m"
SHARD_ORDER = ("_shard_doc",)  # the cheapest total order: for reads that need no particular one


class PointInTime:
    """An open point in time; :meth:`hits` pages one search through it (several may share it)."""

    def __init__(self, es: Elasticsearch, pit_id: str) -> None:
        self._es, self.id = es, pit_id

    def hits(self, *, size: int, sort: Sequence[Any] = SHARD_ORDER, **search: Any) -> Iterator[dict]:
        """Every hit of ``search`` (``query``, ``_source`` …) in ``sort`` order, ``size`` per request."""
        after = None
        while True:
            extra = {"search_after": after} if after else {}
            answer = self._es.search(pit={"id": self.id, "keep_alive": KEEP_ALIVE}, size=size, sort=list(sort),
                                     track_total_hits=False, **search, **extra)
            self.id = answer.get("pit_id", self.id)
            page = answer["hits"]["hits"]
            yield from page
            if len(page) < size:
                return
            after = page[-1]["sort"]


@contextmanager
def point_in_time(es: Elasticsearch, index: str) -> Iterator[PointInTime]:
    """A point in time on ``index`` (an alias or a list), closed however the reading ends."""
    pit = PointInTime(es, es.open_point_in_time(index=index, keep_alive=KEEP_ALIVE)["id"])
    try:
        yield pit
    finally:
        es.options(ignore_status=404).close_point_in_time(id=pit.id)


def scan(es: Elasticsearch, index: str, *, size: int = 1000, **search: Any) -> Iterator[dict]:
    """Every hit of one search on ``index``, through its own point in time."""
    with point_in_time(es, index) as pit:
        yield from pit.hits(size=size, **search)
