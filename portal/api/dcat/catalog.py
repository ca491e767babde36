"""The catalogue: ``dcat:Catalog`` pages with hydra paging, and the text of a graph in each format."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from portal.api.dcat.dataset import add_dataset
from portal.api.dcat.terms import EU_LANG, HYDRA, new_graph


FORMATS = {
    "turtle": "text/turtle",
    "xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
}
EXTENSIONS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
PRETTY_TURTLE_LIMIT = 20_000  # triples; a catalogue page of 100 datasets is about 7,000


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
