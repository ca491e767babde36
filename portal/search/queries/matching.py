"""Which records match the words of a query, tier by tier, and how they are scored (BM25 in the open
index, statistics-free elsewhere; a place named in the query ranks records about it first)."""
from __future__ import annotations

from analyzers import places
from analyzers.query import QueryPlan, understand
from indexer import mapping as m
from portal.auth.visibility import NOTHING, OPEN_FILTER, Scope
from portal.search.relevance import (all_words_query, exact_title_first, named_first, stats_free_score,
                                     text_query)


PLACE_BOOST = 4.0  # bench/place_ranking.py measures it


def match_query(q: str, scope: Scope, plan: QueryPlan | None = None, match: str = "all") -> dict:
    """Visible records matching ``q``: any field within ``scope.full``, name fields within ``name_only``.

    ``match``: ``"all"`` — records holding every concept of the query (``analyzers.concepts``), scored by
    the full-text query: the headline set, which a further word can only narrow; ``"some"`` — records
    the full-text query finds, or that hold a concept, and lack a concept (partial matches); ``"any"`` —
    the full-text query.

    Open records are ranked by BM25 over the open index (statistics of open records only); records
    seen from the restricted index by scores that depend on nothing but themselves, on the fields
    their tier may see (``stats_free``).
    """
    if not q.strip():
        return {"bool": {"filter": [scope.any]}}
    plan = plan or understand(q)
    tiers = [("full", OPEN_FILTER, False)]
    if scope.full_restricted != NOTHING:
        tiers.append(("full", scope.full_restricted, True))
    if scope.name_only != NOTHING:
        tiers.append(("name", scope.name_only, True))
    # The records a query asks for (by identifier or exact title) come first: one clause, every tier.
    first = named_first(plan) + exact_title_first(q) if match == "all" else []
    branches = [b for tier, visible, free in tiers
                if (b := _tier_match(plan, tier, visible, match, free, q, first))]
    if not branches:
        return {"match_none": {}}
    return {"bool": {"should": branches, "minimum_should_match": 1}}


def _tier_match(plan: QueryPlan, tier: str, visible: dict, match: str,
                stats_free: bool = False, q: str = "", first: list[dict] | None = None) -> dict | None:
    """One tier's branch. ``stats_free``: the same records match, but the full-text query only filters
    and the score comes from ``stats_free_score`` (records outside the open index: their index's
    statistics mix records of every grant). ``first``: the clauses that put the records asked for first
    (``match == "all"`` only)."""
    scored = text_query(plan, tier)
    if tier == "full" and not stats_free:
        scored = _with_place_bonus(scored, q)
    score = stats_free_score(plan, tier) if stats_free else [scored]
    every = all_words_query(plan, tier) if match != "any" else None
    if every is None:
        # Only function words: the full-text query decides, and nothing is a partial match.
        if match == "some":
            return None
        if stats_free:
            return {"bool": {"filter": [visible, scored], "should": score}}
        return {"bool": {"must": [scored], "filter": [visible]}}
    if match == "all":
        return {"bool": {"filter": [visible, every], "should": score + (first or [])}}
    # The concepts again as optional clauses: a hit's matched_queries say which ones it holds. A record
    # holding a concept the full-text query does not find (มลพิษ inside a longer word, by its trigrams)
    # is a partial match too, scored 0: after every record the full-text query scores.
    held = [{"constant_score": {"filter": c, "boost": 0.0}} for c in every["bool"]["filter"]]
    some = {"bool": {"should": [scored, *held], "minimum_should_match": 1}}
    if stats_free:
        return {"bool": {"must_not": [every], "filter": [visible, some], "should": score}}
    return {"bool": {"must": [some], "must_not": [every], "filter": [visible]}}


def _with_place_bonus(scored: dict, q: str) -> dict:
    """A query that names a place ranks records about that place (or inside it) first; the others
    still match. Only in the open tier: places are read from fields a name-only grant hides, and the
    restricted tiers score without index statistics."""
    codes = places.in_query(q)
    if not codes:
        return scored
    return {"bool": {"must": [scored], "should": [{"terms": {m.PLACE: codes, "boost": PLACE_BOOST}}]}}
