"""Query understanding: what a person typed → the tokens, alternatives and n-grams to search for.

Uses the same ``analyzers.thai`` functions as the indexer, so a query and a record spelled alike give
identical tokens. Nothing here is Lucene syntax: ``+ - " * ( ) :`` and friends are text (and mostly
punctuation that segmentation drops), and every clause built from a plan is a plain ``match``.

>>> plan = understand("ข้อมูล กฟภ. ปี ๒๕๖๓")
>>> plan.words
('ข้อมูล', 'กฟภ', 'ปี', '2563')
>>> plan.variants[1]
('ข้อมูล', 'การไฟฟ้าส่วนภูมิภาค', 'ปี', '2563')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from analyzers import dictionary, thai

# Longest run of query words looked up as one abbreviation/synonym ("สำนักงาน พระพุทธศาสนา แห่งชาติ").
MAX_PHRASE_WORDS = 6
MAX_VARIANTS = 8
MAX_QUERY_CHARS = 500
# How much a variant counts against the words as typed: an abbreviation is the same name; a synonym or
# a translation is a near miss; a split compound loses the adjacency of its parts.
ABBREVIATION_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.6
SPLIT_WEIGHT = 0.8
TYPO_WEIGHT = 0.8
WORD_SPLIT_WEIGHT = 0.4
MIN_WORD_SPLIT_CHARS = 9
MAX_TYPO_WORDS = 4
_LATIN = re.compile(r"^[a-z][a-z']*$")


@dataclass(frozen=True)
class QueryPlan:
    """Everything the query builder needs, already analysed. ``variants[0]`` is always ``words``."""

    text: str
    normalised: str
    words: tuple[str, ...]
    shingles: tuple[str, ...]
    sub: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...]
    variant_weights: tuple[float, ...]
    expansions: tuple[str, ...]
    latin: tuple[str, ...]
    highlight_terms: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left (blank, punctuation or emoji only)."""
        return not self.words and not self.sub


def understand(q: str | None) -> QueryPlan:
    """Analyse a query string; long input is cut at ``MAX_QUERY_CHARS`` characters."""
    text = (q or "")[:MAX_QUERY_CHARS]
    tokens = tuple(thai.segment(text))
    weighted, expansions = _variants(tokens)
    surface = set(thai.words(text))
    for phrase in expansions:
        surface.update(thai.words(phrase))
    surface.update(part for token in tokens for part in dictionary.parts(token))
    surface.update(word for variant in weighted for word in variant)
    return QueryPlan(
        text=text,
        normalised=thai.normalise(text),
        words=tokens,
        shingles=tuple(thai.shingles(list(tokens))),
        sub=tuple(thai.subwords(text)),
        variants=tuple(weighted),
        variant_weights=tuple(weighted.values()),
        expansions=expansions,
        latin=tuple(t for t in tokens if _LATIN.match(t)),
        highlight_terms=frozenset(surface | set(tokens)),
    )


def _variants(tokens: tuple[str, ...]) -> tuple[dict[tuple[str, ...], float], tuple[str, ...]]:
    """The query as typed (weight 1), with each abbreviation/synonym replaced by its equivalents, and
    with compounds split; each variant with its weight."""
    variants: dict[tuple[str, ...], float] = {tokens: 1.0}
    expansions: dict[str, None] = {}
    spans = _equivalent_spans(tokens)
    if len(spans) > 1:  # every phrase replaced at once: "temple register" → "วัด ทะเบียน"
        variants[_replace(tokens, [(s, e, alts[0][0]) for s, e, alts in spans])] = min(
            alts[0][2] for _, _, alts in spans)
    for start, end, alternatives in spans:
        for alternative, written, weight in alternatives:
            variants.setdefault(tokens[:start] + alternative + tokens[end:], weight)
            expansions.setdefault(written, None)
    split = tuple(piece for token in tokens for piece in (dictionary.parts(token) or (token,)))
    variants.setdefault(split, SPLIT_WEIGHT)
    if len(tokens) == 1 and len(tokens[0]) >= MIN_WORD_SPLIT_CHARS:
        # "ขยะมูลฝอย" → ขยะ + มูลฝอย, weakly, for a catalogue that only says ขยะ
        for pieces in dictionary.two_word_splits(tokens[0])[:1]:
            variants.setdefault(pieces, WORD_SPLIT_WEIGHT)
    for corrected in _corrections(tokens):
        variants.setdefault(corrected, TYPO_WEIGHT)
    return dict(list(variants.items())[:MAX_VARIANTS]), tuple(expansions)


def _equivalent_spans(tokens: tuple[str, ...]) -> list[tuple[int, int, tuple]]:
    """Non-overlapping (start, end, equivalents) of the phrases the lists know; the longest phrase
    wins, so "โควิด-19" is not also "โควิด" + "19"."""
    spans, start = [], 0
    while start < len(tokens):
        for end in range(min(len(tokens), start + MAX_PHRASE_WORDS), start, -1):
            alternatives = equivalents().get("".join(tokens[start:end]), ())
            if alternatives:
                spans.append((start, end, alternatives))
                start = end
                break
        else:
            start += 1
    return spans


def _replace(tokens: tuple[str, ...], replacements: list[tuple[int, int, tuple[str, ...]]]) -> tuple[str, ...]:
    result: list[str] = []
    cursor = 0
    for start, end, words in replacements:
        result += [*tokens[cursor:start], *words]
        cursor = end
    return tuple(result + list(tokens[cursor:]))


def _corrections(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The query with a misspelt word replaced: the segmenter cuts "ท่องเทียว" into ท่อง|เทียว, but
    joined again it sounds like the dictionary word ท่องเที่ยว."""
    corrected, start = [], 0
    while start < len(tokens):
        end = next((end for end in range(min(len(tokens), start + MAX_TYPO_WORDS), start, -1)
                    if dictionary.spelled_like("".join(tokens[start:end]))), None)
        if end is None:
            start += 1
            continue
        word = dictionary.spelled_like("".join(tokens[start:end]))[0]
        corrected.append(tokens[:start] + (word,) + tokens[end:])
        start = end
    return corrected


ENGLISH_FUNCTION_WORDS = frozenset("a an and by for from in of on or per the to with".split())
# In a data catalogue "data" says nothing ("ข้อมูลวัดในจังหวัดเชียงใหม่" is about temples in Chiang Mai),
# and year markers only announce the number that follows ("ปี 2563", "พ.ศ. 2562").
CATALOGUE_FUNCTION_WORDS = frozenset({"ข้อมูล", "ชุดข้อมูล", "data", "dataset", "ปี", "พศ", "คศ"})


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words that carry no topic (ใน, ของ, การ, เพื่อ, of, the): a query need not find all of them."""
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords()) | ENGLISH_FUNCTION_WORDS | CATALOGUE_FUNCTION_WORDS


@lru_cache(maxsize=1)
def equivalents() -> dict[str, tuple[tuple[tuple[str, ...], str, float], ...]]:
    """Key (the segmented entry joined without spaces) → (an equivalent's tokens, as written, weight).

    Built from ``abbreviations.tsv`` (both directions) and ``synonyms.tsv`` (every member to the others).
    """
    table: dict[str, dict[tuple[str, ...], tuple[str, float]]] = {}

    def link(a: str, b: str, weight: float) -> None:
        key, tokens = "".join(thai.segment(a)), tuple(thai.segment(b))
        if key and tokens and "".join(tokens) != key:
            table.setdefault(key, {}).setdefault(tokens, (b, weight))

    for short, full in dictionary.abbreviations():
        link(short, full, ABBREVIATION_WEIGHT)
        link(full, short, ABBREVIATION_WEIGHT)
    for group in dictionary.synonym_groups():
        for a in group:
            for b in group:
                link(a, b, SYNONYM_WEIGHT)
    return {key: tuple((tokens, written, w) for tokens, (written, w) in alts.items())
            for key, alts in table.items()}
