"""indexer.scan: the one point-in-time + search_after loop (the indexer's sync, the portal's lists)."""
from __future__ import annotations

import pytest

from indexer.scan import point_in_time, scan


class PagingES:
    """Serves ``docs`` in pages through a point in time whose id changes on every answer."""

    def __init__(self, docs: int):
        self.docs = [{"_id": str(n), "sort": [n]} for n in range(docs)]
        self.searches: list[dict] = []
        self.opened: list[str] = []
        self.closed: list[str] = []
        self.ignored: list[int] = []

    def open_point_in_time(self, index, keep_alive):
        self.opened.append(index)
        return {"id": "pit-0"}

    def search(self, pit, size, sort, search_after=None, **kw):
        self.searches.append({"pit": pit["id"], "size": size, "sort": sort, "after": search_after, **kw})
        start = 0 if search_after is None else search_after[0] + 1
        return {"pit_id": f"pit-{len(self.searches)}", "hits": {"hits": self.docs[start:start + size]}}

    def options(self, ignore_status=None):
        self.ignored.append(ignore_status)
        return self

    def close_point_in_time(self, id):
        self.closed.append(id)


def test_every_hit_once_in_pages_that_follow_the_returned_point_in_time():
    es = PagingES(docs=7)
    ids = [hit["_id"] for hit in scan(es, "alias", size=3, query={"match_all": {}})]
    assert ids == [str(n) for n in range(7)]
    assert [s["after"] for s in es.searches] == [None, [2], [5]]  # the short third page ends it
    assert [s["pit"] for s in es.searches] == ["pit-0", "pit-1", "pit-2"]
    assert all(s["query"] == {"match_all": {}} and s["sort"] == ["_shard_doc"] for s in es.searches)
    assert es.closed == ["pit-3"] and es.ignored == [404]


def test_a_full_last_page_costs_one_empty_request():
    es = PagingES(docs=6)
    assert len(list(scan(es, "alias", size=3))) == 6
    assert [s["after"] for s in es.searches] == [None, [2], [5]]


def test_the_point_in_time_is_closed_when_the_reader_stops_early():
    es = PagingES(docs=100)
    hits = scan(es, "alias", size=10)
    assert [next(hits)["_id"] for _ in range(3)] == ["0", "1", "2"]
    hits.close()  # a download cut short
    assert es.closed == ["pit-1"]


def test_the_point_in_time_is_closed_when_a_search_fails():
    es = PagingES(docs=5)

    def refuse(**kw):
        raise ConnectionError("node gone")

    es.search = refuse
    with pytest.raises(ConnectionError):
        list(scan(es, "alias", size=2))
    assert es.closed == ["pit-0"]


def test_two_searches_share_one_snapshot():
    es = PagingES(docs=4)
    with point_in_time(es, "alias") as pit:
        first = [h["_id"] for h in pit.hits(size=10, sort=[{"modified": "desc"}])]
        second = [h["_id"] for h in pit.hits(size=10)]
    assert first == second == ["0", "1", "2", "3"]
    assert es.opened == ["alias"] and es.searches[1]["pit"] == "pit-1"
    assert es.searches[0]["sort"] == [{"modified": "desc"}]
