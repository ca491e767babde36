"""The vocabularies the DCAT graphs use: namespaces, the EU authority tables (frequency, file type,
language, country), code-list values as terms, literals and IRIs, and the project namespace ``gdc:``
(described in RDF at ``/ns/gdc``)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from analyzers.script import THAI_BLOCK
from indexer import codelists
from indexer.schemas.fields import allowed_link


HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")
IANA = "http://www.iana.org/assignments/media-types/"
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
FILE_TYPES = {
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
_THAI = re.compile(f"[{THAI_BLOCK}]")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S")
_IRI_FORBIDDEN = set('<>"{}|\\^`')


def gdc_namespace(base_url: str) -> Namespace:
    """The project namespace for national fields DCAT lacks, served by the portal at ``/ns/gdc``."""
    return Namespace(f"{base_url.rstrip('/')}/ns/gdc#")


def new_graph(base_url: str) -> Graph:
    g = Graph(bind_namespaces="core")
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS),
                       ("hydra", HYDRA), ("gdc", gdc_namespace(base_url)), ("xsd", XSD), ("rdfs", RDFS)):
        g.bind(prefix, ns)
    return g


def text_literal(value: str, default_lang: str = "th") -> Literal:
    return Literal(value, lang="th" if _THAI.search(value) else default_lang)


def iri(url: str | None) -> URIRef | None:
    """An absolute URL as an IRI, with the characters IRIs forbid (spaces, quotes, braces …) escaped."""
    text = (url or "").strip()
    if not _ABSOLUTE.match(text) or allowed_link(text) is None:
        return None
    return URIRef("".join(f"%{ord(c):02X}" if c in _IRI_FORBIDDEN or ord(c) < 0x21 else c for c in text))


def mailto(email: str) -> URIRef:
    """A ``mailto:`` IRI of an address, without the characters IRIs forbid or spaces."""
    return URIRef("mailto:" + "".join(c for c in email if c not in _IRI_FORBIDDEN and not c.isspace()))


def date_literal(value: Any) -> Literal | None:
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


def code_label(field: str, value: str, lang: str) -> str:
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
        "derivedDataFormat": ("รูปแบบการเก็บข้อมูลที่อ่านได้จากรูปแบบไฟล์ของทรัพยากร",
                              "Data format code read from the resources' formats and links, not declared"),
        "derivedDataType": ("ประเภทข้อมูลที่อ่านได้จากรูปแบบการเก็บข้อมูล",
                            "Data type code read from the data formats (geospatial when a format holds "
                            "geometry), not declared"),
    }
    for term, (th, en) in terms.items():
        g.add((gdc[term], RDF.type, RDF.Property))
        g.add((gdc[term], RDFS.label, Literal(th, lang="th")))
        g.add((gdc[term], RDFS.label, Literal(en, lang="en")))
    return g
