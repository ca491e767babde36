"""Query text for the search module: understanding a query, its matching clause, and highlights.

Understanding and the matching clause belong to the Thai-analysis area (``analyzers.query``,
``portal.search.relevance``); highlights are marked by ``analyzers.highlight`` on the *original* text
of the record, never on the segmented index fields, so the reader sees the title as the agency wrote
it. Every fragment is HTML-escaped before ``<mark>`` is added.
"""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from analyzers import thai
from analyzers.highlight import mark
from analyzers.concepts import concepts
from analyzers.query import QueryPlan, understand
from analyzers.script import DROPPED_MARKS, LATIN_WORD, LIGHT_VOWELS
from portal.search.relevance import all_words_query, missing_concepts, stats_free_score, text_query

__all__ = ["QueryPlan", "understand", "text_query", "all_words_query", "concepts", "missing_concepts",
           "stats_free_score", "highlights", "SNIPPET_LENGTH", "warm"]

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


# Queries that walk every dictionary query understanding and highlighting build on first use: a
# misspelt Thai word, an abbreviation, an English typo, a compound the custom dictionary keeps whole.
_WARM_QUERIES = ("โรงเรยนในกรุงเทพ", "สพฐ. covid statistcs", "กรมการขนส่งทางบก งบประมาณ")


def warm() -> None:
    """Build the Thai dictionaries, tries and sound tables now rather than in the first requests.

    They take seconds to build; under load, every thread that meets them cold builds its own copy at
    once (``lru_cache`` does not make the others wait), so a fresh worker answered nothing for tens of
    seconds. ``make serve`` calls this once in gunicorn's master, before the workers fork and share it.
    """
    from analyzers import dictionary

    for q in _WARM_QUERIES:
        record = {"title": "ที่ตั้งโรงเรียนในสังกัด สพฐ. กรมการขนส่งทางบก", "notes": "statistics"}
        highlights(record, "full", understand(q))
    dictionary.parts("กรมการขนส่งทางบก")


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


MAX_SPAN_WORDS = 6
MAX_SPANS = 48


def _spans_of(tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every run of up to six adjacent words; runs of several words only in Thai."""
    out = []
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + MAX_SPAN_WORDS) + 1):
            if j - i > 1 and any(t.isascii() for t in tokens[i:j]):
                break
            out.append((i, j))
    return out


def spelling_spans(q: str) -> list[str]:
    """The words of ``q`` and runs of adjacent Thai words joined: a misspelt Thai word segments into pieces.
    Runs never cross a space the user typed."""
    spans = []
    for chunk in q.split():
        tokens = thai.words(chunk)
        spans += ["".join(tokens[i:j]) for i, j in _spans_of(tokens)]
    return [t for t in dict.fromkeys(spans) if len(t) >= 2 and not t.isdigit()][:MAX_SPANS]


def similar_length_pattern(word: str, slack: int = 2) -> str:
    """A Lucene regular expression for any value within ``slack`` characters of ``word``'s length."""
    return f".{{{max(1, len(word) - slack)},{len(word) + slack}}}"


# Typing slips that cost half an edit: letters Thai spells alike, and dropped vowel signs and tone marks.
_ALIKE = [set(group) for group in ("นณ", "สศษ", "ทธฑฒ", "ลฬ", "ขฃ", "คฅฆ", "พภ", "ตฏ", "ดฎ", "ยญ", "จช",
                                    "ะา", "ิี", "ึื", "ุู")]
_LIGHT = set(LIGHT_VOWELS + DROPPED_MARKS)


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return 0.5 if any(a in g and b in g for g in _ALIKE) else 1.0


def _indel(ch: str) -> float:
    return 0.5 if ch in _LIGHT else 1.0


def edit_distance(a: str, b: str) -> float:
    """Levenshtein distance where Thai look-alike letters and vowel/tone marks cost half an edit."""
    previous = [0.0]
    for cb in b:
        previous.append(previous[-1] + _indel(cb))
    for ca in a:
        current = [previous[0] + _indel(ca)]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + _indel(ca), current[j - 1] + _indel(cb),
                               previous[j - 1] + _substitution(ca, cb)))
        previous = current
    return previous[-1]


def _closest(word: str, vocabulary: dict[str, int]) -> tuple[float, str] | None:
    limit = min(2.0, max(1.0, len(word) / 4))  # a short word may not lose or change much of itself
    scored = [(edit_distance(word, v), -n, v) for v, n in vocabulary.items() if v != word]
    scored = [s for s in scored if s[0] <= limit]
    if not scored:
        return None
    distance, _, best = min(scored)
    return distance, best


_UNKNOWN = 10  # the cost of leaving a word nobody's visible record contains


def correct(q: str, known: set[str], vocabulary: dict[str, int]) -> str | None:
    """The cheapest rewrite of ``q`` into words of visible records, or ``None`` if nothing changes.

    Per space-separated chunk, dynamic programming over its words: each run of adjacent words is kept
    (a known word, cost 0), replaced by its closest visible word (cost = edit distance) or, for a single
    word, left unknown. A rewrite that still holds an unknown word is no suggestion at all.
    """
    chunks = [_correct_chunk(thai.words(chunk), known, vocabulary) for chunk in q.split()]
    chunks = [c for c in chunks if c is not None]
    if not chunks or any(cost >= _UNKNOWN for cost, _, _ in chunks):
        return None
    rewritten = " ".join(new for _, new, _ in chunks if new)
    return rewritten if rewritten != " ".join(old for _, _, old in chunks if old) else None


def _correct_chunk(tokens: list[str], known: set[str], vocabulary: dict[str, int]):
    if not tokens:
        return None
    if len(tokens) == 1 and is_a_word(tokens[0]):
        # A word the dictionary knows is what was meant, found or not: ฝุ่น is never "รุ่น".
        return 0, tokens[0], tokens[0]
    best: list[tuple[float, int, list[str]] | None] = [None] * (len(tokens) + 1)
    best[0] = (0, 0, [])
    for i, j in sorted(_spans_of(tokens), key=lambda span: span[1]):
        if best[i] is None:
            continue
        span = "".join(tokens[i:j])
        if span in known or (j - i == 1 and (len(span) < 2 or span.isdigit())):
            option = (0, span)
        else:
            found = _closest(span, vocabulary)
            option = found if found else ((_UNKNOWN, span) if j - i == 1 else None)
        if option is None:
            continue
        cost, pieces, words = best[i]
        candidate = (cost + option[0], pieces + 1, words + [option[1]])
        if best[j] is None or candidate[:2] < best[j][:2]:
            best[j] = candidate
    cost, _, words = best[-1]
    return cost, _join(words), _join(tokens)


def is_a_word(token: str) -> bool:
    """A Thai dictionary word, or an English word the glossary and lists know (compared stemmed)."""
    from analyzers import dictionary
    from analyzers.query import english_vocabulary

    if token.isascii():
        return any(stem in english_vocabulary() for stem in thai.segment(token))
    return token in dictionary.words()


def english_correction(q: str) -> str | None:
    """``q`` with each English typo replaced by the known word it is nearest to (``budjet`` → budget),
    or ``None`` when there is none; Thai and known words as typed."""
    from analyzers.query import nearest_english, english_vocabulary

    words = thai.words(q)
    fixed = []
    for word in words:
        stem = (thai.segment(word) or [word])[0]
        if LATIN_WORD.match(word) and len(word) >= 4 and stem not in english_vocabulary():
            nearest = nearest_english(stem)
            if nearest != stem and _display_words().get(nearest):
                word = min(_display_words()[nearest], key=lambda known: (edit_distance(word, known), known))
        fixed.append(word)
    return _join(fixed) if fixed != words else None


@lru_cache(maxsize=1)
def _display_words() -> dict[str, tuple[str, ...]]:
    """Stem → the glossary words with that stem (``electr`` → electric, electricity): what to show."""
    from analyzers import glossary

    found: dict[str, list[str]] = {}
    for word in sorted(glossary.english_words()):
        for stem in thai.segment(word):
            found.setdefault(stem, []).append(word)
    return {stem: tuple(words) for stem, words in found.items()}


def other_language(plan: QueryPlan) -> str | None:
    """The query said in the other language, concept by concept (``hotel กรุงเทพ`` → โรงแรม bangkok),
    from the glossary and the synonym lists; ``None`` when no concept has such a form."""
    said, changed = [], False
    for concept in concepts(plan):
        typed_latin = concept.text.isascii()
        other = next((form for form in concept.alternatives[1:]
                      if all(w.isascii() != typed_latin for w in form)), None)
        changed = changed or other is not None
        said.append(_join(list(other)) if other else concept.text)
    return " ".join(said) if changed else None


def _join(tokens: list[str]) -> str:
    """Thai words run together as Thai is written; anything else is separated by a space."""
    text = ""
    for token in tokens:
        if text and (text[-1].isascii() or token[0].isascii()):
            text += " "
        text += token
    return text
