"""Every channel answers anonymous visitors — and an analyst whose grants all narrowly miss — exactly
as it would if the sensitive and hidden records did not exist at all.

``full`` holds the whole canary corpus, ``open_only`` the same corpus minus every non-open record.
Same status and same body (after removing CSRF tokens, timings and the page header) on both, for
searches on every canary word and its prefixes and misspellings, every facet with and without
filters, totals, CKAN ``include_private=true``, ``fq`` and crafted ``q`` syntax, DCAT, sitemap, detail
pages and error pages.
"""
from __future__ import annotations

import difflib
from urllib.parse import urlsplit

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from tests.canary import (api_urls, ckan_urls, detail_urls, export_urls, get, leaked, normalised, page_urls,
                          truth)

pytestmark = pytest.mark.integration

CHANNELS = {"pages": page_urls, "api_v1": api_urls, "ckan": ckan_urls, "exports": export_urls,
            "details": detail_urls}


_RDF_FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


def _same_graph(url: str, a, b) -> bool | None:
    """RDF answers are compared as graphs (serialisers order triples and name blank nodes freely)."""
    ext = urlsplit(url).path.rpartition(".")[2]
    if ext not in _RDF_FORMATS or a.status_code != 200:
        return None
    fmt = _RDF_FORMATS[ext]
    return isomorphic(Graph().parse(data=a.get_data(as_text=True), format=fmt),
                      Graph().parse(data=b.get_data(as_text=True), format=fmt))


def _diff(a: str, b: str) -> str:
    return "\n".join(list(difflib.unified_diff(b.splitlines(), a.splitlines(), "open_only", "full",
                                               lineterm="", n=1))[:40])


@pytest.mark.parametrize("who", ["anonymous", "nearmiss"])
@pytest.mark.parametrize("channel", list(CHANNELS))
def test_channel_is_blind_to_non_open_records(full, open_only, who, channel):
    problems = []
    for url in CHANNELS[channel]():
        seen = get(full, who, url)
        status, b, reference = truth(open_only, url)
        if seen.status_code != status:
            problems.append(f"{url}: status {seen.status_code} != {status}")
            continue
        a = normalised(seen)
        same_graph = _same_graph(url, seen, reference)
        if same_graph is False or (same_graph is None and a != b):
            problems.append(f"{url}: body differs\n{_diff(a, b)}")
        words = leaked(seen, url)
        if words:
            problems.append(f"{url}: canaries {words}")
    assert not problems, f"{len(problems)} leaks:\n" + "\n\n".join(problems[:15])
