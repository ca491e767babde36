"""Feeds, CSV exports and related datasets (issue 17): to visitors and to the analyst whose grants all
narrowly miss, every answer is the one they would get if the sensitive and hidden records did not
exist; grants show exactly their tier through these channels too."""
from __future__ import annotations

import csv
import io
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest

from tests.canary import (BY_LETTER, FACET_PARAMS, NON_OPEN, OPEN, canary_words, get, leaked, normalised,
                          text_queries, truth)

pytestmark = pytest.mark.integration

ATOM = "{http://www.w3.org/2005/Atom}"
ALPHA, CHARLIE = BY_LETTER["alpha"], BY_LETTER["charlie"]
ALPHA_FULL_ONLY = [w for k, w in canary_words("alpha").items()
                   if k in ("tag", "notes", "resource", "maintainer")]


def feed_urls() -> list[str]:
    urls = []
    for path in ("/search.atom", "/search.csv"):
        urls += [path, f"{path}?sort=title", f"{path}?page=2&size=5"]
        urls += [f"{path}?q={quote(q)}" for q in text_queries()]
        for name, values in FACET_PARAMS.items():
            for value in values:
                urls += [f"{path}?{name}={quote(value)}", f"{path}?q=ทะเบียน&{name}={quote(value)}"]
    return urls


def related_urls() -> list[str]:
    """Every open record's page: its related datasets are chosen among what the visitor sees."""
    return [f"/dataset/{r['id']}" for r in OPEN]


@pytest.mark.parametrize("who", ["anonymous", "nearmiss"])
@pytest.mark.parametrize("channel", [feed_urls, related_urls])
def test_feeds_exports_and_related_are_blind_to_non_open_records(full, open_only, who, channel):
    problems = []
    for url in channel():
        seen = get(full, who, url)
        status, body, _ = truth(open_only, url)
        if seen.status_code != status:
            problems.append(f"{url}: status {seen.status_code} != {status}")
        elif normalised(seen) != body:
            problems.append(f"{url}: body differs")
        if words := leaked(seen, url):
            problems.append(f"{url}: canaries {words}")
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems[:20])


def test_related_datasets_exist_on_the_canary_corpus(open_only):
    """The differential test above would pass vacuously without related lists: they must be there."""
    page = get(open_only, "anonymous", "/dataset/open-03").get_data(as_text=True)
    assert 'id="related-h"' in page
    assert "/dataset/open-06" in page or "/dataset/open-04" in page  # hospitals and patients: health


def _csv_rows(response) -> list[dict]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark to read Thai"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_of_a_search_is_the_search_result_list(open_only):
    search = get(open_only, "anonymous", "/api/v1/search?q=ทะเบียน&size=100").json
    response = get(open_only, "anonymous", "/search.csv?q=ทะเบียน")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert [r["id"] for r in rows] == [d["dataset"]["id"] for d in search["results"]] and rows
    assert rows[0]["title"].startswith("ทะเบียน")  # Thai survives the round trip


def test_atom_feed_lists_newest_first_with_links(open_only):
    response = get(open_only, "anonymous", "/search.atom?tags=สุขภาพ")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    entries = feed.findall(f"{ATOM}entry")
    expected = sorted((r for r in OPEN if "สุขภาพ" in r["tags"]), key=lambda r: r["metadata_modified"],
                      reverse=True)
    assert [e.find(f"{ATOM}id").text.rsplit("/", 1)[1] for e in entries] == [r["id"] for r in expected]
    assert feed.find(f"{ATOM}updated").text == expected[0]["metadata_modified"] + "Z"


def test_full_grant_sees_its_records_in_feeds_and_csv(full):
    for url in ("/search.csv?q=qzvtitlecharlie", "/search.atom?q=qzvtitlecharlie"):
        assert "qzvtitlecharlie" in get(full, "malee", url).get_data(as_text=True)
    rows = _csv_rows(get(full, "malee", "/search.csv?data_category=internal"))
    assert {r["id"] for r in rows} == {CHARLIE["id"], BY_LETTER["hotel"]["id"]}
    assert any("qzvtagcharlie" in r["tags"] for r in rows)


def test_name_tier_in_csv_and_feed_is_the_name_only(full):
    for url in ("/search.csv?q=qzvtitlealpha", "/search.atom?q=qzvtitlealpha"):
        response = get(full, "somchai", url)
        assert "qzvtitlealpha" in response.get_data(as_text=True)
        assert not leaked(response, url, ALPHA_FULL_ONLY)
    rows = _csv_rows(get(full, "somchai", "/search.csv?q=qzvtitlealpha"))
    assert [r["id"] for r in rows] == [ALPHA["id"]] and rows[0]["tags"] == ""


def test_a_record_seen_by_name_has_no_related_list_and_is_never_related(full):
    page = get(full, "somchai", f"/dataset/{ALPHA['id']}").get_data(as_text=True)
    assert "qzvtitlealpha" in page and 'id="related-h"' not in page
    for record in OPEN:  # alpha shares สุขภาพ with open records, yet is never offered as related
        response = get(full, "somchai", f"/dataset/{record['id']}")
        assert ALPHA["id"] not in response.get_data(as_text=True).split('id="related-h"')[-1]


def test_related_of_a_full_tier_record_stays_within_the_grant(full):
    response = get(full, "malee", f"/dataset/{CHARLIE['id']}")
    related = response.get_data(as_text=True).split('id="related-h"')
    assert len(related) == 2, "charlie (ทะเบียนลับ, สุขภาพ) has related records"
    others = [r["id"] for r in NON_OPEN if r["id"] not in (CHARLIE["id"], BY_LETTER["hotel"]["id"])]
    assert not [i for i in others if i in related[1]]
