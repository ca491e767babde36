"""Property-based: any value in any request parameter of the pages and APIs → results or 400, never 500.

Values are any Unicode (null bytes, RTL and zero-width marks), lone surrogates sent
percent-encoded (invalid UTF-8 on the wire), 10 KB strings, and search syntax Elasticsearch or
Solr would treat specially (``title:(a OR b)``, ``*``, ``/regex/``, ``~``, unbalanced quotes …).
Every request goes through the real portal to a real node holding the API corpus; an engine error
surfacing as 503 would be a bug too (the portal must never send a query the engine refuses).
"""
from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.search.facets import FACETS
from tests.integration.api_corpus import app, client, corpus_alias  # noqa: F401

pytestmark = pytest.mark.integration

FACET_NAMES = [f.name for f in FACETS]
SEARCH = ["q", "sort", "page", "size", *FACET_NAMES]
# Each route with the parameters it reads; "{}" in a path is a path parameter.
ROUTES: dict[str, list[str]] = {
    "/": ["q", "lang"],
    "/search": SEARCH + ["lang"],
    "/search/suggest": ["q", "size"],
    "/dataset/{}": ["lang"],
    "/dataset/{}.ttl": [],
    "/organization": ["q", "page"],
    "/organization/{}": SEARCH,
    "/widget": SEARCH + ["lang", "title", "theme"],
    "/widget/builder": SEARCH + ["lang"],
    "/lang/{}": ["next"],
    "/sitemap-{}.xml": [],
    "/catalog.ttl": FACET_NAMES + ["q", "page"],
    "/api/v1/search": SEARCH,
    "/api/v1/suggest": ["q", "size"],
    "/api/v1/datasets/{}": [],
    "/api/v1/organizations": [],
    "/api/v1/organizations/{}": [],
    "/api/3/action/package_search": ["q", "fq", "fq_list", "sort", "rows", "start", "facet", "facet.field",
                                     "facet.limit", "facet.mincount", "include_private"],
    "/api/3/action/package_show": ["id"],
    "/api/3/action/package_list": ["limit", "offset"],
    "/api/3/action/organization_show": ["id", "include_datasets"],
    "/api/3/action/organization_list": ["all_fields", "limit", "offset", "sort", "q"],
    "/api/3/action/tag_list": ["query"],
    "/api/3/action/help_show": ["name"],
}
SYNTAX = ['title:(a OR b)', '*', '?', '/regex.*/', 'โควิด~', 'a~2', '"unbalanced', "'", 'a AND (b', ')', '\\',
          '[1 TO *]', '{!lucene}x', 'field:', ':', '-', '+-!', '&&||', '^5', 'a^', '<script>', '%', '%%00',
          '{"json": 1}', '[]', 'null', '-1', '0', '99999999999999999999', '1e309', 'NaN', 'relevance']
MARKS = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff",
         "\u0e31", "\u0e4c", "\x00", "\x1f", "\x7f", "\ud800", "\udfff", "\U0010ffff"]

hostile = st.one_of(
    st.text(max_size=60),  # any code point, lone surrogates included
    st.sampled_from(SYNTAX),
    st.lists(st.sampled_from(SYNTAX + MARKS + ["โควิด", "budget", "ก"]), max_size=8).map("".join),
    st.builds(lambda unit, times: unit * times, st.sampled_from(["ก", "a", "\u200b", "%", "\ud800", "("]),
              st.integers(min_value=2000, max_value=10240)),
)


def _quote(value: str) -> str:
    # Lone surrogates are sent as the bytes they would be (ED A0 80 …): invalid UTF-8 on the wire.
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def requests(draw) -> str:
    route = draw(st.sampled_from(sorted(ROUTES)))
    path = route.replace("{}", _quote(draw(hostile)) or "x") if "{}" in route else route
    names = ROUTES[route]
    chosen = draw(st.lists(st.sampled_from(names), max_size=3)) if names else []
    query = "&".join(f"{_quote(name)}={_quote(draw(hostile))}" for name in chosen)
    return f"{path}?{query}" if query else path


@settings(max_examples=500, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(url=requests())
def test_any_parameter_value_gives_results_or_400_never_a_server_error(client, url):  # noqa: F811
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, f"{url[:300]} → {response.status_code}"
    assert "Traceback" not in body
    if response.status_code == 400 and url.startswith("/api/v1/"):
        assert response.content_type == "application/problem+json"
