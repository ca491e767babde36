"""Highlighting on the text as written: ``<mark>`` around the words a query matched, everything escaped.

Elasticsearch only ever saw the segmented, space-joined tokens, so its highlighter would show spaces
that nobody wrote. Here the original text is segmented again with the same segmenter, on a view that
keeps a map back to the original characters, and matches are marked in the original.

>>> from analyzers.query import understand
>>> str(mark("ที่ตั้งโรงเรียนในสังกัด สพฐ.", understand("โรงเรียน")))
'ที่ตั้ง<mark>โรงเรียน</mark>ในสังกัด สพฐ.'
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from markupsafe import Markup, escape

from analyzers import dictionary, thai
from analyzers.query import QueryPlan
from analyzers.script import (HYPHENATED, RUN, THAI_BLOCK, THAI_DIGIT, THAI_LETTERS, TO_ARABIC_DIGITS,
                              TYPO_MARKS, is_thai)

ELLIPSIS = "…"
# How much of a snippet shows before the first match.
LEAD_FRACTION = 0.25
_DROPPED = re.compile("[\u200b-\u200f\u2060-\u206f\ufeff\u00ad]")
_TYPO_MARKS = frozenset(TYPO_MARKS)


def mark(text: str | None, plan: QueryPlan, max_len: int | None = None) -> Markup:
    """HTML for ``text`` with matched words in ``<mark>``.

    With ``max_len``, a snippet of that many characters around the first match.
    """
    text = text or ""
    spans = match_spans(text, plan)
    start, end = 0, len(text)
    if max_len is not None and len(text) > max_len:
        start, end = _window(text, spans, max_len)
    pieces: list[str] = [ELLIPSIS] if start > 0 else []
    cursor = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        pieces.append(str(escape(text[cursor:s])))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(str(escape(text[cursor:end])))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return Markup("".join(pieces))


def match_spans(text: str, plan: QueryPlan) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` offsets in ``text`` of everything ``plan`` matches."""
    if not text or plan.empty:
        return []
    view, origin = _view(text)
    tokens = _tokens(view)
    starts = {s for s, _, _ in tokens}
    ends = {e for _, e, _ in tokens}
    stems = set(plan.words) | {w for variant in plan.variants for w in variant}
    spans = [(s, e) for s, e, token in tokens if token in plan.highlight_terms or thai.stem(token) in stems]
    for term in plan.highlight_terms:
        spans += _aligned(view, term, starts, ends, tokens)
    spans += _typo_spans(view, tokens, plan)
    if plan.latin and "-" in view:
        # a word written with hyphens, matched as the word joined ("onet" finds O-NET: thai.hyphen_joined)
        spans += [m.span() for m in HYPHENATED.finditer(view)
                  if any(w in plan.highlight_terms or w in stems for w in thai.hyphen_joined(m.group()))]
    return _merge([(origin[s], origin[e - 1] + 1) for s, e in spans])


# Text of ASCII and Thai only, without a full stop after a Thai letter, keeps every character in its
# place in the view: one translate + lower instead of a loop over its characters (most records).
_PLAIN = re.compile(f"[\x00-\x7f{THAI_BLOCK}]*")
_THAI_FULL_STOP = re.compile(f"[{THAI_LETTERS}]\\.")
# What the view leaves out: invisible characters, and a full stop after a Thai letter (พ.ศ. → พศ).
_DROPPED_IN_VIEW = re.compile(f"{_DROPPED.pattern}|(?<=[{THAI_LETTERS}])\\.")
_CONTEXT_LOWER = re.compile("[\u0130\u03a3]")


def _view(text: str) -> tuple[str, list[int] | range]:
    """A character-per-character normalised copy of ``text`` and each view character's original index."""
    if _PLAIN.fullmatch(text) and not _THAI_FULL_STOP.search(text):
        return _arabic_digits(text).lower(), range(len(text))
    origin: list[int] | range = range(len(text))
    kept = text
    dropped = [m.start() for m in _DROPPED_IN_VIEW.finditer(text)]
    if dropped:
        origin, pieces, previous = [], [], 0
        for at in [*dropped, len(text)]:
            origin.extend(range(previous, at))
            pieces.append(text[previous:at])
            previous = at + 1
        kept = "".join(pieces)
    view = _arabic_digits(kept).lower()
    # ``lower`` of the whole string equals lowering each character alone unless a character lowers to
    # two (İ) or depends on its neighbours (a final Σ): those few texts take the character-by-character way.
    if len(view) == len(kept) and not _CONTEXT_LOWER.search(kept):
        return view, origin
    return "".join(ch.translate(TO_ARABIC_DIGITS).lower()[:1] or ch for ch in kept), origin


def _tokens(view: str) -> list[tuple[int, int, str]]:
    tokens = []
    for run in RUN.finditer(view):
        if not is_thai(run.group()):
            tokens.append((run.start(), run.end(), run.group()))
            continue
        at = run.start()
        tokens += [(at + s, at + e, token) for s, e, token in _words_of_run(run.group())]
    return tokens


@lru_cache(maxsize=65536)
def _words_of_run(run: str) -> tuple[tuple[int, int, str], ...]:
    """``thai.segment_run`` with each word's place in the run (runs repeat a lot, hence the cache)."""
    words = []
    position = 0
    for token in thai.segment_run(run):
        found = run.find(token, position)
        if found < 0:
            break
        words.append((found, found + len(token), token))
        position = found + len(token)
    return tuple(words)


def _aligned(view: str, term: str, starts: set[int], ends: set[int], tokens) -> list[tuple[int, int]]:
    """Occurrences of ``term`` that begin and end on word boundaries, or are a part of a compound word."""
    if len(term) < 2:
        return []
    found = []
    at = view.find(term)
    while at >= 0:
        end = at + len(term)
        if (at in starts and end in ends) or _inside_compound(at, end, term, tokens) \
                or _inside_plain_word(view, at, end, term, tokens):
            found.append((at, end))
        at = view.find(term, at + 1)
    return found


def _inside_compound(start: int, end: int, term: str, tokens) -> bool:
    return any(s <= start and end <= e and term in dictionary.parts(token) for s, e, token in tokens)


# A word found inside a longer dictionary word, and what is left on either side, must be this long.
MIN_INNER_WORD = 4
MIN_REST = 3


def _inside_plain_word(view: str, start: int, end: int, term: str, tokens) -> bool:
    """``term`` is a word of its own inside a longer dictionary word that the project never decided on:
    ปริมาณ<mark>น้ำฝน</mark> (ปริมาณน้ำฝน is pythainlp's one word, made of ปริมาณ + น้ำฝน).

    The project's own words stay whole: รถไฟฟ้า and จักรยานยนต์ are custom words on purpose, so ไฟฟ้า and
    จักรยาน are never marked inside them. What is left on either side must be a dictionary word too, of
    three letters or more, so รถจักรยานยนต์ (รถ + จักรยาน + ยนต์) and ทุเรียน (ทุ + เรียน) keep theirs.
    """
    if len(term) < MIN_INNER_WORD or term not in dictionary.words():
        return False
    for s, e, token in tokens:
        if s <= start and end <= e:
            before, after = view[s:start], view[end:e]
            return (token != term and token in dictionary.words() and token not in dictionary.custom_words()
                    and all(not rest or (len(rest) >= MIN_REST and rest in dictionary.words())
                            for rest in (before, after)))
    return False


def _typo_spans(view: str, tokens, plan: QueryPlan) -> list[tuple[int, int]]:
    """Words that equal a query's Thai run once tone marks are ignored ("ท่องเทียว" → "ท่องเที่ยว").

    A word counts where it is the first occurrence within a run of up to four words; the words are
    compared without their marks, all joined (``everything``), so each occurrence is looked up once.
    """
    wanted = {_bare(run) for run in RUN.findall(plan.normalised) if is_thai(run)}
    wanted = {w for w in wanted if len(w) >= 3}
    everything = _bare("".join(token for _, _, token in tokens))
    wanted = {w for w in wanted if w in everything}
    if not wanted:
        return []
    offsets = list(accumulate((len(_bare(token)) for _, _, token in tokens), initial=0))
    found = []
    for word in wanted:
        previous, at = -1, everything.find(word)
        while at >= 0:
            # The last run that begins at or before ``at``, and after the previous occurrence, so that
            # ``at`` is its first; it holds the word if its four words reach the word's end.
            i = bisect_right(offsets, at, 0, len(tokens)) - 1
            if offsets[i] > previous and at + len(word) <= offsets[min(i + 4, len(tokens))]:
                found.append((at, at + len(word) - 1))
            previous, at = at, everything.find(word, at + 1)
    if not found:
        return []
    prefixed = [(s, t) for s, _, t in tokens if t.startswith(dictionary.NOMINAL_PREFIXES)]
    starts = {s for s, _, _ in tokens} | {s + len(p) for s, t in prefixed for p in dictionary.NOMINAL_PREFIXES
                                          if t.startswith(p)}
    ends = {e for _, e, _ in tokens}
    spans = []
    for first, last in found:
        span = (_in_view(first, offsets, tokens), _end_with_marks(view, _in_view(last, offsets, tokens)))
        if span[0] in starts and span[1] in ends:  # whole words: จักรยาน is not in จักรยานยนต์
            spans.append(span)
    return spans


def _in_view(at: int, offsets: list[int], tokens) -> int:
    """The view index of character ``at`` of the words joined without their marks."""
    i = bisect_right(offsets, at) - 1
    start, _, token = tokens[i]
    return start + _unmarked_places(token)[at - offsets[i]]


@lru_cache(maxsize=65536)
def _unmarked_places(token: str) -> tuple[int, ...]:
    return tuple(offset for offset, ch in enumerate(token) if ch not in _TYPO_MARKS)


def _end_with_marks(view: str, last: int) -> int:
    """One past ``last``, extended over the tone marks that follow it (they belong to the same letter)."""
    end = last + 1
    while end < len(view) and view[end] in _TYPO_MARKS:
        end += 1
    return end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _window(text: str, spans: list[tuple[int, int]], max_len: int) -> tuple[int, int]:
    """A ``max_len`` slice that starts a little before the first match, moved onto a space if one is near."""
    first = spans[0][0] if spans else 0
    start = max(0, min(first - int(max_len * LEAD_FRACTION), len(text) - max_len))
    space = text.rfind(" ", max(0, start - 20), start + 1)
    if start > 0 and space >= 0:
        start = space + 1
    return start, min(len(text), start + max_len)


_HAS_TYPO_MARK = re.compile(f"[{TYPO_MARKS}]")


def _bare(word: str) -> str:
    return _HAS_TYPO_MARK.sub("", word)  # (``str.translate`` is several times slower on Thai text)


def _arabic_digits(text: str) -> str:
    return text.translate(TO_ARABIC_DIGITS) if THAI_DIGIT.search(text) else text
