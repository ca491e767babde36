"""Query text for the search module: understanding a query, its matching clause, and highlights.

Highlights are marked on the *original* text of the record (never on the segmented index fields), so
the reader sees the title as the agency wrote it, without the spaces segmentation inserts. Every
fragment is HTML-escaped before ``<mark>`` is added, so a title such as ``<script>`` stays text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from analyzers import thai
from indexer import mapping as m

SNIPPET_LENGTH = 220
_SNIPPET_LEAD = 60

# Boosts follow the national CKAN extension: title ×4, tags ×3, organization ×2, description ×1.
_FULL_FIELDS = [f"{m.TITLE_WORDS}^4", f"{m.TITLE_EN}^4", f"{m.TAGS_WORDS}^3", f"{m.ORGANIZATION_WORDS}^2",
                m.NOTES_WORDS, m.NOTES_EN]
_NAME_FIELDS = [f"{m.TITLE_WORDS}^4", f"{m.TITLE_EN}^4", f"{m.ORGANIZATION_WORDS}^2"]


@dataclass(frozen=True)
class _PlainPlan:
    """What the query said: its text, its words (segmented like the index) and the words as typed."""

    text: str
    words: tuple[str, ...]
    surface: tuple[str, ...] = field(default=())


def understand(q: str) -> _PlainPlan:
    """Segment ``q`` with the same function the indexer uses."""
    return _PlainPlan(text=q, words=tuple(thai.segment(q)), surface=tuple(thai.words(q)))


def text_query(plan: _PlainPlan, fields: str = "full") -> dict:
    """The matching clause: every word must match somewhere (``fields``: "full" or "name" tier)."""
    return _plain_text_query(plan, _FULL_FIELDS if fields == "full" else _NAME_FIELDS)


def _plain_text_query(plan: _PlainPlan, fields: list[str]) -> dict:
    words = " ".join(plan.words)
    return {"bool": {
        "must": [{"multi_match": {"query": words, "fields": fields, "type": "cross_fields", "operator": "and"}}],
        "should": [{"match_phrase": {m.TITLE_WORDS: {"query": words, "boost": 2}}}],
    }}


# --- highlighting on the original text ----------------------------------------------------------------

def _terms(plan: _PlainPlan | None) -> list[str]:
    if plan is None:
        return []
    terms = {w for w in (*plan.surface, *plan.words) if len(w) >= 2 or not w.isascii()}
    return sorted(terms, key=len, reverse=True)


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of every term in ``text``, case-insensitive."""
    if not terms or not text:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    return [(found.start(), found.end()) for found in pattern.finditer(text)]


def mark(text: str, plan: _PlainPlan | None) -> Markup:
    """``text`` escaped, with the query's words wrapped in ``<mark>``."""
    out, last = [], 0
    for start, end in _spans(text, _terms(plan)):
        out += [escape(text[last:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(text: str, plan: _PlainPlan | None, length: int = SNIPPET_LENGTH) -> Markup:
    """A window of ``text`` around the first match (or its start), marked and escaped."""
    text = " ".join((text or "").split())
    spans = _spans(text, _terms(plan))
    start = max(0, spans[0][0] - _SNIPPET_LEAD) if spans else 0
    window = text[start:start + length]
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    return Markup(prefix) + mark(window, plan) + Markup(suffix)


def highlights(record: dict, tier: str, plan: _PlainPlan | None) -> dict[str, Markup]:
    """Marked title (and English title), and for the full tier a marked description snippet."""
    found = {"title": mark(record.get("title") or "", plan)}
    if record.get("title_en"):
        found["title_en"] = mark(record["title_en"], plan)
    if tier == "full":
        for key in ("notes", "notes_en"):
            if record.get(key):
                found[key] = snippet(record[key], plan)
    return found


# --- autocomplete and "did you mean" helpers (pure; the requests are built in queries.py) ---------------

_REGEX_SPECIAL = set('.?+*|{}[]()"\\#@&<>~')


def contains_pattern(typed: str) -> str:
    """A Lucene regular expression matching values that contain ``typed``, Latin letters in any case."""
    out = []
    for ch in typed:
        if ch.isascii() and ch.isalpha():
            out.append(f"[{ch.lower()}{ch.upper()}]")
        elif ch in _REGEX_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return ".*" + "".join(out) + ".*"


def interleave(groups: list[list[dict]], size: int) -> list[dict]:
    """Take from each group in turn (datasets, organizations, tags) until ``size`` suggestions."""
    out: list[dict] = []
    iters = [iter(g) for g in groups]
    while len(out) < size and iters:
        for it in list(iters):
            item = next(it, None)
            if item is None:
                iters.remove(it)
            elif len(out) < size:
                out.append(item)
    return out


def spelling_spans(q: str) -> list[str]:
    """The query's words and adjacent pairs joined: a misspelt Thai word often segments into two."""
    tokens = thai.words(q)
    pairs = ["".join(p) for p in zip(tokens, tokens[1:]) if not any(t.isascii() for t in p)]
    return [t for t in dict.fromkeys(tokens + pairs) if len(t) >= 2]


def similar_length_pattern(word: str, slack: int = 2) -> str:
    """A Lucene regular expression for any value within ``slack`` characters of ``word``'s length."""
    return f".{{{max(1, len(word) - slack)},{len(word) + slack}}}"


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _closest(word: str, vocabulary: dict[str, int]) -> str | None:
    limit = 1 if len(word) <= 4 else 2
    scored = [(edit_distance(word, v), -n, v) for v, n in vocabulary.items() if v != word]
    scored = [s for s in scored if s[0] <= limit]
    return min(scored)[2] if scored else None


def correct(q: str, known: set[str], vocabulary: dict[str, int]) -> str | None:
    """Replace unknown words (or unknown adjacent pairs) of ``q`` by their closest visible word."""
    tokens = thai.words(q)
    out: list[str] = []
    changed, i = False, 0
    while i < len(tokens):
        pair = "".join(tokens[i:i + 2]) if i + 1 < len(tokens) and not tokens[i].isascii() else None
        if pair and pair not in known:
            better = _closest(pair, vocabulary)
            if better:
                out.append(better)
                changed, i = True, i + 2
                continue
        word = tokens[i]
        better = None if word in known or len(word) < 2 else _closest(word, vocabulary)
        out.append(better or word)
        changed = changed or bool(better)
        i += 1
    return _join(out) if changed else None


def _join(tokens: list[str]) -> str:
    """Thai words run together as Thai is written; anything else is separated by a space."""
    text = ""
    for token in tokens:
        if text and (text[-1].isascii() or token[0].isascii()):
            text += " "
        text += token
    return text
