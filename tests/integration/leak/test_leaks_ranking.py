"""Ranking statistics do not cross the classification line (issue 16, item 1).

The same query on two catalogues that differ only by sensitive and hidden records full of the query's
words must give every principal the same open results, in the same order, with the same scores —
and the records an analyst sees outside the open index keep their scores too. Before open and other
records were split into separate indices, BM25's document frequencies counted every record, so a
word in a hidden description moved the open results (and told a visitor the word existed).
"""
from __future__ import annotations

import uuid

import pytest

from indexer import mapping as m
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search import queries
from portal.search.queries import SearchParams
from tests.canary import FULL_GRANT, NAME_GRANT, NON_OPEN, OPEN, ORGS
from tests.support import dataset, load_records

pytestmark = pytest.mark.integration

WORD = "โรงพยาบาล"


def _probe(n: int, category: str, level: str, org: str, allow: bool = True, title: str = "") -> dict:
    notes = f"{WORD} ทะเบียน{WORD} {WORD} สุขภาพ {WORD}"
    return dataset(f"probe-{n}", title=title or f"ชุดข้อมูลตรวจ qzvprobe{n}", notes=notes,
                   tags=[WORD, "สุขภาพ"], organization=ORGS[org], data_category=category,
                   data_classification=level, allow_harvest=allow)


PROBES = [
    _probe(1, "personal", "03", "mixed"),                    # the name-tier analyst's grant covers it
    _probe(2, "secret", "05", "sensitive", title=f"ทะเบียน{WORD}ลับ"),  # nobody's grant covers it
    _probe(3, "personal", "02", "hidden", allow=False, title=f"{WORD}ภายใน"),  # hidden: no consent
    _probe(4, "internal", "02", "mixed"),                    # the full-tier analyst's grant covers it
]


def _principal(kind: str) -> Principal:
    if kind == "anonymous":
        return ANONYMOUS
    if kind == "admin":
        return Principal(kind="admin", username="root")
    categories, level, orgs, full = NAME_GRANT if kind == "name" else FULL_GRANT
    return Principal(kind="analyst", username=kind,
                     grants=(Grant(frozenset(categories), level, frozenset(orgs), full),))


@pytest.fixture(scope="module")
def catalogues(es):
    """``(without, with)``: the canary corpus, and the same plus the probes."""
    aliases = [f"test_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    load_records(es, aliases[0], OPEN + NON_OPEN)
    load_records(es, aliases[1], OPEN + NON_OPEN + PROBES)
    yield aliases
    for alias in aliases:
        for index in es.indices.get_alias(name=alias):
            es.indices.delete(index=index)


def _ranked(es, alias: str, principal: Principal, q: str) -> list[tuple[str, float]]:
    result = queries.search(es, alias, SearchParams(q=q, size=100), principal)
    return [(hit["id"], hit["score"]) for hit in result.hits]


# The last is the hidden probe's exact title, which ranks a record titled so first for those who see it.
QUERIES = [WORD, f"ทะเบียน{WORD}", f"สถิติ สุขภาพ {WORD}", "ทะเบียน", f"{WORD}ภายใน"]


@pytest.mark.parametrize("kind", ["anonymous", "name", "full", "admin"])
@pytest.mark.parametrize("q", QUERIES)
def test_hidden_words_do_not_move_the_results_one_may_see(es, catalogues, kind, q):
    without, with_probes = (_ranked(es, alias, _principal(kind), q) for alias in catalogues)
    assert without, f"{q!r} should find open records"
    probes = {p["id"] for p in PROBES}
    common = [hit for hit in with_probes if hit[0] not in probes]
    # Identical ids, order and scores (to the last bit) for every record that was there before.
    assert common == without
    if kind == "anonymous":
        assert common == with_probes


def test_the_probes_would_change_bm25_statistics(es, catalogues):
    """The test above is not vacuous: with statistics over every record (as one index had them, or as a
    ``dfs_query_then_fetch`` search over both would compute them), the probes do shift open scores."""
    scores = []
    for alias in catalogues:
        body = {"query": {"match": {m.NOTES_WORDS: WORD}}, "size": 100}
        hits = es.search(index=alias, search_type="dfs_query_then_fetch", **body)["hits"]["hits"]
        scores.append({hit["_id"]: hit["_score"] for hit in hits if hit["_id"].startswith("open-")})
    assert scores[0] and scores[0] != scores[1]


def test_visitors_read_the_open_index_only(es, catalogues):
    alias = catalogues[1]
    assert queries.index_for(alias, ANONYMOUS) == m.open_alias(alias)
    assert queries.index_for(alias, _principal("name")) == alias
    opened = {hit["_id"] for hit in es.search(index=m.open_alias(alias), size=100)["hits"]["hits"]}
    assert opened == {r["id"] for r in OPEN}
