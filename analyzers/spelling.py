"""Spelling: what a misspelt word was meant to be — one home for every correction.

Query understanding (``analyzers.query``) searches for the corrections too:

- a Thai word typed with a confusable letter or a dropped mark sounds like a dictionary word
  (``sound_key``, ``spelled_like``: "สาธารนสุข" → สาธารณสุข); one with a dropped or doubled letter is
  one letter off it (``one_letter_off``: "โรงเรยน" → โรงเรียน); ``correct_span`` and ``corrections``
  find such a word in the pieces the segmenter cut it into;
- an English word nobody knows is one or two edits from a known one (``nearest_english``,
  ``english_corrected``: "electrcity" → electricity).

"Did you mean" (built by ``portal.search.queries``) rewrites the query as typed into words of visible
records: ``spelling_spans`` (what to look up), ``correct`` (the cheapest rewrite, by ``edit_distance``,
where Thai look-alike letters and marks cost half an edit) and ``english_correction`` (an English typo
shown as the glossary word it means).

>>> spelled_like("สาธารนสุข")
('สาธารณสุข',)
>>> edit_distance("ท่องเทียว", "ท่องเที่ยว")
0.5
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from analyzers import dictionary, glossary, thai
from analyzers.script import DROPPED_MARKS, LATIN_WORD, LIGHT_VOWELS, is_thai
from analyzers.stopwords import ENGLISH_FUNCTION_WORDS, QUESTION_WORDS_EN, function_words

__all__ = ["sound_key", "spelled_like", "one_letter_off", "unreadable", "correct_span", "corrections",
           "nearest_english", "english_corrected", "english_vocabulary", "spelling_spans", "edit_distance",
           "correct", "is_a_word", "english_correction", "clear_caches", "MAX_TYPO_WORDS", "typo_candidate",
           "english_words", "english_dictionary",
           "capitals"]

# Shorter Latin words are as likely an acronym no list knows as a typo (GPS, BRT, OTOP, ICT): corrected,
# they became other names (GPS → gas, BRT → MRT, ICT → ECT the election commission, OTOP → top).
MIN_ENGLISH_TYPO = 5
LONG_ENGLISH_WORD = 8
MAX_TYPO_WORDS = 4
# A misspelt word may match another word of one letter more or less (โรงเรยน → โรงเรียน), two at most.
MAX_LETTER_OFF = 2


# --- Thai words: sound-alike and one letter off --------------------------------------------------------

# Letters people confuse when typing Thai, mapped to one representative, and marks they drop.
_SOUND_ALIKE = str.maketrans({"ณ": "น", "ศ": "ส", "ษ": "ส", "ธ": "ท", "ฑ": "ท", "ฒ": "ท", "ฏ": "ต", "ฎ": "ด",
                              "ฬ": "ล", "ญ": "ย", "ภ": "พ", "ฆ": "ค", "ฌ": "ช", "ฐ": "ถ",
                              **dict.fromkeys(DROPPED_MARKS)})


# Final consonants that all sound /t/ (วัด, วัต, วัจ …).
_FINAL_T_SOUND = frozenset("ดตทถจชซสฎฏฐธศษ")


def sound_key(word: str) -> str:
    """A spelling-insensitive key: ``sound_key("สาธารนสุข") == sound_key("สาธารณสุข")``.

    Confusable letters merged, tone marks and the silent-letter mark dropped, final /t/ consonants
    merged, and a final sara i dropped (the common misspelling อนุญาติ for อนุญาต).
    """
    key = word.translate(_SOUND_ALIKE)
    if key.endswith("\u0e34") and len(key) > 3:
        key = key[:-1]
    return key[:-1] + "ด" if key[-1:] in _FINAL_T_SOUND else key


@lru_cache(maxsize=1)
def _words_by_sound() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for word in dictionary.words():
        if len(word) >= 4:
            table.setdefault(sound_key(word), []).append(word)
    custom = dictionary.custom_words()
    return {key: tuple(sorted(found, key=lambda w: (w not in custom, w))) for key, found in table.items()}


def spelled_like(typed: str) -> tuple[str, ...]:
    """Dictionary words ``typed`` is probably a misspelling of (custom words first); none if it is a word."""
    if len(typed) < 4 or typed in dictionary.words():
        return ()
    return _words_by_sound().get(sound_key(typed), ())


# What a dropped key can have been: every Thai letter, vowel sign and mark (not the baht sign).
_INSERTABLE = "".join(chr(c) for c in range(0x0E01, 0x0E4F) if not 0x0E3B <= c <= 0x0E3F)
MAX_EDITED_CHARS = 24


@lru_cache(maxsize=4096)
def one_letter_off(typed: str) -> tuple[str, ...]:
    """Dictionary words ``typed`` becomes with one letter or mark put back or taken out (custom words
    first): ``"โรงเรยน"`` → ``("โรงเรียน",)``, ``"พลังาน"`` → ``("พลังงาน",)``; none if it is a word.

    Only insertions and deletions: a dropped or doubled key is the slip that defeats both the segmenter
    and ``spelled_like``; substitutions would turn real words into other real words (โรงงาน ↔ แรงงาน).
    """
    if len(typed) < 4 or len(typed) > MAX_EDITED_CHARS or typed in dictionary.words():
        return ()
    known = dictionary.words()
    inserted = {typed[:i] + ch + typed[i:] for i in range(len(typed) + 1) for ch in _INSERTABLE}
    deleted = {typed[:i] + typed[i + 1:] for i in range(len(typed))}
    found = [w for w in inserted | deleted if len(w) >= 4 and w in known]
    custom = dictionary.custom_words()
    return tuple(sorted(found, key=lambda w: (w not in custom, w)))


def unreadable(token: str) -> bool:
    """A Thai token that is no dictionary word: the segmenter's leftover from a misspelling (โรงเรยน →
    โรง|เรย|น)."""
    return is_thai(token) and token not in dictionary.words()


def correct_span(span: tuple[str, ...]) -> tuple[str, ...]:
    """Words the run ``span`` is probably a misspelling of: one that sounds the same, else — when the
    segmenter left a piece it cannot read ("โรงเรยน" → โรง|เรย|น, "โรงาน" → โร|งาน) — one a letter
    longer or shorter."""
    joined = "".join(span)
    if sounds := spelled_like(joined):
        return sounds[:1]
    if len(span) > 1 and all(map(is_thai, span)) and any(
            unreadable(t) or len(t) <= 2 and t not in function_words() for t in span):
        return one_letter_off(joined)[:MAX_LETTER_OFF]
    return ()


def corrections(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The query with a misspelt word replaced: the segmenter cuts "ท่องเทียว" into ท่อง|เทียว, but
    joined again it sounds like the dictionary word ท่องเที่ยว."""
    corrected, start = [], 0
    while start < len(tokens):
        found = next(((end, words) for end in range(min(len(tokens), start + MAX_TYPO_WORDS), start, -1)
                      if (words := correct_span(tokens[start:end]))), None)
        if found is None:
            start += 1
            continue
        end, words = found
        corrected += [tokens[:start] + (word,) + tokens[end:] for word in words]
        start = end
    return corrected


# --- English words ----------------------------------------------------------------------------------

def capitals(text: str) -> frozenset[str]:
    """Latin words of ``text`` typed in capitals (``ICT``, ``O-NET``, ``PM2.5``), as query tokens: acronyms,
    never typos."""
    return frozenset(stem for word in _LATIN_RUN.findall(text) if len(word) > 1 and word.isupper()
                     for stem in thai.segment(word))


_LATIN_RUN = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def english_dictionary() -> frozenset[str]:
    """English words, lower-case: the word-frequency list of ``pyspellchecker`` (MIT; 160,000 words seen
    at least 50 times in its corpus — common misspellings such as "goverment" or "budjet" are not in it)."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def english_words(text: str) -> frozenset[str]:
    """The stems of the Latin words of ``text`` that are English words (``english_dictionary``): a word
    spelt right is never "corrected" into another one ("storm" is not a typo of *store*, nor "coral" of
    *coal*), whether or not the glossary can translate it."""
    return frozenset(stem for word in _LATIN_RUN.findall(text) if word.lower() in english_dictionary()
                     for stem in thai.segment(word))


def typo_candidate(token: str, acronyms: frozenset[str] = frozenset()) -> bool:
    """A Latin query token that may be an English typo: no list knows it, it has ``MIN_ENGLISH_TYPO``
    letters or more, and it is not to be kept as typed (``acronyms``: typed in capitals, from
    ``capitals``, or an English word, from ``english_words``)."""
    return (bool(LATIN_WORD.match(token)) and len(token) >= MIN_ENGLISH_TYPO and token not in acronyms
            and token not in english_vocabulary())


def english_corrected(tokens: tuple[str, ...], acronyms: frozenset[str] = frozenset()) -> tuple[str, ...] | None:
    """The query with each Latin word nobody knows replaced by the nearest known English word (one edit
    for words of five to seven letters, two from eight): "electrcity" → electricity; never an acronym
    nor an English word (``acronyms`` holds both)."""
    fixed = tuple(nearest_english(t) if typo_candidate(t, acronyms) else t for t in tokens)
    return fixed if fixed != tokens else None


@lru_cache(maxsize=4096)
def nearest_english(stem: str) -> str:
    """The known English stem nearest to ``stem`` (``"electrc"`` → ``"electr"``), or ``stem`` itself."""
    limit = 1 if len(stem) < LONG_ENGLISH_WORD else 2
    best = min(((_edits(stem, known, limit), known) for known in english_vocabulary()
                if abs(len(known) - len(stem)) <= limit), default=(limit + 1, stem))
    return best[1] if best[0] <= limit else stem


def _edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours is one edit), ``limit + 1`` when larger."""
    previous2, previous = [], list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """Stemmed English words the lists know (glossary, synonyms, abbreviations) and English function
    words: a Latin query word outside it is a typo candidate."""
    written = set(glossary.english_words()) | set(ENGLISH_FUNCTION_WORDS) | set(QUESTION_WORDS_EN)
    for group in dictionary.synonym_groups():
        written.update(w for member in group for w in thai.words(member))
    written.update(w for pair in dictionary.abbreviations() for side in pair for w in thai.words(side))
    return frozenset(stem for w in written if LATIN_WORD.match(w) for stem in thai.segment(w))


# --- did you mean: the query as typed → words of visible records ---------------------------------

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


def edit_distance(a: str, b: str, bound: float = math.inf) -> float:
    """Levenshtein distance where Thai look-alike letters and vowel/tone marks cost half an edit.

    Past ``bound`` the exact figure does not matter: the walk stops at the first row whose every cell
    exceeds it (no later row can be cheaper) and returns that row's least cost, still above ``bound``.
    """
    previous = [0.0]
    for cb in b:
        previous.append(previous[-1] + _indel(cb))
    for ca in a:
        current = [previous[0] + _indel(ca)]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + _indel(ca), current[j - 1] + _indel(cb),
                               previous[j - 1] + _substitution(ca, cb)))
        if min(current) > bound:
            return min(current)
        previous = current
    return previous[-1]


_CHEAPEST_INDEL = 0.5  # ``_indel``'s least cost


def _closest(word: str, vocabulary: dict[str, int]) -> tuple[float, str] | None:
    limit = min(2.0, max(1.0, len(word) / 4))  # a short word may not lose or change much of itself
    # Every character of length difference costs at least one cheapest insertion or deletion: words
    # further apart in length than that cannot come within ``limit`` and are not compared at all (a
    # long unspaced query met thousands of them: seconds of pure Python per "did you mean").
    reach = limit / _CHEAPEST_INDEL
    scored = [(edit_distance(word, v, limit), -n, v) for v, n in vocabulary.items()
              if v != word and abs(len(v) - len(word)) <= reach]
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
    return cost, thai.join_words(words), thai.join_words(tokens)


def is_a_word(token: str) -> bool:
    """A Thai dictionary word, or an English word (``english_dictionary``, or the glossary and lists,
    compared stemmed)."""
    if token.isascii():
        return token.lower() in english_dictionary() \
            or any(stem in english_vocabulary() for stem in thai.segment(token))
    return token in dictionary.words()


def english_correction(q: str) -> str | None:
    """``q`` with each English typo replaced by the known word it is nearest to (``budjet`` → budget),
    or ``None`` when there is none; Thai and known words as typed."""
    words, acronyms = thai.words(q), capitals(q) | english_words(q)
    fixed = []
    for word in words:
        stem = (thai.segment(word) or [word])[0]
        if typo_candidate(stem, acronyms) and len(word) >= MIN_ENGLISH_TYPO:
            nearest = nearest_english(stem)
            if nearest != stem and _display_words().get(nearest):
                word = min(_display_words()[nearest], key=lambda known: (edit_distance(word, known), known))
        fixed.append(word)
    return thai.join_words(fixed) if fixed != words else None


@lru_cache(maxsize=1)
def _display_words() -> dict[str, tuple[str, ...]]:
    """Stem → the glossary words with that stem (``electr`` → electric, electricity): what to show."""
    found: dict[str, list[str]] = {}
    for word in sorted(glossary.english_words()):
        for stem in thai.segment(word):
            found.setdefault(stem, []).append(word)
    return {stem: tuple(words) for stem, words in found.items()}


def clear_caches() -> None:
    """Forget the sound table and the corrections worked out so far (after the dictionary is rebuilt)."""
    for cached in (_words_by_sound, one_letter_off, nearest_english, english_vocabulary, _display_words):
        cached.cache_clear()
