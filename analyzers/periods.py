"""Time in a text: how often data is updated (frequency words), which years it covers, dated periods.

Buddhist-era years are the catalogue's own (``พ.ศ. 2563``); Common-era years become BE (2020 → 2563).
Fiscal years (``ปีงบประมาณ 2564``) keep their number and absorb the months that belong to them
(``ปีงบประมาณ 2563 (สะสม ณ เดือนพฤศจิกายน 2562)`` covers 2563 only). The year of a law
(``พ.ร.บ.โรงงาน พ.ศ. 2535``) and the date of an update (``[update 10-06-2559]``) are not coverage.

>>> years("สถิติคดี ปีงบประมาณ 2546 - 2559")
(2546, 2559)
>>> frequency_words("รายงาน GPS รายเดือน")
{'M': 'รายเดือน'}
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.places import prepare
from analyzers.script import BE_OFFSET

BE_RANGE = range(2480, 2601)
CE_RANGE = range(1950, 2031)
MAX_SPAN = 60

MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
          "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTH_ABBREVIATIONS = ("มค", "กพ", "มีค", "เมย", "พค", "มิย", "กค", "สค", "กย", "ตค", "พย", "ธค")
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(MONTHS)} | {
    a: i + 1 for i, a in enumerate(MONTH_ABBREVIATIONS)}


def _abbreviation_pattern(abbr: str) -> str:
    return r"\.?\s?".join(re.escape(c) for c in abbr) + r"\.?"


def _month_pattern(before_abbreviation: str = "") -> str:
    """Any month, by its name or its abbreviation (ม.ค., มค), the abbreviation after ``before_abbreviation``."""
    return "|".join([*(re.escape(m) for m in MONTHS),
                     *(before_abbreviation + _abbreviation_pattern(a) for a in MONTH_ABBREVIATIONS)])


_MONTH = _month_pattern()
_BE = r"พ\.?\s?ศ\.?"   # พ.ศ., the Buddhist era
_CE = r"ค\.?\s?ศ\.?"   # ค.ศ., the common era
_ERA = rf"(?:{_BE}|{_CE})?\s*"
_DASH = r"\s*[-–—]\s*"
_Y4 = r"(\d{4})(?!\d)"
_Y24 = r"(\d{4}|\d{2})(?!\d)"

FISCAL = re.compile(rf"ปีงบ(?:ประมาณ)?\s*{_ERA}(?<!\d){_Y4}(?:{_DASH}{_Y24})?")
MONTH_YEAR = re.compile(rf"({_MONTH})\s*{_ERA}(?<!\d){_Y24}")
YEAR_WORD = re.compile(rf"(?<!งบ)ปี\s*{_ERA}(?<!\d){_Y24}(?:{_DASH}{_Y24})?")
ERA_YEAR = re.compile(rf"(?:{_BE}|{_CE})\s*{_Y4}")
BARE_YEAR = re.compile(rf"(?<![\d.,/]){_Y4}(?:{_DASH}{_Y4})?(?![.,/]\d)")
# Two years joined by a dash, as a search types a range ("ปี 2560-2562", "2017–2019"); the end may be
# written short, in the start's century ("2560-62", as ``_range`` reads a record's).
YEAR_RANGE = re.compile(rf"(?<!\d){_Y4}{_DASH}{_Y24}")
NUMERIC_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}")
# A Buddhist-era year a search writes short after its word or a month, as YEAR_WORD and MONTH_YEAR read a
# record's ("ปี 63", "พ.ศ. 63", "ปีงบประมาณ 66", "ปี 60-62", "มกราคม 63", "ม.ค. 63"); not after ยุค or ทศวรรษ:
# "ยุคปี 70" is the 1970s. A month's abbreviation only as a word of its own (not the end of a longer one).
_YEAR_WORD_SHORT = rf"(?<!ยุค)(?<!ยุค )(?<!ทศวรรษ)(?<!ทศวรรษ )(?:ปี(?:งบ(?:ประมาณ)?)?\s*(?:{_BE})?|{_BE})"
_MONTH_SHORT = _month_pattern(before_abbreviation="(?<![ก-๛])")
SHORT_YEAR = re.compile(rf"(?:{_YEAR_WORD_SHORT}|{_MONTH_SHORT})\s*"
                        rf"(?<!\d)(\d{{2}})(?!\d)(?:{_DASH}(\d{{2}})(?!\d))?")
LAW = re.compile(r"พ\.?\s?ร\.?\s?บ|พ\.?\s?ร\.?\s?ก|พระราชบัญญัติ|พระราชกำหนด|ระเบียบ|กฎกระทรวง|ข้อบังคับ|ว่าด้วย")
UPDATE = re.compile(r"(?:update[d]?|ปรับปรุง|อัพเดท|อัปเดต)\s*(?:เมื่อ|ณ)?\s*(?:วันที่)?\s*[\d/\-. ]{6,12}")

# Frequency words → SDMX unit codes. ``ประจำปี`` counts only without a year after it ("ประจำปี 2555"
# is one edition), and ``ปีละ`` only with ครั้ง ("ปีละตั้งแต่หนึ่งแสนตัน" is a quantity).
FREQUENCY_WORDS: tuple[tuple[str, re.Pattern], ...] = (
    ("M", re.compile(r"รายเด[ืี]อน|ทุกเดือน|เดือนละ\s*(?:1|หนึ่ง)?\s*ครั้ง|\bmonthly\b|\b(?:each|every) month\b")),
    ("Q", re.compile(r"ราย\s?ไตรมาส|ทุกไตรมาส|ไตรมาสละ\s*(?:1|หนึ่ง)?\s*ครั้ง|\bquarterly\b"
                     r"|\b(?:each|every) quarter\b|(?:ราย|ทุก)\s?(?:3|สาม)\s?เดือน"
                     r"|\bevery (?:3|three) months\b")),
    ("S", re.compile(r"ราย\s?(?:6|หก)\s?เดือน|ทุก\s?(?:6|หก)\s?เดือน|รายครึ่งปี|\bsemi[- ]?annual(?:ly)?\b"
                     r"|\bhalf[- ]?yearly\b|\bevery (?:6|six) months\b|ปีละ\s*(?:2|สอง)\s*ครั้ง"
                     r"|\btwice a year\b")),
    ("A", re.compile(r"รายปี|ทุกปี|ปีละ\s*(?:1|หนึ่ง)?\s*ครั้ง|\bannual(?:ly)?\b|\byearly\b"
                     r"|\b(?:each|every) year\b|ประจำปี(?!\s*(?:งบ|พ\.?\s?ศ|ค\.?\s?ศ|\d))")),
    ("W", re.compile(r"รายสัปดาห์|ทุกสัปดาห์|\bweekly\b|\b(?:each|every) week\b")),
    ("D", re.compile(r"รายวัน|ทุกวัน|\bdaily\b|\b(?:each|every) day\b")),
    ("H", re.compile(r"รายชั่วโมง|ทุกชั่วโมง|\bhourly\b|\b(?:each|every) hour\b")),
    ("R", re.compile(r"real[- ]?time|เรียลไทม์|ตามเวลาจริง")),
)
# The word the catalogue writes for each frequency: what a frequency said otherwise (ทุกเดือน, every
# month) is also held by.
FREQUENCY_WORD = {"M": "รายเดือน", "Q": "รายไตรมาส", "S": "รายครึ่งปี", "A": "รายปี", "W": "รายสัปดาห์",
                  "D": "รายวัน", "H": "รายชั่วโมง", "R": "เรียลไทม์"}
# Several files a month ("ครึ่งเดือนแรก"): a sequence of them is not monthly.
TWICE_MONTHLY = re.compile(r"ครึ่งเดือน|รายปักษ์")


@dataclass(frozen=True)
class Period:
    year: int                 # Buddhist era
    month: int | None = None
    fiscal: bool = False


def to_be(number: str) -> int | None:
    """A year as written → Buddhist era, or ``None``: ``"2563"`` → 2563, ``"2020"`` → 2563, ``"63"`` → 2563."""
    value = int(number)
    if len(number) == 2:
        return 2500 + value
    if value in BE_RANGE:
        return value
    if value in CE_RANGE:
        return value + BE_OFFSET
    return None


def periods(text: str | None) -> list[Period]:
    """Every year (with its month, or as a fiscal year) that ``text`` states as data coverage."""
    prepared = prepare(text)
    if not prepared:
        return []
    prepared = UPDATE.sub(" ", prepared)
    law = bool(LAW.search(prepared))
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def claim(match: re.Match, groups: list[tuple[str | None, int | None, bool]]) -> None:
        taken.append(match.span())
        for number, month, fiscal in groups:
            year = to_be(number) if number else None
            if year:
                found.append(Period(year, month, fiscal))

    def free(match: re.Match) -> bool:
        return not any(s < match.end() and match.start() < e for s, e in taken)

    for m in NUMERIC_DATE.finditer(prepared):
        taken.append(m.span())
    for m in FISCAL.finditer(prepared):
        claim(m, [(y, None, True) for y in _range(m.group(1), m.group(2))])
    for m in MONTH_YEAR.finditer(prepared):
        if free(m):
            month = _MONTH_NUMBER.get(re.sub(r"[.\s]", "", m.group(1)))
            claim(m, [(m.group(2), month, False)])
    for m in YEAR_WORD.finditer(prepared):
        if free(m):
            claim(m, [(y, None, False) for y in _range(m.group(1), m.group(2))])
    for m in ERA_YEAR.finditer(prepared):
        if free(m):
            taken.append(m.span())
            if not law:
                claim(m, [(m.group(1), None, False)])
    for m in BARE_YEAR.finditer(prepared):
        if free(m):
            claim(m, [(y, None, False) for y in _range(m.group(1), m.group(2))])
    return found


def _range(first: str, last: str | None) -> list[str]:
    """``"2546", "2559"`` → every year between; a two-digit end takes the century of the start."""
    start = to_be(first)
    if start is None:
        return []
    if not last:
        return [first]
    end = to_be(last) if len(last) == 4 else (start // 100) * 100 + int(last)
    if end is None or not 0 <= end - start <= MAX_SPAN:
        return [first]
    return [str(y) for y in range(start, end + 1)]


def covered_years(found: list[Period]) -> tuple[int, int] | None:
    """First and last BE year of ``found``; a month inside a stated fiscal year belongs to that year."""
    fiscal = {p.year for p in found if p.fiscal}
    years = set()
    for p in found:
        if p.month and fiscal and ((p.month >= 10 and p.year + 1 in fiscal) or (p.month < 10 and p.year in fiscal)):
            continue
        years.add(p.year)
    if not years or max(years) - min(years) > MAX_SPAN:
        return None
    return min(years), max(years)


def years(text: str | None) -> tuple[int, int] | None:
    return covered_years(periods(text))


def frequency_words(text: str | None) -> dict[str, str]:
    """Update-frequency codes named in ``text`` with the words that named them (each code's first). The
    longer phrase wins: "semi-annual" is half-yearly only, not also "annual".

    >>> frequency_words("half-yearly")
    {'S': 'half-yearly'}
    """
    prepared = prepare(text)
    found = [(m, code) for code, pattern in FREQUENCY_WORDS for m in pattern.finditer(prepared)]
    kept: list[tuple[re.Match, str]] = []
    for m, code in sorted(found, key=lambda pair: (pair[0].start() - pair[0].end(), pair[0].start())):
        if not any(m.start() < k.end() and k.start() < m.end() for k, _ in kept):
            kept.append((m, code))
    out: dict[str, str] = {}
    for m, code in sorted(kept, key=lambda pair: pair[0].start()):
        out.setdefault(code, m.group(0))
    return out


def frequency_of(text: str | None) -> str | None:
    """The update-frequency code ``text`` states as a whole ("รายเดือน", "monthly", "real time" → ``M``,
    ``M``, ``R``), else ``None``: a bare unit ("เดือน", "month") or a longer text states none."""
    prepared = prepare(text).strip()
    return next((code for code, pattern in FREQUENCY_WORDS if pattern.fullmatch(prepared)), None)


def names_one_month(text: str | None) -> bool:
    """True when the text is one month's edition ("เดือนตุลาคม 2560"): its frequency words describe the
    series, not this record."""
    return any(p.month for p in periods(text))


def sequence_frequency(names: list[str]) -> str | None:
    """The unit of an unambiguous sequence of dated resources (≥ 3, evenly spaced), else ``None``.

    Twelve monthly files → ``M``; one file per year → ``A``; quarter-end files → ``Q``.
    """
    if any(TWICE_MONTHLY.search(prepare(n)) for n in names):
        return None
    dated: set[Period] = set()
    for name in names:
        found = {Period(p.year, p.month) for p in periods(name)}
        if len(found) == 1:
            dated |= found
    if len(dated) < 3:
        return None
    if all(p.month for p in dated):
        steps = _steps(sorted(p.year * 12 + p.month for p in dated))
    elif not any(p.month for p in dated):
        steps = [12 * s for s in _steps(sorted(p.year for p in dated))]
    else:
        return None
    common = max(set(steps), key=steps.count)
    # At most one missing file in the run (one step twice the usual); anything else is irregular.
    irregular = [s for s in steps if s != common]
    if len(irregular) > 1 or (irregular and irregular[0] != 2 * common):
        return None
    return {1: "M", 3: "Q", 6: "S", 12: "A"}.get(common)


def _steps(values: list[int]) -> list[int]:
    return [b - a for a, b in zip(values, values[1:])]
