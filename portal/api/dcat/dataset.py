"""One canonical record as a ``dcat:Dataset`` (publisher, contact, licence, distributions, the
national fields DCAT lacks, the values read from the text)."""
from __future__ import annotations

from typing import Any, Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from analyzers.script import BE_OFFSET
from indexer import agencies
from indexer.derived import values as derived_values
from portal.api.dcat.terms import (EU_ACCESS, EU_COUNTRY, EU_FILE, EU_LANG, FILE_TYPES, IANA, INSIDE_THAILAND,
                                   LANGUAGES, VCARD, code, code_label, date_literal, frequency, gdc_namespace,
                                   iri, mailto, new_graph, text_literal)


# National fields with no DCAT property: (record key, gdc term).
_NATIONAL_CODES = (("data_type", "dataType"), ("data_category", "dataCategory"),
                   ("data_classification", "dataClassification"), ("geo_coverage", "geoCoverage"),
                   ("update_frequency_unit", "updateFrequencyUnit"), ("license_id", "licenceCode"))
_NATIONAL_MULTI = (("objective", "objective"), ("data_format", "dataFormat"))
_NATIONAL_TEXT = (("data_source", "dataSource"), ("accessible_condition", "accessibleCondition"))
_NATIONAL_BOOL = (("high_value_dataset", "highValueDataset"), ("reference_data", "referenceData"),
                  ("official_statistics", "officialStatistics"))


def dataset_uri(base_url: str, record: Mapping[str, Any]) -> URIRef:
    return URIRef(f"{base_url.rstrip('/')}/dataset/{record.get('id')}")


def _publisher(g: Graph, base_url: str, org: Mapping[str, Any]) -> URIRef:
    node = URIRef(f"{base_url.rstrip('/')}/organization/{org.get('name')}")
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(org.get("title") or org.get("name") or "", lang="th")))
    # The same English name as the pages and the CKAN API: the record's, else the reviewed agency file's.
    title_en = (org.get("title_en") or agencies.english_name(org.get("name"))
                or agencies.english_name(org.get("title")))
    if title_en:
        g.add((node, FOAF.name, Literal(title_en, lang="en")))
    return node


def _contact(g: Graph, record: Mapping[str, Any]) -> BNode | None:
    name, email = record.get("maintainer"), record.get("maintainer_email")
    if not name and not email:
        return None
    node = BNode()
    g.add((node, RDF.type, VCARD.Kind))
    g.add((node, RDF.type, VCARD.Organization))
    if name:
        g.add((node, VCARD.fn, text_literal(name)))
    if email and "@" in email:
        g.add((node, VCARD.hasEmail, mailto(email)))
    return node


def _licence(g: Graph, gdc: Namespace, code: str) -> BNode:
    node = BNode()
    g.add((node, RDF.type, DCTERMS.LicenseDocument))
    g.add((node, RDFS.label, Literal(code_label("license_id", code, "th"), lang="th")))
    g.add((node, RDFS.label, Literal(code_label("license_id", code, "en"), lang="en")))
    g.add((node, gdc.licenceCode, Literal(code)))
    return node


def _distribution(g: Graph, dataset: URIRef, landing: URIRef, position: int, resource: Mapping[str, Any],
                  licence: BNode | None, gdc: Namespace) -> URIRef:
    rid = resource.get("id")
    node = URIRef(f"{dataset}/resource/{rid}") if rid else URIRef(f"{dataset}#distribution-{position + 1}")
    g.add((node, RDF.type, DCAT.Distribution))
    if resource.get("name"):
        g.add((node, DCTERMS.title, text_literal(resource["name"])))
    if resource.get("description"):
        g.add((node, DCTERMS.description, text_literal(resource["description"])))
    g.add((node, DCAT.accessURL, iri(resource.get("url")) or landing))
    fmt = (resource.get("format") or "").strip()
    if fmt:
        g.add((node, gdc.resourceFormat, Literal(fmt)))
        known = FILE_TYPES.get(fmt.upper().lstrip("."))
        if known:
            g.add((node, DCTERMS["format"], EU_FILE[known[0]]))
            g.add((EU_FILE[known[0]], RDF.type, DCTERMS.MediaTypeOrExtent))
            if known[1]:
                g.add((node, DCAT.mediaType, URIRef(IANA + known[1])))
                g.add((URIRef(IANA + known[1]), RDF.type, DCTERMS.MediaType))
    if licence is not None:
        g.add((node, DCTERMS.license, licence))
    return node


def _national(g: Graph, gdc: Namespace, node: URIRef, record: Mapping[str, Any]) -> None:
    for key, term in _NATIONAL_CODES:
        if record.get(key):
            g.add((node, gdc[term], Literal(code(key, record[key]))))
    for key, term in _NATIONAL_MULTI:
        for value in record.get(key) or []:
            g.add((node, gdc[term], Literal(code(key, value))))
    for key, term in _NATIONAL_TEXT:
        if record.get(key):
            g.add((node, gdc[term], text_literal(str(record[key]))))
    for key, term in _NATIONAL_BOOL:
        if record.get(key) is not None:
            g.add((node, gdc[term], Literal(bool(record[key]))))
    interval = record.get("update_frequency_interval")
    if interval not in (None, ""):
        g.add((node, gdc.updateFrequencyInterval, Literal(interval)))


def add_dataset(g: Graph, base_url: str, record: Mapping[str, Any]) -> URIRef:
    """Add one open record as a ``dcat:Dataset`` (and its distributions, publisher, contact)."""
    base = base_url.rstrip("/")
    gdc = gdc_namespace(base)
    node = dataset_uri(base, record)
    landing = URIRef(f"{base}/dataset/{record.get('name') or record.get('id')}")
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(str(record.get("id")))))
    title = record.get("title") or record.get("name") or str(record.get("id"))
    g.add((node, DCTERMS.title, Literal(title, lang="th")))
    g.add((node, DCTERMS.description, Literal(record.get("notes") or title, lang="th")))
    if record.get("title_en"):
        g.add((node, DCTERMS.title, Literal(record["title_en"], lang="en")))
    if record.get("notes_en"):
        g.add((node, DCTERMS.description, Literal(record["notes_en"], lang="en")))
    for tag in record.get("tags") or []:
        g.add((node, DCAT.keyword, text_literal(tag, default_lang="en")))
    g.add((node, DCAT.landingPage, landing))
    g.add((landing, RDF.type, FOAF.Document))
    g.add((node, DCTERMS.accessRights, EU_ACCESS.PUBLIC))
    if record.get("organization"):
        g.add((node, DCTERMS.publisher, _publisher(g, base, record["organization"])))
    contact = _contact(g, record)
    if contact is not None:
        g.add((node, DCAT.contactPoint, contact))
    freq = frequency(code("update_frequency_unit", record.get("update_frequency_unit")),
                     record.get("update_frequency_interval"))
    if freq is not None:
        g.add((node, DCTERMS.accrualPeriodicity, freq))
        g.add((freq, RDF.type, DCTERMS.Frequency))
    if code("geo_coverage", record.get("geo_coverage")) in INSIDE_THAILAND:
        g.add((node, DCTERMS.spatial, EU_COUNTRY.THA))
        g.add((EU_COUNTRY.THA, RDF.type, DCTERMS.Location))
    for language in record.get("data_language") or []:
        eu = LANGUAGES.get(code("data_language", language) or "")
        if eu:
            g.add((node, DCTERMS.language, EU_LANG[eu]))
            g.add((EU_LANG[eu], RDF.type, DCTERMS.LinguisticSystem))
    issued = date_literal(record.get("created_date")) or date_literal(record.get("metadata_created"))
    modified = date_literal(record.get("last_updated_date")) or date_literal(record.get("metadata_modified"))
    if issued is not None:
        g.add((node, DCTERMS.issued, issued))
    if modified is not None:
        g.add((node, DCTERMS.modified, modified))
    licence = _licence(g, gdc, code("license_id", record["license_id"])) if record.get("license_id") else None
    if licence is not None:
        g.add((node, DCTERMS.license, licence))
    for position, resource in enumerate(record.get("resources") or []):
        g.add((node, DCAT.distribution, _distribution(g, node, landing, position, resource, licence, gdc)))
    for group in record.get("groups") or []:
        if group.get("name"):
            g.add((node, gdc.group, Literal(group["name"])))
    _national(g, gdc, node, record)
    _derived(g, gdc, node, record.get("derived") or {})
    return node


def _derived(g: Graph, gdc: Namespace, node: URIRef, derived: Mapping[str, Any]) -> None:
    """Values read from the record's text (``record["derived"]``), each marked with ``gdc:derivedFrom``
    so that no consumer takes them for what the agency declared. Places are ``dct:spatial``
    ``dct:Location`` nodes with their DOPA code (or region slug) and names; the years covered are a
    ``dct:temporal`` period in Common-Era years."""
    from analyzers import places

    block = derived.get("places") or {}
    for place_code in block.get("value") or []:
        place = places.get(place_code)
        if place is None:
            continue
        location = BNode()
        g.add((node, DCTERMS.spatial, location))
        g.add((location, RDF.type, DCTERMS.Location))
        g.add((location, DCTERMS.identifier, Literal(place_code)))
        g.add((location, SKOS.prefLabel, Literal(places.label(place_code, "th"), lang="th")))
        g.add((location, SKOS.prefLabel, Literal(place.en, lang="en")))
        g.add((location, gdc.placeLevel, Literal(place.level)))
        _mark_derived(g, gdc, location, block)
    for key, term in (("geo_coverage", "derivedGeoCoverage"), ("update_frequency_unit", "derivedUpdateFrequencyUnit"),
                      ("data_format", "derivedDataFormat"), ("data_type", "derivedDataType")):
        for value in derived_values(derived.get(key)):
            g.add((node, gdc[term], Literal(value)))
    years = derived.get("years") or {}
    if years.get("value"):
        period = BNode()
        g.add((node, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        start, end = (y - BE_OFFSET for y in years["value"])
        g.add((period, DCAT.startDate, Literal(str(start), datatype=XSD.gYear)))
        g.add((period, DCAT.endDate, Literal(str(end), datatype=XSD.gYear)))
        _mark_derived(g, gdc, period, years)


def _mark_derived(g: Graph, gdc: Namespace, subject: BNode, block: Mapping[str, Any]) -> None:
    for source in block.get("from") or []:
        g.add((subject, gdc.derivedFrom, Literal(source)))


def dataset_graph(base_url: str, record: Mapping[str, Any]) -> Graph:
    g = new_graph(base_url)
    add_dataset(g, base_url, record)
    return g
