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
  covered → ``dct:temporal``, coverage level and frequency → ``gdc:derived…``; each marked ``gdc:derivedFrom``.
- each resource → a ``dcat:Distribution`` with ``dcat:accessURL`` and, where the EU File Type table
  has it, ``dct:format`` (plus the IANA ``dcat:mediaType``).
- what DCAT lacks (data type, category, classification, objective …) → the project namespace
  ``<portal>/ns/gdc#``, documented by the portal itself at ``/ns/gdc``.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from analyzers.script import BE_OFFSET
from indexer import agencies, codelists
from indexer.schemas.fields import allowed_link

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")
IANA = "http://www.iana.org/assignments/media-types/"

FORMATS = {
    "turtle": "text/turtle",
    "xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
}
EXTENSIONS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
PRETTY_TURTLE_LIMIT = 20_000  # triples; a catalogue page of 100 datasets is about 7,000

# (unit, interval) → EU frequency; interval None means "any interval of this unit".
_FREQUENCIES = {
    ("A", 1): "ANNUAL", ("A", 2): "BIENNIAL", ("A", 3): "TRIENNIAL", ("S", 1): "ANNUAL_2",
    ("Q", 1): "QUARTERLY", ("M", 1): "MONTHLY", ("M", 2): "BIMONTHLY", ("M", 3): "QUARTERLY",
    ("M", 6): "ANNUAL_2", ("W", 1): "WEEKLY", ("W", 2): "BIWEEKLY", ("D", 1): "DAILY", ("D", 7): "WEEKLY",
    ("H", 1): "HOURLY", ("N", 1): "1MIN", ("R", None): "CONT", ("O", None): "NEVER", ("U", None): "UNKNOWN",
}
# Geographic-coverage levels that lie inside one country: Thailand.
INSIDE_THAILAND = {"04", "05", "06", "07", "08", "09", "10", "11"}
LANGUAGES = {"th": "THA", "en": "ENG", "zh": "ZHO", "ms": "MSA", "my": "MYA", "lo": "LAO", "km": "KHM",
              "ja": "JPN", "ko": "KOR", "fr": "FRA", "de": "DEU", "ar": "ARA"}
# Resource format (upper-cased) → (EU file type, IANA media type or None).
_FILE_TYPES = {
    "CSV": ("CSV", "text/csv"), "TSV": ("TSV", "text/tab-separated-values"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "JSON": ("JSON", "application/json"), "GEOJSON": ("GEOJSON", "application/geo+json"),
    "XML": ("XML", "application/xml"), "PDF": ("PDF", "application/pdf"), "ZIP": ("ZIP", "application/zip"),
    "HTML": ("HTML", "text/html"), "TXT": ("TXT", "text/plain"), "DOC": ("DOC", "application/msword"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "RDF": ("RDF_XML", "application/rdf+xml"), "TTL": ("RDF_TURTLE", "text/turtle"),
    "JSON-LD": ("JSON_LD", "application/ld+json"), "SHP": ("SHP", None), "SHAPEFILE": ("SHP", None),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "KMZ": ("KMZ", "application/vnd.google-earth.kmz"),
    "GML": ("GML", "application/gml+xml"), "TIFF": ("TIFF", "image/tiff"), "GEOTIFF": ("TIFF", "image/tiff"),
    "JPEG": ("JPEG", "image/jpeg"), "JPG": ("JPEG", "image/jpeg"), "PNG": ("PNG", "image/png"),
    "GZ": ("GZIP", "application/gzip"), "RAR": ("RAR", "application/vnd.rar"),
    "SQL": ("SQL", "application/sql"),
}
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S")
_IRI_FORBIDDEN = set('<>"{}|\\^`')
# National fields with no DCAT property: (record key, gdc term).
_NATIONAL_CODES = (("data_type", "dataType"), ("data_category", "dataCategory"),
                   ("data_classification", "dataClassification"), ("geo_coverage", "geoCoverage"),
                   ("update_frequency_unit", "updateFrequencyUnit"), ("license_id", "licenceCode"))
_NATIONAL_MULTI = (("objective", "objective"), ("data_format", "dataFormat"))
_NATIONAL_TEXT = (("data_source", "dataSource"), ("accessible_condition", "accessibleCondition"))
_NATIONAL_BOOL = (("high_value_dataset", "highValueDataset"), ("reference_data", "referenceData"),
                  ("official_statistics", "officialStatistics"))


def gdc_namespace(base_url: str) -> Namespace:
    """The project namespace for national fields DCAT lacks, served by the portal at ``/ns/gdc``."""
    return Namespace(f"{base_url.rstrip('/')}/ns/gdc#")


def new_graph(base_url: str) -> Graph:
    g = Graph(bind_namespaces="core")
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS),
                       ("hydra", HYDRA), ("gdc", gdc_namespace(base_url)), ("xsd", XSD), ("rdfs", RDFS)):
        g.bind(prefix, ns)
    return g


def dataset_uri(base_url: str, record: Mapping[str, Any]) -> URIRef:
    return URIRef(f"{base_url.rstrip('/')}/dataset/{record.get('id')}")


def _text(value: str, default_lang: str = "th") -> Literal:
    return Literal(value, lang="th" if _THAI.search(value) else default_lang)


def iri(url: str | None) -> URIRef | None:
    """An absolute URL as an IRI, with the characters IRIs forbid (spaces, quotes, braces …) escaped."""
    text = (url or "").strip()
    if not _ABSOLUTE.match(text) or allowed_link(text) is None:
        return None
    return URIRef("".join(f"%{ord(c):02X}" if c in _IRI_FORBIDDEN or ord(c) < 0x21 else c for c in text))


def _date(value: Any) -> Literal | None:
    if not value:
        return None
    text = str(value)
    try:
        if len(text) <= 10:
            return Literal(date.fromisoformat(text).isoformat(), datatype=XSD.date)
        return Literal(datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(), datatype=XSD.dateTime)
    except ValueError:
        return None


def code(field: str, value: Any) -> str | None:
    """The code-list code of a value (a code, a label or an alias); unknown values stay as they are."""
    if value is None or value == "":
        return None
    try:
        found = codelists.lookup(field, value)
    except KeyError:
        return str(value)
    return found.code if found is not None else str(value)


def _label(field: str, value: str, lang: str) -> str:
    try:
        found = codelists.lookup(field, value)
    except KeyError:
        return value
    return found.label(lang) if found is not None else value


def frequency(unit: str | None, interval: Any) -> URIRef | None:
    """The EU frequency for an update frequency: ``("D", 1)`` → ``…/frequency/DAILY``."""
    if not unit:
        return None
    try:
        number = int(float(interval)) if interval not in (None, "") else 1
    except (TypeError, ValueError):
        number = 1
    code = _FREQUENCIES.get((unit, number)) or _FREQUENCIES.get((unit, None))
    if code is None:
        code = "OTHER" if unit in {"B", "other", "S", "Q", "A", "M", "W", "D", "H", "N"} else "UNKNOWN"
    return EU_FREQ[code]


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
        g.add((node, VCARD.fn, _text(name)))
    if email and "@" in email:
        g.add((node, VCARD.hasEmail, URIRef("mailto:" + "".join(c for c in email if c not in _IRI_FORBIDDEN
                                                                 and not c.isspace()))))
    return node


def _licence(g: Graph, gdc: Namespace, code: str) -> BNode:
    node = BNode()
    g.add((node, RDF.type, DCTERMS.LicenseDocument))
    g.add((node, RDFS.label, Literal(_label("license_id", code, "th"), lang="th")))
    g.add((node, RDFS.label, Literal(_label("license_id", code, "en"), lang="en")))
    g.add((node, gdc.licenceCode, Literal(code)))
    return node


def _distribution(g: Graph, dataset: URIRef, landing: URIRef, position: int, resource: Mapping[str, Any],
                  licence: BNode | None, gdc: Namespace) -> URIRef:
    rid = resource.get("id")
    node = URIRef(f"{dataset}/resource/{rid}") if rid else URIRef(f"{dataset}#distribution-{position + 1}")
    g.add((node, RDF.type, DCAT.Distribution))
    if resource.get("name"):
        g.add((node, DCTERMS.title, _text(resource["name"])))
    if resource.get("description"):
        g.add((node, DCTERMS.description, _text(resource["description"])))
    g.add((node, DCAT.accessURL, iri(resource.get("url")) or landing))
    fmt = (resource.get("format") or "").strip()
    if fmt:
        g.add((node, gdc.resourceFormat, Literal(fmt)))
        known = _FILE_TYPES.get(fmt.upper().lstrip("."))
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
            g.add((node, gdc[term], _text(str(record[key]))))
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
        g.add((node, DCAT.keyword, _text(tag, default_lang="en")))
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
    issued = _date(record.get("created_date")) or _date(record.get("metadata_created"))
    modified = _date(record.get("last_updated_date")) or _date(record.get("metadata_modified"))
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
    for key, term in (("geo_coverage", "derivedGeoCoverage"), ("update_frequency_unit", "derivedUpdateFrequencyUnit")):
        if derived.get(key):
            g.add((node, gdc[term], Literal(derived[key]["value"])))
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


def add_catalog(g: Graph, base_url: str, about: Mapping[str, str]) -> URIRef:
    """The ``dcat:Catalog`` itself: title, description, publisher (all mandatory in DCAT-AP 3.0)."""
    base = base_url.rstrip("/")
    node = URIRef(f"{base}/catalog")
    g.add((node, RDF.type, DCAT.Catalog))
    g.add((node, DCTERMS.title, Literal(about["title_th"], lang="th")))
    g.add((node, DCTERMS.title, Literal(about["title_en"], lang="en")))
    g.add((node, DCTERMS.description, Literal(about["description_th"], lang="th")))
    g.add((node, DCTERMS.description, Literal(about["description_en"], lang="en")))
    g.add((node, FOAF.homepage, URIRef(f"{base}/")))
    g.add((node, DCTERMS.language, EU_LANG.THA))
    publisher = URIRef(f"{base}/#publisher")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(about["publisher_th"], lang="th")))
    g.add((publisher, FOAF.name, Literal(about["publisher_en"], lang="en")))
    g.add((node, DCTERMS.publisher, publisher))
    return node


def catalog_graph(base_url: str, about: Mapping[str, str], records: Iterable[Mapping[str, Any]],
                  paging: Mapping[str, Any]) -> Graph:
    """One page of the catalogue with hydra paging (``totalItems``, ``first/last/next/previousPage``)."""
    g = new_graph(base_url)
    catalog = add_catalog(g, base_url, about)
    for record in records:
        g.add((catalog, DCAT.dataset, add_dataset(g, base_url, record)))
    page = URIRef(paging["current"])
    g.add((page, RDF.type, HYDRA.PagedCollection))
    g.add((page, HYDRA.totalItems, Literal(int(paging["total"]))))
    g.add((page, HYDRA.itemsPerPage, Literal(int(paging["size"]))))
    for key, term in (("first", HYDRA.firstPage), ("last", HYDRA.lastPage), ("next", HYDRA.nextPage),
                      ("previous", HYDRA.previousPage)):
        if paging.get(key):
            g.add((page, term, Literal(paging[key])))
    return g


def serialize(g: Graph, fmt: str) -> str:
    """Turtle, RDF/XML or JSON-LD text of a graph (JSON-LD compacted with the bound prefixes)."""
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in g.namespaces() if prefix}
        return g.serialize(format="json-ld", context=context, auto_compact=True)
    if fmt == "turtle" and len(g) > PRETTY_TURTLE_LIMIT:
        # rdflib's pretty Turtle writer grows quadratically with distinct URL namespaces (every
        # resource URL is one); N-Triples is valid Turtle and linear.
        return g.serialize(format="nt")
    return g.serialize(format=fmt)


def vocabulary_graph(base_url: str) -> Graph:
    """The project namespace described in RDF (labels of every ``gdc:`` term), served at ``/ns/gdc``."""
    g = new_graph(base_url)
    gdc = gdc_namespace(base_url)
    terms = {
        "dataType": ("ประเภทข้อมูล", "Data type code (national standard list 2.1)"),
        "dataCategory": ("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "Governance category code (list 2.6)"),
        "dataClassification": ("ชั้นความลับ", "Classification code 01–05 (list 2.7)"),
        "geoCoverage": ("ขอบเขตเชิงภูมิศาสตร์", "Geographic coverage level code (list 2.4)"),
        "updateFrequencyUnit": ("หน่วยความถี่ของการปรับปรุง", "Update frequency unit code (list 2.3)"),
        "updateFrequencyInterval": ("ค่าความถี่", "Update frequency interval"),
        "licenceCode": ("สัญญาอนุญาต", "Licence code (list 2.8)"),
        "objective": ("วัตถุประสงค์", "Objective code (list 2.2)"),
        "dataFormat": ("รูปแบบการเก็บข้อมูล", "Data storage format code (list 2.5)"),
        "dataSource": ("แหล่งที่มา", "Data source"),
        "accessibleCondition": ("เงื่อนไขในการเข้าถึงข้อมูล", "Access conditions"),
        "highValueDataset": ("ชุดข้อมูลที่มีคุณค่าสูง", "High-value dataset"),
        "referenceData": ("ข้อมูลอ้างอิง", "Reference data"),
        "officialStatistics": ("สถิติทางการ", "Official statistics"),
        "resourceFormat": ("รูปแบบไฟล์ตามที่ระบุ", "Resource format as declared"),
        "group": ("กลุ่ม", "Catalogue group slug"),
        "derivedFrom": ("อ่านได้จากข้อความ (ไม่ได้ระบุโดยหน่วยงาน)",
                        "Read from the record's text (title, notes, tags, organization, resources), not declared"),
        "placeLevel": ("ระดับพื้นที่", "Place level: region, province or district"),
        "derivedGeoCoverage": ("ขอบเขตเชิงภูมิศาสตร์ที่อ่านได้จากข้อความ",
                               "Geographic coverage level code read from the text, not declared"),
        "derivedUpdateFrequencyUnit": ("ความถี่ที่อ่านได้จากข้อความ",
                                       "Update frequency unit code read from the text, not declared"),
    }
    for term, (th, en) in terms.items():
        g.add((gdc[term], RDF.type, RDF.Property))
        g.add((gdc[term], RDFS.label, Literal(th, lang="th")))
        g.add((gdc[term], RDFS.label, Literal(en, lang="en")))
    return g
