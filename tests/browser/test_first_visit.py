"""A first visit, on a 360 px phone and a desktop, in Thai and in English (issue 17): the search button
is never under the suggestions, focus stays on a clicked filter, tap targets are big enough, the
footer leads to the APIs, the widget and the staff sign-in, the API page fits a phone, a favicon."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

DEVICES = [("desktop", DESKTOP), ("phone", PHONE)]
LANGS = ["th", "en"]


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box, "element is not rendered"
    return box


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("device, viewport", DEVICES)
@pytest.mark.parametrize("lang", LANGS)
def test_suggestions_never_cover_the_search_button(new_page, lang, device, viewport):
    page = new_page(lang=lang, viewport=viewport)
    page.goto("/")
    page.locator("#q").press_sequentially("โรงเรียน", delay=20)
    listbox = page.locator("#q-listbox")
    listbox.wait_for(state="visible")
    assert page.locator("#q-listbox [role=option]").count() > 0
    button = page.locator("form[role=search] button[type=submit]")
    assert not _overlap(_box(listbox), _box(button)), "the suggestion list covers the search button"
    # The point in the middle of the button is the button itself, not an option above it.
    centre = _box(button)
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('button[type=submit]') !== null",
                        [centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2])
    assert hit
    with page.expect_navigation():
        page.mouse.click(centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2)
    assert urlsplit(page.url).path == "/search"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["โรงเรียน"]


@pytest.mark.parametrize("lang", LANGS)
def test_enter_searches_while_suggestions_are_open(new_page, lang):
    page = new_page(lang=lang, viewport=PHONE)
    page.goto("/")
    page.locator("#q").press_sequentially("โรง", delay=20)
    page.locator("#q-listbox").wait_for(state="visible")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert urlsplit(page.url).path == "/search"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["โรง"]


@pytest.mark.parametrize("device, viewport", DEVICES)
@pytest.mark.parametrize("lang", LANGS)
def test_focus_stays_on_the_filter_after_a_click(new_page, lang, device, viewport):
    page = new_page(lang=lang, viewport=viewport)
    page.goto("/search?q=โรงเรียน")
    panel = page.locator("details.filters")
    if not panel.evaluate("d => d.open"):
        page.locator("details.filters > summary").click()
    link = page.locator('a.facet-value[data-facet="res_format"]').first
    value = link.get_attribute("data-value")
    with page.expect_navigation():
        link.click()
    assert parse_qs(urlsplit(page.url).query)["res_format"] == [value]
    focused = page.evaluate("() => [document.activeElement.getAttribute('data-facet'),"
                            " document.activeElement.getAttribute('data-value')]")
    assert focused == ["res_format", value]
    # … and clicking it again (deselecting) keeps the focus on the same filter.
    with page.expect_navigation():
        page.locator(f'a.facet-value[data-facet="res_format"][data-value="{value}"]').click()
    assert "res_format" not in parse_qs(urlsplit(page.url).query)
    assert page.evaluate("() => document.activeElement.getAttribute('data-value')") == value


TARGETS = "a[href], button, input:not([type=hidden]), summary, select"


def _small_targets(page, minimum: float) -> list[str]:
    """Visible controls smaller than ``minimum`` px either way. Links inside running text (a sentence
    in a ``p`` that holds other text) are WCAG 2.5.8's "inline" exception and are not counted."""
    return page.evaluate("""([selector, minimum]) => {
      const out = [];
      for (const el of document.querySelectorAll(selector)) {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (!r.width || !r.height || style.visibility === 'hidden' || el.closest('[hidden], .visually-hidden, .skip-link')) continue;
        if (el.matches('main a') && el.parentElement.matches('p, dd, td, li.result p') &&
            el.parentElement.textContent.trim().length > el.textContent.trim().length + 2) continue;
        if (el.closest('pre, code')) continue;
        if (r.width < minimum || r.height < minimum) out.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
      return out;
    }""", [TARGETS, minimum])


@pytest.mark.parametrize("device, viewport, minimum", [("desktop", DESKTOP, 24), ("phone", PHONE, 24)])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/", "/search?q=โรงเรียน", "/search?q=ค่าไฟฟ้า", "/organization"])
def test_tap_targets_are_at_least_24px(new_page, lang, device, viewport, minimum, path):
    page = new_page(lang=lang, viewport=viewport)
    page.goto(path)
    if device == "phone" and page.locator("details.filters").count():
        page.locator("details.filters > summary").click()
    assert _small_targets(page, minimum) == []


@pytest.mark.parametrize("lang", LANGS)
def test_phone_controls_are_comfortably_larger(new_page, lang):
    page = new_page(lang=lang, viewport=PHONE)
    page.goto("/search")  # every dataset: several pages
    page.locator("details.filters > summary").click()
    for selector in ("a.facet-value", ".site-nav a", ".lang-switch a", "form[role=search] button",
                     ".sort a", ".pagination a", ".footer-links a"):
        heights = page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
        assert heights and min(heights) >= 40, (selector, heights)


@pytest.mark.parametrize("lang", LANGS)
def test_favicon(new_page, lang):
    page = new_page(lang=lang)
    page.goto("/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert page.request.get("/favicon.ico").status == 200  # redirected to the same icon


@pytest.mark.parametrize("device, viewport", DEVICES)
@pytest.mark.parametrize("lang", LANGS)
def test_footer_leads_to_api_widget_and_staff_sign_in(new_page, lang, device, viewport):
    page = new_page(lang=lang, viewport=viewport)
    page.goto("/")
    hrefs = page.locator("footer a").evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    assert {"/api", "/widget/builder", "/signin"} <= set(hrefs)
    main_menu = page.locator("header nav a").evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    assert "/signin" not in main_menu and main_menu  # the citizen's menu has no sign-in
    assert page.locator("header a[href^='/signin']").count() == 0
    for path in ("/api", "/widget/builder"):
        assert page.request.get(path).status == 200


@pytest.mark.parametrize("device, viewport", DEVICES)
@pytest.mark.parametrize("lang", LANGS)
def test_api_page_fits_a_phone(new_page, lang, device, viewport):
    page = new_page(lang=lang, viewport=viewport)
    assert page.goto("/api").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator("pre code").count() >= 3


@pytest.mark.parametrize("lang, other", [("th", "Sign in"), ("en", "ลงชื่อ")])
def test_sign_in_page_speaks_one_language_and_says_who_may_have_an_account(new_page, lang, other):
    page = new_page(lang=lang, viewport=PHONE)
    page.goto("/signin")
    main = page.locator("main").inner_text()
    assert other not in main
    assert page.locator("main h2").count() >= 2  # who can have an account, how to ask
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if lang == "en":
        assert "Citizens need no account" in main and "How to ask for an account" in main
    else:
        assert "ประชาชนไม่ต้องมีบัญชี" in main and "ขอบัญชีได้อย่างไร" in main
