"""The code lists of the national metadata standard, as data (``codelists.json``).

Every code-list field of the standard (``data_type``, ``objective``, ``data_category`` …) has entries with a
stable code, the Thai label CKAN stores, an English label and accepted aliases. Records may carry either
codes or labels; :func:`lookup` normalises both to the same :class:`Entry`::

    >>> lookup("data_category", "ข้อมูลสาธารณะ").code
    'public'
    >>> lookup("update_frequency_unit", "รายวัน").code      # legacy data.go.th spelling
    'D'
    >>> label("geo_coverage", "04")
    'ประเทศ'
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from analyzers.script import INVISIBLE, THAI_DIGIT, TO_ARABIC_DIGITS

DATA_FILE = Path(__file__).with_name("codelists.json")

# Characters that are invisible in a spreadsheet or web form but break equality.
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)
# str.translate walks a non-ASCII string through a dict lookup per character; a regex search is a tenth
# of that, so translate only the texts that hold something to translate.
_HAS_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    """One value of a code list. ``official`` is False for project-assigned codes."""

    code: str
    th: str
    en: str
    aliases: tuple[str, ...] = ()
    official: bool = False
    attrs: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def label(self, lang: str = "th") -> str:
        return self.en if lang == "en" else self.th

    @property
    def unknown(self) -> bool:
        """True for the "ไม่ทราบ" (unknown) answer, which satisfies no mandatory item."""
        return bool(self.attrs.get("unknown"))

    @property
    def geospatial(self) -> bool:
        """True for a data format whose files hold geometry (GML, Shapefile, GeoTIFF, Arc/Info)."""
        return bool(self.attrs.get("geospatial"))


@dataclass(frozen=True)
class CodeList:
    name: str
    label_th: str
    label_en: str
    multiple: bool
    entries: tuple[Entry, ...]


def normalise_key(value: Any) -> str:
    """The comparison key of a code or label: case-, space-, entity- and Thai-digit-insensitive."""
    text = unicodedata.normalize("NFC", html.unescape(str(value)))
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    if THAI_DIGIT.search(text):
        text = text.translate(TO_ARABIC_DIGITS)
    return _SPACE.sub("", text).casefold()


@lru_cache(maxsize=1)
def _load() -> tuple[str, dict[str, CodeList], dict[str, dict[str, Entry]]]:
    doc = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    lists: dict[str, CodeList] = {}
    index: dict[str, dict[str, Entry]] = {}
    for name, spec in doc["fields"].items():
        entries = []
        keys: dict[str, Entry] = {}
        for raw in spec["entries"]:
            attrs = {k: v for k, v in raw.items() if k not in ("code", "th", "en", "aliases", "official")}
            entry = Entry(raw["code"], raw["th"], raw["en"], tuple(raw["aliases"]), raw["official"], attrs)
            entries.append(entry)
        # Codes and labels win over aliases, so an alias can never shadow another entry's code.
        for entry in entries:
            for key in (entry.code, entry.th, entry.en):
                keys.setdefault(normalise_key(key), entry)
        for entry in entries:
            for alias in entry.aliases:
                keys.setdefault(normalise_key(alias), entry)
        label = spec["label"]
        lists[name] = CodeList(name, label["th"], label["en"], spec["multiple"], tuple(entries))
        index[name] = keys
    return doc["schema_version"], lists, index


SCHEMA_VERSION: str = _load()[0]
FIELDS: tuple[str, ...] = tuple(_load()[1])


def code_list(field_name: str) -> CodeList:
    try:
        return _load()[1][field_name]
    except KeyError:
        raise KeyError(f"no code list named {field_name!r}; known: {', '.join(FIELDS)}") from None


def lookup(field_name: str, value: Any) -> Entry | None:
    """The entry a code, Thai label, English label or alias stands for, or None (also for blanks)."""
    if value is None:
        return None
    key = normalise_key(value)
    if not key:
        return None
    code_list(field_name)
    return _load()[2][field_name].get(key)


def entry(field_name: str, code: str) -> Entry:
    """The entry with exactly this code (KeyError otherwise)."""
    found = _by_code(field_name).get(code)
    if found is None:
        raise KeyError(f"{field_name}: no code {code!r}")
    return found


@lru_cache(maxsize=None)
def _by_code(field_name: str) -> dict[str, Entry]:
    """Each list's entries by code (quality checks look codes up a dozen times per record)."""
    by_code: dict[str, Entry] = {}
    for candidate in code_list(field_name).entries:
        by_code.setdefault(candidate.code, candidate)
    return by_code


def label(field_name: str, code: str, lang: str = "th") -> str:
    """The display label of a code, e.g. ``label("data_category", "public", "en") == "Public data"``."""
    return entry(field_name, code).label(lang)


def as_dict() -> dict[str, Any]:
    """Every list with its labels, for an API listing (JSON-ready)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "fields": {
            cl.name: {
                "label": {"th": cl.label_th, "en": cl.label_en},
                "multiple": cl.multiple,
                "entries": [
                    {"code": e.code, "th": e.th, "en": e.en, "official": e.official,
                     "aliases": list(e.aliases)}
                    for e in cl.entries
                ],
            }
            for cl in _load()[1].values()
        },
    }


# --- governance: category and classification ------------------------------------------------

def level(classification_code: str) -> int:
    """The numeric level 1–5 of a classification code ``01``–``05``."""
    return int(entry("data_classification", classification_code).attrs["level"])


def allowed_classifications(category_code: str) -> tuple[str, ...]:
    """Classification codes the standard allows for a governance category (public → 01 only)."""
    return tuple(entry("data_category", category_code).attrs["classifications"])


def max_level_for(category_code: str) -> int:
    """The highest classification level a category allows: used to fail closed when none is given."""
    return max(level(code) for code in allowed_classifications(category_code))


def visibility_of(category_code: str) -> str:
    """``open`` for public data, ``sensitive`` for every other category."""
    return str(entry("data_category", category_code).attrs["visibility"])


@lru_cache(maxsize=None)
def open_categories() -> tuple[str, ...]:
    """The governance categories whose records anyone may see (``("public",)``): the one home of the
    open rule, read from the code list's ``visibility``. The indexer marks records by it, the harvester
    takes records without consent by it, and the portal filters every query by it."""
    return tuple(e.code for e in code_list("data_category").entries if e.attrs.get("visibility") == "open")


def is_open_licence(licence_code: str) -> bool:
    """True when the licence lets anyone reuse the data (not for sensitive categories)."""
    return bool(entry("license_id", licence_code).attrs.get("open"))


def licence_named(name: str) -> str | None:
    """The open licence a name stands for — its code, a label or an alias, hyphens and spaces alike: ``"CC
    BY-NC-SA"``, ``"cc by nc sa"``, ``"Open Government License"`` — or None ("other" and "not specified"
    name no licence)."""
    return _licence_names().get(normalise_key(name).replace("-", ""))


@lru_cache(maxsize=1)
def _licence_names() -> dict[str, str]:
    return {normalise_key(form).replace("-", ""): e.code for e in code_list("license_id").entries
            if e.attrs.get("open") for form in (e.code, e.th, e.en, *e.aliases)}


# The data-format list also names kinds of content (image, text, database) and a word processor ("Word"):
# as a word typed or a file's extension they name no file format.
NOT_FILE_FORMATS = frozenset({"database", "image", "video", "audio", "text", "nosql", "unknown", "other"})
NOT_FORMAT_WORDS = frozenset({"word"})


@lru_cache(maxsize=1024)
def file_format(name: str) -> Entry | None:
    """The data-format entry one word names as a file format — a code, label or alias: ``csv``, ``XLSX``
    and ``Excel`` (xls), ``SHP`` (shapefile), a link's extension — or None."""
    if not name or not name.isascii() or not name.isalnum() or name.casefold() in NOT_FORMAT_WORDS:
        return None
    found = lookup("data_format", name)
    return found if found is not None and found.code not in NOT_FILE_FORMATS else None


_FORMAT_NAME = re.compile(r"[A-Z0-9]+")


@lru_cache(maxsize=64)
def format_names(entry: Entry) -> tuple[str, ...]:
    """How a resource may write the format of a data-format entry (its code, label and aliases in capitals):
    xls → ``("EXCEL", "XLS", "XLSX")``; "XLS/XLSX" is one format in two versions, "Arc/Info" one name."""
    def versions(name: str) -> list[str]:
        first, _, second = name.upper().partition("/")
        return [first, second] if second.startswith(first) else [first + second]
    names = {version for name in (entry.code, entry.en, *entry.aliases) for version in versions(name)}
    return tuple(sorted(n for n in names if _FORMAT_NAME.fullmatch(n)))
