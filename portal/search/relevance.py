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
4. the query's function words that do not ask (แรก, ใหม่, ระหว่าง; not อะไร, ที่ไหน): a little
   score, never a match;
5. subword trigrams — partial words, segmentation mistakes, Thai typos — a weak fallback that only
   decides when nothing above matched, and only on (almost) all the trigrams of the query's words or
   of a spelling correction: a look-alike (ร้องเรียน for โรงเรียน) shares most of them, not all.
"""
from __future__ import annotations

from analyzers import thai
from analyzers.concepts import Concept, concepts
from analyzers.query import QueryPlan, identifier_forms
from analyzers.spelling import english_vocabulary
from analyzers.stopwords import describing_words, function_words
from indexer import codelists, mapping as f

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
# pythainlp's stop list holds words that describe (แรก first, ใหม่ new, เกิด born, ได้รับ received); plain
# BM25 counts them by their rarity, the words clause not at all. A fifth of their BM25F score, only ever
# added: chosen on the dev halves of XQuAD-th and iApp Wiki QA (ninth session, docs/relevance.md).
DESCRIBING_BOOST = 0.2
# A shorter query's function word is most often part of a compound typed whole (ทาง of อุบัติเหตุทางถนน):
# the bonus is for questions and long inputs.
MIN_DESCRIBED_WORDS = 4
VARIANT_TIE_BREAKER = 0.1
ENGLISH_BOOST = 1.0
FUZZY_BOOST = 0.5
# Holding (almost) every trigram of the query in one field is worth about one word, not five: at 2.0 it
# decided the partial matches (words clause out of play) on its own — records holding the query's common
# Thai word (ท่องเที่ยว) came before those holding its rarer English term ("… SUSTAINABLE TOURISM" for
# "creative tourism ท่องเที่ยว"), and paragraphs holding most of a long question's letters before those
# holding its distinctive words (fifth session, dev: docs/relevance.md).
SUB_BOOST = 1.0
ANY_WORD_BOOST = 0.2
# Every further word counts in full: a long question no record holds most of (XQuAD-th: no paragraph
# holds every concept of 800 of 1,190) is ranked by how many of its words a record has, as BM25 does,
# not by its best single word (0.1, then 0.5 in the fourth session; bench/xquad_th.py --split dev).
ANY_WORD_TIE_BREAKER = 1.0
MAX_ANY_WORDS = 16
# Short queries need every word; longer ones tolerate a missing particle or two.
WORDS_MINIMUM_SHOULD_MATCH = "2<75%"
TOPIC_MINIMUM_SHOULD_MATCH = "3<75%"
FUZZINESS = "AUTO:5,8"
FUZZY_MIN_CHARS = 4

CONCEPT_PREFIX = "concept:"
# The record a query names by its id or name (``QueryPlan.named``) comes first, above any word score (a
# search's BM25F scores stay below a hundred) and above the semantic layer's fusion (``hybrid``), which
# reads the clause's name.
NAMED = "named"
NAMED_BOOST = 1000.0
# Records titled exactly as the query is typed come next (``exact_title_first``): above any word score,
# below the record a query names; the semantic fusion keeps them first too.
EXACT_TITLE = "exact_title"
EXACT_TITLE_BOOST = 500.0

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
    several = [v for v in plan.variants if len(v) > 1 and v not in plan.splits]
    if several and (fallback := _any_word_clause(plan, word_fields)):
        should.append(fallback)
    if plan.subword_sets:
        should.append(_subword_clause(plan, sub_fields))
    if not should:
        return {"match_none": {}}
    query: dict = {"bool": {"must": [{"bool": {"should": should, "minimum_should_match": 1}}]}}
    # Only bonuses: word pairs and describing words never decide a match on their own.
    bonus = []
    if plan.shingles:
        bonus.append({"match": {f.TITLE_SHINGLES: {"query": " ".join(plan.shingles), "boost": SHINGLE_BOOST}}})
    if len(plan.words) >= MIN_DESCRIBED_WORDS and (describing := describing_words(plan.words)):
        bonus.append({"combined_fields": {"query": " ".join(describing), "fields": _boosted(word_fields),
                                          "operator": "or", "boost": DESCRIBING_BOOST}})
    if bonus:
        query["bool"]["should"] = bonus
    return query


def _words_clause(plan: QueryPlan, word_fields: dict[str, float]) -> dict:
    """The typed words or any abbreviation/synonym/compound variant, the best variant scoring."""
    clauses = [_variant_clause(variant, weight, word_fields)
               for variant, weight in zip(plan.variants, plan.variant_weights) if variant]
    return {"dis_max": {"queries": clauses, "tie_breaker": VARIANT_TIE_BREAKER}}


def _any_word_clause(plan: QueryPlan, word_fields: dict[str, float]) -> dict | None:
    """Any topic word of any variant, weakly, the words' scores summed (``ANY_WORD_TIE_BREAKER``),
    each word weighted like the best variant it comes from (a translation counts less).

    "โรงเรียนสอนขับรถ" still answers "ที่ตั้งโรงเรียนในกรุงเทพ", below every record that has most of
    the words, and above records that only share the common ones (ที่ตั้ง, กรุงเทพมหานคร).
    Never a part of a split word alone ("กรม" of กรมการขนส่งทางบก would bring every department), nor a
    piece of a misspelling (งาน of โรงาน → โร|งาน would bring every job record; โรงงาน stands for it).
    """
    stop = function_words()
    weights: dict[str, float] = {}
    for variant, weight in zip(plan.variants, plan.variant_weights):
        if variant in plan.splits:
            continue
        for word in variant:
            # A number someone typed counts; one a synonym brought ("โควิด" → "… 2019") does not.
            if word not in stop and word not in plan.misspelt and (word in plan.words or not word.isdigit()):
                weights[word] = max(weight, weights.get(word, 0.0))
    # The pieces of a word the dictionary does not know, all together: a record holding เท and สลา
    # holds "เทสลา" as typed, whatever the correction made of it (XQuAD-th: the paragraph about Tesla
    # lacked a word of "หุ้นส่วนใหม่ของเทสลา…" and was then found by หุ้นส่วน alone — not at all).
    runs = {" ".join(run): 1.0 for run in plan.misspelt_runs if not all(w in stop for w in run)}
    if not weights and not runs:
        # Only function words ("สมัยล่าสุดมีชื่อว่าอะไร"): each of them counts, or a record holding
        # two of five is never found.
        weights = dict.fromkeys(plan.words, 1.0)
    fields = _boosted(word_fields)
    clauses = [{"combined_fields": {"query": word, "fields": fields, "boost": weight}}
               for word, weight in list(weights.items())[:MAX_ANY_WORDS]]
    clauses += [{"combined_fields": {"query": run, "fields": fields, "operator": "and", "boost": weight}}
                for run, weight in runs.items()]
    if not clauses:
        return None
    return {"dis_max": {"queries": clauses, "tie_breaker": ANY_WORD_TIE_BREAKER, "boost": ANY_WORD_BOOST}}


def _subword_clause(plan: QueryPlan, sub_fields: dict[str, float]) -> dict:
    """Trigrams of the query as typed or of a spelling correction, the best set scoring; each set must
    be (almost) whole in one field, so look-alikes (ร้องเรียน for โรงเรียน) do not match.

    A long query has many trigrams and their scores add up: each set is divided by its size, so the
    subword match weighs about one word however long the query is.
    """
    clauses = [_multi_match(" ".join(s.grams), sub_fields, boost=SUB_BOOST * s.weight / len(s.grams),
                            msm=str(s.required)) for s in plan.subword_sets]
    return {"dis_max": {"queries": clauses}}


def _variant_clause(variant: tuple[str, ...], weight: float, word_fields: dict[str, float]) -> dict:
    """Most topic words required (all of up to three); function words (ใน, การ, of) only add score."""
    fields = _boosted(word_fields)
    stop = function_words()
    topic = [w for w in variant if w not in stop] or list(variant)
    rest = [w for w in variant if w not in topic]
    must = {"combined_fields": {"query": " ".join(topic), "fields": fields, "operator": "or",
                                "minimum_should_match": TOPIC_MINIMUM_SHOULD_MATCH}}
    if not rest:
        return {"bool": {"must": [must], "boost": weight}}
    optional = {"combined_fields": {"query": " ".join(rest), "fields": fields, "operator": "or"}}
    return {"bool": {"must": [must], "should": [optional], "boost": weight}}


def _multi_match(query: str, fields: dict[str, float], boost: float, msm: str, **options) -> dict:
    return {
        "multi_match": {
            "query": query,
            "fields": _boosted(fields),
            "type": "best_fields",
            "operator": "or",
            "minimum_should_match": msm,
            "boost": boost,
            **options,
        }
    }


def _boosted(fields: dict[str, float]) -> list[str]:
    """A field table as Elasticsearch's ``name^boost`` list."""
    return [f"{name}^{boost:g}" for name, boost in fields.items()]


def all_words_query(plan: QueryPlan, fields: str = "full") -> dict | None:
    """Records holding every concept of ``plan`` (``analyzers.concepts``), each in any of its forms, in
    any field of the tier; ``None`` when the query has no concept (only function words).

    Each concept's clause is named ``concept:<tier>:<i>`` so a hit tells which concepts it holds
    (``matched_queries``): a partial match can say which words it lacks. The tier is in the name because
    Elasticsearch tests every named clause on every hit: a record seen by name only must be judged by
    the name tier's clauses, never by those that read its description.
    """
    found = concepts(plan)
    if not found:
        return None
    named = named_record(plan)
    return {"bool": {"filter": [concept_query(c, i, fields, named) for i, c in enumerate(found)]}}


def named_record(plan: QueryPlan) -> dict | None:
    """The record whose id or name the query is (``QueryPlan.named``, as typed or in lower case, as CKAN
    writes names), or None. Both are name-tier fields: a record seen by name only is found by them too."""
    if not plan.named:
        return None
    named = identifier_forms(plan.named)
    return {"bool": {"should": [{"terms": {f.ID: named}}, {"terms": {f.NAME: named}}],
                     "minimum_should_match": 1}}


def is_named(hit: dict) -> bool:
    """Whether a hit is the record its query names (``named_first``'s clause matched it)."""
    return NAMED in (hit.get("matched_queries") or ())


def named_first(plan: QueryPlan) -> list[dict]:
    """The scoring clause that puts the record the query names first, or none."""
    named = named_record(plan)
    return [{"constant_score": {"filter": named, "boost": NAMED_BOOST, "_name": NAMED}}] if named else []


def exact_title_first(q: str) -> list[dict]:
    """The scoring clause that puts the records titled exactly as ``q`` first, or none. "Exactly" is as
    ``thai.sort_key`` spells a title (case, spacing and Thai spelling normalised): a title copied from a
    report finds its record before a twin that differs by a space (รายงานทะเบียนวัด จังหวัด…) or by a
    sign (< 150 หน่วย, > 150 หน่วย), which its words alone score the same."""
    key = thai.sort_key(q)
    if not key or len(key) > f.KEYWORD_MAX_LENGTH:
        return []
    return [{"constant_score": {"filter": {"term": {f.TITLE_SORT: key}}, "boost": EXACT_TITLE_BOOST,
                                "_name": EXACT_TITLE}}]


def is_asked_for(hit: dict) -> bool:
    """Whether a hit is a record the query asks for by its identifier or its exact title."""
    return not {NAMED, EXACT_TITLE}.isdisjoint(hit.get("matched_queries") or ())


def concept_query(concept: Concept, index: int, fields: str = "full", named: dict | None = None) -> dict:
    """One concept: every word of one of its forms (BM25F fields of the tier), or all its trigrams in one
    field (the word inside a longer one), or its English words in the English fields or, words no list
    knows, one typo away; or the record the whole query names (``named_record``): a link or an id holds
    every concept of its own words ("bec_school": bec, school)."""
    word_fields, english_fields, sub_fields = FIELD_SETS[fields]
    names = _boosted(word_fields)
    should: list[dict] = [{"combined_fields": {"query": " ".join(form), "fields": names, "operator": "and"}}
                          for form in concept.alternatives]
    if concept.phrase:
        # "ทุกเดือน", "every month": its words together, in order — ทุก and เดือน apart say no frequency
        typed = " ".join(concept.alternatives[0])
        should[0] = {"multi_match": {"query": typed, "fields": names, "type": "phrase"}}
    should += [_multi_match(" ".join(grams), sub_fields, boost=1.0, msm=str(len(grams)))
               for grams in concept.grams]
    if concept.latin:
        if concept.phrase:
            should.append({"multi_match": {"query": concept.text, "fields": _boosted(english_fields),
                                           "type": "phrase"}})
        else:
            should.append(_multi_match(concept.text, english_fields, boost=1.0, msm="100%"))
        # one typo away only for words no list knows: "patients" is not held by a record about a patent
        fuzzy = [w for w in concept.alternatives[0] if len(w) >= FUZZY_MIN_CHARS]
        known = english_vocabulary()
        if fuzzy and not concept.phrase and all(w in concept.latin and w not in known for w in fuzzy):
            should.append(_multi_match(" ".join(fuzzy), word_fields, boost=1.0, msm="100%", fuzziness=FUZZINESS))
    if fields == "full" and concept.places:
        # ภาคเหนือ, เชียงใหม่: also a record located in the North, in Chiang Mai (its places, read from its
        # text). Never on the name tier: places are read from descriptions a name-only grant hides.
        should.append({"terms": {f.PLACE: list(concept.places)}})
    if fields == "full" and concept.years:
        # "2563", "2020", "2560-2562": also a record whose covered years (read from its title and files, the
        # year facet) include one — "สถิติ ปี 2550-2563" covers 2555. Never on the name tier: the year facet
        # is no name-tier facet.
        should.append({"terms": {f.YEARS: list(concept.years)}})
    if concept.frequency:
        # "รายเดือน", "monthly": also a record updated monthly, declared or read from its text. On both tiers:
        # the frequency is a name-tier facet, read from a record seen by name only from its title alone
        # (indexer/documents.py), so it tells a name-only grant nothing its facet does not.
        should.append({"term": {f.UPDATE_FREQUENCY_UNIT: concept.frequency}})
    if fields == "full" and (offered := _format_offered(concept.text)):
        # "csv", "Excel", "SHP": held by a record offering that format, as CKAN's search finds it. Never on
        # the name tier: a record seen by name only shows no resources.
        code, names = offered
        should += [{"term": {f.DATA_FORMAT: code}}, {"terms": {f.RES_FORMAT: list(names)}}]
    if fields == "full" and (licence := codelists.licence_named(concept.text)):
        # "CC-BY", "Open Government License": held by a record under that licence, as the licence facet
        # lists it (no record spells its licence). Never on the name tier: the licence is no name-tier facet.
        should.append({"term": {f.LICENSE_ID: licence}})
    if fields == "full" and (kind := _type_named(concept.text)):
        # "GIS", "ภูมิสารสนเทศ", "records": held by a record of that data type, declared or read from its
        # files. Never on the name tier: the data type is no name-tier field, and a derived one is read
        # from the resources.
        should.append({"term": {f.DATA_TYPE: kind}})
    if named:
        should.append(named)
    return {"bool": {"should": should, "minimum_should_match": 1, "_name": f"{CONCEPT_PREFIX}{fields}:{index}"}}


# The standard's data types a concept may name: records, geospatial, statistics — not "other" (9) or
# "multiple", whose words (other, multi) name no kind of data.
NAMED_DATA_TYPES = ("1", "2", "3")


def _type_named(typed: str) -> str | None:
    """The data type a concept's typed words name as a whole, by the code list's labels and aliases
    (``"GIS"``, ``"geospatial data"`` → ``"2"``), or None — never by its code: "2" typed is a number."""
    entry = codelists.lookup("data_type", typed)
    named = entry and entry.code in NAMED_DATA_TYPES and any(ch.isalpha() for ch in typed)
    return entry.code if named else None


def _format_offered(typed: str) -> tuple[str, tuple[str, ...]] | None:
    """The file format a concept's typed words name, every one of them the same — its data-format code and
    the resource formats that are it (``"excel"``, ``"xls xlsx"`` → ``("xls", ("EXCEL", "XLS", "XLSX"))``)
    — or None."""
    entries = {codelists.file_format(word) for word in typed.split()}
    if len(entries) != 1 or None in entries:
        return None
    entry = entries.pop()
    return entry.code, codelists.format_names(entry)


def missing_concepts(plan: QueryPlan, matched: list[str] | None, tier: str) -> list[str]:
    """The concepts (as typed) a hit seen at ``tier`` lacks, from its ``matched_queries``."""
    prefix = f"{CONCEPT_PREFIX}{tier}:"
    held = {int(name[len(prefix):]) for name in matched or () if name.startswith(prefix)}
    return [c.label for i, c in enumerate(concepts(plan)) if i not in held]


def stats_free_score(plan: QueryPlan, fields: str = "full") -> list[dict]:
    """Scoring clauses that read nothing but the record itself: each query word found in a field of
    the tier adds that field's boost (times its variant's weight), whatever other records hold.

    Used for records outside the open index (sensitive and hidden ones): their index's statistics
    mix records of every grant, so BM25 there would let one analyst's ranking reflect the words of
    records only another may see. The match itself is still decided by ``text_query``.
    """
    word_fields, english_fields, _ = FIELD_SETS[fields]
    weights: dict[str, float] = {}
    for variant, weight in zip(plan.variants, plan.variant_weights):
        for word in variant:
            weights[word] = max(weight, weights.get(word, 0.0))
    clauses = [{"constant_score": {"filter": {"term": {name: word}}, "boost": boost * weight}}
               for word, weight in list(weights.items())[:MAX_ANY_WORDS]
               for name, boost in word_fields.items()]
    if plan.words:
        clauses += [{"constant_score": {"filter": {"match": {name: plan.text}},
                                        "boost": boost * ENGLISH_BOOST}} for name, boost in english_fields.items()]
    if plan.shingles:
        clauses.append({"constant_score": {"filter": {"match": {f.TITLE_SHINGLES: " ".join(plan.shingles)}},
                                           "boost": SHINGLE_BOOST}})
    return clauses
