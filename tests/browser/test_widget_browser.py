"""The widget as an agency's visitor meets it: a host page on ANOTHER origin frames it (through
``/widget/embed.js`` and through a plain ``<iframe>``), the visitor searches inside the frame and a
result opens on the portal in a new tab. Portal pages framed the same way are refused by the browser.
"""
from __future__ import annotations

import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from portal.auth.principal import ANONYMOUS
from portal.search import queries
from portal.search.queries import SearchParams
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, capture

pytestmark = pytest.mark.browser

QUERY = "โรงเรียน"
BROAD_QUERY = "สถิติ"  # answers more than one widget page of results
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


class _HostPages(BaseHTTPRequestHandler):
    """An agency's website: serves the pages in ``self.server.pages`` by path."""

    def do_GET(self):  # noqa: N802 - the standard library's name
        path = self.path.split("?")[0]
        page = self.server.pages.get(path)
        if page is None:
            self.send_error(404)
            return
        data = page.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if path in self.server.policies:
            self.send_header("Content-Security-Policy", self.server.policies[path])
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _host_page(body: str) -> str:
    return f'<!doctype html><html lang="th"><head><meta charset="utf-8"><title>หน่วยงาน</title></head>' \
           f"<body><h1>เว็บไซต์หน่วยงาน</h1>{body}</body></html>"


@pytest.fixture(scope="module")
def organization(es, sample_alias) -> dict:
    """The sample's largest publisher (it has open datasets to show)."""
    return queries.organizations(es, sample_alias, ANONYMOUS, size=1)[0]


@pytest.fixture(scope="module")
def host_url(portal_url, organization):
    """The agency site, served from ``localhost`` while the portal is ``127.0.0.1``: another origin."""
    slug = organization["slug"]
    pages = {
        "/script.html": _host_page(
            f'<div data-gdc-widget data-organization="{slug}" data-size="3">'
            f'<a id="fallback" href="{portal_url}/search?organization={slug}">ค้นหาชุดข้อมูลเปิดภาครัฐ</a>'
            f'</div>'
            f'<script src="{portal_url}/widget/embed.js" async></script>'),
        "/iframe.html": _host_page(
            f'<iframe id="plain" src="{portal_url}/widget?q={BROAD_QUERY}&amp;lang=en" '
            f'title="Search open government datasets" width="100%" height="520" style="border:0"></iframe>'),
        "/portal-page.html": _host_page(
            f'<iframe id="framed" src="{portal_url}/search?q={QUERY}" title="portal"></iframe>'
            f'<iframe id="widget" src="{portal_url}/widget?q={QUERY}" title="widget"></iframe>'),
    }
    pages["/strict.html"] = pages["/script.html"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostPages)
    server.pages = pages
    # an agency site with a strict policy of its own: only the portal's script and frames
    strict = f"default-src 'self'; script-src {portal_url}; frame-src {portal_url}; style-src 'self'"
    server.policies = {"/strict.html": strict}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture
def host_page(browser):
    """A page of the agency site in a fresh context that enforces every header (no CSP bypass)."""
    contexts = []

    def make(javascript: bool = True, viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def widget_frame(page, selector: str = "iframe"):
    page.wait_for_selector(selector)
    frame = page.frame_locator(selector)
    frame.locator(".w-count").wait_for()
    return frame


def shown_total(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_script_embed_shows_the_agencys_open_datasets_and_fits_its_height(host_page, host_url, portal_url,
                                                                          es, sample_alias, organization):
    page = host_page()
    page.goto(host_url + "/script.html")
    frame = widget_frame(page)
    iframe = page.locator("iframe")
    assert iframe.get_attribute("src") == f"{portal_url}/widget?organization={organization['slug']}&size=3"
    assert iframe.get_attribute("title") == "ค้นหาชุดข้อมูลเปิดภาครัฐ"
    assert page.locator("#fallback").count() == 0  # replaced by the frame
    expected = queries.search(es, sample_alias, SearchParams(filters={"organization": [organization["slug"]]},
                                                             size=3), ANONYMOUS)
    assert shown_total(frame.locator(".w-count").inner_text()) == expected.total
    assert frame.locator(".w-result").count() == min(3, expected.total)
    assert organization["title"] in frame.locator("h1").inner_text()
    # the loader resizes the iframe to the widget's own height (no inner scrollbar)
    page.wait_for_function("() => document.querySelector('iframe').style.height !== '520px'")
    inner = frame.locator("html").evaluate("e => Math.ceil(e.getBoundingClientRect().height)")
    outer = iframe.evaluate("e => parseInt(e.style.height, 10)")
    assert abs(inner - outer) <= 2


def test_a_host_with_its_own_strict_policy_still_gets_a_sized_widget(host_page, host_url):
    page = host_page()
    page.goto(host_url + "/strict.html")
    frame = widget_frame(page)
    assert frame.locator(".w-result").count() == 3
    page.wait_for_function("() => document.querySelector('iframe').style.height !== '520px'")


def test_searching_inside_the_frame_keeps_the_preset_and_opens_results_in_a_new_tab(host_page, host_url,
                                                                                     organization):
    page = host_page()
    page.goto(host_url + "/script.html")
    frame = widget_frame(page)
    before = shown_total(frame.locator(".w-count").inner_text())
    first_title = frame.locator(".w-title").first.inner_text()
    word = first_title.split()[0][:4]
    frame.locator("#w-q").fill(word)
    frame.locator("#w-q").press("Enter")
    frame.locator(f'#w-q[value="{word}"]').wait_for()
    after = shown_total(frame.locator(".w-count").inner_text())
    assert 0 < after <= before
    assert page.url == host_url + "/script.html"  # the agency page itself stayed where it was
    link = frame.locator(".w-title").first
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"
    with page.context.expect_page() as opened:
        link.click()
    portal_tab = opened.value
    portal_tab.wait_for_load_state()
    assert "/dataset/" in portal_tab.url and portal_tab.evaluate("() => window.opener") is None
    assert portal_tab.locator("h1").count() == 1


def test_plain_iframe_without_javascript_anywhere(host_page, host_url, es, sample_alias):
    page = host_page(javascript=False)
    page.goto(host_url + "/iframe.html")
    frame = widget_frame(page, "#plain")
    expected = queries.search(es, sample_alias, SearchParams(q=BROAD_QUERY, size=5), ANONYMOUS)
    assert shown_total(frame.locator(".w-count").inner_text()) == expected.total > 5
    assert frame.locator("html").get_attribute("lang") == "en"
    frame.locator('a[rel="next"]').click()
    frame.locator(".w-pages").get_by_text("Page 2 of").wait_for(timeout=30_000)
    assert frame.locator(".w-result").count() == 5


def test_script_embed_without_javascript_leaves_the_plain_link(host_page, host_url, portal_url):
    page = host_page(javascript=False)
    page.goto(host_url + "/script.html")
    assert page.locator("iframe").count() == 0
    assert page.locator("#fallback").get_attribute("href").startswith(portal_url + "/search?organization=")


def test_a_portal_page_framed_by_another_site_is_refused(host_page, host_url):
    page = host_page()
    page.goto(host_url + "/portal-page.html")
    widget_frame(page, "#widget")  # the widget beside it loads …
    page.wait_for_load_state("load")
    framed = page.frame_locator("#framed")
    framed.locator("body.neterror").wait_for(state="attached")  # the browser's "refused to connect" page
    assert framed.locator("#results-count").count() == 0 and framed.locator(".site-header").count() == 0


def test_widget_on_a_phone_sized_frame(host_page, host_url):
    page = host_page(viewport=PHONE)
    page.goto(host_url + "/script.html")
    frame = widget_frame(page)
    width = frame.locator("html").evaluate("e => e.scrollWidth")
    assert width <= PHONE["width"]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_widget_and_builder_are_accessible(new_page, organization, lang):
    page = new_page(lang=lang)
    page.goto(f"/widget?organization={organization['slug']}&lang={lang}&q={QUERY}")
    assert axe_violations(page) == []
    page.goto(f"/widget/builder?organization={organization['slug']}")
    assert axe_violations(page) == []


def test_builder_copies_the_snippet(new_page, browser, portal_url):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal_url)
    page.goto("/widget/builder")
    page.locator("#b-size").fill("7")
    with page.expect_navigation():
        page.get_by_role("button", name="สร้างโค้ด").click()
    assert "size=7" in page.url
    page.locator('[data-copy="snippet-iframe"] button').click()
    page.locator('[data-copy="snippet-iframe"] [role="status"]').get_by_text("คัดลอกแล้ว").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(f'<iframe src="{portal_url}/widget?size=7"')
    preview = page.frame_locator(".builder-preview")
    assert preview.locator(".w-result").count() == 7


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    """``GDC_SCREENSHOTS=1`` refreshes docs/screenshots/widget-*.png; otherwise a temporary directory."""
    if os.environ.get("GDC_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path_factory.mktemp("widget-screenshots")


@pytest.mark.parametrize("device, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots(host_page, new_page, host_url, out_dir, device, viewport):
    page = host_page(viewport=viewport)
    page.goto(host_url + "/script.html")
    widget_frame(page)
    page.wait_for_function("() => document.querySelector('iframe').style.height !== '520px'")
    capture(page, out_dir / f"widget-host-{device}.png", full_page=True)
    builder = new_page(viewport=viewport)
    builder.goto("/widget/builder")
    builder.frame_locator(".builder-preview").locator(".w-count").wait_for()
    capture(builder, out_dir / f"widget-builder-{device}.png", full_page=True)
    assert (out_dir / f"widget-builder-{device}.png").stat().st_size > 10_000
