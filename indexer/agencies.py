"""Government agencies as a hierarchy, from the reviewed data file ``agencies.json``.

One lookup answers "which agency is this?" for a Thai name, an English name, an abbreviation, the
project key or the organization slug a catalogue record carries::

    >>> find("กรมการขนส่งทางบก").en
    'Department of Land Transport'
    >>> find("สพฐ.").id
    'obec'
    >>> [a.id for a in ancestors("กรมการขนส่งทางบก")]
    ['mot', 'dlt']

The file holds official names only; an English name nobody confirmed is empty (``english_name``
then answers ``None`` and the page shows the Thai name). How the file was compiled is in its header.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from indexer.codelists import normalise_key
from indexer.schemas.organization import slug_for_title

DATA_FILE = Path(__file__).with_name("agencies.json")

# "ํา" (nikhahit + sara aa) is how some keyboards type "ำ"; abbreviation dots are optional when typed.
_SARA_AM = re.compile("\u0e4d\u0e32")
_DOTS = re.compile(r"[.\s]")


@dataclass(frozen=True)
class Agency:
    id: str
    th: str
    en: str                       # official English name, "" when not confirmed
    abbr: tuple[str, ...]
    parent: str | None
    kind: str                     # ministry | group | department | state-enterprise | … | unit
    source: str
    aliases: tuple[str, ...] = ()

    @property
    def slugs(self) -> frozenset[str]:
        """The organization slugs catalogue records of this agency may carry."""
        return frozenset({self.id, slug_for_title(self.th), *(slug_for_title(a) for a in self.aliases)})

    def name(self, lang: str = "th") -> str:
        """The name to display in ``lang``: English only when an official one is recorded."""
        return self.en if lang == "en" and self.en else self.th


def key(text: str) -> str:
    """The comparison key of a name: spacing-, case- and sara-am-spelling-insensitive."""
    return normalise_key(_SARA_AM.sub("\u0e33", text or ""))


def abbreviation_key(text: str) -> str:
    """An abbreviation without its dots and spaces: ``ส.พ.ฐ.``, ``สพฐ`` and ``สพฐ.`` are the same."""
    return _DOTS.sub("", key(text))


@dataclass(frozen=True)
class Directory:
    about: dict
    agencies: dict[str, Agency]
    by_name: dict[str, str]             # key(name | slug | id) → id
    by_abbreviation: dict[str, tuple[str, ...]]  # abbreviation_key → ids (an abbreviation may be shared)


def _read(path: Path) -> Directory:
    doc = json.loads(path.read_text(encoding="utf-8"))
    agencies = {}
    for row in doc["agencies"]:
        a = Agency(id=row["id"], th=row["th"], en=row.get("en") or "", abbr=tuple(row.get("abbr") or ()),
                   parent=row.get("parent"), kind=row["kind"], source=row["source"],
                   aliases=tuple(row.get("aliases") or ()))
        if a.id in agencies:
            raise ValueError(f"agencies.json: duplicate id {a.id!r}")
        agencies[a.id] = a
    by_name: dict[str, str] = {}
    by_abbreviation: dict[str, tuple[str, ...]] = {}
    for a in agencies.values():
        if a.parent is not None and a.parent not in agencies:
            raise ValueError(f"agencies.json: {a.id!r} has unknown parent {a.parent!r}")
        for name in (a.th, a.en, *a.aliases, *a.slugs):
            if name:
                by_name.setdefault(key(name), a.id)
        for abbr in a.abbr:
            k = abbreviation_key(abbr)
            by_abbreviation[k] = (*by_abbreviation.get(k, ()), a.id)
    about = {k: v for k, v in doc.items() if k != "agencies"}
    return Directory(about, agencies, by_name, by_abbreviation)


@lru_cache(maxsize=1)
def directory() -> Directory:
    """The bundled directory, read once."""
    return _read(DATA_FILE)


def all_agencies() -> list[Agency]:
    """Every agency in file order (ministries and groups first)."""
    return list(directory().agencies.values())


def get(agency_id: str) -> Agency | None:
    return directory().agencies.get(agency_id)


def find(name_or_slug: str | None) -> Agency | None:
    """The agency a name, slug, key or *unambiguous* abbreviation denotes, or ``None``.

    >>> find("กทม.").en
    'Bangkok Metropolitan Administration'
    """
    if not name_or_slug:
        return None
    d = directory()
    found = d.by_name.get(key(name_or_slug))
    if found:
        return d.agencies[found]
    ids = d.by_abbreviation.get(abbreviation_key(name_or_slug), ())
    return d.agencies[ids[0]] if len(ids) == 1 else None


def english_name(name_or_slug: str | None) -> str | None:
    """The official English name of an organization, or ``None`` when the file has none."""
    agency = find(name_or_slug)
    return agency.en if agency and agency.en else None


def abbreviation(name_or_slug: str | None) -> str | None:
    """The first abbreviation recorded for an organization (Thai first), or ``None``."""
    agency = find(name_or_slug)
    return agency.abbr[0] if agency and agency.abbr else None


def parent(name_or_slug: str | None) -> Agency | None:
    """The agency (or group) directly above, or ``None`` at the top or for an unknown agency."""
    agency = find(name_or_slug)
    return get(agency.parent) if agency and agency.parent else None


def ancestors(name_or_slug: str | None) -> list[Agency]:
    """The chain from the top (ministry or group) down to the agency itself; empty when unknown."""
    chain: list[Agency] = []
    agency = find(name_or_slug)
    while agency is not None and agency not in chain:
        chain.append(agency)
        agency = get(agency.parent) if agency.parent else None
    return chain[::-1]


def children(agency_id: str | None) -> list[Agency]:
    """Agencies directly below ``agency_id`` (``None``: the top level), in file order."""
    return [a for a in all_agencies() if a.parent == agency_id]


def matches(query: str, agencies: Iterable[Agency] | None = None) -> list[Agency]:
    """Agencies whose Thai or English name contains ``query`` or whose abbreviation equals it.

    >>> [a.id for a in matches("สพฐ")]
    ['obec']
    """
    wanted, wanted_abbr = key(query), abbreviation_key(query)
    if not wanted:
        return []
    found = []
    for a in agencies if agencies is not None else all_agencies():
        names = (a.th, a.en, *a.aliases)
        if any(wanted in key(n) for n in names if n) or any(wanted_abbr == abbreviation_key(x) for x in a.abbr):
            found.append(a)
    return found
