"""Thai administrative places named in a text: regions, 77 provinces, 928 districts.

The gazetteer is ``data/gazetteer/`` (sources and licences in its README). Precision comes first: a
wrong place is worse than none, so a name counts only in a form that cannot be an ordinary word:

- **prefixed**: ``จังหวัดตาก``, ``จ.ตาก``, ``อำเภอเมืองเชียงใหม่``, ``อ.ฝาง``, ``เขตบางรัก`` (Bangkok's districts),
  ``ภาคเหนือ``; a district name shared by two provinces needs its province in the same record;
- **a whole segmented word** (or word sequence) for provinces, their English names and ``กทม``/``กรุงเทพ``
  — except the names that are also common words (ตาก "to dry", แพร่ "to spread", เลย "at all" …),
  and never when the name is part of a road, route, bank or airspace name (ถนนเพชรบุรี, Bangkok FIR);
- **two-letter abbreviations** (``ชม.``) only written with their dot and never where they also abbreviate a
  month (``สค.`` สิงหาคม), hours (``24 ชม.``), students (``นศ.``) or members of parliament (``สส.``).

>>> [p.code for p in find("ทะเบียนวัดจังหวัดเชียงใหม่ และ อ.ฝาง")]
['50', '5010']
"""
from __future__ import annotations

import csv
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analyzers import thai
from analyzers.script import THAI_LETTERS, TO_ARABIC_DIGITS

GAZETTEER_DIR = Path(__file__).resolve().parent / "data" / "gazetteer"
REGION, PROVINCE, DISTRICT = "region", "province", "district"
BANGKOK = "10"

# kongvut/thai-province-data geography ids → the slugs used in URLs and the index.
REGION_SLUGS = {1: "north", 2: "central", 3: "northeast", 4: "west", 5: "east", 6: "south"}
REGION_NAMES_EN = {"north": "Northern region", "central": "Central region", "northeast": "Northeastern region",
                   "west": "Western region", "east": "Eastern region", "south": "Southern region"}
REGION_ALIASES = {"northeast": ("ภาคอีสาน",)}
# Province names that are also everyday words: only their prefixed forms count.
FALSE_FRIENDS = frozenset({"ตาก", "แพร่", "เลย", "กระบี่", "น่าน"})
# Two-letter abbreviations that are also written for months, students or MPs.
AMBIGUOUS_ABBREVIATIONS = frozenset({"มค", "กพ", "สค", "พย", "นศ", "สส", "ตง", "ตร", "ชน", "พบ", "สน", "ลบ"})
# A bare name right after one of these words names a road, a route, a bank …, not the province.
BLOCKING_BEFORE = frozenset({"ถนน", "ถ", "ซอย", "สาย", "ทางหลวง", "สะพาน", "แม่น้ำ", "ธนาคาร", "การบิน",
                             "เขตแถลงข่าวการบิน", "แยก", "ช่วง", "สถานี"})
BLOCKING_AFTER = frozenset({"fir"})


@dataclass(frozen=True)
class Place:
    code: str            # region slug, DOPA province code ("50") or district code ("5001")
    level: str           # region | province | district
    th: str              # Thai name as the gazetteer writes it (districts with อำเภอ/เขต)
    en: str
    parent: str | None   # region of a province, province of a district

    def lineage(self) -> tuple[str, ...]:
        """This place's code and its ancestors' codes, most general first: ``("north", "50", "5001")``."""
        chain = [self.code]
        parent = self.parent
        while parent:
            chain.append(parent)
            parent = gazetteer()[parent].parent
        return tuple(reversed(chain))


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Every place by code (loaded once)."""
    places: dict[str, Place] = {}
    with open(GAZETTEER_DIR / "kongvut-thai-province-data" / "geographies.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            slug = REGION_SLUGS[int(row["id"])]
            places[slug] = Place(slug, REGION, row["name"], REGION_NAMES_EN[slug], None)
    with open(GAZETTEER_DIR / "kongvut-thai-province-data" / "provinces.csv", encoding="utf-8") as fh:
        region_of = {row["name_th"]: REGION_SLUGS[int(row["geography_id"])] for row in csv.DictReader(fh)}
    provinces = json.loads((GAZETTEER_DIR / "thailand-geography-json" / "provinces.json").read_text("utf-8"))
    for p in provinces:
        code = str(p["provinceCode"])
        places[code] = Place(code, PROVINCE, p["provinceNameTh"], p["provinceNameEn"], region_of[p["provinceNameTh"]])
    districts = json.loads((GAZETTEER_DIR / "thailand-geography-json" / "districts.json").read_text("utf-8"))
    for d in districts:
        code, province = str(d["districtCode"]), str(d["provinceCode"])
        prefix = "เขต" if province == BANGKOK else "อำเภอ"
        places[code] = Place(code, DISTRICT, prefix + d["districtNameTh"], d["districtNameEn"], province)
    return places


def region_of_name(name: str) -> str | None:
    """The region a Thai name names (ภาคอีสาน → ``northeast``), or None."""
    return _tables()["regions"].get(name)


def province_of_name(words: tuple[str, ...]) -> str | None:
    """The province a query's form names as a whole — its Thai name with or without จังหวัด/จ., a short
    name of Bangkok, or its English name as segmented (``("chiang", "mai")``) — or None."""
    return _tables()["province_forms"].get(words) or _tables()["province_forms"].get(("".join(words),))


def district_of_name(words: tuple[str, ...]) -> str | None:
    """The district a query's form names as a whole — อำเภอ/อ. or, in Bangkok, เขต before its name, a name
    no other district has; in English with its level word, as segmented (``("pai", "district")``,
    ``("ampho", "pai")``) — or None. A bare English name is none: Fang is also a fang."""
    forms = _tables()["district_forms"]
    return forms.get(words) or forms.get(("".join(words),))


# English level words, as the segmenter gives them: after a province's name ("Chiang Mai province"), after
# a district's or before it ("Pai district", "Amphoe Pai", "Khet Bang Rak").
ENGLISH_PROVINCE_AFTER = "provinc"
ENGLISH_DISTRICT_AFTER = "district"
ENGLISH_DISTRICT_BEFORE = ("ampho", "khet")


def get(code: str) -> Place | None:
    return gazetteer().get(code)


def bare_name(place: Place) -> str:
    """The name without อำเภอ/เขต: what follows a prefix in running text."""
    for prefix in ("อำเภอ", "เขต"):
        if place.level == DISTRICT and place.th.startswith(prefix):
            return place.th[len(prefix):]
    return place.th


def label(code: str, lang: str = "th") -> str:
    """Display name of a place code (Thai: จังหวัด… for provinces, as the gazetteer writes districts)."""
    place = get(code)
    if place is None:
        return code
    if lang == "en":
        return place.en
    return place.th if place.level != PROVINCE or place.code == BANGKOK else f"จังหวัด{place.th}"


# --- the name tables ----------------------------------------------------------------------------------

def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


@lru_cache(maxsize=1)
def _tables() -> dict:
    places = gazetteer().values()
    provinces = {p.th: p.code for p in places if p.level == PROVINCE}
    districts: dict[str, list[str]] = {}
    bangkok: dict[str, str] = {}
    for p in places:
        if p.level == DISTRICT:
            name = bare_name(p)
            if p.parent == BANGKOK:
                bangkok[name] = p.code
            else:
                districts.setdefault(name, []).append(p.code)
    abbreviations = {}
    with open(GAZETTEER_DIR / "pythainlp" / "thailand_provinces_th.csv", encoding="utf-8") as fh:
        for name_th, abbr_th, _name_en, _abbr_en in csv.reader(fh):
            if name_th in provinces:
                abbreviations[abbr_th] = provinces[name_th]
    regions = {p.th: p.code for p in places if p.level == REGION}
    for code, aliases in REGION_ALIASES.items():
        regions |= {alias: code for alias in aliases}
    # Bare forms, matched as whole token sequences of the segmented text.
    bare = {name: code for name, code in provinces.items() if name not in FALSE_FRIENDS}
    bare |= {"กรุงเทพ": BANGKOK, "กรุงเทพฯ": BANGKOK, "กทม": BANGKOK}
    english = {p.en.lower(): p.code for p in places if p.level == PROVINCE}
    sequences = {tuple(thai.words(name)): code for name, code in (bare | english).items()}
    province_forms = {(name,): code for name, code in provinces.items()}
    province_forms |= {(prefix + name,): code for name, code in provinces.items()
                       for prefix in ("จังหวัด", "จ")}
    province_forms |= {("กรุงเทพ",): BANGKOK, ("กทม",): BANGKOK}
    province_forms |= {tuple(thai.segment(name)): code for name, code in english.items()}
    # A district by its prefixed name, when the name is one district's only (not อำเภอเมือง)
    district_forms = {(prefix + name,): codes[0] for name, codes in districts.items() if len(codes) == 1
                      for prefix in ("อำเภอ", "อ")}
    district_forms |= {("เขต" + name,): code for name, code in bangkok.items()}
    # In English, with its level word: a province after its name; a district, when no other has its name
    province_forms |= {(*thai.segment(name), ENGLISH_PROVINCE_AFTER): code for name, code in english.items()}
    by_english: dict[tuple[str, ...], list[Place]] = {}
    for p in places:
        if p.level == DISTRICT and p.en:
            by_english.setdefault(tuple(thai.segment(p.en)), []).append(p)
    for name, found in by_english.items():
        if len(found) == 1:
            before = "khet" if found[0].parent == BANGKOK else "ampho"
            district_forms |= {(*name, ENGLISH_DISTRICT_AFTER): found[0].code, (before, *name): found[0].code}
    return {
        "province": re.compile(rf"(?:จังหวัด|(?<![{THAI_LETTERS}])จ\.)\s*({_alternation(provinces)})"),
        "province_abbr": re.compile(rf"(?:จังหวัด|(?<![{THAI_LETTERS}])จ\.)\s*({_alternation(abbreviations)})(?:\.|(?![{THAI_LETTERS}]))"),
        "abbr": re.compile(rf"(?<![{THAI_LETTERS}.\d])({_alternation(set(abbreviations) - AMBIGUOUS_ABBREVIATIONS)})\.(?![{THAI_LETTERS}])"),
        "district": re.compile(rf"(?:อำเภอ|(?<![{THAI_LETTERS}])อ\.)\s*({_alternation(districts)}|เมือง)"),
        "bangkok_district": re.compile(rf"เขต\s*({_alternation(bangkok)})"),
        "region": re.compile(rf"({_alternation(regions)})"),
        "against_province": re.compile(rf"(?<![{THAI_LETTERS}])จ\.(?={_alternation([*provinces, *bare])})"),
        "against_district": re.compile(rf"(?<![{THAI_LETTERS}])อ\.(?={_alternation([*districts, 'เมือง'])})"),
        "provinces": provinces, "districts": districts, "bangkok": bangkok,
        "abbreviations": abbreviations, "regions": regions, "sequences": sequences,
        "province_forms": province_forms, "district_forms": district_forms,
        "longest": max(len(s) for s in sequences),
    }


# --- recognition --------------------------------------------------------------------------------------

def prepare(text: str | None) -> str:
    """The text as the patterns read it: entities decoded, NFC, zero-width gone, Thai digits → Arabic,
    lower case. Unlike ``thai.normalise`` it keeps dots, which tell ``จ.`` and ``ชม.`` apart."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", html.unescape(text))
    text = re.sub("[\u200b-\u200f\u2060\ufeff\u00ad]", "", text)
    text = text.translate(TO_ARABIC_DIGITS)
    return re.sub(r"\s+", " ", text).lower()


@dataclass(frozen=True)
class Mention:
    code: str
    candidates: tuple[str, ...] = ()   # a district name shared by several provinces: their district codes
    prefixed: bool = True              # จังหวัด…/อำเภอ…/เขต…/ภาค… (a bare word is weaker)
    blocked: bool = False              # the name used for something else (ถนนเพชรบุรี, Bangkok FIR)


def mentions(text: str | None) -> list[Mention]:
    """Every place named in ``text``; ambiguous districts carry their candidates (see :func:`resolve`)."""
    prepared = prepare(text)
    if not prepared:
        return []
    t = _tables()
    found: list[Mention] = []
    found += [Mention(t["provinces"][m.group(1)]) for m in t["province"].finditer(prepared)]
    found += [Mention(t["abbreviations"][m.group(1)]) for m in t["province_abbr"].finditer(prepared)]
    found += [Mention(t["abbreviations"][m.group(1)]) for m in t["abbr"].finditer(prepared)
              if not _after_number(prepared, m.start())]
    found += [Mention(t["bangkok"][m.group(1)]) for m in t["bangkok_district"].finditer(prepared)
              if not _longer_province(prepared, m.start(1), m.group(1))]
    found += [Mention(t["regions"][m.group(1)]) for m in t["region"].finditer(prepared)]
    for m in t["district"].finditer(prepared):
        found.append(_district(m.group(1), prepared[m.end():m.end() + 40]))
    found += _bare_words(prepared)
    return [m for m in found if m.code or m.candidates]


def _longer_province(text: str, start: int, name: str) -> bool:
    """``ในเขตพระนครศรีอยุธยา`` is "in Ayutthaya", not Bangkok's เขตพระนคร."""
    longer = re.match(rf"({_alternation(_tables()['provinces'])})", text[start:])
    return bool(longer) and len(longer.group(1)) > len(name)


def _after_number(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and (before[-1].isdigit() or before.endswith(("ทุก", "ต่อ", "ละ")))


def _district(name: str, following: str) -> Mention:
    t = _tables()
    if name == "เมือง":
        # "อ.เมือง จ.เชียงใหม่" / "อำเภอเมืองเชียงใหม่" (the latter is matched whole above): the province decides.
        nxt = t["province"].match(following.lstrip()) or re.match(rf"({_alternation(t['provinces'])})", following)
        if not nxt:
            return Mention("")
        wanted = "เมือง" + nxt.group(1)
        codes = t["districts"].get(wanted) or []
        return Mention(codes[0]) if len(codes) == 1 else Mention("")
    codes = t["districts"][name]
    return Mention(codes[0]) if len(codes) == 1 else Mention("", tuple(codes))


def _bare_words(prepared: str) -> list[Mention]:
    t = _tables()
    tokens = thai.words(prepared)
    found = []
    i = 0
    while i < len(tokens):
        for size in range(min(t["longest"], len(tokens) - i), 0, -1):
            code = t["sequences"].get(tuple(tokens[i:i + size]))
            if code is None:
                continue
            before = tokens[i - 1] if i else ""
            after = tokens[i + size] if i + size < len(tokens) else ""
            blocked = before in BLOCKING_BEFORE or after in BLOCKING_AFTER
            found.append(Mention(code, prefixed=False, blocked=blocked))
            i += size - 1
            break
        i += 1
    return found


def resolve(found: list[Mention]) -> list[str]:
    """Place codes from mentions (of one text or of a whole record).

    A shared district name is kept only when exactly one of its provinces is named too
    (``อำเภอเฉลิมพระเกียรติ จังหวัดน่าน``), never guessed. A name the text also uses for something else
    (the tag "Bangkok" beside "Bangkok FIR") counts only in its prefixed form.
    """
    blocked = {m.code for m in found if m.blocked}
    codes = [m.code for m in found if m.code and not m.blocked and (m.prefixed or m.code not in blocked)]
    named_provinces = {c for c in codes if gazetteer()[c].level == PROVINCE}
    for m in found:
        if m.candidates:
            matching = [c for c in m.candidates if gazetteer()[c].parent in named_provinces]
            if len(matching) == 1:
                codes.append(matching[0])
    return list(dict.fromkeys(codes))


def find(text: str | None) -> list[Place]:
    """The places named in one text, in order of first mention."""
    return [gazetteer()[c] for c in resolve(mentions(text))]


def prefixes_apart(text: str) -> str:
    """``text`` with จ. and อ. set apart from a province's or district's name written against them
    ("จ.นครศรีธรรมราช" → "จ. นครศรีธรรมราช"): normalising drops an abbreviation's dot, which would join the
    letter to the name (จน|คร|ศรี|ธรรม|ราช), as ก.พ. becomes กพ. A query's words only: a record's places are
    read from its text as written (``mentions``)."""
    tables = _tables()
    return tables["against_district"].sub("อ. ", tables["against_province"].sub("จ. ", text))


def in_query(q: str | None) -> list[str]:
    """Place codes a search names: as in a record, plus a province typed as a whole word on its own
    (``วัด ตาก``) — in a query a lone ตาก is the province, not the verb."""
    codes = [p.code for p in find(q)]
    names = {p.th: p.code for p in gazetteer().values() if p.level == PROVINCE}
    codes += [names[w] for w in prepare(q).split() if w in names]
    return list(dict.fromkeys(codes))
