"""The human-readable API page (``/api``): what each API is for, with copy-paste examples.

The examples are data (``EXAMPLES``), rendered by the template and run by
``tests/integration/test_api_examples.py`` against the bundled sample: every one must answer with
results there, so a reader trying them after ``make run`` never meets an empty answer or a 404.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, render_template

from portal.api import context
from portal.search.facets import FACETS

bp = Blueprint("api_docs", __name__)

# A query and a dataset of data/datagoth-sample-836.jsonl (what ``make run`` loads).
EXAMPLE_QUERY = "โรงเรียน"
EXAMPLE_DATASET = "pier_phasi_charoen_canel"


@dataclass(frozen=True)
class Example:
    section: str                       # json | ckan | dcat
    path: str
    params: tuple[tuple[str, str], ...] = ()
    token: bool = False                # shown with an Authorization header

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.params)}" if self.params else self.path

    def curl(self, base: str) -> str:
        """A curl command a reader can paste: non-ASCII values go through ``--data-urlencode``."""
        auth = "-H 'Authorization: Bearer gdc_…' " if self.token else ""
        if not self.params:
            return f"curl {auth}'{base}{self.path}'"
        args = " ".join(f"--data-urlencode '{k}={v}'" for k, v in self.params)
        return f"curl -G {auth}'{base}{self.path}' {args}"


EXAMPLES: tuple[Example, ...] = (
    Example("json", "/api/v1/search", (("q", EXAMPLE_QUERY), ("data_category", "public"),
                                       ("res_format", "CSV"), ("res_format", "XLSX"), ("size", "5"))),
    Example("json", f"/api/v1/datasets/{EXAMPLE_DATASET}", token=True),
    Example("json", "/api/v1/suggest", (("q", "โรง"),)),
    Example("ckan", "/api/3/action/package_search", (
        ("q", EXAMPLE_QUERY), ("fq", 'data_category:"ข้อมูลสาธารณะ"'),
        ("facet.field", '["organization","res_format"]'), ("rows", "10"))),
    Example("ckan", "/api/3/action/package_show", (("id", EXAMPLE_DATASET),)),
    Example("dcat", "/catalog.ttl", (("page", "1"),)),
    Example("dcat", f"/dataset/{EXAMPLE_DATASET}.jsonld"),
    Example("feeds", "/search.atom", (("q", EXAMPLE_QUERY),)),
    Example("feeds", "/search.csv", (("q", EXAMPLE_QUERY), ("res_format", "XLSX"))),
)


@bp.get("/api")
def index():
    base = context.base_url()
    sections = ("json", "ckan", "dcat", "feeds")
    examples = {s: [e.curl(base) for e in EXAMPLES if e.section == s] for s in sections}
    return render_template("api/index.html", base=base, facets=[f.name for f in FACETS],
                           examples=examples, example_query=EXAMPLE_QUERY, example_dataset=EXAMPLE_DATASET)
