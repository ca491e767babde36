"""Related datasets on the dataset page: chosen and ordered without index statistics."""
from __future__ import annotations

from elasticsearch import Elasticsearch

from analyzers import thai
from indexer import mapping as m
from portal.auth.principal import Principal
from portal.auth.visibility import scope_for
from portal.search.queries.common import NEWEST_FIRST, SOURCE, STABLE, as_seen, index_for


RELATED_FIELDS = (m.TITLE_WORDS, m.TAGS_WORDS)
# Which records count as related is decided by ``more_like_this`` with settings that select *every*
# word of the record's title and tags (no document-frequency cut, more query terms allowed than a
# record has): the choice of words never depends on index statistics, which count records the
# visitor cannot see. The order uses constant scores (shared keywords, organization, title words),
# never BM25, for the same reason: unseen records must not move a visible one up or down.
# Words nearly every catalogue title carries say nothing about a topic: a fixed list (a document
# frequency cut-off would again read statistics of unseen records).
RELATED_STOP_WORDS = ("ข้อมูล", "รายงาน", "ประเทศ", "ไทย", "ประเทศไทย", "จำนวน", "ปี", "พ.ศ.", "สถิติ",
                      "ประจำ",
                      "ของ", "และ", "ใน", "การ", "ที่", "ราย", "ทั่วไป", "data", "of", "the", "and")
RELATED_MLT = {"min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 500, "minimum_should_match": 2,
               "stop_words": list(RELATED_STOP_WORDS)}
RELATED_WEIGHTS = {"tag": 3.0, "organization": 2.0, "title_word": 1.0}


def related_body(record: dict, principal: Principal, size: int = 5) -> dict:
    """Records like ``record`` among those ``principal`` sees in full (tags and descriptions of records
    seen by name only must not select them)."""
    scope = scope_for(principal)
    # The index keeps its word fields out of ``_source``, so the record's words are made again here by
    # the indexer's own function (the same segmentation as at index time), as an artificial document.
    title_words = thai.index_fields(record.get("title") or "")["words"]
    tag_words = " ".join(thai.index_fields(t)["words"] for t in record.get("tags") or [])
    like = {"more_like_this": {"fields": list(RELATED_FIELDS), **RELATED_MLT,
                               "like": [{"doc": {m.TITLE_WORDS: title_words, m.TAGS_WORDS: tag_words}}]}}
    ranking = [{"constant_score": {"filter": {"term": {m.TAGS: t}}, "boost": RELATED_WEIGHTS["tag"]}}
               for t in dict.fromkeys(record.get("tags") or [])]
    org = (record.get("organization") or {}).get("name")
    if org:
        ranking.append({"constant_score": {"filter": {"term": {m.ORGANIZATION: org}},
                                           "boost": RELATED_WEIGHTS["organization"]}})
    ranking += [{"constant_score": {"filter": {"term": {m.TITLE_WORDS: w}},
                                    "boost": RELATED_WEIGHTS["title_word"]}}
                for w in dict.fromkeys(title_words.split())]
    return {
        "query": {"bool": {"filter": [scope.full, like], "must_not": [{"ids": {"values": [record["id"]]}}],
                           "should": ranking}},
        "sort": ["_score", NEWEST_FIRST, STABLE],
        "size": size,
        "_source": SOURCE,
    }


def related(es: Elasticsearch, alias: str, record: dict, principal: Principal, size: int = 5) -> list[dict]:
    """Up to ``size`` visible records related to ``record`` (already fetched for ``principal``), redacted.

    Only a record seen in full has related records: those of a record seen by name would be chosen by
    its description and tags, which the visitor may not read.
    """
    if record.get("tier", "full") != "full" or not record.get("id"):
        return []
    answer = es.search(index=index_for(alias, principal), **related_body(record, principal, size))
    out = []
    for h in answer["hits"]["hits"]:
        seen = as_seen(h["_source"], principal)
        if seen is not None:
            out.append(seen[0])
    return out
