"""The portal's Elasticsearch client, built once per app from the shared constructor."""
from __future__ import annotations

from elastic_transport import Transport, TransportApiResponse
from elasticsearch import Elasticsearch, TransportError
from flask import Flask, current_app

from indexer.client import REQUEST, make_client


class PartialResults(TransportError):
    """Some shards did not answer (a node lost, a shard unassigned): what came back is not the
    whole answer, so the portal must not show it as if it were. A ``TransportError``, so every
    area's handler for an unusable search node answers it with its own 503."""


class CompleteResultsTransport(Transport):
    """Every answer the portal receives is checked once, here: ``_shards.failed > 0`` raises
    ``PartialResults`` (a 503), whatever the endpoint — search, count, facets, exports, sitemaps."""

    def perform_request(self, method: str, target: str, **kwargs) -> TransportApiResponse:
        response = super().perform_request(method, target, **kwargs)
        shards = response.body.get("_shards") if isinstance(response.body, dict) else None
        if isinstance(shards, dict) and shards.get("failed"):
            reasons = {str((f.get("reason") or {}).get("type")) for f in shards.get("failures") or []}
            raise PartialResults(f"{shards['failed']} of {shards.get('total')} shards failed on {target}: "
                                 f"{', '.join(sorted(reasons))}")
        return response


def init_app(app: Flask) -> None:
    app.extensions["gdc_es"] = None


def client() -> Elasticsearch:
    """The app's client, created on first use so that importing and app creation never connect.

    Web requests use the ``request`` profile (``GDC_ES_TIMEOUT``, at most one retry, none on timeout),
    never the indexer's bulk profile."""
    es = current_app.extensions.get("gdc_es")
    if es is None:
        es = current_app.config.get("GDC_ES_CLIENT") or make_client(
            current_app.config["GDC_SETTINGS"], profile=REQUEST, transport_class=CompleteResultsTransport)
        current_app.extensions["gdc_es"] = es
    return es
