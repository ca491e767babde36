"""The bilingual glossary: English (and acronym) search terms ↔ the Thai words records use.

``data/glossary.tsv`` is data, reviewed like code, one entry a line: a term, the Thai it stands for, and
where the pair comes from. ``python -m analyzers.glossary build`` writes it from these sources, none
of them the judged queries of ``bench/relevance``:

- ``data/glossary_catalogue.tsv``: every topic word that at least two records of the bundled catalogue
  use in their titles or tags (place names and function words left out), translated by hand and
  reviewed; ``english; synonyms<TAB>thai``; ``data/glossary_catalogue_one.tsv`` the same for the
  topic words of one record;
- the reviewed agency list (``indexer/agencies.json``): official English names and acronyms (PEA, NSO,
  BMA, DGA …) ↔ the Thai name, and Thai acronyms the abbreviation list lacks;
- the code lists (``indexer/codelists.json``): each entry's English label ↔ its Thai label;
- ``data/glossary_acronyms.tsv``: statistical and environmental acronyms that are neither an agency nor
  a catalogue word (GDP, CPI, PM2.5), each with its source;
- ``data/glossary_vocabulary.tsv``: common public-data words beyond the bundled catalogue's (rainfall,
  vaccine, earthquake, crime …), translated by hand, the same format as the catalogue lists.
- the gazetteer (``data/gazetteer``, with its sources and licences): each province's English name ↔ its
  Thai name (Chiang Mai ↔ เชียงใหม่), so an English search names the province the Thai records name; the
  six regions' English names (``places.REGION_NAMES_EN``: Central region ↔ ภาคกลาง).

The file is read at query time only (``entries()``); nothing here imports the indexer, ``build`` reads
the JSON files it is given.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"
GLOSSARY_FILE = DATA_DIR / "glossary.tsv"
CATALOGUE_FILE = DATA_DIR / "glossary_catalogue.tsv"
CATALOGUE_ONE_FILE = DATA_DIR / "glossary_catalogue_one.tsv"
ACRONYMS_FILE = DATA_DIR / "glossary_acronyms.tsv"
VOCABULARY_FILE = DATA_DIR / "glossary_vocabulary.tsv"
ROOT = DATA_DIR.parent.parent
AGENCIES_FILE = ROOT / "indexer" / "agencies.json"
CODELISTS_FILE = ROOT / "indexer" / "codelists.json"
_LATIN = re.compile(r"[A-Za-z]")
LICENCES = "license_id"
_CODE_LIST_SOURCE = "indexer/codelists.json ({})"  # an entry's source: the list its labels come from
_CODE_LIST_OF = re.compile(re.escape(_CODE_LIST_SOURCE).replace(r"\{\}", r"(\w+)"))
_DOTS = re.compile(r"[.\s]")
CATALOGUE_SOURCE = "catalogue words"
VOCABULARY_SOURCE = "public-data vocabulary"
HEADER = ("# term\tthai\tsource — written by `python -m analyzers.glossary build`; edit the sources "
          "(glossary_catalogue.tsv, glossary_catalogue_one.tsv, glossary_acronyms.tsv, "
          "glossary_vocabulary.tsv, indexer/agencies.json, indexer/codelists.json), not this file")


class Entry(NamedTuple):
    """``term`` (English, or an acronym) means ``thai``; ``source`` says who says so."""

    term: str
    thai: str
    source: str

    @property
    def acronym(self) -> bool:
        """A Thai acronym (``ศธ``): equivalent both ways, like the abbreviation list."""
        return not _LATIN.search(self.term)

    @property
    def code_list(self) -> str | None:
        """The code list whose labels the pair is (``data_type``), or None."""
        found = _CODE_LIST_OF.fullmatch(self.source)
        return found.group(1) if found else None

    @property
    def is_name(self) -> bool:
        """A one-word name (``pea``, ``bma``, ``gdp``): it *is* the Thai, not a translation of a word."""
        return " " not in self.term and not self.source.startswith((CATALOGUE_SOURCE, VOCABULARY_SOURCE))


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """The glossary as written in ``glossary.tsv``."""
    found = []
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, thai, source = line.split("\t")
            found.append(Entry(term, thai, source))
    return tuple(found)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every single English word of the glossary, lower-cased: what an English typo is corrected to."""
    return frozenset(w for e in entries() if not e.acronym for w in re.findall(r"[a-z]+", e.term.lower()))


def from_catalogue(path: Path = CATALOGUE_FILE,
                   source: str = f"{CATALOGUE_SOURCE} (titles and tags of ≥ 2 records)") -> list[Entry]:
    """``english; synonyms<TAB>thai`` lines, each term an entry said to come from ``source``."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, thai = line.split("\t")
            found += [Entry(term.strip(), thai.strip(), source)
                      for term in english.split(";") if term.strip()]
    return found


def from_acronyms(path: Path = ACRONYMS_FILE) -> list[Entry]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, thai, source = line.split("\t")
            found.append(Entry(term.strip().lower(), thai.strip(), source.strip()))
    return found


def from_agencies(path: Path, known_abbreviations: set[str]) -> list[Entry]:
    """Official English names (also without a closing legal form: "… Agency (Public Organization)" is
    asked for as "… Agency") and acronyms; a Thai acronym only when the abbreviation list lacks it
    (``พศ`` is also พุทธศักราช, ``กพ`` also กุมภาพันธ์: those stay as the list has them)."""
    found = []
    for agency in json.loads(path.read_text(encoding="utf-8"))["agencies"]:
        source = f"indexer/agencies.json ({agency.get('source') or agency['id']})"
        if agency.get("en"):
            name = agency["en"].lower()
            found += [Entry(each, agency["th"], source)
                      for each in dict.fromkeys((name, _LEGAL_FORM.sub("", name)))]
        for abbr in agency.get("abbr") or ():
            key = _DOTS.sub("", abbr).lower()
            if _LATIN.search(key) or key not in known_abbreviations:
                found.append(Entry(key, agency["th"], source))
    return found


def from_codelists(path: Path) -> list[Entry]:
    """Each code's English label ↔ its Thai label, as a search term: a GIS layer's label without its
    "ชั้นข้อมูล" (data layer of), a label without its examples ("แหล่งน้ำ เช่น แม่น้ำ …"). A licence is a
    name in any of its forms: each open licence's names (CC-BY, cc-by-4.0, OGL) ↔ its label; "other" and
    "not specified" are no licence a search names."""
    found = []
    for name, spec in json.loads(path.read_text(encoding="utf-8"))["fields"].items():
        source = _CODE_LIST_SOURCE.format(name)
        for entry in spec.get("entries") or ():
            if name == LICENCES:
                if entry.get("open"):
                    found += [Entry(form.lower(), entry["th"], source)
                              for form in dict.fromkeys((entry["en"], *entry.get("aliases", ())))
                              if form.lower() != entry["th"].lower()]
            elif entry.get("en") and entry.get("th") and entry["en"].lower() != entry["th"].lower():
                found.append(Entry(_search_label(entry["en"].lower()), _search_label(entry["th"]), source))
    return found


_LEGAL_FORM = re.compile(r"\s*\([^)]*\)$")
_LAYER = "ชั้นข้อมูล"
_EXAMPLES = re.compile(r"\s+(?:เช่น|such as)\s.*$")


def _search_label(label: str) -> str:
    """A code list's label as people search for it: ``ชั้นข้อมูลการใช้ประโยชน์ที่ดิน`` → การใช้ประโยชน์ที่ดิน,
    ``routes such as roads and railways`` → routes."""
    return _EXAMPLES.sub("", label.removeprefix(_LAYER)).strip()


def from_gazetteer() -> list[Entry]:
    """Each province's and region's English name → its Thai name, as the gazetteer writes them ("central
    region" → ภาคกลาง); a province name that is also an
    everyday word (เลย, น่าน, ตาก: ``places.FALSE_FRIENDS``) → จังหวัด + the name, as records write the
    province, so "loei" is not every record saying เลย."""
    from analyzers import places

    provinces = [Entry(p.en.lower(), f"จังหวัด{p.th}" if p.th in places.FALSE_FRIENDS else p.th,
                       "analyzers/data/gazetteer (thailand-geography-json provinces)")
                 for p in places.gazetteer().values() if p.level == places.PROVINCE]
    regions = [Entry(p.en.lower(), p.th, "analyzers/places.py REGION_NAMES_EN (gazetteer regions)")
               for p in places.gazetteer().values() if p.level == places.REGION]
    return provinces + regions


def build(agencies: Path = AGENCIES_FILE, codelists: Path = CODELISTS_FILE) -> int:
    """Write ``glossary.tsv`` from its sources; the number of entries."""
    from analyzers import dictionary

    known = {_DOTS.sub("", short).lower() for short, _ in dictionary.abbreviations()}
    merged: dict[tuple[str, str], Entry] = {}
    catalogue = from_catalogue() + from_catalogue(CATALOGUE_ONE_FILE,
                                                  f"{CATALOGUE_SOURCE} (titles and tags of one record)")
    vocabulary = from_catalogue(VOCABULARY_FILE, f"{VOCABULARY_SOURCE} ({VOCABULARY_FILE.name})")
    for entry in catalogue + from_agencies(agencies, known) + from_codelists(codelists) + from_acronyms() \
            + vocabulary + from_gazetteer():
        merged.setdefault((entry.term, entry.thai), entry)
    lines = [HEADER] + ["\t".join(e) for e in merged.values()]
    GLOSSARY_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries.cache_clear()
    english_words.cache_clear()
    return len(merged)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzers.glossary", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--agencies", type=Path, default=AGENCIES_FILE)
    parser.add_argument("--codelists", type=Path, default=CODELISTS_FILE)
    args = parser.parse_args(argv)
    count = build(args.agencies, args.codelists)
    print(f"{GLOSSARY_FILE}: {count} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
