"""The place facet on a 360 px phone: the region → province tree, narrowing by a province, the year range
in Buddhist-era years, in Thai and English, with and without JavaScript; counts equal the search module's."""
from __future__ import annotations

import pytest

from analyzers import places
from portal.auth.principal import ANONYMOUS
from portal.search import queries
from portal.search.params import parse_search_args
from tests.browser.conftest import PHONE, axe_violations
from tests.browser.test_search_flow import shown_total, url_args

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def place_counts(page) -> dict[str, int]:
    """Every place in the tree with its count, folded regions included (text_content reads those)."""
    links = page.locator('a.facet-value[data-facet="place"]')
    return {links.nth(i).get_attribute("data-value"): int(links.nth(i).locator(".count").text_content())
            for i in range(links.count())}


def open_filters(page) -> None:
    filters = page.locator("details.filters")
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()


@pytest.mark.parametrize("javascript", [True, False])
def test_narrowing_by_region_then_province_on_a_phone(new_page, es, sample_alias, javascript):
    page = new_page(viewport=PHONE, javascript=javascript)
    page.goto("/search")
    open_filters(page)
    tree = page.locator("#facet-list-place")
    assert tree.is_visible() and fits(page)
    with page.expect_navigation():
        tree.locator('a.facet-value[data-value="north"]').click()
    assert url_args(page)["place"] == ["north"]
    open_filters(page)
    north = page.locator("#facet-list-place > li").filter(has=page.locator('a[data-value="north"].is-selected'))
    assert north.locator(".place-children").count() == 1      # the chosen region unfolds its provinces
    assert page.locator("#facet-list-place .place-children").count() == 1
    province = north.locator('.place-children a.facet-value[data-value="50"]')
    assert province.locator(".facet-label").inner_text() == "จังหวัดเชียงใหม่"
    with page.expect_navigation():
        province.click()
    args = url_args(page)
    assert args["place"] == ["50"]                            # drilled down: Chiang Mai replaces the North
    result = queries.search(es, sample_alias, parse_search_args(args), ANONYMOUS)
    assert shown_total(page) == result.total > 0
    open_filters(page)
    counted, shown = dict(result.facets["place"]), place_counts(page)
    regions = {c for c in counted if c.isalpha()}
    north = {c for c in counted if c.isdigit() and len(c) == 2 and places.get(c).parent == "north"}
    assert set(shown) == regions | north                       # every region; the North's provinces
    assert shown == {c: counted[c] for c in shown}
    assert page.locator('a.chip[data-facet="place"]').count() == 1
    assert fits(page)
    if javascript:
        assert axe_violations(page) == []


def test_the_year_range_is_typed_in_buddhist_era(new_page, es, sample_alias):
    page = new_page(viewport=PHONE)
    page.goto("/search?place=central")
    open_filters(page)
    form = page.locator("form.year-range")
    form.locator('input[name="year_from"]').fill("2560")
    form.locator('input[name="year_to"]').fill("2562")
    with page.expect_navigation():
        form.locator("button").click()
    args = url_args(page)
    assert args["year_from"] == ["2560"] and args["year_to"] == ["2562"] and args["place"] == ["central"]
    result = queries.search(es, sample_alias, parse_search_args(args), ANONYMOUS)
    assert shown_total(page) == result.total > 0
    chip = page.locator('a.chip[data-facet="year"]')
    assert chip.count() == 1 and "2560–2562" in chip.inner_text()
    assert fits(page)


def test_the_place_facet_and_home_block_in_english(new_page):
    page = new_page(lang="en", viewport=PHONE)
    page.goto("/")
    block = page.locator("section.home-by-place")
    assert block.locator("h2").inner_text() == "By place"
    assert block.get_by_role("link", name="Chiang Mai", exact=True).count() == 1
    assert fits(page)
    page.goto("/search?place=50")
    open_filters(page)
    assert page.locator('#facet-list-place a[data-value="50"] .facet-label').inner_text() == "Chiang Mai"
    first = page.locator("li.result a").first
    with page.expect_navigation():
        first.click()
    assert "from the title" in page.locator("#geography").locator("xpath=..").inner_text()
    assert fits(page)
