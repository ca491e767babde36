"""Every GET route the portal has — including routes added after this suite was written — probed with
canary ids, slugs, organizations and misspelt or truncated canary words: no canary may come back.

The routes come from the app's own URL map, so a new channel is probed without editing this file;
the test fails if a route cannot be filled in, instead of skipping it silently.
"""
from __future__ import annotations

import itertools
from urllib.parse import quote, urlencode

import pytest

from tests.canary import BY_LETTER, ORGS, get, leaked, record_keys

pytestmark = pytest.mark.integration

# Not data channels; ``auth.account`` shows the person's own grants as the administrator wrote them.
NOT_DATA = {"static", "language.switch", "health.healthz", "health.readyz", "auth.signout", "auth.account"}
ALPHA = BY_LETTER["alpha"]
QUERY_VARIANTS = [
    {},
    {"q": "qzvtitlealph"}, {"q": "qzvnotesalpa"}, {"q": "qzvtag"}, {"q": "qzv"}, {"q": "*:*"},
    {"q": "qzvtitlealpha", "include_private": "true"},
    {"id": ALPHA["id"]}, {"id": ALPHA["name"]}, {"id": "qzvorgsens", "include_datasets": "true"},
    {"query": "qzv"}, {"all_fields": "true"}, {"include_private": "true", "rows": "1000"},
    {"fq": 'data_category:"personal"', "include_private": "true"},
    {"organization": "qzvorgsens"}, {"data_category": "personal"}, {"res_format": "QZVFMT"},
    {"tags": "qzvtagalpha"}, {"page": "2"}, {"name": "qzvtitle"},
]


def _argument_values(rule, name: str) -> list:
    converter = rule._converters.get(name)
    kind = type(converter).__name__
    if kind == "AnyConverter":
        return list(converter.items) if hasattr(converter, "items") else sorted(
            converter.regex.strip("()").split("|"))
    if kind == "IntegerConverter":
        return [0, 1, 2]
    if name == "action":
        from portal.api.ckan import ACTIONS

        return sorted(ACTIONS)
    if name == "code":
        return ["th", "en"]
    keys = record_keys() + [o["name"] for o in ORGS.values()]
    return keys


def route_urls(app) -> dict[str, list[str]]:
    """Every data route with every argument filled in, each with every query variant."""
    urls: dict[str, list[str]] = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in NOT_DATA:
                continue
            names = sorted(rule.arguments)
            combos = itertools.product(*(_argument_values(rule, n) for n in names)) if names else [()]
            paths = [rule.build(dict(zip(names, combo)), append_unknown=False)[1] for combo in combos]
            # A record or organization key in the path is the probe; parameters matter where none is.
            variants = QUERY_VARIANTS if set(names) <= {"action"} else QUERY_VARIANTS[:2]
            urls[rule.rule] = [p + ("?" + urlencode(v) if v else "") for p in paths for v in variants]
    return urls


@pytest.mark.parametrize("who", ["anonymous", "nearmiss"])
def test_no_route_shows_a_canary(full, who):
    routes = route_urls(full.app)
    assert {"/search", "/api/v1/search", "/api/3/action/<action>", "/sitemap.xml"} <= set(routes)
    problems, errors = [], []
    for rule, urls in routes.items():
        for url in urls:
            response = get(full, who, url)
            if response.status_code >= 500:
                errors.append(f"{url}: {response.status_code}")
            if words := leaked(response, url):
                problems.append(f"{url}: {words}")
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems[:20])
    assert not errors, "server errors (never a stack trace):\n" + "\n".join(errors[:20])


def test_error_pages_show_no_canary(full):
    """400 (bad parameters, past the result window), 404 and 405 pages echo nothing sensitive."""
    for url in ["/search?page=100000", "/search?sort=qzvtitlealpha", "/api/v1/search?size=100000",
                "/api/v1/search?qzvnotesalpha=1", "/api/3/action/package_search?rows=100000",
                "/api/3/action/package_search?start=-1",
                f"/api/3/action/package_search?fq={quote('data_category:(')}",
                "/api/3/action/package_search?facet.field=[broken", "/api/3/action/qzvnothing",
                "/no/such/page/qzvtitle", f"/dataset/{ALPHA['id']}/resource/1", "/api/v1/datasets/"]:
        response = get(full, "anonymous", url)
        assert 400 <= response.status_code < 500, url
        assert not leaked(response, url), url
