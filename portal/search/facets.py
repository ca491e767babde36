"""The facet table: one row per facet, shared by the search page, the JSON API and the CKAN API.

The URL parameter, the index field and the code list all carry the national standard's field name
(``organization``, ``data_category``, ``update_frequency_unit`` …), so a search page URL and a
``/api/v1/search`` URL read the same. ``name_tier`` facets describe fields a person with a name-tier
grant may see (title, organization, category, update frequency); they count every visible record.
Every other facet counts only records seen in full, so a tag or a format of a sensitive record seen by
name only can never surface through a count (see docs/architecture.md, "The visibility contract").
"""
from __future__ import annotations

from dataclasses import dataclass

from indexer import mapping as m


@dataclass(frozen=True)
class Facet:
    name: str           # URL / API parameter
    field: str          # keyword field in the index document
    name_tier: bool     # True: counts ``scope.any``; False: counts ``scope.full`` only
    codelist: str | None  # code list whose labels display the values (None: shown as written)
    size: int = 50      # buckets requested


FACETS: tuple[Facet, ...] = (
    Facet("organization", m.ORGANIZATION, True, None, size=500),
    Facet("data_category", m.DATA_CATEGORY, True, "data_category"),
    Facet("update_frequency_unit", m.UPDATE_FREQUENCY_UNIT, True, "update_frequency_unit"),
    Facet("geo_coverage", m.GEO_COVERAGE, False, "geo_coverage"),
    Facet("place", m.PLACE, False, None, size=1100),   # region → province → district (all levels)
    Facet("year", m.YEARS, False, None, size=200),     # Buddhist-era years covered
    Facet("data_type", m.DATA_TYPE, False, "data_type"),
    Facet("data_format", m.DATA_FORMAT, False, "data_format"),
    Facet("res_format", m.RES_FORMAT, False, None),
    Facet("license_id", m.LICENSE_ID, False, "license_id"),
    Facet("tags", m.TAGS, False, None, size=30),
)

BY_NAME: dict[str, Facet] = {f.name: f for f in FACETS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def label(facet_name: str, value: str, lang: str) -> str:
    """The display label of a facet value in ``lang`` ("th" or "en"), from the facet's code list."""
    row = BY_NAME.get(facet_name)
    if facet_name == "place":
        from analyzers import places

        return places.label(value, lang)
    if row is None or row.codelist is None:
        return value
    from indexer.codelists import label as codelist_label

    try:
        return codelist_label(row.codelist, value, lang) or value
    except KeyError:  # a legacy value the code list does not know is shown as written
        return value
