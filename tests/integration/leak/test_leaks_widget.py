"""The search widget: framed by other sites, so it shows open records only — to everybody, whatever
session or token comes along — and it is the one page that may be framed."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.canary import BY_LETTER, FACET_PARAMS, PASSWORD, get, leaked, normalised, text_queries, truth

pytestmark = pytest.mark.integration


def widget_urls() -> list[str]:
    urls = ["/widget", "/widget?size=20", "/widget?sort=title", "/widget?lang=en", "/widget?page=2"]
    urls += [f"/widget?q={quote(q)}" for q in text_queries()]
    urls += [f"/widget?{name}={quote(value)}" for name, values in FACET_PARAMS.items() for value in values]
    return urls


def signed_in_client(full, username):
    client = full.app.test_client()
    signin = client.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', signin).group(1)
    assert client.post("/signin", data={"username": username, "password": PASSWORD,
                                        "csrf_token": csrf}).status_code == 303
    return client


@pytest.mark.parametrize("who", ["anonymous", "somchai", "root"])
def test_widget_shows_open_records_only_whoever_asks(full, open_only, who):
    problems = []
    for url in widget_urls():
        seen = get(full, who, url)
        status, body, _ = truth(open_only, url)
        if (seen.status_code, normalised(seen)) != (status, body):
            problems.append(f"{url}: differs from the open-only corpus ({seen.status_code} vs {status})")
        if words := leaked(seen, url):
            problems.append(f"{url}: {words}")
    assert not problems, "\n".join(problems[:20])


def test_widget_ignores_a_browser_session(full, open_only):
    client = signed_in_client(full, "root")
    for url in ["/widget?q=qzvtitlealpha", "/widget?data_category=personal", "/widget?q=ทะเบียน"]:
        response = client.get(url)
        assert normalised(response) == truth(open_only, url)[1]
        assert not leaked(response, url)


def test_only_the_widget_may_be_framed(full):
    framed = get(full, "anonymous", "/widget?q=x")
    assert "X-Frame-Options" not in framed.headers
    assert "frame-ancestors *" in framed.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in framed.headers["Content-Security-Policy"]
    for url in ("/", "/search", f"/dataset/{BY_LETTER['alpha']['id']}", "/widget/builder", "/signin",
                "/api/v1/search"):
        headers = get(full, "anonymous", url).headers
        assert headers["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
