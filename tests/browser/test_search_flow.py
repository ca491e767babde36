"""A person searching: Thai query, facets (OR within, AND across), chips, URL state, back button —
with JavaScript and without; autocomplete by keyboard; language switch; a 360 px phone."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest

from portal.auth.principal import ANONYMOUS
from portal.search import queries
from portal.search.queries import SearchParams
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

QUERY = "โรงเรียน"


def url_args(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def shown_total(page) -> int:
    return int(re.sub(r"\D", "", page.locator("#results-count").inner_text()))


def facet_counts(page, facet: str) -> dict[str, int]:
    links = page.locator(f'a.facet-value[data-facet="{facet}"]')
    counts = {}
    for i in range(links.count()):
        shown = links.nth(i).locator(".count").inner_text()
        counts[links.nth(i).get_attribute("data-value")] = int(re.sub(r"\D", "", shown))
    return counts


def expected(es, alias, args: dict[str, list[str]]):
    params = SearchParams(q=args.get("q", [""])[0], filters={k: v for k, v in args.items() if k != "q"})
    return queries.search(es, alias, params, ANONYMOUS)


def click_facet(page, facet: str, index: int = 0, exclude: set[str] = frozenset()) -> str:
    links = page.locator(f'a.facet-value[data-facet="{facet}"]:not(.is-selected)')
    for i in range(links.count()):
        value = links.nth(i).get_attribute("data-value")
        if value not in exclude and i >= index:
            with page.expect_navigation():
                links.nth(i).click()
            return value
    raise AssertionError(f"no value left to pick in {facet}")


def run_facet_flow(page, es, alias, typed_query: bool = True):
    page.goto("/")
    if typed_query:
        page.locator("#q").press_sequentially(QUERY, delay=20)
    else:
        page.locator("#q").fill(QUERY)
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert urlsplit(page.url).path == "/search" and url_args(page)["q"] == [QUERY]
    assert page.locator("#q").input_value() == QUERY  # the box keeps the query
    assert shown_total(page) == expected(es, alias, url_args(page)).total > 0

    first = click_facet(page, "organization")
    second = click_facet(page, "organization", exclude={first})
    assert sorted(url_args(page)["organization"]) == sorted([first, second])
    after_two = shown_total(page)
    fmt = click_facet(page, "res_format")
    args = url_args(page)
    assert args["res_format"] == [fmt] and sorted(args["organization"]) == sorted([first, second])

    result = expected(es, alias, args)
    assert shown_total(page) == result.total <= after_two
    assert facet_counts(page, "organization") == dict(result.facets["organization"])
    assert facet_counts(page, "res_format") == dict(result.facets["res_format"])
    chips = page.locator("a.chip")
    assert chips.count() == 3
    assert {chips.nth(i).get_attribute("data-value") for i in range(3)} == {first, second, fmt}

    page.go_back()
    page.wait_for_url(re.compile(r"/search\?"))
    assert "res_format" not in url_args(page) and page.locator("a.chip").count() == 2
    assert shown_total(page) == after_two

    with page.expect_navigation():  # remove one chip
        page.locator(f'a.chip[data-value="{first}"]').click()
    assert url_args(page)["organization"] == [second]
    with page.expect_navigation():
        page.locator("a.chip-clear").click()
    assert page.locator("a.chip").count() == 0 and url_args(page) == {"q": [QUERY]}


def test_facet_flow_with_javascript(new_page, es, sample_alias):
    run_facet_flow(new_page(), es, sample_alias)


def test_facet_flow_without_javascript(new_page, es, sample_alias):
    run_facet_flow(new_page(javascript=False), es, sample_alias, typed_query=False)


def test_autocomplete_by_keyboard(new_page):
    page = new_page()
    page.goto("/")
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("กรุงเท", delay=40)
    listbox = page.locator("#q-listbox")
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    kinds = {listbox.locator("[role=option]").nth(i).get_attribute("data-kind")
             for i in range(listbox.locator("[role=option]").count())}
    assert {"dataset", "organization"} <= kinds
    box.press("ArrowDown")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active == "q-listbox-1"
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    chosen = page.locator(f"#{active}").get_attribute("data-kind")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    path = urlsplit(page.url).path
    destinations = {"dataset": "/dataset/", "organization": "/organization/", "tag": "/search"}
    assert path.startswith(destinations[chosen])


def test_language_switch_on_every_page_kept_in_a_cookie(new_page):
    page = new_page()
    page.goto(f"/search?q={QUERY}")
    assert page.locator("html").get_attribute("lang") == "th"
    with page.expect_navigation():
        page.get_by_role("link", name="English", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert url_args(page)["q"] == [QUERY]  # back on the same page
    assert "datasets found" in page.locator("#results-count").inner_text()
    page.goto("/organization")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Organizations"
    with page.expect_navigation():
        page.get_by_role("link", name="ไทย", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("h1").inner_text() == "หน่วยงาน"


def test_phone_360px(new_page, es, sample_alias):
    page = new_page(viewport=PHONE)
    page.goto(f"/search?q={QUERY}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    filters = page.locator("details.filters")
    assert filters.get_attribute("open") is None  # closed on a phone, results first
    filters.locator("summary").click()
    click_facet(page, "organization")
    assert shown_total(page) == expected(es, sample_alias, url_args(page)).total
    first = expected(es, sample_alias, {"q": [QUERY]}).hits[0]["record"]["name"]
    for path in ("/", "/organization", f"/dataset/{first}"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


def test_keyboard_reaches_skip_link_and_focus_is_visible(new_page):
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_friendly_error_pages(new_page):
    page = new_page(lang="en")
    response = page.goto("/dataset/no-such-dataset")
    assert response.status == 404 and "Page not found" in page.locator("h1").inner_text()
    response = page.goto("/search?page=9999")
    assert response.status == 400 and "10,000" in page.locator("main").inner_text()


def test_filter_box_narrows_the_long_organization_list(new_page):
    page = new_page()
    page.goto("/search")
    box = page.get_by_label("กรองรายชื่อหน่วยงาน")
    items = page.locator("#facet-list-organization > li")
    before = items.count()
    assert before > 8
    box.fill("กรุงเทพ")
    visible = [items.nth(i) for i in range(before) if items.nth(i).is_visible()]
    assert 0 < len(visible) < before
    assert all("กรุงเทพ" in item.inner_text() for item in visible)
    box.fill("")
    assert sum(items.nth(i).is_visible() for i in range(before)) == before


@pytest.mark.parametrize("lang", ["th", "en"])
def test_an_empty_page_leads_to_a_broader_word_on_a_phone_without_js(new_page, es, sample_alias, lang):
    """ค่าไฟฟ้า (the electricity fee) is in no record of the sample: the page offers ไฟฟ้า with its count;
    the link, followed on a 360 px phone with JavaScript off, shows that many results."""
    page = new_page(lang=lang, viewport=PHONE, javascript=False)
    page.goto("/search?q=" + "ค่าไฟฟ้า")
    assert shown_total(page) == 0
    link = page.locator("ul.broader a")
    assert link.count() == 1 and link.get_attribute("href") == "/search?q=" + quote_plus("ไฟฟ้า")
    offered = int(re.search(r"– (\d+)", page.locator("ul.broader li").inner_text()).group(1))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert link.bounding_box()["height"] >= 40
    link.click()
    assert shown_total(page) == offered == expected(es, sample_alias, {"q": ["ไฟฟ้า"]}).total


def test_the_words_a_result_lacks_are_shown_as_typed_on_a_phone_without_js(new_page, es, sample_alias):
    """No sample record holds all of "O-NET ชั้น ม.6 เชียงใหม่": each result says which words it lacks, as the
    visitor wrote them (O-NET, ชั้น ม.6), not as the search reads them (onet, ชั้นม 6)."""
    query = "O-NET ชั้น ม.6 เชียงใหม่"
    page = new_page(viewport=PHONE, javascript=False)
    page.goto("/search?q=" + quote_plus(query))
    lacks = page.locator("p.result-missing").all_inner_texts()
    result = expected(es, sample_alias, {"q": [query]})
    assert not result.all_words and result.words == ["O-NET", "ชั้น ม.6", "เชียงใหม่"]
    assert lacks[:3] == ["ไม่มีคำว่า: " + ", ".join(hit["missing"]) for hit in result.hits[:3]]
    assert "ไม่มีคำว่า: เชียงใหม่" in lacks and "ไม่มีคำว่า: O-NET, ชั้น ม.6" in lacks
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_typo_that_finds_nothing_shows_the_corrections_results_on_a_phone_without_js(new_page, es,
                                                                                        sample_alias, lang):
    """เชื้อเพลง (fuel, a vowel dropped) finds nothing: the page shows เชื้อเพลิง's results and says so; its
    link to the search as typed, followed, shows the empty page offering the correction."""
    page = new_page(lang=lang, viewport=PHONE, javascript=False)
    page.goto("/search?q=" + quote_plus("เชื้อเพลง"))
    assert shown_total(page) == expected(es, sample_alias, {"q": ["เชื้อเพลิง"]}).total > 0
    notice = page.locator("p.corrected")
    assert notice.is_visible() and "เชื้อเพลิง" in notice.inner_text()
    assert page.locator("#q, input[name=q]").first.input_value() == "เชื้อเพลิง"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    link = notice.locator("a")
    assert link.bounding_box()["height"] >= 24
    link.click()
    assert shown_total(page) == 0 and page.locator("p.corrected").count() == 0
    assert "เชื้อเพลิง" in page.locator("p.did-you-mean").inner_text()
