"""Values a record's own text states but its metadata does not: places, geographic coverage, update
frequency, the years covered, the data format its files are and, when those files hold geometry, its
data type.

Derived values never override what the record declares; they live apart, in ``record["derived"]``,
each with the fields it was read from, so the page can say "from the title" and an agency can be told
which item it could declare::

    {"places": {"value": ["50"], "from": ["title"]},
     "geo_coverage": {"value": "06", "from": ["title"], "evidence": "จังหวัดเชียงใหม่"},
     "update_frequency_unit": {"value": "M", "from": ["title"], "evidence": "รายเดือน"},
     "years": {"value": [2562, 2563], "from": ["title", "resources"]},
     "data_format": {"value": ["xls", "gml"], "from": ["resource_formats"], "evidence": "XSL, GML"},
     "data_type": {"value": "2", "from": ["resource_formats"], "evidence": "GML"}}

Precision first: when the text is ambiguous (two frequencies, several provinces, a whole-country word
beside a province) the item is left out — "not stated" — rather than guessed.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from analyzers import periods, places
from analyzers.script import THAI_CONSONANTS, THAI_LETTERS

# The text fields read, in the order their names are reported.
FIELDS = ("title", "notes", "tags", "organization", "resources")
COUNTRY = "04"
LEVEL_CODES = {places.REGION: "05", places.PROVINCE: "06", places.DISTRICT: "07"}
# The text says the data covers the whole country.
WHOLE_COUNTRY = re.compile(r"ทั่วประเทศ|ทั่วราชอาณาจักร|ทั้งประเทศ|ระดับประเทศ|ทั้ง\s*77\s*จังหวัด"
                           r"|สำหรับประเทศไทย|\bnationwide\b|\bof thailand\b")
# Tables of every province: many places, no one coverage.
PER_PROVINCE = re.compile(r"รายจังหวัด|แยกตามจังหวัด|จำแนกตามจังหวัด|ทุกจังหวัด")
# A named zone inside a region (ระเบียงเศรษฐกิจพิเศษภาคตะวันออก, the EEC) is not the whole region.
ZONE = re.compile(r"ระเบียงเศรษฐกิจ|เขตเศรษฐกิจพิเศษ")
# A sub-district or municipality is named: finer than any level recognised here.
FINER = re.compile(rf"ตำบล(?=[{THAI_CONSONANTS}])|(?<![{THAI_LETTERS}])ต\.[{THAI_CONSONANTS}]"
                   r"|อบต|องค์การบริหารส่วนตำบล|เทศบาล(?:ตำบล|เมือง|นคร)")


def texts(record: Mapping[str, Any]) -> dict[str, list[str]]:
    """The record's text per field (a list: tags and resources are read one by one)."""
    organization = record.get("organization") or {}
    return {
        "title": [t for t in (record.get("title"), record.get("title_en")) if t],
        "notes": [t for t in (record.get("notes"), record.get("notes_en")) if t],
        "tags": [t for t in record.get("tags") or [] if t],
        "organization": [t for t in (organization.get("title"), organization.get("title_en")) if t],
        "resources": [r.get("name") for r in record.get("resources") or [] if r.get("name")],
    }


def derive(record: Mapping[str, Any]) -> dict[str, dict]:
    """The derived block of one canonical record (items that cannot be derived are absent)."""
    by_field = texts(record)
    derived: dict[str, dict] = {}
    found = _places(by_field)
    if found:
        derived["places"] = found
    coverage = None if record.get("geo_coverage") else _coverage(by_field, found)
    if coverage:
        derived["geo_coverage"] = coverage
    frequency = None if record.get("update_frequency_unit") else _frequency(by_field)
    if frequency:
        derived["update_frequency_unit"] = frequency
    years = _years(by_field)
    if years:
        derived["years"] = years
    formats = None if record.get("data_format") else _formats(record.get("resources") or [])
    data_type = None if record.get("data_type") else _data_type(record.get("data_format"), formats)
    if data_type:
        derived["data_type"] = data_type
    if formats:
        derived["data_format"] = formats
    return derived


# --- places -------------------------------------------------------------------------------------------

def _places(by_field: dict[str, list[str]]) -> dict | None:
    mentioned: list[tuple[str, places.Mention]] = []
    for name, values in by_field.items():
        for value in values:
            mentioned += [(name, m) for m in places.mentions(value)]
    codes = places.resolve([m for _, m in mentioned])
    if not codes:
        return None
    sources = {name for name, m in mentioned if m.code in codes or set(m.candidates) & set(codes)}
    return {"value": codes, "from": [f for f in FIELDS if f in sources]}


def lineage(codes: list[str]) -> list[str]:
    """Codes with every ancestor (district → province → region): what the place filter matches."""
    out: dict[str, None] = {}
    for code in codes:
        place = places.get(code)
        if place:
            out |= dict.fromkeys(place.lineage())
    return list(out)


def _coverage(by_field: dict[str, list[str]], found: dict | None) -> dict | None:
    prose = {name: " ".join(values) for name, values in by_field.items() if name != "tags"}
    country = [(name, m.group(0)) for name, text in prose.items()
               if name != "organization" for m in [WHOLE_COUNTRY.search(places.prepare(text))] if m]
    codes = found["value"] if found else []
    specific = [places.get(c) for c in codes]
    if country:
        return None if specific else {"value": COUNTRY, "from": _names([n for n, _ in country]),
                                      "evidence": country[0][1]}
    if not specific or PER_PROVINCE.search(places.prepare(" ".join(by_field["title"]))):
        return None
    if any(FINER.search(places.prepare(text)) for text in prose.values()):
        return None
    level = _single_level(specific)
    if level is None or (level == places.REGION and any(ZONE.search(places.prepare(t)) for t in prose.values())):
        return None
    place = next(p for p in specific if p.level == level)
    return {"value": LEVEL_CODES[level], "from": found["from"], "evidence": places.label(place.code)}


def _single_level(specific: list[places.Place]) -> str | None:
    """The level of the one area the record is about, or ``None`` when it names several."""
    districts = [p for p in specific if p.level == places.DISTRICT]
    provinces = {p.code for p in specific if p.level == places.PROVINCE} | {p.parent for p in districts}
    regions = {p.code for p in specific if p.level == places.REGION}
    if len(districts) > 1 or len(provinces) > 1:
        return None
    if provinces:
        province = places.get(next(iter(provinces)))
        if regions - {province.parent}:
            return None
        return places.DISTRICT if districts else places.PROVINCE
    return places.REGION if len(regions) == 1 else None


# --- frequency and years ------------------------------------------------------------------------------

def _frequency(by_field: dict[str, list[str]]) -> dict | None:
    title = " ".join(by_field["title"])
    in_title = periods.frequency_words(title)
    if len(in_title) == 1:
        code, words = next(iter(in_title.items()))
        return {"value": code, "from": ["title"], "evidence": words}
    if in_title or periods.names_one_month(title):
        return None  # two frequencies, or one month's edition of a series: not this record's frequency
    stated: dict[str, tuple[list[str], str]] = {}
    for name in ("notes", "resources"):
        for value in by_field[name]:
            # "ประจำปี" in a description is often "the annual report", not how often data is updated.
            words = {c: w for c, w in periods.frequency_words(value).items() if name != "notes" or w != "ประจำปี"}
            for code, word in words.items():
                stated.setdefault(code, ([], word))[0].append(name)
    sequence = periods.sequence_frequency(by_field["resources"])
    if sequence:
        stated.setdefault(sequence, ([], ""))[0].append("resources")
    if len(stated) != 1:
        return None
    code, (sources, words) = next(iter(stated.items()))
    block = {"value": code, "from": _names(sources)}
    if words:
        block["evidence"] = words
    return block


def _years(by_field: dict[str, list[str]]) -> dict | None:
    found: list[periods.Period] = []
    sources = []
    for name in ("title", "resources"):
        for value in by_field[name]:
            here = periods.periods(value)
            if here:
                found += here
                sources.append(name)
    covered = periods.covered_years(found)
    if covered is None:
        return None
    return {"value": list(covered), "from": _names(sources)}


def _formats(resources: list[Mapping[str, Any]]) -> dict | None:
    """The data formats (item 12) a record's files are: what each resource declares, when the code list
    knows it, and what its link names (an .xls file declared "XSL"). ZIP, MAP and the like name none."""
    from indexer import codelists
    from indexer.schemas.resource import linked_format

    codes: dict[str, None] = {}
    evidence: dict[str, None] = {}
    for resource in resources:
        declared = (resource.get("format") or "").strip()
        linked = linked_format(resource.get("url"))
        for name, entry in ((declared, codelists.lookup("data_format", declared)),
                            (linked, linked and codelists.file_format(linked))):
            if entry and not entry.unknown and entry.code != "other":
                codes.setdefault(entry.code, None)
                evidence.setdefault(name.upper(), None)
    if not codes:
        return None
    return {"value": list(codes), "from": ["resource_formats"], "evidence": ", ".join(evidence)}


GEOSPATIAL = "2"  # data_type: ข้อมูลภูมิสารสนเทศเชิงพื้นที่


def _data_type(declared: list[str] | None, derived: dict | None) -> dict | None:
    """Item 1, the data type, when the record's files tell it: a file format that holds geometry (GML, a
    Shapefile, GeoTIFF, Arc/Info; the code list marks them) is geospatial data. Its data formats as
    declared (item 12), else as its resources are (``_formats``). Statistics and records are not told
    apart by their files: never derived."""
    from indexer import codelists

    codes, where = (declared, "data_format") if declared else (values(derived), "resource_formats")
    geometry = [e for e in (codelists.lookup("data_format", c) for c in codes or ()) if e and e.geospatial]
    if not geometry:
        return None
    return {"value": GEOSPATIAL, "from": [where], "evidence": ", ".join(e.label("en") for e in geometry)}


def values(block: Mapping[str, Any] | None) -> list:
    """A derived item's value as a list: one code (coverage, frequency) or several (data formats)."""
    value = (block or {}).get("value")
    return value if isinstance(value, list) else [value] if value else []


def _names(sources: list[str]) -> list[str]:
    return [f for f in FIELDS if f in set(sources)]


# --- what the agency could declare --------------------------------------------------------------------

_WHERE = {"title": ("ชื่อชุดข้อมูล", "title"), "notes": ("คำอธิบาย", "description"),
          "resources": ("ชื่อทรัพยากร", "resource names"), "organization": ("ชื่อหน่วยงาน", "organization"),
          "tags": ("คำสำคัญ", "tags"), "resource_formats": ("รายการทรัพยากร", "resource list"),
          "data_format": ("รูปแบบการเก็บข้อมูล", "data format")}


def findings(block: Mapping[str, dict]) -> list:
    """One quality finding per standard item the text states but the record does not declare:
    "the title says รายเดือน; update_frequency_unit is not stated"."""
    from indexer import codelists
    from indexer.schemas.problems import make

    out = []
    for item in ("geo_coverage", "update_frequency_unit", "data_format", "data_type"):
        value = block.get(item)
        if not value:
            continue
        where = value["from"][0]
        evidence = value.get("evidence") or (
            "ทรัพยากรตามลำดับเวลา" if where == "resources" else value["value"])
        codes = values(value)
        out.append(make("derivable", item, value["value"], where_th=_WHERE[where][0], where_en=_WHERE[where][1],
                        evidence=evidence, label_th=", ".join(codelists.label(item, c, "th") for c in codes),
                        label_en=", ".join(codelists.label(item, c, "en") for c in codes)))
    return out
