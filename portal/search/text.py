"""Query text for the search module: understanding a query, its matching clause, and highlights.

Understanding and the matching clause belong to the Thai-analysis area (``analyzers.query``,
``portal.search.relevance``); highlights are marked by ``analyzers.highlight`` on the *original* text
of the record, never on the segmented index fields, so the reader sees the title as the agency wrote
it. Every fragment is HTML-escaped before ``<mark>`` is added.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from analyzers import thai
from analyzers.highlight import mark
from analyzers.query import QueryPlan, understand
from portal.search.relevance import text_query

__all__ = ["QueryPlan", "understand", "text_query", "highlights", "SNIPPET_LENGTH"]

SNIPPET_LENGTH = 220


def highlights(record: dict, tier: str, plan: QueryPlan | None) -> dict[str, Markup]:
    """Marked title (and English title), and for the full tier a marked description snippet."""
    def marked(text: str, max_len: int | None = None) -> Markup:
        if plan is None:
            return escape(text[:max_len]) + ("…" if max_len and len(text) > max_len else "")
        return mark(text, plan, max_len=max_len)

    found = {"title": marked(record.get("title") or "")}
    if record.get("title_en"):
        found["title_en"] = marked(record["title_en"])
    if tier == "full":
        for key in ("notes", "notes_en"):
            if record.get(key):
                found[key] = marked(" ".join(record[key].split()), SNIPPET_LENGTH)
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
