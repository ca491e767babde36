"""The human-readable API page (``/api``): what each API is for, with copy-paste examples."""
from __future__ import annotations

from flask import Blueprint, render_template

from portal.api import context
from portal.search.facets import FACETS

bp = Blueprint("api_docs", __name__)


@bp.get("/api")
def index():
    return render_template("api/index.html", base=context.base_url(), facets=[f.name for f in FACETS])
