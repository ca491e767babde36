"""The real portal in a thread, in front of a ``test_`` alias holding the data.go.th sample, driven by
Debian's Chromium through Playwright. A missing browser is a failure, never a skip."""
from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app
from tests.support import PROJECT_ROOT, SAMPLE_SIZE, load_sample

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
# One complete national-schema record (every field filled) beside the 836 legacy sample records.
COMPLETE_RECORD = PROJECT_ROOT / "tests" / "fixtures" / "ckan-package-search-covid-19-daily.json"
COMPLETE_SLUG = "covid-19-daily"


@pytest.fixture(scope="session")
def sample_alias(es):
    alias = f"test_{uuid.uuid4().hex[:10]}"
    summary = load_sample(es, alias, COMPLETE_RECORD)  # the sample as read once for the whole run
    assert summary.counts.indexed == SAMPLE_SIZE + 1, summary.lines()
    yield alias
    names = list(es.indices.get(index=f"{alias}*", expand_wildcards="all"))
    if names:
        es.options(ignore_status=404).indices.delete(index=",".join(names))


@pytest.fixture(scope="session")
def portal_url(sample_alias, tmp_path_factory):
    var = tmp_path_factory.mktemp("portal-var")
    app = create_app({
        "GDC_INDEX": sample_alias, "SECRET_KEY": "browser-tests",
        "GDC_AUTH_DB": str(var / "auth.sqlite3"), "GDC_AUDIT_LOG": str(var / "audit.jsonl"),
        "GDC_RATE_LIMIT_ANONYMOUS": 1_000_000,
    })
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def page_maker(browser, base_url: str):
    """``make(lang="th", viewport=DESKTOP, javascript=True, headers=None)`` → a page in a fresh context
    on ``base_url``; every context is closed on exit."""
    contexts = []

    def make(lang: str = "th", viewport: dict = DESKTOP, javascript: bool = True, headers: dict | None = None):
        # Pages run under the portal's own Content-Security-Policy; axe-core is added as an init script
        # (evaluated by the browser itself, like an extension would), so no CSP bypass is needed.
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript, base_url=base_url,
                                      extra_http_headers=headers or {})
        if javascript:
            context.add_init_script(path=str(_axe()))
        context.add_cookies([{"name": "gdc_lang", "value": lang, "url": base_url}])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_page(browser, portal_url):
    """``new_page(lang="th", viewport=DESKTOP, javascript=True)`` → a page in a fresh context."""
    with page_maker(browser, portal_url) as make:
        yield make


def _axe() -> Path:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/browser")
    return AXE


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (from npm, injected into every page) and return the violations of the given impacts."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in impacts]


def capture(page, path: Path, **options) -> None:
    """``page.screenshot`` into ``path``. Headless Chromium now and then refuses the first capture after a
    cold start ("Protocol error (Page.captureScreenshot): Unable to capture screenshot") and takes the same
    picture when asked again: asked once more, on that error only, so a browser hiccup fails no test."""
    from playwright.sync_api import Error

    try:
        page.screenshot(path=str(path), **options)
    except Error as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        page.wait_for_timeout(250)
        page.screenshot(path=str(path), **options)
