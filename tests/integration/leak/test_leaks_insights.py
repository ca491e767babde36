"""The governance views (issue 18) through the leak suite's canary corpus.

The public pages and the directory are in ``page_urls`` (the differential test). The quality view needs
a signed-in reader, so here each principal is compared with *itself* on the open-only corpus: an
analyst whose grants all narrowly miss sees exactly what it would if no sensitive record existed.
The positive side: a name-tier grant adds to directory counts but never to the quality figures; a
full grant adds to both.
"""
from __future__ import annotations

import csv
import io

import pytest
from tests.canary import BY_LETTER, OPEN, get, leaked, normalised, quality_urls

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("who", ["anonymous", "nearmiss"])
def test_quality_view_is_blind_to_records_outside_the_grants(full, open_only, who):
    problems = []
    for url in quality_urls():
        seen, reference = get(full, who, url), get(open_only, who, url)
        if seen.status_code != reference.status_code:
            problems.append(f"{url}: status {seen.status_code} != {reference.status_code}")
        elif normalised(seen) != normalised(reference):
            problems.append(f"{url}: body differs")
        words = leaked(seen, url)
        if words:
            problems.append(f"{url}: canaries {words}")
    assert not problems, "\n".join(problems[:15])


@pytest.mark.parametrize("url", ["/insights/quality", "/insights/quality/records?due=overdue",
                                 "/insights/quality.csv"])
def test_anonymous_is_sent_to_sign_in(full, url):
    response = get(full, "anonymous", url)
    assert response.status_code == 303 and "/signin" in response.headers["Location"]


def test_anonymous_api_quality_is_401(full):
    response = get(full, "anonymous", "/api/v1/insights/quality")
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def _quality_total(portal, who):
    return get(portal, who, "/api/v1/insights/quality").get_json()["total"]


def _directory_total(portal, who):
    return get(portal, who, "/api/v1/insights/directory").get_json()["total"]


def test_name_tier_counts_in_the_directory_but_not_in_quality(full):
    # somchai sees alpha by name: it counts in the directory, never in figures about its contents.
    assert _directory_total(full, "somchai") == len(OPEN) + 1
    assert _quality_total(full, "somchai") == len(OPEN)
    body = get(full, "somchai", "/insights/quality.csv").get_data(as_text=True)
    assert "qzvtitlealpha" not in body and BY_LETTER["alpha"]["id"] not in body


def test_full_grant_counts_everywhere(full):
    # malee sees charlie and hotel in full.
    assert _directory_total(full, "malee") == len(OPEN) + 2
    assert _quality_total(full, "malee") == len(OPEN) + 2
    rows = list(csv.reader(io.StringIO(get(full, "malee", "/insights/quality.csv").get_data(as_text=True))))
    allowed = {r["id"] for r in OPEN} | {BY_LETTER["charlie"]["id"], BY_LETTER["hotel"]["id"]}
    assert {r[2] for r in rows[1:]} <= allowed


def test_placed_agency_of_sensitive_records_shows_only_with_a_grant(full):
    anonymous = get(full, "anonymous", "/organizations").get_data(as_text=True)
    assert "กระทรวงกลาโหม" not in anonymous
    assert get(full, "anonymous", "/organizations/mod").status_code == 404
    root = get(full, "root", "/organizations").get_data(as_text=True)
    assert "กระทรวงกลาโหม" in root and "กรมการอุตสาหกรรมทหาร" in root
    assert get(full, "root", "/organizations/mod").status_code == 200
