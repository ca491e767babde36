"""The concepts of a query: what a record must hold, every one of them, to "match all words".

A concept is one thing the person asked for, in any of the forms that mean it: a word as typed, the
parts of a compound, an abbreviation and its full name, an English term and its Thai, the correction
of a misspelling. Function words (ข้อมูล, ใน, ปี, question words) are no concept.

>>> [c.text for c in concepts(understand("จำนวนประชากร จังหวัดเชียงใหม่"))]
['จำนวนประชากร', 'จังหวัดเชียงใหม่']  # doctest: +SKIP

The headline set of a search is the records holding every concept; adding a word adds a concept, so
it can only narrow that set. Records holding some concepts are "partial matches", shown apart with
the concepts they lack.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache

from analyzers import dictionary, glossary, periods, places, thai
from analyzers.query import QueryPlan, equivalent_spans, understand
from analyzers.script import LATIN_WORD, TO_ARABIC_DIGITS, is_thai
from analyzers.spelling import MAX_TYPO_WORDS, correct_span, nearest_english, typo_candidate
from analyzers.stopwords import function_words, particle_is_a_word

__all__ = ["Concept", "broader_queries", "concepts", "other_language", "understand"]

# A Thai word this long (in tone-free trigrams) may be found inside a longer one by its trigrams:
# งบประมาณ in ปีงบประมาณ. Shorter words would be found inside others: วัด in จังหวัด, ไฟฟ้า in รถไฟฟ้า.
MIN_INSIDE_GRAMS = 3
# Catalogue words that say what kind of table, not what about: a query may carry them ("จำนวนประชากร",
# "สถิติอุบัติเหตุ", "รายชื่อโรงแรม") and a record need not repeat them to match all words. They still
# score through the full-text query.
GENERIC_WORDS = frozenset({
    "จำนวน", "สถิติ", "ข้อมูลสถิติ", "รายงาน", "ปริมาณ", "รายชื่อ", "สรุป", "แยก", "จำแนก", "ตาม", "แยกตาม",
    "จำแนกตาม", "ประจำปี", "ทั้งหมด", "ทั่วประเทศ", "ประเทศ", "ประเทศไทย", "ไทย", "ที่ตั้ง", "ราย",
    "number", "statist", "report", "list", "thailand", "thai", "locat",
})


# A range of years typed in a query (``periods.YEAR_RANGE``) at most this long is one concept.
MAX_RANGE_YEARS = 12

# Nouns that head a compound naming what it is about: ค่าไฟฟ้า is the fee (ค่า) of electricity (ไฟฟ้า).
# When such a compound finds nothing, the page offers the search without the head (``broader_queries``),
# and with the head alone when it names a kind of thing (ภาษี tax, สถานี station), not a measure of one.
MEASURE_HEADS = ("ค่า", "ราคา", "อัตรา", "คุณภาพ", "ปริมาณ")
THING_HEADS = ("ภาษี", "สถานี", "ร้าน", "ทะเบียน")


@dataclass(frozen=True)
class Concept:
    """One thing asked for: ``text`` as typed (what "missing: …" shows), ``alternatives`` (word lists, a
    record must hold every word of one of them), ``grams`` (sets of trigrams: all of one set in one
    field also count, the Thai word inside a longer one), ``latin`` (English words, also looked up
    in the English fields and with a typo's distance), ``places`` (the region or province code a
    place's name stands for: a record located there holds it too), ``frequency`` (the update
    frequency a frequency word states: a record updated that often holds it too), ``years`` (the
    Buddhist-era years a year or a range typed stands for: a record covering one holds it too) and
    ``phrase`` (its words as typed hold it only together, in order: ทุก and เดือน apart are no ทุกเดือน).
    ``label`` is what a page shows of it: its words as the query wrote them ("O-NET", "พ.ร.บ.", "ชั้น ม.6"
    where ``text`` is onet, พรบ, ชั้นม 6; ``_labelled``)."""

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    grams: tuple[tuple[str, ...], ...] = ()
    latin: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    frequency: str | None = None
    phrase: bool = False
    years: tuple[str, ...] = ()
    label: str = ""


@lru_cache(maxsize=1024)
def concepts(plan: QueryPlan) -> tuple[Concept, ...]:
    """The concepts of ``plan``, in the order typed; empty when it has only function words."""
    tokens, typed = plan.words, thai.words(plan.text)
    if len(typed) != len(tokens):  # segment() is words() stemmed: they always align
        typed = list(tokens)
    spans = {start: (end, alts) for start, end, alts in equivalent_spans(tokens, plan.together)}
    spans = _english_places(tokens, _prefixed_places(tokens, spans))
    frequencies = _frequency_phrases(tokens, typed, spans)
    runs = plan.together
    apart = frozenset(s for s in spans if runs and s and runs[s] != runs[s - 1])
    found: list[Concept] = []
    start = 0
    while start < len(tokens):
        if start in frequencies:
            end = frequencies[start]
            concept = _frequency_concept(tokens, typed, start, end, spans)
        else:
            end, concept = _concept_at(tokens, typed, start, spans, plan.kept_as_typed, apart)
        a_word = end == start + 1 and particle_is_a_word(tokens, start)  # ไหม mid-query: silk
        start = end
        if concept and (a_word or concept.phrase or _asked_for(concept, plan.acronyms)):
            found.append(concept)
    found = _short_years(_year_ranges(found, plan.normalised), plan.normalised)
    if periods.LAW.search(plan.normalised):
        # the year of a law (พ.ร.บ.โรงงาน พ.ศ. 2535) is no year a record's data covers
        found = [replace(c, years=()) for c in found]
    return tuple(_labelled(_unique(found), plan.text))


# What the normalised words leave out of the text as typed: spaces, an abbreviation's dots, a hyphen.
_UNSPELLED = frozenset(" .-")


def _labelled(found: list[Concept], typed: str) -> list[Concept]:
    """Each concept labelled with the stretch of ``typed`` its words come from ("PM2.5", "จ.เชียงใหม่",
    the final dot of an abbreviation too), or with its ``text`` where that stretch cannot be traced
    (a spelling ``thai.normalise`` repaired, a range of years)."""
    labelled, at = [], 0
    view = typed.lower().translate(TO_ARABIC_DIGITS)
    for concept in found:
        span = _typed_span(typed, view, concept.text, at) if len(view) == len(typed) else None
        if span:
            at = span[1]
        labelled.append(replace(concept, label=typed[slice(*span)] if span else concept.text))
    return labelled


def _typed_span(typed: str, view: str, text: str, start: int) -> tuple[int, int] | None:
    """Where in ``typed``, from ``start`` on, the letters of ``text`` were written, with only spaces, dots
    and hyphens between them: case and Thai digits aside (``view``: ``typed`` lower-cased, Arabic digits,
    character for character)."""
    letters = text.replace(" ", "")
    if not letters:
        return None
    for begin in range(start, len(view)):
        at, matched = begin, 0
        while matched < len(letters) and at < len(view):
            if view[at] == letters[matched]:
                matched += 1
            elif not (matched and view[at] in _UNSPELLED):
                break
            at += 1
        if matched == len(letters):
            ends_abbreviation = typed[at:at + 1] == "." and is_thai(typed[at - 1])
            return begin, at + ends_abbreviation
    return None


# Written before a province's name: จังหวัดเลย, จ.เลย (the dot is dropped by the segmenter).
PROVINCE_PREFIXES = ("จังหวัด", "จ")
DISTRICT_PREFIXES = ("อำเภอ", "อ", "เขต")
MAX_PLACE_WORDS = 4  # the words of a place's name after its prefix, as the segmenter cuts it
REGION_PREFIX = "ภาค"


def _prefixed_places(tokens: tuple[str, ...], spans: dict) -> dict:
    """A place typed with its prefix is one concept: a province after จังหวัด/จ. and a district after
    อำเภอ/อ./เขต, held by its name alone too (a record about Nonthaburi need not say จังหวัด), unless the
    name is a function word (จังหวัดเลย — เลย is "at all"; held as "Loei"); a region named by a direction
    (ภาคกลาง — ภาค is a function word, and กลาง alone is "middle": ราคากลาง, ขนาดกลาง). ``spans`` with such
    prefix-and-name pairs added, the longer phrase winning over the prefix alone (จังหวัด is a phrase of
    the abbreviation list) and never cutting another phrase."""
    prefixes = (*PROVINCE_PREFIXES, *DISTRICT_PREFIXES, REGION_PREFIX)
    prefix_alone = {start for start, (end, _) in spans.items() if end == start + 1 and tokens[start] in prefixes}
    inside = {i for start, (end, _) in spans.items() if start not in prefix_alone for i in range(start, end)}
    added = dict(spans)
    taken: set[int] = set()
    for i, prefix in enumerate(tokens[:-1]):
        if prefix not in prefixes or i in taken:
            continue
        # the longest name after the prefix: a district the dictionary lacks is several words (ลาด หลุม แก้ว)
        for end in range(min(len(tokens), i + 1 + MAX_PLACE_WORDS), i + 1, -1):
            name = "".join(tokens[i + 1:end])
            province = prefix in PROVINCE_PREFIXES and places.province_of_name((name,)) is not None
            district = prefix in DISTRICT_PREFIXES and places.district_of_name((prefix, name)) is not None
            region = prefix == REGION_PREFIX and places.region_of_name(prefix + name) is not None
            # a name that is itself a phrase of the lists (กรุงเทพมหานคร: กทม, BMA) keeps that phrase's forms
            phrase = spans.get(i + 1, (None,))[0] == end
            own = spans[i + 1][1] if phrase else ()
            cut = set(range(i, end)) & inside - (set(range(i + 1, end)) if phrase else set())
            if (province or district or region) and not cut:
                alone = (*_place_name_alone(tokens[i + 1:end]), *own) if province or district else ()
                added[i] = (end, alone)
                for j in range(i + 1, end):
                    added.pop(j, None)
                taken |= set(range(i, end))
                break
    return added


MAX_FREQUENCY_WORDS = 4  # ปี ละ 1 ครั้ง, as the segmenter cuts it


def _cuts_a_phrase(spans: dict, start: int, end: int) -> bool:
    """True when the words ``start``–``end`` would cut a phrase of several words of ``spans`` (one inside
    them, or the same words, they take in whole)."""
    return any((s < start < e or s < end < e) and e > s + 1 for s, (e, _) in spans.items())


def _frequency_phrases(tokens: tuple[str, ...], typed: list[str], spans: dict) -> dict[int, int]:
    """Where a frequency is said in several words (ทุกเดือน, ปีละ 1 ครั้ง, every month, semi-annual) or in one
    function word (ทุกวัน): start → end of each such phrase, the longest first, never cutting a phrase of
    ``spans``. One word that states a frequency and is asked for (รายเดือน, monthly) is a concept already."""
    found: dict[int, int] = {}
    start = 0
    while start < len(tokens):
        for end in range(min(len(tokens), start + MAX_FREQUENCY_WORDS), start, -1):
            # ประจำปี alone stays generic: รายงานประจำปี is the annual report, not how often data is updated
            several = end > start + 1 or tokens[start] in function_words()
            if several and not _cuts_a_phrase(spans, start, end) \
                    and periods.frequency_of(thai.join_words(typed[start:end])):
                found[start] = end
                start = end
                break
        else:
            start += 1
    return found


def _frequency_concept(tokens: tuple[str, ...], typed: list[str], start: int, end: int,
                       spans: dict) -> Concept:
    """A frequency said in several words, as one concept: held by its words as typed, by the phrase's
    equivalents in the lists (real time: ตามเวลาจริง), by the word the catalogue writes for it (ทุกเดือน:
    รายเดือน) and, as every frequency word, by a record updated that often (``_stating``); its words only
    together, in order, and inside a longer word only as one run of letters."""
    words, text = tokens[start:end], thai.join_words(typed[start:end])
    code = periods.frequency_of(text)
    listed = [alt for alt, _, _ in spans[start][1]] if spans.get(start, (None,))[0] == end else []
    forms = [words, *listed, *_right_forms(tuple(thai.segment(periods.FREQUENCY_WORD[code])))]
    return replace(_concept(text, forms, words, [("".join(words),)]), phrase=True)


def _english_places(tokens: tuple[str, ...], spans: dict) -> dict:
    """A place typed in English with its level word is one concept, as after จังหวัด or อำเภอ: "Chiang Mai
    province", "Pai district", "Amphoe Pai", "Khet Bang Rak" — held by its name alone, English and Thai, and
    by the records located there (``Concept.places``). A bare English district name stays a word (Fang is a
    fang). ``spans`` with such phrases added, taking in the phrases inside them (chiang mai), never
    cutting one."""
    added = dict(spans)
    start = 0
    while start < len(tokens):
        for end in range(min(len(tokens), start + MAX_PLACE_WORDS + 1), start + 1, -1):
            words = tokens[start:end]
            if words[-1] == places.ENGLISH_PROVINCE_AFTER:
                code, at = places.province_of_name(words), start
            elif words[-1] == places.ENGLISH_DISTRICT_AFTER:
                code, at = places.district_of_name(words), start
            elif words[0] in places.ENGLISH_DISTRICT_BEFORE:
                code, at = places.district_of_name(words), start + 1
            else:
                continue
            if code and not _cuts_a_phrase(spans, start, end):
                name = words[at - start:][:end - start - 1]
                # what the lists say the name is (chiang mai: เชียงใหม่)
                known = spans.get(at, (None, ()))
                listed = list(known[1]) if known[0] == at + len(name) else []
                for j in range(start, end):
                    added.pop(j, None)
                added[start] = (end, (*_english_place_alone(name, code), *listed))
                start = end
                break
        else:
            start += 1
    return added


def _english_place_alone(name: tuple[str, ...], code: str) -> tuple:
    """The forms of a place typed in English with its level word that a record about it may hold: the
    English name and the Thai name without its prefix (not one that is a function or everyday word)."""
    thai_name = places.bare_name(places.get(code))
    thai_form = tuple(thai.segment(thai_name))
    bare = () if thai_name in places.FALSE_FRIENDS or thai_name in function_words() else (thai_form,)
    return tuple((form, "place", 1.0) for form in (name, *bare))


def _place_name_alone(name: tuple[str, ...]) -> tuple:
    """The forms of a province's or district's name typed after its prefix (จังหวัด, อำเภอ, เขต) that a
    record about it may hold without the prefix: the name (not one that is a function word or an
    everyday word — เลย, ตาก — which only its prefixed and English forms stand for) and its English
    name."""
    key = "".join(name)
    bare = () if key in places.FALSE_FRIENDS or key in function_words() else (name,)
    return tuple((form, "place", 1.0) for form in (*bare, *english_forms(key)))


def _year_ranges(found: list[Concept], text: str) -> list[Concept]:
    """Two year concepts typed as a range (``2560-2562``, or its end written short: ``2560-62``) become one,
    held by any year of it: a record of 2561 is what "ปี 2560-2562" asks for, not one that names both
    ends. A short end only after a year (1620-21 stays two numbers)."""
    for first, last in periods.YEAR_RANGE.findall(text):
        end = int(last) if len(last) == 4 else int(first) // 100 * 100 + int(last)  # 2560-62: 2562
        if not 0 < end - int(first) <= MAX_RANGE_YEARS or (len(last) == 2 and not periods.to_be(first)):
            continue
        ends = [i for i, c in enumerate(found) if c.alternatives[0] in ((first,), (last,))]
        if len(ends) == 2 and ends[1] == ends[0] + 1:
            years = tuple((str(y),) for y in range(int(first), end + 1))
            covered = tuple(str(be) for (y,) in years if (be := periods.to_be(y)))
            found[ends[0]:ends[1] + 1] = [Concept(f"{first}–{end}", years, years=covered)]
    return found


def _short_years(found: list[Concept], text: str) -> list[Concept]:
    """A Buddhist-era year written short after its word (``periods.SHORT_YEAR``: ปี 63, พ.ศ. 63, ปี 60-62)
    is that year: held by the number as typed, the year written in full (2563) and the records covering
    it; a range by any year of it. A two-digit number alone (63) stays a number."""
    for first, last in periods.SHORT_YEAR.findall(text):
        ends = [i for i, c in enumerate(found) if c.alternatives[0] in ((first,), (last,)) and not c.years]
        if not last or last == first:
            numbers, ends = [first], ends[:1]
        elif 0 < int(last) - int(first) <= MAX_RANGE_YEARS and len(ends) == 2 and ends[1] == ends[0] + 1:
            numbers = [f"{n:02d}" for n in range(int(first), int(last) + 1)]
        else:
            continue
        if not ends or found[ends[0]].alternatives[0] != (first,):
            continue
        covered = tuple(str(periods.to_be(n)) for n in numbers)
        text_typed = first if len(numbers) == 1 else f"{first}–{last}"
        forms = tuple((n,) for n in numbers) + tuple((year,) for year in covered)
        found[ends[0]:ends[-1] + 1] = [Concept(text_typed, forms, years=covered)]
    return found


@lru_cache(maxsize=1)
def _no_concept() -> frozenset[str]:
    return function_words() | GENERIC_WORDS


def _asked_for(concept: Concept, acronyms: frozenset[str]) -> bool:
    """False for function and generic words ("ข้อมูล", "of", "รายชื่อ"), which no record need hold. An
    abbreviation typed in capitals that stems like one is asked for when the lists expand it to a word
    that is not one: "DOE" (the stem of "does") is the Department of Employment, as ``_topic_spans``
    expands it; "LIST" (รายชื่อ) and lower-case "doe" stay function words."""
    stop = _no_concept()
    typed, *others = concept.alternatives
    if not all(w in stop for w in typed):
        return True
    return all(w in acronyms for w in typed) and any(not all(w in stop for w in alt) for alt in others)


def _concept_at(tokens, typed, start: int, spans: dict, acronyms: frozenset[str] = frozenset(),
                phrases_apart: frozenset[int] = frozenset()) -> tuple[int, Concept | None]:
    """The concept that starts at ``start`` and where the next one starts. ``phrases_apart``: where a
    phrase of ``spans`` starts that was typed apart from the word before it."""
    if start in spans:
        end, alternatives = spans[start]
        words = tokens[start:end]
        key, ambiguous = "".join(words), _ambiguous_abbreviations()
        # not พศ for สำนักงานพระพุทธศาสนาแห่งชาติ: every record saying พ.ศ. (the era) would hold the office
        forms = [words] + [alt for alt, _, _ in alternatives if "".join(alt) not in ambiguous]
        forms += english_forms(key)
        spellings = [words]
        if is_thai(key) and key in _abbreviation_meanings() and key not in ambiguous:
            # กทม is held wherever กรุงเทพมหานคร is: as กรุงเทพ, as Bangkok, inside a longer word
            spellings += [full for full in forms[1:] if all(map(is_thai, full))]
            forms += [form for full in spellings[1:] for form in _right_forms(full)]
        return end, _concept(thai.join_words(list(typed[start:end])), forms, words, spellings)
    # A misspelling never takes in a known phrase typed apart: in "นักเรียน ม.6" the letter ม is the
    # grade's abbreviation (ม.6), not a stray letter of นักเรียน.
    phrase_at = min((s for s in phrases_apart if s > start), default=len(tokens))
    for end in range(min(phrase_at, start + MAX_TYPO_WORDS), start, -1):
        corrected = correct_span(tokens[start:end])
        if corrected:
            if all(word in _no_concept() for word in corrected):
                return end, None  # ข้อมูล misspelt (ขอมูล) is no more a concept than ข้อมูล typed right
            forms = [tokens[start:end]] + [form for word in corrected for form in _right_forms(word)]
            return end, _concept("".join(typed[start:end]), forms, tuple(corrected[:1]))
    token = tokens[start]
    forms = [(token,), *english_forms(token)]
    if parts := dictionary.parts(token):
        forms.append(tuple(parts))
    if typo_candidate(token, acronyms):
        nearest = nearest_english(token)
        if nearest != token:
            forms.append((nearest,))
            forms += [alt for _, _, alts in equivalent_spans((nearest,)) for alt, _, _ in alts]
    return start + 1, _concept(typed[start], forms, (token,))


def _right_forms(word: str | tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The forms ``word`` (a word or its segmented words) is held in when typed right (its English terms,
    abbreviations, parts): what a misspelling corrected to it holds too ("ไฟฟา": ไฟฟ้า and electricity),
    and an abbreviation expanded to it."""
    words = (word,) if isinstance(word, str) else word
    spans = {start: (end, alternatives) for start, end, alternatives in equivalent_spans(words)}
    end, concept = _concept_at(words, words, 0, spans)
    return concept.alternatives if concept and end == len(words) else (words,)


VERBAL_NOUNS = ("การ", "ความ")  # the act or quality of the word after (นัก, ผู้: a person, another meaning)


@lru_cache(maxsize=1)
def _english_by_thai() -> dict[str, tuple[tuple[str, ...], ...]]:
    forms: dict[str, dict[tuple[str, ...], None]] = {}
    for entry in glossary.entries():
        if not entry.acronym:
            key, english = "".join(thai.segment(entry.thai)), tuple(thai.segment(entry.term))
            # การผลิต (production) also for ผลิต: a record saying การผลิต is indexed with ผลิต too
            for each in (key, *(thai.nominal_stem(key) if key.startswith(VERBAL_NOUNS) else ())):
                forms.setdefault(each, {})[english] = None
    return {key: tuple(found) for key, found in forms.items()}


def english_forms(key: str) -> tuple[tuple[str, ...], ...]:
    """The glossary's English terms for a Thai word (``key``: its segmented words joined): a record
    that says "Production of Ethanol" holds the concept ผลิต of "ผลิต ethanol". Only for the concept a
    record must hold: the query's variants stay English → Thai (``analyzers.query.equivalents``)."""
    return _english_by_thai().get(key, ()) if not key.isascii() else ()


@lru_cache(maxsize=1)
def _abbreviation_meanings() -> dict[str, frozenset[str]]:
    """Each abbreviation of the list, as a query's words join it (กทม), → the full names it stands for."""
    meanings: dict[str, set[str]] = {}
    for short, full in dictionary.abbreviations():
        meanings.setdefault(short.replace(".", ""), set()).add(full)
    return {short: frozenset(fulls) for short, fulls in meanings.items()}


@lru_cache(maxsize=1)
def _ambiguous_abbreviations() -> frozenset[str]:
    """Abbreviations the list expands to more than one thing (กพ: the OCSC and February)."""
    return frozenset(short for short, fulls in _abbreviation_meanings().items() if len(fulls) > 1)


def _thai_equivalents(forms: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """What each Thai form means when typed in Thai — its abbreviation, short name and synonyms
    (กรุงเทพมหานคร: กทม, กรุงเทพ), a compound's parts — so a concept typed in Latin letters ("BMA",
    "january") is held by every record its Thai is. Not the Thai word's other English
    terms: สาขา is a branch and a sector, "branch" is not "sector" — nor an abbreviation that stands for
    more than one thing: "OCSC" is not กพ, also February."""
    ambiguous = _ambiguous_abbreviations()
    found = []
    for form in forms:
        known = [alts for start, end, alts in equivalent_spans(form) if (start, end) == (0, len(form))]
        found += [alt for alts in known for alt, _, _ in alts
                  if all(map(is_thai, alt)) and "".join(alt) not in ambiguous]
        # a name the lists know is not its parts apart (ท่าอากาศยาน + ไทย is any Thai airport, not AOT)
        if not known and len(form) == 1 and (parts := dictionary.parts(form[0])):
            found.append(tuple(parts))
    return found


# Two English stems sharing this many first letters are one word's forms (provinc, provinci; econom,
# economi), not two words (branch, sector).
MIN_RELATIVE_PREFIX = 5


def _relatives(text: str, typed: tuple[str, ...], thai_forms: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The English terms of the Thai forms that are forms of the word typed — "province" (provinc) stands
    for จังหวัด, whose terms are province and provincial (provinci), which Snowball does not join — or that
    it abbreviates (``_abbreviates``; ``text``: the word as typed): "jan" stands for มกราคม, whose term
    january a record may say alone; "PEA" for การไฟฟ้าส่วนภูมิภาค, the Provincial Electricity Authority."""
    if len(typed) != 1:
        return []
    found = []
    for form in thai_forms:
        key = "".join(form)
        found += [term for term in english_forms(key) if _abbreviates(text, typed[0], key, term) or (
                  len(term) == 1 and len(os.path.commonprefix([term[0], typed[0]])) >= MIN_RELATIVE_PREFIX)]
    return found


# A word cut short is at least this long: "jan", "sept" (not "ma" for march).
MIN_CLIPPED = 3


def _abbreviates(text: str, short: str, key: str, term: tuple[str, ...]) -> bool:
    """Whether ``short`` (the stem of ``text``, typed for the Thai ``key``) abbreviates ``term``, one of
    the Thai's English terms: its words' initials ("pea", "fy", "cpi": provincial electricity authority,
    fiscal year, consumer price index), or its first letters when the glossary gives ``text`` as written
    for the Thai ("jan", "sept" for มกราคม, กันยายน: january, september) — not a word that merely begins
    another: "fish" (ประมง, by the stem of fishing) is no short "fisheries"."""
    if len(term) > 1:
        return len(term) == len(short) and all(word.startswith(letter) for word, letter in zip(term, short))
    return (len(short) >= MIN_CLIPPED and term[0].startswith(short) and term[0] != short
            and text.casefold() in _written_terms().get(key, ()))


@lru_cache(maxsize=1)
def _written_terms() -> dict[str, frozenset[str]]:
    """Each Thai word of the glossary (its segmented words joined) → its English terms as written."""
    terms: dict[str, set[str]] = {}
    for entry in glossary.entries():
        if not entry.acronym:
            terms.setdefault("".join(thai.segment(entry.thai)), set()).add(entry.term.casefold())
    return {key: frozenset(found) for key, found in terms.items()}


def _concept(text: str, forms: list[tuple[str, ...]], spelled: tuple[str, ...],
             spellings: list[tuple[str, ...]] | None = None) -> Concept:
    """``spelled``: the words whose trigrams may find the concept inside longer words (``spellings``, when
    given: each of those word lists). Typed in Latin letters (budget, PEA), the Thai forms it stands for
    are spelled instead ("budget" finds งบประมาณ inside ปีงบประมาณ as the Thai word typed does), and hold
    what they hold typed in Thai."""
    typed_in_thai = any(is_thai(w) for w in spelled)
    frequency = periods.frequency_of(text)
    forms = _stating(forms, frequency)
    thai_forms = [form for form in forms if all(map(is_thai, form))]
    spellings = (spellings or [spelled]) if typed_in_thai else thai_forms
    if not typed_in_thai:
        stood_for = _thai_equivalents(thai_forms) + _relatives(text, spelled, thai_forms)
        forms = _stating(forms + stood_for, frequency)
    grams = (tuple(dict.fromkeys(g for w in words if is_thai(w) for g in thai.subwords(w)))
             for words in spellings)
    latin = tuple(w for form in forms for w in form if LATIN_WORD.match(w))
    located = (places.region_of_name("".join(form)) or places.province_of_name(form)
               or places.district_of_name(form) for form in forms)
    located_in = tuple(dict.fromkeys(code for code in located if code))
    return Concept(text, tuple(dict.fromkeys(forms)),
                   tuple(dict.fromkeys(g for g in grams if len(g) >= MIN_INSIDE_GRAMS)), latin, located_in,
                   frequency, years=_year_typed(text))


def _year_typed(text: str) -> tuple[str, ...]:
    """The Buddhist-era year a concept typed as a four-digit year stands for ("2563", "2020" → 2563), or
    none: 63, 1111 are no years a record covers."""
    be = periods.to_be(text) if len(text) == 4 and text.isdigit() else None
    return (str(be),) if be else ()


def _stating(forms: list[tuple[str, ...]], frequency: str | None) -> list[tuple[str, ...]]:
    """A frequency word's forms (``frequency``: the code its text states, ``periods.frequency_of``): as
    typed, and those of its other forms that state the same frequency — "monthly" is รายเดือน, not every
    record saying เดือน (month), and "yearly" not every one saying ปี. A record updated that often holds
    the concept too (``portal.search.relevance.concept_query``). Any other concept: ``forms``."""
    if not frequency:
        return forms
    return forms[:1] + [form for form in forms[1:]
                        if periods.frequency_of(thai.join_words(list(form))) == frequency]


def _unique(found: list[Concept]) -> list[Concept]:
    """A concept typed twice is one concept."""
    seen: set[tuple] = set()
    kept = []
    for concept in found:
        if concept.alternatives not in seen:
            seen.add(concept.alternatives)
            kept.append(concept)
    return kept


def other_language(plan: QueryPlan) -> str | None:
    """The query said in the other language, concept by concept (``hotel กรุงเทพ`` → โรงแรม bangkok),
    from the glossary and the synonym lists; ``None`` when no concept has such a form."""
    said, changed = [], False
    for concept in concepts(plan):
        typed_latin = concept.text.isascii()
        other = next((form for form in concept.alternatives[1:]
                      if all(w.isascii() != typed_latin for w in form)), None)
        changed = changed or other is not None
        said.append(thai.join_words(list(other)) if other else concept.text)
    return " ".join(said) if changed else None


def broader_queries(plan: QueryPlan) -> list[str]:
    """The query with a compound said with less, to offer when it finds nothing: a Thai word made of a
    head noun (``MEASURE_HEADS``, ``THING_HEADS``) and a dictionary word is said as that word, then (a
    thing's head) as the head — ค่าไฟฟ้า → ไฟฟ้า; "ภาษีเงินได้ ภูเก็ต" → "เงินได้ ภูเก็ต", "ภาษี ภูเก็ต".
    Searching for them is the visitor's choice (each offered with its count), never a silent widening: a
    word that finds nothing stays nothing, as the concepts require. Other compounds are not cut: แรงงาน
    is no แรง, สนามบิน no บิน."""
    found: dict[str, None] = {}
    known = dictionary.words()
    for concept in concepts(plan):
        typed = concept.alternatives[0]
        if len(typed) != 1 or not is_thai(typed[0]):
            continue
        word = typed[0]
        head = max((h for h in MEASURE_HEADS + THING_HEADS if word.startswith(h)), key=len, default="")
        rest = word[len(head):]
        if not head or rest not in known or len(rest) < dictionary.MIN_SPLIT_PIECE or rest in _no_concept():
            continue
        for less in (rest, head) if head in THING_HEADS else (rest,):
            said = plan.text.replace(concept.text, less, 1) if concept.text in plan.text else less
            found[" ".join(said.split())] = None
    return list(found)
