"""The agency directory, public insights and the quality view in Chromium: axe finds no serious or critical
violation, pages fit a 360 px phone, chart bars are links that work without JavaScript, and the screenshots
in docs/screenshots/ (``GDC_SCREENSHOTS=1`` refreshes them; otherwise they go to a temporary directory)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.auth.store import AccountStore
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, capture, page_maker

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGES = {"directory": "/organizations", "agency": "/organizations/mot", "insights": "/insights",
         "quality": "/insights/quality"}


@pytest.fixture(scope="module")
def governance(sample_alias, tmp_path_factory):
    """The portal over the sample with an administrator's API token (sent as a header by the browser)."""
    var = tmp_path_factory.mktemp("governance-var")
    store = AccountStore(var / "auth.sqlite3")
    store.add_account("steward", "admin", "a password for the steward")
    token = store.create_token("steward")[0]
    app = create_app({"GDC_INDEX": sample_alias, "SECRET_KEY": "browser-governance",
                      "GDC_AUTH_DB": str(var / "auth.sqlite3"), "GDC_AUDIT_LOG": str(var / "audit.jsonl"),
                      "GDC_RATE_LIMIT_ANONYMOUS": 1_000_000, "GDC_RATE_LIMIT_SIGNED_IN": 1_000_000})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", token
    server.shutdown()
    thread.join(10)


@pytest.fixture
def open_page(browser, governance):
    base, token = governance
    with page_maker(browser, base) as make_page:
        def make(lang="th", viewport=DESKTOP, javascript=True, signed_in=True):
            headers = {"Authorization": f"Bearer {token}"} if signed_in else None
            return make_page(lang, viewport, javascript, headers)

        yield make


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    if os.environ.get("GDC_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path_factory.mktemp("governance-shots")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_accessible_and_fits_a_phone(open_page, name, lang, viewport):
    page = open_page(lang=lang, viewport=viewport)
    response = page.goto(PAGES[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the window"


@pytest.mark.parametrize("device, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
@pytest.mark.parametrize("name", ["directory", "insights", "quality"])
def test_screenshot(open_page, out_dir, name, device, viewport):
    page = open_page(viewport=viewport)
    assert page.goto(PAGES[name]).status == 200
    path = out_dir / f"{name}-th-{device}.png"
    capture(page, path)
    assert path.stat().st_size > 10_000


def test_a_chart_bar_leads_to_the_matching_search_without_javascript(open_page):
    page = open_page(javascript=False, signed_in=False)
    page.goto("/insights")
    bar = page.locator("#chart-organization svg a").first
    count = int(bar.locator(".chart-value").inner_html().replace(",", ""))
    bar.locator("rect").click()
    page.wait_for_url("**/search?organization=*")
    assert page.locator(".results-count").inner_text().replace(",", "").find(str(count)) >= 0


def test_directory_search_by_abbreviation_without_javascript(open_page):
    page = open_page(javascript=False, signed_in=False)
    page.goto("/organizations")
    page.fill("#org-q", "กทม.")
    page.locator("form[role=search] button").click()
    page.wait_for_url("**/organizations?q=*")
    assert "กรุงเทพมหานคร" in page.locator("#org-directory").inner_text()


def test_quality_view_sends_a_visitor_to_sign_in(open_page):
    page = open_page(signed_in=False)
    page.goto("/insights/quality")
    assert "/signin" in page.url
