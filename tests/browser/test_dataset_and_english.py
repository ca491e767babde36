"""The dataset page a reader understands, and English mode that is English (issue 17), at 360 px and on a
desktop: groups in order, missing items in one line, findings in words, resources as a table with an
action, related datasets; English organization names, plurals, lang marks, an organization filter that
matches either language. Pages stay free of serious axe violations."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import COMPLETE_SLUG, DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

DEVICES = [("desktop", DESKTOP), ("phone", PHONE)]
LANGS = ["th", "en"]
SPARSE = "pier_phasi_charoen_canel"  # a sample record: 8 of the 14 mandatory items missing
HEADINGS = {"th": ["ข้อมูลนี้คืออะไร", "รับข้อมูลได้อย่างไร"], "en": ["What this data is", "How to get it"]}


@pytest.mark.parametrize("device, viewport", DEVICES)
@pytest.mark.parametrize("lang", LANGS)
def test_sparse_dataset_page_is_not_noise(new_page, lang, device, viewport):
    page = new_page(lang=lang, viewport=viewport)
    assert page.goto(f"/dataset/{SPARSE}").status == 200
    text = page.locator("main").inner_text()
    # No row after row of "not stated": one line, the list behind it.
    assert text.count("ไม่ระบุ" if lang == "th" else "Not stated") <= 1
    summary = page.locator("details.missing-list > summary")
    expected = "8 จาก 14" if lang == "th" else "8 of 14 items"
    assert expected in summary.inner_text()
    assert not page.locator("details.missing-list li").first.is_visible()
    summary.click()
    assert page.locator("details.missing-list li").count() == 8
    assert page.locator("details.missing-list li").first.is_visible()
    # Raw field names never reach the reader.
    for raw in ("data_type", "maintainer_email", "update_frequency_unit", "geo_coverage"):
        assert raw not in text
    h2 = [h.strip() for h in page.locator("main h2").all_inner_texts()]
    assert h2.index(HEADINGS[lang][0]) < h2.index(HEADINGS[lang][1])
    # Resources: a table with a clear action per row.
    rows = page.locator("table.resource-table tbody tr")
    assert rows.count() == 5
    action = rows.first.locator("a.resource-action")
    assert action.inner_text().startswith("ดาวน์โหลด" if lang == "th" else "Download")
    assert action.get_attribute("href").startswith("https://data.go.th/")
    box = action.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24
    # Related datasets: other Bangkok pier/canal records.
    related = page.locator("section.related a")
    assert related.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", LANGS)
def test_findings_are_in_words_in_the_pages_language(new_page, lang):
    page = new_page(lang=lang, viewport=PHONE)
    page.goto(f"/dataset/{COMPLETE_SLUG}")
    if page.locator("#quality").count():
        for item in page.locator("ul.findings li").all_inner_texts():
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", item), item  # no snake_case field names
    assert axe_violations(page) == []


@pytest.mark.parametrize("device, viewport", DEVICES)
def test_english_mode_shows_english_organization_names_and_plurals(new_page, device, viewport):
    page = new_page(lang="en", viewport=viewport)
    page.goto("/")
    orgs = page.locator("#browse-orgs ~ ol a")
    names = orgs.all_inner_texts()
    assert "National Office of Buddhism" in names or "Bangkok Metropolitan Administration" in names
    for i in range(orgs.count()):  # a name shown in Thai is marked for screen readers
        name, lang = names[i], orgs.nth(i).get_attribute("lang")
        assert lang == ("th" if re.search("[\u0e00-\u0e7f]", name) else "en"), name
    page.goto("/search?q=ท่าเทียบเรือคลองภาษีเจริญ")
    count = page.locator("#results-count").inner_text()
    number = int(re.sub(r"\D", "", count))
    # "1 dataset found" / "1 dataset matches all words", never "1 datasets"
    assert re.search(r"\b1 dataset\b" if number == 1 else rf"\b{number:,} datasets\b", count), count
    assert "1 datasets" not in page.locator("main").inner_text()
    for result in page.locator("li.result .result-title").all():
        assert result.get_attribute("lang") == "th"


@pytest.mark.parametrize("device, viewport", DEVICES)
@pytest.mark.parametrize("typed, lang", [("Department", "en"), ("กรม", "en"), ("Bangkok", "th")])
def test_organization_filter_matches_either_language(new_page, typed, lang, device, viewport):
    page = new_page(lang=lang, viewport=viewport)
    page.goto("/search")
    if not page.locator("details.filters").evaluate("d => d.open"):
        page.locator("details.filters > summary").click()
    box = page.locator("#facet-list-organization-filter")
    box.fill(typed)
    shown = page.locator("#facet-list-organization > li:not([hidden])")
    assert shown.count() >= 1
    hidden = page.locator("#facet-list-organization > li[hidden]")
    assert hidden.count() >= 1  # it does narrow the list


@pytest.mark.parametrize("device, viewport", DEVICES)
@pytest.mark.parametrize("lang", LANGS)
def test_home_browse_blocks_and_feed_links(new_page, lang, device, viewport):
    page = new_page(lang=lang, viewport=viewport)
    page.goto("/")
    for block in ("#browse-topics", "#browse-orgs", "#browse-formats"):
        assert page.locator(f"{block} ~ * a").count() >= 5, block
    page.locator("#browse-topics ~ ul a").first.click()
    page.wait_for_url("**/search?tags=*")
    assert int(re.sub(r"\D", "", page.locator("#results-count").inner_text())) > 0
    feed = page.locator(".feed-links a[type='application/atom+xml']")
    csv = page.locator(".feed-links a[type='text/csv']")
    atom = page.request.get(feed.get_attribute("href"))
    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert page.request.get(csv.get_attribute("href")).body()[:3] == b"\xef\xbb\xbf"
    assert axe_violations(page) == []
