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
    variants, expansions = _variants(tokens)
    surface = set(thai.words(text))
    for phrase in expansions:
        surface.update(thai.words(phrase))
    surface.update(part for token in tokens for part in dictionary.parts(token))
    return QueryPlan(
        text=text,
        normalised=thai.normalise(text),
        words=tokens,
        shingles=tuple(thai.shingles(list(tokens))),
        sub=tuple(thai.subwords(text)),
        variants=variants,
        expansions=expansions,
        latin=tuple(t for t in tokens if _LATIN.match(t)),
        highlight_terms=frozenset(surface | set(tokens)),
    )


def _variants(tokens: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The query as typed, with each abbreviation/synonym replaced by its equivalents, and compounds split."""
    variants: dict[tuple[str, ...], None] = {tokens: None}
    expansions: dict[str, None] = {}
    for start in range(len(tokens)):
        for end in range(min(len(tokens), start + MAX_PHRASE_WORDS), start, -1):
            alternatives = equivalents().get("".join(tokens[start:end]), ())
            for alternative, written in alternatives:
                variants.setdefault(tokens[:start] + alternative + tokens[end:], None)
                expansions.setdefault(written, None)
            if alternatives:  # the longest phrase wins: "โควิด-19" is not also "โควิด" + "19"
                break
    split = tuple(piece for token in tokens for piece in (dictionary.parts(token) or (token,)))
    variants.setdefault(split, None)
    return tuple(list(variants)[:MAX_VARIANTS]), tuple(expansions)


@lru_cache(maxsize=1)
def equivalents() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Key (the segmented entry joined without spaces) → (its equivalents' tokens, as written).

    Built from ``abbreviations.tsv`` (both directions) and ``synonyms.tsv`` (every member to the others).
    """
    table: dict[str, dict[tuple[str, ...], str]] = {}

    def link(a: str, b: str) -> None:
        key, tokens = "".join(thai.segment(a)), tuple(thai.segment(b))
        if key and tokens and "".join(tokens) != key:
            table.setdefault(key, {}).setdefault(tokens, b)

    for short, full in dictionary.abbreviations():
        link(short, full)
        link(full, short)
    for group in dictionary.synonym_groups():
        for a in group:
            for b in group:
                link(a, b)
    return {key: tuple(alts.items()) for key, alts in table.items()}
