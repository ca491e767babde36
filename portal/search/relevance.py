"""The full-text clause: which fields a query matches, with which boosts. Tuned on ``bench/relevance.py``.

``text_query(plan)`` is the only place a ``QueryPlan`` becomes an Elasticsearch query; ``queries.py``
wraps it with the visibility scope, filters, facets and paging. Every clause is a ``match`` /
``combined_fields`` / ``multi_match`` on pre-analysed tokens, never ``query_string``: whatever a person
types is text.

Scoring, from strongest to weakest evidence:
1. the query's words (or an abbreviation/synonym variant of them) in title, tags, organization, notes,
   scored together as one field (BM25F ``combined_fields``), most of them required;
2. adjacent word pairs in the title (``title_shingles``) — a bonus for the words in the typed order;
3. English title/description (``title_en``/``notes_en``, standard analyzer) and Latin words with typos;
4. subword trigrams — partial words, segmentation mistakes, Thai typos — a weak fallback that only
   decides when nothing above matched.
"""
from __future__ import annotations

from analyzers.query import QueryPlan
from indexer import mapping as f

# Field → boost. Started from the national CKAN extension (title ×4, tags ×3, organization and
# description ×2) and tuned on the harness (docs/thai-analysis.md).
WORD_FIELDS_FULL = {
    f.TITLE_WORDS: 4.0,
    f.TAGS_WORDS: 3.0,
    f.ORGANIZATION_WORDS: 2.0,
    f.NOTES_WORDS: 1.0,
}
# Name tier (sensitive records seen only by name): never description, tags or resources.
WORD_FIELDS_NAME = {
    f.TITLE_WORDS: 4.0,
    f.ORGANIZATION_WORDS: 2.0,
}
ENGLISH_FIELDS_FULL = {f.TITLE_EN: 4.0, f.NOTES_EN: 1.0}
ENGLISH_FIELDS_NAME = {f.TITLE_EN: 4.0}
SUB_FIELDS_FULL = {f.TITLE_SUB: 2.0, f.NOTES_SUB: 1.0}
SUB_FIELDS_NAME = {f.TITLE_SUB: 2.0}

SHINGLE_BOOST = 2.0
VARIANT_TIE_BREAKER = 0.1
ENGLISH_BOOST = 1.0
FUZZY_BOOST = 0.5
SUB_BOOST = 0.3
ANY_WORD_BOOST = 0.2
# Short queries need every word; longer ones tolerate a missing particle or two.
WORDS_MINIMUM_SHOULD_MATCH = "2<75%"
SUB_MINIMUM_SHOULD_MATCH = "2<75%"
FUZZINESS = "AUTO:5,8"
FUZZY_MIN_CHARS = 4

FIELD_SETS = {
    "full": (WORD_FIELDS_FULL, ENGLISH_FIELDS_FULL, SUB_FIELDS_FULL),
    "name": (WORD_FIELDS_NAME, ENGLISH_FIELDS_NAME, SUB_FIELDS_NAME),
}


def text_query(plan: QueryPlan, fields: str = "full") -> dict:
    """A bool query matching ``plan`` on the ``fields`` tier (``"full"`` or ``"name"``).

    An empty plan (blank, punctuation-only or emoji-only query) matches nothing.
    """
    word_fields, english_fields, sub_fields = FIELD_SETS[fields]
    should: list[dict] = []
    if plan.words:
        should.append(_words_clause(plan, word_fields))
        should.append(_multi_match(plan.text, english_fields, boost=ENGLISH_BOOST,
                                   msm=WORDS_MINIMUM_SHOULD_MATCH))
    fuzzy = [w for w in plan.latin if len(w) >= FUZZY_MIN_CHARS]
    if fuzzy:
        should.append(_multi_match(" ".join(fuzzy), word_fields, boost=FUZZY_BOOST,
                                   msm=WORDS_MINIMUM_SHOULD_MATCH, fuzziness=FUZZINESS))
    any_words = list(dict.fromkeys(w for variant in plan.variants for w in variant))
    if max(map(len, plan.variants), default=0) > 1:
        # Any one of the words of any variant, weakly: "โรงเรียนสอนขับรถ" still answers
        # "ที่ตั้งโรงเรียนในกรุงเทพ", below every record that has most of the words.
        should.append({"combined_fields": {
            "query": " ".join(any_words),
            "fields": [f"{name}^{boost:g}" for name, boost in word_fields.items()],
            "operator": "or",
            "boost": ANY_WORD_BOOST,
        }})
    if plan.sub:
        should.append(_multi_match(" ".join(plan.sub), sub_fields, boost=SUB_BOOST,
                                   msm=SUB_MINIMUM_SHOULD_MATCH))
    if not should:
        return {"match_none": {}}
    query: dict = {"bool": {"must": [{"bool": {"should": should, "minimum_should_match": 1}}]}}
    if plan.shingles:
        # Only a bonus: word pairs never decide a match on their own.
        query["bool"]["should"] = [
            {"match": {f.TITLE_SHINGLES: {"query": " ".join(plan.shingles), "boost": SHINGLE_BOOST}}}
        ]
    return query


def _words_clause(plan: QueryPlan, word_fields: dict[str, float]) -> dict:
    """The typed words or any abbreviation/synonym/compound variant, the best variant scoring."""
    clauses = [
        {
            "combined_fields": {
                "query": " ".join(variant),
                "fields": [f"{name}^{boost:g}" for name, boost in word_fields.items()],
                "operator": "or",
                "minimum_should_match": WORDS_MINIMUM_SHOULD_MATCH,
                "boost": weight,
            }
        }
        for variant, weight in zip(plan.variants, plan.variant_weights)
        if variant
    ]
    return {"dis_max": {"queries": clauses, "tie_breaker": VARIANT_TIE_BREAKER}}


def _multi_match(query: str, fields: dict[str, float], boost: float, msm: str, **options) -> dict:
    return {
        "multi_match": {
            "query": query,
            "fields": [f"{name}^{b:g}" for name, b in fields.items()],
            "type": "best_fields",
            "operator": "or",
            "minimum_should_match": msm,
            "boost": boost,
            **options,
        }
    }
