"""Thai text analysis: one set of functions for index time and query time, so the two cannot drift.

``normalise`` → ``segment`` → ``index_fields`` / ``suggest_terms`` / ``sort_key``. Everything Thai happens
here because the Elasticsearch distribution has only the ``standard`` tokenizer: the index stores the
space-joined tokens produced below and reads them with the built-in ``whitespace`` analyzer.

>>> segment("ที่ตั้งโรงเรียนในสังกัด สพฐ.")
['ที่ตั้ง', 'โรงเรียน', 'ในสังกัด', 'สพฐ']
"""
from __future__ import annotations

import html
import re
import threading
import unicodedata
from functools import lru_cache

from pythainlp.util import normalize as thai_normalize
from pythainlp.util import remove_spaces_before_marks

from analyzers import dictionary
from analyzers.script import (BE_OFFSET, HYPHENATED, RUN, SORT_SECONDARY, THAI_CONSONANTS, THAI_CHAR,
                              THAI_DIGIT, THAI_LETTERS, TO_ARABIC_DIGITS, TO_THAI_DIGITS, TYPO_MARKS)

__all__ = ["ENGINE", "SHINGLE_JOINER", "SUBWORD_SIZE", "CE_YEARS", "BE_YEARS", "normalise", "segment",
           "words", "words_of", "runs_of_words", "hyphen_joined", "segment_run", "stem", "join_words",
           "index_fields", "nominal_stem", "shingles", "subwords", "number_variants", "suggest_terms",
           "sort_key", "clear_caches"]

# The segmentation engine. nlpo3 (Rust newmm) and pythainlp's newmm give the same tokens on the sample
# with the same dictionary; nlpo3 is several times faster (see docs/thai-analysis.md).
ENGINE = "nlpo3"

# Years a government catalogue talks about: Gregorian 1900–2100, Buddhist era 2443–2643.
CE_YEARS = range(1900, 2101)
BE_YEARS = range(1900 + BE_OFFSET, 2101 + BE_OFFSET)

SHINGLE_JOINER = "_"
SUBWORD_SIZE = 3

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u00ad]")
_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f]")
_SPACES = re.compile(r"\s+")
# "ต่าง ๆ", "ต่างๆ", "ต่าง  ๆ" → "ต่างๆ " : one spelling of the repetition mark.
_MAI_YAMOK = re.compile(r"\s*ๆ\s*")
# A dot after a Thai letter marks an abbreviation ("ป.ป.ช.", "สพฐ.", "พ.ศ."): drop it so the letters stay
# one token that the abbreviation list and the dictionary know.
_THAI_ABBREVIATION_DOT = re.compile(f"(?<=[{THAI_LETTERS}])\\.")
# The subword field ignores the marks people drop or misplace, so "ท่องเทียว" still meets "ท่องเที่ยว".
_WITHOUT_TYPO_MARKS = str.maketrans("", "", TYPO_MARKS)
_LEADING_VOWEL_SYLLABLE = re.compile(f"([เแโใไ])([{THAI_CONSONANTS}])")


def normalise(text: str | None) -> str:
    """Return ``text`` in the one spelling every index and query token is built from.

    HTML entities decoded, Unicode NFC, zero-width/control characters removed, Thai vowel/tone order
    repaired, ``ๆ`` spacing unified, abbreviation dots dropped, Thai digits → Arabic, Latin lower-cased.

    >>> normalise("ข้อมูล&amp;สถิติ ปี ๒๕๖๓ ต่าง ๆ  COVID")
    'ข้อมูล&สถิติ ปี 2563 ต่างๆ covid'
    """
    if not text:
        return ""
    return _normalised(text)


# A record's title is normalised three times (index fields, suggestions, sort key). The cache is kept
# tiny on purpose: it serves one record's repeats, not distinct texts across records.
@lru_cache(maxsize=8)
def _normalised(text: str) -> str:
    text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub(" ", text)
    if THAI_CHAR.search(text):
        text = " ".join(_normalise_chunk(chunk) for chunk in remove_spaces_before_marks(text).split())
        text = _MAI_YAMOK.sub("ๆ ", text)
        text = _THAI_ABBREVIATION_DOT.sub("", text)
    if THAI_DIGIT.search(text):  # translate looks up every character: only when there is a digit
        text = text.translate(TO_ARABIC_DIGITS)
    return _SPACES.sub(" ", text.lower()).strip()


@lru_cache(maxsize=65536)
def _normalise_chunk(chunk: str) -> str:
    """pythainlp's normaliser on one space-free chunk; chunks repeat across a catalogue, it is slow."""
    return thai_normalize(chunk) if THAI_CHAR.search(chunk) else chunk


def segment(text: str | None) -> list[str]:
    """Normalised word tokens of ``text``; Latin words stemmed (English Snowball). Punctuation is dropped.

    >>> segment("การไฟฟ้าส่วนภูมิภาค Statistics")
    ['การไฟฟ้าส่วนภูมิภาค', 'statist']
    """
    return [stem(word) for word in words(text)]


def words(text: str | None) -> list[str]:
    """Normalised word tokens of ``text`` as written (no stemming): what people see and type."""
    return words_of(normalise(text))


def words_of(normalised: str) -> list[str]:
    """``words`` of a text already through ``normalise`` (callers that keep the normalised text)."""
    result: list[str] = []
    for run in RUN.findall(normalised):
        if THAI_CHAR.match(run):
            result.extend(segment_run(run))
        else:
            result.append(run)
    return result


def runs_of_words(text: str | None) -> tuple[int, ...]:
    """For each word of ``words(text)``, the index of the run of one script it comes from: the words of one
    run were written together, with no space or punctuation between them (เอเอฟ|ซี of "เอเอฟซี"). The pieces
    of a Latin word written with hyphens are one run (o|net of "O-NET", ``hyphen_joined``)."""
    normalised = normalise(text)
    hyphenated = [m.span() for m in HYPHENATED.finditer(normalised)]
    runs: list[int] = []
    run = -1
    for m in RUN.finditer(normalised):
        if not any(start < m.start() < end for start, end in hyphenated):
            run += 1
        runs += [run] * (len(segment_run(m.group())) if THAI_CHAR.match(m.group()) else 1)
    return tuple(runs)


def hyphen_joined(normalised: str) -> list[str]:
    """The Latin words of a normalised text written with hyphens, as one word: its pieces' stems joined
    (o-net → onet, e-services → eservic: what the pieces typed with hyphens join to in a query, and what
    the word typed joined stems to) and, where it differs, the stem of the word joined. A record saying
    O-NET is then found by "onet", as one saying WiFi is by "wi-fi" (``analyzers.query``)."""
    joined: list[str] = []
    for m in HYPHENATED.finditer(normalised):
        pieces = m.group().split("-")
        joined += dict.fromkeys(("".join(map(stem, pieces)), stem("".join(pieces))))
    return joined


def join_words(tokens: list[str]) -> str:
    """Words as Thai is written: Thai words run together, anything else separated by a space.

    >>> join_words(["โรงเรียน", "ใน", "bangkok", "2563"])
    'โรงเรียนใน bangkok 2563'
    """
    text = ""
    for token in tokens:
        if text and (text[-1].isascii() or token[0].isascii()):
            text += " "
        text += token
    return text


def index_fields(text: str | None) -> dict[str, str]:
    """The index-time strings of one text field, ready for Elasticsearch's ``whitespace`` analyzer.

    ``words``: segmented words, the parts of agency names kept whole by the custom dictionary, the
    other spelling of every number (Thai digits) and year (Buddhist era ↔ Gregorian), and each Latin word
    written with hyphens also joined (``hyphen_joined``).
    ``shingles``: adjacent word pairs, for phrase-like adjacency without positions.
    ``sub``: character trigrams of the Thai text without tone marks, for partial words and typos.
    """
    normalised = normalise(text)
    tokens = [stem(word) for word in words_of(normalised)]
    sub, numbers = _subwords_and_numbers(normalised)
    extra: list[str] = hyphen_joined(normalised)
    for token in tokens:
        extra.extend(_token_extras(token))
    return {
        "words": " ".join(tokens + extra),
        "shingles": " ".join(shingles(tokens)),
        "sub": " ".join(sub + [v for gram in numbers for v in number_variants(gram)]),
    }


@lru_cache(maxsize=131072)
def _token_extras(token: str) -> tuple[str, ...]:
    """The words indexed besides ``token``: the word inside a nominalised one, its dictionary parts
    (and theirs), the other spellings of a number. Tokens repeat across a catalogue, hence the cache."""
    extra: list[str] = []
    for word in (token, *dictionary.parts(token)):
        extra.extend(nominal_stem(word))
    extra.extend(dictionary.parts(token))
    extra.extend(number_variants(token))
    return tuple(extra)


def nominal_stem(token: str) -> list[str]:
    """The word inside a nominalised one: ``"การเลือกตั้ง"`` → ``["เลือกตั้ง"]``,
    ``"นักท่องเที่ยว"`` → ``["ท่องเที่ยว"]``; otherwise nothing. Both are dictionary words: index both."""
    for prefix in dictionary.NOMINAL_PREFIXES:
        rest = token[len(prefix):]
        if token.startswith(prefix) and len(rest) >= 3 and rest in dictionary.words():
            return [rest]
    return []


def shingles(tokens: list[str]) -> list[str]:
    """Adjacent token pairs joined with ``_``: ``["ที่ตั้ง", "โรงเรียน"]`` → ``["ที่ตั้ง_โรงเรียน"]``."""
    return [f"{a}{SHINGLE_JOINER}{b}" for a, b in zip(tokens, tokens[1:])]


def subwords(text: str | None) -> list[str]:
    """Character trigrams of each Thai run, tone marks removed (runs shorter than three stay whole).

    Latin words (stemmed) and numbers are kept whole, so that "สถานี MRT" or "ปี 2563" does not match
    every record that merely says "สถานี" or "ปี".
    """
    return _subwords_of(normalise(text))


def _subwords_of(normalised: str) -> list[str]:
    return _subwords_and_numbers(normalised)[0]


def _subwords_and_numbers(normalised: str) -> tuple[list[str], list[str]]:
    """The trigrams, and those that are numbers (only non-Thai runs can be: Thai runs hold no digits)."""
    grams: list[str] = []
    numbers: list[str] = []
    for run in RUN.findall(normalised):
        if THAI_CHAR.match(run):
            grams.extend(_run_grams(run))
        else:
            gram = stem(run)
            grams.append(gram)
            if gram.isdigit():
                numbers.append(gram)
    return grams, numbers


@lru_cache(maxsize=65536)
def _run_grams(run: str) -> tuple[str, ...]:
    bare = run.translate(_WITHOUT_TYPO_MARKS)
    if len(bare) <= SUBWORD_SIZE:
        return (bare,)
    return tuple(bare[i:i + SUBWORD_SIZE] for i in range(len(bare) - SUBWORD_SIZE + 1))


def number_variants(token: str) -> list[str]:
    """Other spellings of a numeric token: Thai digits, and the year in the other era.

    >>> number_variants("2563")
    ['๒๕๖๓', '2020', '๒๐๒๐']
    """
    if not token.isdigit():
        return []
    variants = [token.translate(TO_THAI_DIGITS)]
    year = int(token) if len(token) == 4 else 0
    other = year - BE_OFFSET if year in BE_YEARS else year + BE_OFFSET if year in CE_YEARS else None
    if other is not None:
        variants += [str(other), str(other).translate(TO_THAI_DIGITS)]
    return variants


def suggest_terms(text: str | None) -> list[str]:
    """Distinct words of ``text`` worth offering in autocomplete: unstemmed, two characters or more."""
    seen: dict[str, None] = {}
    for word in words(text):
        if len(word) >= 2 and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def sort_key(text: str | None) -> str:
    """A key whose code-point order is Thai dictionary order.

    Leading vowels (เ แ โ ใ ไ) sort by the consonant after them, and tone marks only break ties:
    ``sorted(["ไก่", "กา", "เกาะ"], key=sort_key)`` → ``["กา", "เกาะ", "ไก่"]``.
    """
    norm = normalise(text)
    swapped = _LEADING_VOWEL_SYLLABLE.sub(r"\2\1", norm)
    primary = "".join(c for c in swapped if c not in SORT_SECONDARY)
    secondary = "".join(c for c in swapped if c in SORT_SECONDARY)
    return f"{primary}\u0001{secondary}" if secondary else primary


@lru_cache(maxsize=131072)
def segment_run(run: str) -> tuple[str, ...]:
    """The words of one run of Thai letters (a ``script.RUN`` match), as the dictionary cuts it.

    >>> segment_run("ที่ตั้งโรงเรียน")
    ('ที่ตั้ง', 'โรงเรียน')

    Runs repeat a lot across a catalogue, hence the cache.
    """
    if ENGINE == "nlpo3":
        import nlpo3  # heavy engine imported lazily

        tokens = nlpo3.segment(run, dictionary.nlpo3_name())
    else:
        from pythainlp.tokenize.newmm import segment as newmm_segment

        tokens = newmm_segment(run, custom_dict=dictionary.trie())
    return tuple(token for token in tokens if token.strip() and token != "ๆ")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A normalised word as the index stores it: Latin words of four letters or more Snowball-stemmed
    (``"statistics"`` → ``"statist"``), anything else as it is."""
    if not ("a" <= word[0] <= "z") or len(word) < 4:
        return word
    return _stemmer().stemWord(word)


_PER_THREAD = threading.local()


def _stemmer():
    """One stemmer per thread: a snowball stemmer keeps the word it is stemming in its own state, so
    threads sharing one corrupt each other's words (IndexError under concurrent searches)."""
    stemmer = getattr(_PER_THREAD, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _PER_THREAD.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def clear_caches() -> None:
    """Forget every cached normalisation, segmentation and stem (benchmarks measure a cold start)."""
    for cached in (_normalised, _normalise_chunk, segment_run, _run_grams, stem, _token_extras):
        cached.cache_clear()
