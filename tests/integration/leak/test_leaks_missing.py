"""An invisible record is exactly a missing one: same status, same body, same headers — by id and slug,
on every channel that shows one record or one organization."""
from __future__ import annotations

import re

import pytest

from tests.canary import BY_LETTER, ORGS, get

pytestmark = pytest.mark.integration

MISSING_ID = "s-zzzz-00000000"        # shaped like a canary id, but nothing has it
MISSING_SLUG = "qzvslugzzzz"
PLACEHOLDER = "KEY"

DETAIL_URLS = ["/dataset/{key}", "/api/v1/datasets/{key}", "/api/3/action/package_show?id={key}",
               "/api/action/package_show?id={key}", "/dataset/{key}.ttl", "/dataset/{key}.rdf",
               "/dataset/{key}.jsonld", "/dataset/{key}?format=json"]
ORG_URLS = ["/organization/{key}", "/api/v1/organizations/{key}", "/api/3/action/organization_show?id={key}"]
IGNORED_HEADERS = {"Date", "Content-Length"}  # the length follows the echoed key's length


def _shape(response, key: str) -> tuple:
    """Status, headers and body with the asked key replaced; a fresh session cookie's random value
    and the CSRF token in the page are the only parts allowed to differ."""
    headers = sorted((k, re.sub(r"=[^;]*", "=…", v, count=1) if k == "Set-Cookie"
                      else v.replace(key, PLACEHOLDER))
                     for k, v in response.headers.items() if k not in IGNORED_HEADERS)
    body = re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))
    return response.status_code, headers, body.replace(key, PLACEHOLDER)


@pytest.mark.parametrize("who", ["anonymous", "nearmiss", "somchai"])
@pytest.mark.parametrize("template", DETAIL_URLS)
def test_invisible_record_answers_like_a_missing_one(full, who, template):
    invisible = [r for letter, r in BY_LETTER.items() if not (who == "somchai" and letter == "alpha")]
    for missing in (MISSING_ID, MISSING_SLUG):
        expected = _shape(get(full, who, template.format(key=missing)), missing)
        assert expected[0] == 404
        for record in invisible:
            for key in (record["id"], record["name"]):
                assert _shape(get(full, who, template.format(key=key)), key) == expected, (who, template, key)


@pytest.mark.parametrize("who", ["anonymous", "nearmiss"])
@pytest.mark.parametrize("template", ORG_URLS)
def test_organization_without_visible_records_answers_like_a_missing_one(full, who, template):
    expected = _shape(get(full, who, template.format(key="qzvorgnone")), "qzvorgnone")
    for org in (ORGS["sensitive"]["name"], ORGS["hidden"]["name"]):
        assert _shape(get(full, who, template.format(key=org)), org) == expected


def test_missing_record_is_404_on_pages_and_api(full):
    assert get(full, "anonymous", f"/dataset/{MISSING_ID}").status_code == 404
    assert get(full, "anonymous", f"/api/v1/datasets/{MISSING_ID}").status_code == 404
    assert get(full, "anonymous", f"/api/3/action/package_show?id={MISSING_ID}").status_code == 404


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/rdf+xml",
                                    "application/json"])
def test_content_negotiation_on_an_invisible_record_answers_like_a_missing_one(full, accept):
    missing = get(full, "anonymous", f"/dataset/{MISSING_ID}", headers={"Accept": accept})
    expected = _shape(missing, MISSING_ID)
    for record in BY_LETTER.values():
        for key in (record["id"], record["name"]):
            seen = get(full, "anonymous", f"/dataset/{key}", headers={"Accept": accept})
            assert _shape(seen, key) == expected, (accept, key)
