"""Absolute URLs come from ``GDC_PUBLIC_URL``; a forged ``Host`` is refused (issue 16, item 5).

Every channel that writes absolute URLs — sitemap, robots.txt, the DCAT catalogue, the widget
snippet, API links, the CKAN site URL, a dataset page's JSON-LD — is read through a trusted but
different name and must still name only the public address; an untrusted ``Host`` gets 400.
"""
from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.hosts import ConfigError
from tests.support import dataset, loaded_alias

pytestmark = pytest.mark.integration

PUBLIC = "https://catalog.example.go.th/portal"
# Every channel writing absolute URLs, with a path that must appear in it.
CHANNELS = ["/sitemap.xml", "/robots.txt", "/catalog.ttl", "/dataset/pub-1.jsonld",
            "/dataset/pub-1", "/widget/builder", "/api/v1/", "/api/v1/datasets/pub-1", "/api/3/action/status_show",
            "/api/v1/openapi.json", "/api"]


@pytest.fixture(scope="module")
def alias(es):
    records = [dataset("pub-1", title="ปริมาณน้ำฝน"), dataset("pub-2", title="คุณภาพอากาศ")]
    with loaded_alias(es, records) as name:
        yield name


def _app(alias, tmp_path, **config):
    return create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "hosts",
                       "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl"),
                       "GDC_RATE_LIMIT_ANONYMOUS": 0, **config})


def _absolute(text: str) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>)\\]+", text))


@pytest.mark.parametrize("path", CHANNELS)
def test_every_absolute_url_is_the_public_one_whatever_trusted_name_was_used(alias, tmp_path, path):
    app = _app(alias, tmp_path, GDC_PUBLIC_URL=PUBLIC, GDC_TRUSTED_HOSTS="catalog.example.go.th,10.1.2.3")
    answer = app.test_client().get(path, headers={"Host": "10.1.2.3:8000"})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    ours = {u for u in _absolute(answer.get_data(as_text=True))
            if "10.1.2.3" in u or "localhost" in u or "catalog.example.go.th" in u}
    assert ours, f"{path} writes no absolute URL of the portal"
    assert all(u.startswith(PUBLIC + "/") or u == PUBLIC for u in ours), sorted(ours)[:5]


def test_the_public_path_prefix_is_served(alias, tmp_path):
    app = _app(alias, tmp_path, GDC_PUBLIC_URL=PUBLIC)
    client = app.test_client()
    for path in ("/portal/robots.txt", "/robots.txt"):  # whether or not the proxy strips the prefix
        answer = client.get(path, headers={"Host": "catalog.example.go.th"})
        assert answer.status_code == 200
        assert f"Sitemap: {PUBLIC}/sitemap.xml" in answer.get_data(as_text=True)


@pytest.mark.parametrize("host", ["evil.example", "catalog.example.go.th.evil.example", "evil.example@localhost",
                                  "localhost/../x", "127.0.0.2"])
@pytest.mark.parametrize("public", [None, PUBLIC])
def test_an_untrusted_host_is_refused(alias, tmp_path, host, public):
    app = _app(alias, tmp_path, GDC_PUBLIC_URL=public)
    for path in ("/sitemap.xml", "/robots.txt", "/", "/widget/builder", "/catalog.ttl"):
        answer = app.test_client().get(path, headers={"Host": host})
        assert answer.status_code == 400, (path, host)
        assert "evil" not in answer.get_data(as_text=True)


def test_local_names_work_by_default_and_health_checks_answer_any_host(alias, tmp_path):
    client = _app(alias, tmp_path).test_client()
    for host in ("localhost", "localhost:5000", "127.0.0.1:5160", "[::1]:5000"):
        answer = client.get("/robots.txt", headers={"Host": host})
        assert answer.status_code == 200, host
    assert client.get("/healthz", headers={"Host": "10.9.9.9"}).status_code == 200


def test_a_public_url_that_is_not_http_is_a_clear_startup_error(alias, tmp_path):
    with pytest.raises(ConfigError, match="GDC_PUBLIC_URL"):
        _app(alias, tmp_path, GDC_PUBLIC_URL="catalog.example.go.th")
