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
from typing import NamedTuple
from functools import lru_cache
from urllib.parse import unquote

from analyzers import dictionary, glossary, places, spelling, thai
from analyzers.script import LATIN_WORD, is_thai
from analyzers.stopwords import function_words

MAX_VARIANTS = 8
MAX_QUERY_CHARS = 500
# How much a variant counts against the words as typed: an abbreviation is the same name; a synonym or
# a translation is a near miss; a split compound loses the adjacency of its parts.
ABBREVIATION_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.6
SPLIT_WEIGHT = 0.8
TYPO_WEIGHT = 0.8
# An English term means its Thai translation (a Thai record answers "minimum wage" as well as an English
# one); a Latin acronym (PEA, BMA) is the name itself.
GLOSSARY_WEIGHT = 0.8
ACRONYM_WEIGHT = 1.0
WORD_SPLIT_WEIGHT = 0.4
MIN_WORD_SPLIT_CHARS = 9
# Code lists whose Thai labels are looked up as one phrase too, to their English: a data type's label
# typed whole (ข้อมูลภูมิสารสนเทศเชิงพื้นที่) is one kind of data, as "geospatial data" is, which the portal
# finds by the records' type; a licence's label (Creative Commons Attributions) is its names (CC BY), which
# the portal finds by the records' licence. Other lists' labels are everyday phrases (ไม่มี "none", ไม่ทราบ
# "unknown").
LABELS_BOTH_WAYS = ("data_type", glossary.LICENCES)


@dataclass(frozen=True)
class SubwordSet:
    """Trigrams a record must hold all of, but ``slack``, in one field, and how much such a match counts.

    Trigrams are a bag (the index keeps no positions), so every missing one lets in records that share
    only part of the word: 4 of the 6 trigrams of โรงเรียน are in ร้องเรียน. A correctly spelled word
    gets no slack (its trigrams are all inside any word that contains it: ปีงบประมาณ for งบประมาณ);
    only a query with letters the dictionary cannot read gets about one missing trigram in eight.
    """

    grams: tuple[str, ...]
    required: int
    weight: float


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
    subword_sets: tuple[SubwordSet, ...] = ()
    # Variants that are a word cut into its parts (กรมการขนส่งทางบก → กรม การขนส่ง ทางบก ขนส่งทางบก).
    splits: frozenset[tuple[str, ...]] = frozenset()
    # Typed tokens a spelling correction replaced: pieces of a misspelling (โรงเรยน → โรง|เรย|น).
    misspelt: frozenset[str] = frozenset()
    # Latin words typed in capitals (GPS, O-NET): acronyms, never corrected into another word.
    acronyms: frozenset[str] = frozenset()
    # Latin words that are English words (storm, coral): never corrected into another word either.
    english_words: frozenset[str] = frozenset()
    # The identifier the whole query names a dataset by (``dataset_named``): "bec_school", a link's name.
    named: str | None = None
    # For each word, the run of letters it was typed in (``thai.runs_of_words``); None if they do not align.
    together: tuple[int, ...] | None = None

    @property
    def kept_as_typed(self) -> frozenset[str]:
        """Latin words no English spelling correction touches: acronyms and English words."""
        return self.acronyms | self.english_words

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left (blank, punctuation or emoji only)."""
        return not self.words and not self.sub

    @property
    def misspelt_runs(self) -> tuple[tuple[str, ...], ...]:
        """Runs of two or more adjacent typed tokens a correction replaced: the pieces one word the
        dictionary does not know was cut into (a name: เทสลา → เท|สลา; a typo: โรงาน → โร|งาน).
        Alone each piece is another word; together they are the word as typed."""
        runs: list[tuple[str, ...]] = []
        run: list[str] = []
        for token in (*self.words, None):
            if token is not None and token in self.misspelt:
                run.append(token)
                continue
            if len(run) > 1:
                runs.append(tuple(run))
            run = []
        return tuple(dict.fromkeys(runs))


def understand(q: str | None) -> QueryPlan:
    """Analyse a query string; long input is cut at ``MAX_QUERY_CHARS`` characters. A link to a dataset
    is read as its name (``dataset_named``): the words of "https://data.go.th/dataset/bec_school" are
    those of bec_school, not https, go, th."""
    text = places.prefixes_apart((q or "")[:MAX_QUERY_CHARS])
    named = dataset_named(text)
    text = named if named and not IDENTIFIER.fullmatch(text.strip()) else text
    tokens = tuple(thai.segment(text))
    acronyms, english = spelling.capitals(text), spelling.english_words(text)
    together = _typed_together(text, tokens)
    weighted, expansions, corrections, splits = _variants(tokens, acronyms, english, together)
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
        latin=tuple(t for t in tokens if LATIN_WORD.match(t)),
        highlight_terms=frozenset(surface | set(tokens)),
        subword_sets=_subword_sets(text, corrections, _translations(tokens, weighted)),
        splits=splits,
        misspelt=frozenset(t for corrected in corrections for t in tokens if t not in corrected),
        acronyms=acronyms,
        english_words=english,
        named=named,
        together=together,
    )


# A dataset's identifier as a catalogue writes it: its CKAN name (lower-case letters, digits, - and _) or
# its id (a UUID, or a source's own code: dt131410), typed in any case.
IDENTIFIER = re.compile(r"[A-Za-z0-9_-]{2,100}")
# The path segment before a dataset's identifier in a link: CKAN's and this portal's pages (/dataset/<name>,
# /dataset/<name>/resource/<id>, /dataset/<id>.jsonld) and the JSON API (/api/v1/datasets/<id>).
DATASET_SEGMENTS = ("dataset", "datasets")
LINKED_DATA_SUFFIXES = (".ttl", ".rdf", ".jsonld")


def identifier_forms(named: str) -> list[str]:
    """An identifier as typed and in lower case, as CKAN writes names (BEC_SCHOOL: bec_school)."""
    return list(dict.fromkeys((named, named.lower())))


def dataset_named(text: str) -> str | None:
    """The identifier a whole query names a dataset by, or None: one word that may be a dataset's name or
    id ("bec_school", "DT131410"), or a link to a dataset on any catalogue ("https://data.go.th/dataset/
    bec_school", "data.go.th/dataset/bec_school/resource/…", this portal's "/dataset/<id>.ttl"). Whether
    a record has it is for the index to say: a word like "rain" names the record called rain, if any."""
    typed = text.strip()
    if IDENTIFIER.fullmatch(typed):
        return typed
    if "/" not in typed or any(ch.isspace() for ch in typed):
        return None
    # the path's segments, read without parsing the host: a link typed is no valid URL ("http://[/dataset/x")
    segments = unquote(re.split(r"[?#]", typed, maxsplit=1)[0]).split("/")
    for before, segment in zip(segments, segments[1:]):
        name = next((segment[:-len(s)] for s in LINKED_DATA_SUFFIXES if segment.endswith(s)), segment)
        if before in DATASET_SEGMENTS and IDENTIFIER.fullmatch(name):
            return name
    return None


def _subword_sets(text: str, corrections: list[tuple[str, ...]],
                  translations: dict[tuple[str, ...], float] | None = None) -> tuple[SubwordSet, ...]:
    """Trigrams of the query as typed, of each spelling correction, and of each Thai translation of its
    English words (``_translations``), for the subword fallback.

    As typed: the trigrams of each space-separated chunk, function words (ข้อมูล, ใน, ปี) left out when
    the chunk reads as dictionary words — "ข้อมูล CO2" must not match every record that says ข้อมูล; a
    chunk the dictionary cannot read is kept whole, its pieces are not words. Corrections: the trigrams
    of each corrected word, so "อนุญาติขับรถ" finds ใบอนุญาตขับรถ through อนุญาต + ขับรถ, with no slack.
    """
    stop = function_words()
    groups: list[str] = []
    misspelt, words = False, 0
    for chunk in thai.normalise(text).split():
        tokens = thai.words_of(chunk)
        unknown = any(spelling.unreadable(t) for t in tokens)
        misspelt = misspelt or unknown
        topic = [t for t in tokens if unknown or t not in stop]
        words += 1 if unknown else len(topic)
        if topic:
            groups.append(_join(topic))
    typed = _subword_set(thai.subwords(" ".join(groups) if groups else text), misspelt, words > 1, 1.0)
    sets = [typed] if typed else []
    if typed and (latin := _latin_set(typed)):
        sets.append(latin)
    for variant in corrections:
        topic = [w for w in variant if w not in stop] or list(variant)
        corrected = _subword_set(thai.subwords(" ".join(topic)), False, len(topic) > 1, TYPO_WEIGHT)
        if corrected and (not typed or corrected.grams != typed.grams):
            sets.append(corrected)
    for words, weight in (translations or {}).items():
        # The same bonus for a record writing the English words' Thai translation as ``_latin_set`` gives
        # one writing the English words: "Thailand Post สาขา" — ไปรษณีย์ไทย's records before those of สาขา.
        translated = _subword_set(thai.subwords(_join(list(words))), False, len(words) > 1, weight)
        if translated and all(translated.grams != known.grams for known in sets):
            sets.append(translated)
    return tuple(sets)


# A query's English words are translated in a few variants at most that count (the lists' best first).
MAX_TRANSLATION_SETS = 3


def _translations(tokens: tuple[str, ...], variants: dict[tuple[str, ...], float]
                  ) -> dict[tuple[str, ...], float]:
    """For each variant that only replaces Latin words of the query by Thai ones (thailand post →
    ไปรษณีย์ไทย), the Thai topic words it brings, with the variant's weight; only for a query that also has
    Thai topic words (one whose only Thai words are function words, "ข้อมูล GDP", has no typed trigrams to
    balance)."""
    stop, typed = function_words(), set(tokens)
    if not any(is_thai(t) and t not in stop for t in tokens):
        return {}
    found: dict[tuple[str, ...], float] = {}
    for variant, weight in variants.items():
        removed = [t for t in tokens if t not in variant]
        brought = tuple(w for w in variant if w not in typed and is_thai(w) and w not in stop)
        if brought and removed and all(map(LATIN_WORD.match, removed)) and brought not in found:
            found[brought] = weight
    return dict(list(found.items())[:MAX_TRANSLATION_SETS])


def _subword_set(grams: list[str], misspelt: bool, several_words: bool, weight: float) -> SubwordSet | None:
    """How many of ``grams`` a record needs: as many as the query has Thai trigrams (but the slack).
    Numbers and Latin words are matched whole by the word clauses; here they only add score (or stand
    in for one Thai trigram): requiring them would drop "เที่ยวบิน" records of another year for
    "เที่ยวบิน 2020"."""
    grams = list(dict.fromkeys(grams))
    thai_grams = sum(1 for g in grams if is_thai(g)) or len(grams)
    required = thai_grams - _slack(thai_grams, misspelt, several_words)
    return SubwordSet(tuple(grams), required, weight) if grams else None


def _latin_set(typed: SubwordSet) -> SubwordSet | None:
    """The Latin words of a mixed query as a set of their own, all required: the same bonus for a
    record that holds the English term as the typed set gives one that holds the Thai words' trigrams.

    Without it the trigram bonus went to the Thai side only (a record needs every Thai trigram; a Latin
    word can only stand in for one), so among the records holding some words of "นำเข้า crude oil" or
    "ข้อมูล LPG รายจังหวัด" the generic Thai word's records (นำเข้าอาหารสัตว์, ทะเบียนวัด จังหวัด…) came
    before those holding the English term. ``None`` unless the query has both Thai trigrams and Latin words.
    """
    latin = tuple(g for g in typed.grams if LATIN_WORD.match(g))
    if not latin or not any(is_thai(g) for g in typed.grams):
        return None
    return SubwordSet(latin, len(latin), typed.weight)


def _join(tokens: list[str]) -> str:
    """Thai tokens run together as typed; anything else apart, so a trigram never spans scripts."""
    text = ""
    for token in tokens:
        if text and not (is_thai(text[-1]) and is_thai(token)):
            text += " "
        text += token
    return text


SHORT_QUERY_GRAMS = 8


def _slack(grams: int, misspelt: bool, several_words: bool) -> int:
    """Trigrams a record may lack. One word: none, or one if it has letters the dictionary cannot read
    (a dropped letter costs one to three trigrams). Several words, eight trigrams or more: a quarter, as
    a record may say them apart ("ที่ทำการ … ไปรษณีย์") and their words are also matched one by one.
    """
    if several_words and grams >= SHORT_QUERY_GRAMS:
        return grams // 4
    return 1 if misspelt and grams >= 4 else 0


class _Variants(NamedTuple):
    weighted: dict[tuple[str, ...], float]
    expansions: tuple[str, ...]
    corrections: list[tuple[str, ...]]
    splits: frozenset[tuple[str, ...]]


def _variants(tokens: tuple[str, ...], acronyms: frozenset[str] = frozenset(),
              english_words: frozenset[str] = frozenset(), runs: tuple[int, ...] | None = None) -> _Variants:
    """The query as typed (weight 1), with each abbreviation/synonym replaced by its equivalents, and
    with compounds split; each variant with its weight. Also the phrases expanded, and which of the
    variants kept are spelling corrections and which are words split into parts. ``acronyms``: Latin
    words typed in capitals (DOE, not "does"); neither they nor ``english_words`` are corrected. ``runs``:
    which words were typed together (``thai.runs_of_words``)."""
    variants: dict[tuple[str, ...], float] = {tokens: 1.0}
    expansions: dict[str, None] = {}
    spans = _topic_spans(tokens, acronyms, runs)
    if len(spans) > 1:  # every phrase replaced at once: "temple register" → "วัด ทะเบียน"
        variants[_replace(tokens, [(s, e, alts[0][0]) for s, e, alts in spans])] = min(
            alts[0][2] for _, _, alts in spans)
    for start, end, alternatives in spans:
        for alternative, written, weight in alternatives:
            variants.setdefault(tokens[:start] + alternative + tokens[end:], weight)
            expansions.setdefault(written, None)
    parts = tuple(piece for token in tokens for piece in (dictionary.parts(token) or (token,)))
    splits = {parts: SPLIT_WEIGHT}
    if len(tokens) == 1 and len(tokens[0]) >= MIN_WORD_SPLIT_CHARS:
        # "ขยะมูลฝอย" → ขยะ + มูลฝอย, weakly, for a catalogue that only says ขยะ
        for pieces in dictionary.two_word_splits(tokens[0])[:1]:
            splits.setdefault(pieces, WORD_SPLIT_WEIGHT)
    splits = {split: weight for split, weight in splits.items() if split not in variants}
    variants.update(splits)
    corrections = spelling.corrections(tokens)
    for corrected in corrections:
        variants.setdefault(corrected, TYPO_WEIGHT)
    english = spelling.english_corrected(tokens, acronyms | english_words)
    if english:
        # "budjet" → budget, and what budget means: งบประมาณ
        corrections.append(english)
        variants.setdefault(english, TYPO_WEIGHT)
        for start, end, alternatives in _topic_spans(english, acronyms):
            for alternative, written, weight in alternatives:
                variants.setdefault(english[:start] + alternative + english[end:], weight * TYPO_WEIGHT)
                expansions.setdefault(written, None)
    kept = dict(list(variants.items())[:MAX_VARIANTS])
    return _Variants(kept, tuple(expansions), [c for c in corrections if c in kept],
                     frozenset(split for split in splits if split in kept))


def _typed_together(text: str, tokens: tuple[str, ...]) -> tuple[int, ...] | None:
    """Which of ``tokens`` (the words of ``text``) were typed together, or None if they do not align."""
    runs = thai.runs_of_words(text)
    return runs if len(runs) == len(tokens) else None


def _topic_spans(tokens: tuple[str, ...], acronyms: frozenset[str],
                 runs: tuple[int, ...] | None = None) -> list[tuple[int, int, tuple]]:
    """``equivalent_spans(tokens)`` without those of function words alone, when the query has any other
    word: the era marker of "งบประมาณ พ.ศ. 2565" is no abbreviation of สำนักงานพระพุทธศาสนาแห่งชาติ (พศ.),
    nor "how does" of DOE, the Department of Employment — their records would join the partial matches.
    Typed alone ("พศ"), or in capitals (``acronyms``: "DOE งบประมาณ"), the abbreviation is still expanded."""
    spans = equivalent_spans(tokens, runs)
    stop = function_words()

    def only_function_words(words: tuple[str, ...]) -> bool:
        return all(t in stop and t not in acronyms for t in words)

    if only_function_words(tokens):
        return spans
    return [(start, end, alts) for start, end, alts in spans if not only_function_words(tokens[start:end])]


def equivalent_spans(tokens: tuple[str, ...], runs: tuple[int, ...] | None = None
                     ) -> list[tuple[int, int, tuple]]:
    """Non-overlapping (start, end, equivalents) of the phrases the lists know, and of English acronyms
    written by their letters' Thai names (``spelled_acronym``; ``runs``: which tokens were typed together,
    without it one word only reads as a whole acronym); the longest phrase wins, so "โควิด-19" is not also
    "โควิด" + "19"."""
    spans, start, longest = [], 0, _longest_phrase()
    while start < len(tokens):
        for end in range(min(len(tokens), start + longest), start, -1):
            joined = "".join(tokens[start:end])
            whole = _whole_run(tokens, start, end, runs)
            alternatives = (equivalents().get(joined, ()) + spelled_acronym(tokens[start:end], whole)
                            + _written_joined(tokens, start, end, runs))
            if alternatives:
                spans.append((start, end, alternatives))
                start = end
                break
        else:
            start += 1
    return spans


# A run of words read as an acronym is at least this many letters: จีดี (GD), not ดี alone (good).
MIN_SPELLED_LETTERS = 2


def spelled_acronym(words: tuple[str, ...], whole: bool = True) -> tuple:
    """What Thai words that read as English letters' names stand for: the acronym (จีดีพี, จีพีเอส, พีเอ็ม
    2.5 → gdp, gps, pm2.5) and, as the lists know it, what it stands for (ผลิตภัณฑ์มวลรวมในประเทศ).
    ``whole``: the words are all the letters' names in a row (the segmenter cuts an acronym it does not
    know: เอเอฟ|ซี, เอฟ|ไอ|อาร์), which read as their letters whatever they spell (records write AFC, FIR);
    a part of such a row, or letters with a number, only as an acronym the lists know (พีเอ็ม 2.5). Never an
    English function word (โอเอฟ is not "of")."""
    letters = _letters_of(words)
    if not letters:
        return ()
    form = tuple(thai.segment(letters))
    listed = equivalents().get("".join(form), ())
    if not (listed or whole) or all(word in function_words() for word in form):
        return ()
    return ((form, letters, ACRONYM_WEIGHT), *(alt for alt in listed if alt[0] != form))


def _written_joined(tokens: tuple[str, ...], start: int, end: int, runs: tuple[int, ...] | None) -> tuple:
    """A Latin word typed in pieces joined by hyphens (``tokens[start:end]`` are the whole of one run, as
    ``thai.runs_of_words`` reads "wi-fi"): the word written joined, "wifi", which a record writing WiFi
    holds, and the index holds for a record writing Wi-Fi (``thai.hyphen_joined``)."""
    words = tokens[start:end]
    # runs are numbered in order: the span is one whole run when it holds all of its first word's run
    whole = runs is not None and runs[start] == runs[end - 1] and runs.count(runs[start]) == len(words)
    if len(words) < 2 or not whole or not all(map(LATIN_WORD.match, words)):
        return ()
    joined = "".join(words)
    return (((joined,), joined, 1.0),)


def _whole_run(tokens: tuple[str, ...], start: int, end: int, runs: tuple[int, ...] | None) -> bool:
    """Whether ``tokens[start:end]`` are Thai letters' names typed together (``runs``; one word when
    unknown), with none typed right before or after them: "จีดีพี ดี" is GDP and "good", not GDPD."""
    if not all(map(_letters_name, tokens[start:end])):
        return False
    if (runs is None and end - start > 1) or (runs is not None and len(set(runs[start:end])) > 1):
        return False

    def letters_beside(i: int) -> bool:
        together = runs is not None and 0 <= i < len(tokens) and runs[i] == runs[start]
        return together and _letters_name(tokens[i])
    return not letters_beside(start - 1) and not letters_beside(end)


def _letters_name(word: str) -> bool:
    """Whether a word is Thai letters' names only (จีดีพี, ซี)."""
    return is_thai(word) and _read_letters(word) is not None


def _letters_of(words: tuple[str, ...]) -> str | None:
    """The Latin letters (and numbers) Thai words spell by the letters' names, or None: จีดีพี → gdp,
    (พีเอ็ม, 2.5) → pm2.5; a number only after letters."""
    out = ""
    for word in words:
        if is_thai(word):
            letters = _read_letters(word)
            if letters is None:
                return None
            out += letters
        elif out and word[:1].isdigit():
            out += word
        else:
            return None
    return out if sum(ch.isalpha() for ch in out) >= MIN_SPELLED_LETTERS else None


@lru_cache(maxsize=4096)
def _read_letters(word: str) -> str | None:
    """The letters a Thai word spells, every character of it a letter's name, or None."""
    if not word:
        return ""
    names = dictionary.letter_names()
    for name, letter in names.items():
        if word.startswith(name) and (rest := _read_letters(word[len(name):])) is not None:
            return letter + rest
    return None


def _replace(tokens: tuple[str, ...], replacements: list[tuple[int, int, tuple[str, ...]]]) -> tuple[str, ...]:
    result: list[str] = []
    cursor = 0
    for start, end, words in replacements:
        result += [*tokens[cursor:start], *words]
        cursor = end
    return tuple(result + list(tokens[cursor:]))


def equivalents() -> dict[str, tuple[tuple[tuple[str, ...], str, float], ...]]:
    """Key (the segmented entry joined without spaces) → (an equivalent's tokens, as written, weight).

    Built from ``abbreviations.tsv`` (both directions), ``abbreviations_one_way.tsv`` (abbreviation → full
    name only), ``synonyms.tsv`` (every member to the others)
    and the bilingual glossary (``analyzers.glossary``: an English term or an acronym → its Thai; a Thai
    acronym both ways). English → Thai only: a Thai query gains nothing from eight English variants, and
    they would crowd out its corrections and splits (``MAX_VARIANTS``).
    """
    return _lists()[0]


def _longest_phrase() -> int:
    """How many query words are looked up as one phrase at most: as many as the lists' longest entry
    has ("office of the permanent secretary, ministry of natural resources and environment": 11)."""
    return _lists()[1]


@lru_cache(maxsize=1)
def _lists() -> tuple[dict[str, tuple[tuple[tuple[str, ...], str, float], ...]], int]:
    table: dict[str, dict[tuple[str, ...], tuple[str, float]]] = {}
    longest = 1

    def link(a: str, b: str, weight: float) -> None:
        nonlocal longest
        words, tokens = thai.segment(a), tuple(thai.segment(b))
        key = "".join(words)
        if key and tokens and "".join(tokens) != key:
            table.setdefault(key, {}).setdefault(tokens, (b, weight))
            longest = max(longest, len(words))

    for short, full in dictionary.abbreviations():
        link(short, full, ABBREVIATION_WEIGHT)
        link(full, short, ABBREVIATION_WEIGHT)
    for short, full in dictionary.one_way_abbreviations():
        link(short, full, ABBREVIATION_WEIGHT)
    for group in dictionary.synonym_groups():
        for a in group:
            for b in group:
                link(a, b, SYNONYM_WEIGHT)
    for entry in glossary.entries():
        if entry.acronym:
            link(entry.term, entry.thai, ABBREVIATION_WEIGHT)
            link(entry.thai, entry.term, ABBREVIATION_WEIGHT)
        else:
            link(entry.term, entry.thai, ACRONYM_WEIGHT if entry.is_name else GLOSSARY_WEIGHT)
            if entry.code_list in LABELS_BOTH_WAYS:
                link(entry.thai, entry.term, GLOSSARY_WEIGHT)
    return {key: tuple((tokens, written, w) for tokens, (written, w) in alts.items())
            for key, alts in table.items()}, longest
