"""Canonical records as DCAT (DCAT-AP 3.0) RDF graphs, with rdflib.

Mapping of the national standard (see docs/api.md, "DCAT"):

- ``title``/``notes`` → ``dct:title``/``dct:description`` tagged ``@th`` (``title_en``/``notes_en`` ``@en``);
  a record without a description repeats its title, because DCAT-AP makes the description mandatory.
- ``tags`` → ``dcat:keyword``; ``organization`` → ``dct:publisher``, a ``foaf:Organization`` with its name.
- ``maintainer``/``maintainer_email`` → ``dcat:contactPoint``, a ``vcard:Kind`` (``fn``, ``hasEmail``).
- ``update_frequency_unit`` (+ interval) → ``dct:accrualPeriodicity`` from the EU Frequency authority table.
- ``geo_coverage`` is a level (country, province …), not a place: levels inside Thailand give
  ``dct:spatial`` Thailand (EU Countries table, ``THA``); the level itself is ``gdc:geoCoverage``.
- ``license_id`` → ``dct:license`` (a ``dct:LicenseDocument`` with its labels).
- dates → ``dct:issued``/``dct:modified``.
- values read from the text (``record["derived"]``): places → ``dct:spatial`` ``dct:Location`` nodes, years
  covered → ``dct:temporal``, coverage level, frequency and data format → ``gdc:derived…``; each marked
  ``gdc:derivedFrom``.
- each resource → a ``dcat:Distribution`` with ``dcat:accessURL`` and, where the EU File Type table
  has it, ``dct:format`` (plus the IANA ``dcat:mediaType``).
- what DCAT lacks (data type, category, classification, objective …) → the project namespace
  ``<portal>/ns/gdc#``, documented by the portal itself at ``/ns/gdc``.

One job per file: ``terms.py`` (namespaces, authority tables, literals, the ``gdc:`` vocabulary),
``dataset.py`` (a record as a ``dcat:Dataset``), ``catalog.py`` (catalogue pages, serialisation).
"""
from __future__ import annotations

from portal.api.dcat.catalog import EXTENSIONS, FORMATS, PRETTY_TURTLE_LIMIT, add_catalog, catalog_graph, serialize
from portal.api.dcat.dataset import add_dataset, dataset_graph, dataset_uri
from portal.api.dcat.terms import (EU_ACCESS, EU_COUNTRY, EU_FILE, EU_FREQ, EU_LANG, HYDRA, IANA, INSIDE_THAILAND,
                                   LANGUAGES, VCARD, code, frequency, gdc_namespace, iri, new_graph,
                                   vocabulary_graph)

__all__ = [
    "EU_ACCESS", "EU_COUNTRY", "EU_FILE", "EU_FREQ", "EU_LANG", "EXTENSIONS", "FORMATS", "HYDRA", "IANA",
    "INSIDE_THAILAND", "LANGUAGES", "PRETTY_TURTLE_LIMIT", "VCARD", "add_catalog", "add_dataset", "catalog_graph",
    "code", "dataset_graph", "dataset_uri", "frequency", "gdc_namespace", "iri", "new_graph", "serialize",
    "vocabulary_graph",
]
