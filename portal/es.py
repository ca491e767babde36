"""The portal's Elasticsearch client, built once per app from the shared constructor."""
from __future__ import annotations

from elasticsearch import Elasticsearch
from flask import Flask, current_app

from indexer.client import REQUEST, make_client


def init_app(app: Flask) -> None:
    app.extensions["gdc_es"] = None


def client() -> Elasticsearch:
    """The app's client, created on first use so that importing and app creation never connect.

    Web requests use the ``request`` profile (``GDC_ES_TIMEOUT``, at most one retry, none on timeout),
    never the indexer's bulk profile."""
    es = current_app.extensions.get("gdc_es")
    if es is None:
        es = current_app.config.get("GDC_ES_CLIENT") or make_client(
            current_app.config["GDC_SETTINGS"], profile=REQUEST)
        current_app.extensions["gdc_es"] = es
    return es
