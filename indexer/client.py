"""The one Elasticsearch client constructor, shared by the portal, the indexer and the tests."""
from __future__ import annotations

from elasticsearch import Elasticsearch

from indexer.settings import Settings


def make_client(settings: Settings | None = None, **overrides) -> Elasticsearch:
    """Build a client for ``GDC_ES_URL``, with an API key and CA bundle when configured.

    Pointing everything at an existing secured cluster is a matter of setting
    ``GDC_ES_URL``, ``GDC_ES_API_KEY`` and ``GDC_ES_CA_CERTS``.
    """
    settings = settings or Settings.from_env()
    options: dict = {
        "request_timeout": 30,
        "retry_on_timeout": True,
        "max_retries": 3,
    }
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    if settings.es_ca_certs:
        options["ca_certs"] = settings.es_ca_certs
    options.update(overrides)
    return Elasticsearch(settings.es_url, **options)
