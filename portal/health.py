"""Liveness and readiness probes for load balancers and orchestrators."""
from __future__ import annotations

from elasticsearch import ApiError, TransportError
from flask import Blueprint, current_app, jsonify

from portal.es import client

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process is alive (no dependency checked)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready when Elasticsearch answers and the alias the portal reads exists."""
    alias = current_app.config["GDC_INDEX"]
    try:
        present = bool(client().indices.exists_alias(name=alias))
    except (TransportError, ApiError):
        return jsonify(status="unavailable", elasticsearch=False, alias=alias), 503
    if not present:
        return jsonify(status="unavailable", elasticsearch=True, alias=alias, alias_present=False), 503
    return jsonify(status="ready", elasticsearch=True, alias=alias, alias_present=True)


def init_app(app) -> None:
    app.register_blueprint(bp)
