"""APIs for machines: JSON API v1, the CKAN Action API v3, DCAT, sitemap and robots.txt.

Every endpoint reads through ``portal.search.queries`` with a principal, so the visibility contract
of the pages holds here too. DCAT, the sitemap and robots.txt always read as an anonymous visitor.
"""
from __future__ import annotations

from flask import Flask, Response, request

from portal.auth import current_principal

# Read-only, public answers that any web page may fetch (CORS ``*``, never with credentials).
_CORS_PREFIXES = ("/api/v1/", "/api/3/action/", "/api/action/", "/catalog.", "/ns/gdc")
_RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/ld+json")


def _cors(response: Response) -> Response:
    shared = request.path.startswith(_CORS_PREFIXES) or response.mimetype in _RDF_TYPES
    if request.method not in ("GET", "HEAD", "OPTIONS", "POST") or not shared:
        return response
    response.vary.add("Origin")
    if current_principal().is_anonymous and "Authorization" not in request.headers:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.pop("Access-Control-Allow-Credentials", None)
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def init_app(app: Flask) -> None:
    from portal.api import ckan, docs, rdf, sitemap, v1

    app.register_blueprint(v1.bp)
    app.register_blueprint(ckan.bp)
    app.register_blueprint(rdf.bp)
    app.register_blueprint(sitemap.bp)
    app.register_blueprint(docs.bp)
    app.after_request(_cors)
