"""DCAT endpoints: ``/catalog.{ttl,rdf,jsonld}`` (paged), ``/dataset/<id>.{ttl,rdf,jsonld}`` and the
project vocabulary at ``/ns/gdc``. (``/dataset/<id>`` itself answers ``Accept: text/turtle`` and the other
RDF types with a 303 to these representations: ``portal.views.dataset``.)

DCAT feeds federate the catalogue: they always read as an anonymous visitor, so only open records
ever appear, whoever asks and whatever token they hold.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from indexer.mapping import MAX_RESULT_WINDOW
from portal.api import context, dcat
from portal.auth.principal import ANONYMOUS
from portal.errors import problem, register_area
from portal.search import queries

bp = Blueprint("api_rdf", __name__)
# Linked-data clients read problem details, whatever they asked for (the paths are not under /api/).
bp.record_once(lambda state: register_area(state.app, bp.name, machine=True))

CATALOG_PAGE_SIZE = 100
_MIMETYPES = {"turtle": "text/turtle", "xml": "application/rdf+xml", "json-ld": "application/ld+json"}
_BY_MIMETYPE = {mime: fmt for fmt, mime in _MIMETYPES.items()}


class CatalogArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))


def _rdf(text: str, fmt: str) -> Response:
    response = Response(text, mimetype=_MIMETYPES[fmt])
    response.charset = "utf-8"
    response.vary.add("Accept")
    return response


@bp.get("/catalog.<any(ttl, rdf, jsonld):ext>")
def catalog(ext: str):
    try:
        page = CatalogArgs().load(request.args.to_dict())["page"]
    except ValidationError as exc:
        return problem(400, "page must be a whole number from 1", exc.messages)
    size = int(current_app.config.get("GDC_CATALOG_PAGE_SIZE") or CATALOG_PAGE_SIZE)
    last_reachable = MAX_RESULT_WINDOW // size
    if page > last_reachable:
        return problem(400, f"the catalogue is paged up to page {last_reachable}", {"page": ["too far"]})
    params = queries.SearchParams(sort="modified", page=page, size=size, facets=())
    result = queries.search(context.es(), context.alias(), params, ANONYMOUS)
    last = max(1, min(result.pages, last_reachable))
    if page > last:
        return problem(404)

    def page_url(n: int) -> str:
        return url_for("api_rdf.catalog", ext=ext, page=n, _external=True)

    paging = {"current": page_url(page), "total": result.total, "size": size,
              "first": page_url(1), "last": page_url(last),
              "next": page_url(page + 1) if page < last else None,
              "previous": page_url(page - 1) if page > 1 else None}
    fmt = dcat.EXTENSIONS[ext]
    graph = dcat.catalog_graph(context.base_url(), context.catalog_about(),
                               [h["record"] for h in result.hits], paging)
    return _rdf(dcat.serialize(graph, fmt), fmt)


def _dataset_response(id_or_slug: str, fmt: str) -> Response:
    record = queries.get_dataset(context.es(), context.alias(), id_or_slug, ANONYMOUS)
    if record is None:
        return problem(404)  # the same answer for a missing and an invisible record
    return _rdf(dcat.serialize(dcat.dataset_graph(context.base_url(), record), fmt), fmt)


@bp.get("/dataset/<id_or_slug>.<any(ttl, rdf, jsonld):ext>")
def dataset(id_or_slug: str, ext: str):
    return _dataset_response(id_or_slug, dcat.EXTENSIONS[ext])


@bp.get("/ns/gdc")
def vocabulary():
    fmt = _negotiated() or "turtle"
    return _rdf(dcat.serialize(dcat.vocabulary_graph(context.base_url()), fmt), fmt)


def _negotiated() -> str | None:
    """The RDF format the client prefers over HTML, if any."""
    best = request.accept_mimetypes.best_match(["text/html", *_BY_MIMETYPE], default="text/html")
    if best == "text/html" or request.accept_mimetypes[best] <= request.accept_mimetypes["text/html"]:
        return None
    return _BY_MIMETYPE.get(best)
