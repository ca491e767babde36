"""axe-core (from npm, injected into the page) finds no serious or critical violation on the home,
search, dataset and organization pages, in Thai and English, on desktop and phone."""
from __future__ import annotations

import pytest

from tests.browser.conftest import COMPLETE_SLUG, DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

QUERY = "โรงเรียน"


@pytest.fixture(scope="module")
def pages(es, sample_alias):
    """The four kinds of page, with real paths taken from the sample."""
    from portal.auth.principal import ANONYMOUS
    from portal.search import queries
    from portal.search.queries import SearchParams

    hit = queries.search(es, sample_alias, SearchParams(q=QUERY), ANONYMOUS).hits[0]["record"]
    org = hit["organization"]["name"]
    return {
        "home": "/",
        "search": f"/search?q={QUERY}&organization={org}",
        "search-empty": "/search?q=zzqqxx",
        "search-empty-broader": "/search?q=ค่าไฟฟ้า",  # offers ไฟฟ้า
        "search-corrected": "/search?q=เชื้อเพลง",  # shows เชื้อเพลิง's results, saying so
        "dataset": f"/dataset/{hit['name']}",
        "dataset-complete": f"/dataset/{COMPLETE_SLUG}",
        "organization": f"/organization/{org}",
        "organizations": "/organization",
        "not-found": "/dataset/no-such-dataset",
    }


PAGES = ["home", "search", "search-empty", "search-empty-broader", "search-corrected", "dataset",
         "dataset-complete", "organization", "organizations", "not-found"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violations(new_page, pages, name, lang, viewport):
    page = new_page(lang=lang, viewport=viewport)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(pages[name])
    page.wait_for_load_state("networkidle")
    # the 404 page's own status line is the only console error a page may log
    assert [e for e in errors if "404" not in e] == []  # e.g. no Content-Security-Policy violation
    assert axe_violations(page) == []


def test_open_autocomplete_is_accessible(new_page):
    page = new_page()
    page.goto("/")
    page.locator("#q").press_sequentially("กรุงเท", delay=30)
    page.locator("#q-listbox [role=option]").first.wait_for()
    page.locator("#q").press("ArrowDown")
    assert axe_violations(page) == []
