"""The embeddable search widget on a real node: open records only, whoever's browser frames it.

Two aliases hold the same open records; ``full`` also holds sensitive records (one with consent, seen
by the analyst below) and a record without consent, all carrying canary words. For the widget both
aliases must answer alike: no canary, no count difference — not even with an analyst's session
cookie or token in the request.
"""
from __future__ import annotations

import html
import re
import uuid
from urllib.parse import quote

import pytest
from elasticsearch import Elasticsearch

from portal import create_app
from portal.auth.store import AccountStore
from tests.esutil import drop_indices
from tests.support import dataset, load_records

pytestmark = pytest.mark.integration

PASSWORD = "widget suite password"
ORG_OPEN = {"name": "wdg-open", "title": "กรมทดสอบวิดเจ็ต", "title_en": "Widget Test Department"}
ORG_MIXED = {"name": "wdg-mixed", "title": "กรมข้อมูลปนกัน", "title_en": "Mixed Records Department"}
ORG_SECRET = {"name": "wdgzorgsecret", "title": "สำนักงาน wdgzorgtitle", "title_en": "Wdgzorgtitle Office"}
OPEN = [
    dataset(f"wopen-{n:02d}", title=title, organization=org, tags=["น้ำ"] if n % 2 else ["การศึกษา"],
            notes=f"คำอธิบาย {title}", metadata_modified=f"2025-0{n}-01T00:00:00", title_en=f"Open set {n}")
    for n, (title, org) in enumerate([
        ("ปริมาณน้ำฝนรายวัน", ORG_OPEN), ("จำนวนโรงเรียนรายจังหวัด", ORG_OPEN),
        ("ระดับน้ำในเขื่อน", ORG_OPEN),
        ("สถิติผู้ป่วยนอก", ORG_MIXED), ("ทะเบียนโรงพยาบาล", ORG_MIXED), ("คุณภาพอากาศรายชั่วโมง", ORG_OPEN),
        ("งบประมาณรายจ่าย", ORG_MIXED)], start=1)
]


def _secret(n: str, category: str, org: dict, allow: bool = True) -> dict:
    return dataset(
        f"wsec-{n}", name=f"wdgzslug{n}", title=f"ทะเบียนลับ wdgztitle{n}", title_en=f"Register wdgzen{n}",
        notes=f"รายละเอียด wdgznotes{n}", organization=org, tags=["น้ำ", f"wdgztag{n}"],
        resources=[{"name": f"wdgzres{n}", "format": "WDGZFMT", "url": f"https://example.invalid/wdgz{n}"}],
        data_category=category, data_classification="02", allow_harvest=allow, update_frequency_unit="D",
        maintainer=f"wdgzmaint{n}", metadata_modified="2025-12-01T00:00:00")


SENSITIVE = [
    _secret("one", "personal", ORG_MIXED),              # the analyst's grant covers it, in full
    _secret("two", "internal", ORG_SECRET),             # an organization with nothing open
    _secret("three", "personal", ORG_MIXED, allow=False),  # no consent: administrators only
]
CANARIES = ["wdgz", "wdgzorgsecret", "wdgzorgtitle", "Wdgzorgtitle", "WDGZFMT"]


def canaries_in(text: str, asked: str = "") -> list[str]:
    return [w for w in CANARIES if w.lower() in text.lower() and w.lower() not in asked.lower()]


@pytest.fixture(scope="module")
def aliases(es: Elasticsearch):
    full, open_only = (f"test_{uuid.uuid4().hex[:10]}" for _ in range(2))
    load_records(es, full, OPEN + SENSITIVE)
    load_records(es, open_only, OPEN)
    yield full, open_only
    for alias in (full, open_only):
        drop_indices(es, alias)


@pytest.fixture(scope="module")
def auth_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("widget-auth")
    store = AccountStore(path / "auth.sqlite3")
    store.add_account("analyst", "analyst", PASSWORD)
    store.add_grant("analyst", {"personal", "internal"}, 5, None, full=True)
    store.add_account("root", "admin", PASSWORD)
    return path


def _app(alias: str, auth_dir, **config):
    return create_app({
        "TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "widget-suite",
        "GDC_AUTH_DB": str(auth_dir / "auth.sqlite3"), "GDC_AUDIT_LOG": str(auth_dir / "audit.jsonl"),
        "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0, **config,
    })


@pytest.fixture(scope="module")
def app(aliases, auth_dir):
    return _app(aliases[0], auth_dir)


@pytest.fixture(scope="module")
def open_app(aliases, auth_dir):
    return _app(aliases[1], auth_dir)


def sign_in(client, username: str = "analyst") -> None:
    page = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/signin", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def body(response) -> str:
    return response.get_data(as_text=True)


def count_shown(text: str) -> str:
    return re.search(r'class="w-count" role="status">([^<]*)<', text).group(1)


PROBES = ["/widget", "/widget?size=20", "/widget?q=wdgztitleon", "/widget?q=ทะเบืยน",
          "/widget?q=ทะเบียน", "/widget?q=ทะเบียนลับ", "/widget?q=น้ำ",
          "/widget?q=wdgztitleone", "/widget?q=wdgztitle", "/widget?q=wdgz", "/widget?q=wdgznotesone",
          "/widget?q=wdgztagone", "/widget?q=wdgzmaintone", "/widget?q=Register", "/widget?q=รายละเอียด",
          "/widget?organization=wdg-mixed", "/widget?organization=wdgzorgsecret",
          "/widget?organization=wdgzorgsecret&organization=wdg-open", "/widget?data_category=personal",
          "/widget?data_category=internal&q=ทะเบียน", "/widget?tags=wdgztagone", "/widget?res_format=WDGZFMT",
          "/widget?update_frequency_unit=D", "/widget?sort=modified&size=3", "/widget?sort=title&lang=en",
          "/widget?tags=น้ำ&size=20", "/widget?q=ทะเบียน&lang=en", "/widget?page=2&size=3",
          "/widget/builder", "/widget/builder?organization=wdg-mixed",
          "/widget/builder?organization=wdgzorgsecret", "/widget/builder?organization=no-such-org"]


def _normalised(text: str) -> str:
    return re.sub(r"test_[0-9a-f]{10}", "test_alias", re.sub(r'name="csrf_token" value="[^"]*"', "", text))


@pytest.mark.parametrize("path", PROBES)
def test_anonymous_widget_is_the_same_with_and_without_sensitive_records(app, open_app, path):
    """No canary and no count difference: the full corpus answers exactly like the open-only one."""
    seen, reference = app.test_client().get(path), open_app.test_client().get(path)
    assert seen.status_code == reference.status_code
    assert not canaries_in(body(seen), path)
    assert _normalised(body(seen)) == _normalised(body(reference))


@pytest.mark.parametrize("path", [p for p in PROBES if p.startswith("/widget?")])
def test_the_analysts_session_cookie_and_token_are_ignored(app, open_app, auth_dir, path):
    analyst = app.test_client()
    sign_in(analyst)
    # the cookie does work on the portal's own pages: the analyst sees the sensitive record there
    assert "wdgztitleone" in body(analyst.get("/search?q=wdgztitleone"))
    framed = analyst.get(path)
    assert not canaries_in(body(framed), path)
    assert _normalised(body(framed)) == _normalised(body(open_app.test_client().get(path)))
    token = AccountStore(auth_dir / "auth.sqlite3").create_token("root")[0]
    with_token = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
    assert not canaries_in(body(with_token), path)
    assert _normalised(body(with_token)) == _normalised(body(framed))


def test_widget_lists_open_records_with_counts_of_open_records_only(app):
    text = body(app.test_client().get("/widget?size=20"))
    assert count_shown(text) == "พบ 7 ชุดข้อมูล"
    for record in OPEN:
        assert record["title"] in text
    assert not canaries_in(text)
    # every facet-like filter on a value only sensitive records carry finds nothing, and says 0
    for path in ("/widget?q=wdgztitleone", "/widget?organization=wdgzorgsecret", "/widget?res_format=WDGZFMT",
                 "/widget?data_category=personal", "/widget?update_frequency_unit=D"):
        assert count_shown(body(app.test_client().get(path))) == "พบ 0 ชุดข้อมูล", path


def test_preset_organization_query_paging_and_language_are_kept(app):
    client = app.test_client()
    text = body(client.get("/widget?organization=wdg-open&size=2&lang=en"))
    assert '<html lang="en">' in text
    assert "Open datasets of" in text and "Widget Test Department" in text
    assert count_shown(text) == "4 datasets found"
    assert 'name="organization" value="wdg-open"' in text and 'name="size" value="2"' in text
    assert 'name="lang" value="en"' in text
    next_page = re.search(r'<a href="([^"]+)" rel="next">', text).group(1).replace("&amp;", "&")
    assert next_page == "/widget?organization=wdg-open&size=2&page=2&lang=en"
    second = body(client.get(next_page))
    assert "Page 2 of 2" in second and 'rel="prev"' in second
    # the portal's language cookie does not decide the widget's language: the embed code does
    client.set_cookie("gdc_lang", "en")
    thai = body(client.get("/widget?organization=wdg-open"))
    assert '<html lang="th">' in thai and "ชุดข้อมูลเปิดของ" in thai and "กรมทดสอบวิดเจ็ต" in thai
    searched = body(client.get("/widget?q=" + quote("โรงเรียน")))
    assert "<mark>" in searched and count_shown(searched) == "พบ 1 ชุดข้อมูล"


def test_links_leave_the_frame_for_a_new_tab_with_noopener(app):
    text = body(app.test_client().get("/widget?q=" + quote("น้ำ")))
    assert 'href="/dataset/wopen-01"' in text
    anchors = re.findall(r"<a\b[^>]*>", text)
    leaving = [a for a in anchors if "/dataset/" in a or "/search" in a or 'href="/"' in a]
    assert leaving and all('target="_blank"' in a and 'rel="noopener"' in a for a in leaving)
    # the search form, paging and language links stay inside the frame
    assert all('target="_blank"' not in a for a in anchors if 'href="/widget' in a)
    assert 'action="/widget"' in text


def test_works_without_javascript_and_with_no_inline_script(app):
    text = body(app.test_client().get("/widget"))
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S)
    assert scripts == [""] and 'src="/static/js/widget-frame.js"' in text
    assert re.search(r'<form class="w-search" role="search" action="/widget" method="get">', text)
    assert '<label for="w-q">' in text and "<main" in text and "<h1" in text
    assert ' style="' not in text
    assert not re.search(r"<[^>]+\son[a-z]+=", text)


def _frameable(response) -> bool:
    csp = response.headers["Content-Security-Policy"]
    script_src = csp.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in script_src
    return "frame-ancestors *" in csp and "X-Frame-Options" not in response.headers


def test_only_widget_pages_may_be_framed(app):
    client = app.test_client()
    for path in ("/widget", "/widget?q=x&lang=en", "/widget?size=1000", "/widget?lang=fr"):
        assert _frameable(client.get(path)), path
    for path in ("/", "/search", "/widget/builder", "/signin", "/dataset/wopen-01", "/organization",
                 "/widget/no-such-page", "/widget/embed.js"):
        response = client.get(path)
        assert not _frameable(response), path
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_widget_frame_ancestors_can_be_narrowed(aliases, auth_dir):
    narrow = _app(aliases[1], auth_dir, GDC_WIDGET_FRAME_ANCESTORS="https://www.example.go.th")
    csp = narrow.test_client().get("/widget").headers["Content-Security-Policy"]
    assert "frame-ancestors https://www.example.go.th" in csp


def test_anonymous_answers_may_be_cached_signed_in_ones_not(app):
    assert app.test_client().get("/widget").headers["Cache-Control"] == "public, max-age=300"
    analyst = app.test_client()
    sign_in(analyst)
    assert analyst.get("/widget").headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("query, field", [
    ("size=0", "size"), ("size=21", "size"), ("size=1000", "size"), ("size=abc", "size"), ("page=0", "page"),
    ("page=abc", "page"), ("sort=qzv", "sort"), ("lang=fr", "lang"), ("page=5000", None),
    ("organization=" + "&organization=".join(f"o{i}" for i in range(11)), "organization"),
    ("q=" + "x" * 501, "q"),
])
def test_bad_parameters_get_a_friendly_framed_400(app, query, field):
    response = app.test_client().get(f"/widget?{query}")
    text = body(response)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "คำขอไม่ถูกต้อง" in text and "ตรวจสอบโค้ดที่ใช้ฝังวิดเจ็ตนี้ในหน้าเว็บ" in text
    assert "Traceback" not in text and _frameable(response)
    if field:
        assert field in text
    else:
        assert "10,000" in text


def test_the_400_speaks_the_widgets_language(app):
    text = body(app.test_client().get("/widget?size=0&lang=en"))
    assert '<html lang="en">' in text and "Bad request" in text and "Invalid parameters: size" in text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_content_language_is_the_widgets_whatever_the_cookie(app, lang):
    client = app.test_client()
    client.set_cookie("gdc_lang", "en" if lang == "th" else "th")
    for path in (f"/widget?lang={lang}", f"/widget?lang={lang}&size=0"):
        response = client.get(path)
        assert response.headers["Content-Language"] == lang, path
        assert f'<html lang="{lang}">' in body(response)
    assert client.get("/widget/builder").headers["Content-Language"] != lang  # a portal page: the cookie


def test_search_node_down_is_a_friendly_framed_503(aliases, auth_dir):
    dead = Elasticsearch("http://127.0.0.1:9", request_timeout=1, max_retries=0)
    down = _app(aliases[1], auth_dir, GDC_ES_CLIENT=dead)
    response = down.test_client().get("/widget?lang=en")
    assert response.status_code == 503 and _frameable(response)
    assert "Search is temporarily unavailable" in body(response) and "Traceback" not in body(response)


def test_embed_script_is_javascript_that_reads_the_portal_address_from_its_src(app):
    response = app.test_client().get("/widget/embed.js")
    assert response.status_code == 200 and response.mimetype in ("text/javascript", "application/javascript")
    script = body(response)
    assert all(word in script for word in ("document.currentScript", "gdc-widget:height", "data-gdc-widget"))
    assert "max-age=3600" in response.headers["Cache-Control"]


def test_builder_offers_only_organizations_with_open_records_even_to_an_analyst(app):
    analyst = app.test_client()
    sign_in(analyst)
    text = body(analyst.get("/widget/builder"))
    assert 'value="wdg-open"' in text and 'value="wdg-mixed"' in text
    assert not canaries_in(text)
    hidden_org, missing_org = (analyst.get(f"/widget/builder?organization={slug}")
                               for slug in ("wdgzorgsecret", "no-such-org"))
    assert hidden_org.status_code == missing_org.status_code == 400
    # the sign-out form's CSRF token is time-stamped: two requests a second apart differ there alone
    assert (_normalised(body(hidden_org)).replace("wdgzorgsecret", "X")
            == _normalised(body(missing_org)).replace("no-such-org", "X"))


def snippet(text: str, kind: str) -> str:
    found = re.search(rf'<pre class="snippet" id="snippet-{kind}" tabindex="0"><code>(.*?)</code>', text,
                      re.S)
    return html.unescape(found.group(1))


def test_builder_writes_both_snippets_with_absolute_urls(app):
    text = body(app.test_client().get("/widget/builder?organization=wdg-open&lang=en&size=8&height=600"))
    script_code, iframe_code = snippet(text, "script"), snippet(text, "iframe")
    host = '<div data-gdc-widget data-organization="wdg-open" data-size="8" data-lang="en" data-height="600">'
    assert host in script_code
    assert '<script src="http://localhost/widget/embed.js" async></script>' in script_code
    assert ('<a href="http://localhost/search?organization=wdg-open">Search open government datasets</a>'
            in script_code)
    src = "http://localhost/widget?organization=wdg-open&amp;size=8&amp;lang=en"
    assert iframe_code == (f'<iframe src="{src}" title="Search open government datasets" width="100%" '
                           'height="600" style="border:0" loading="lazy"></iframe>')
    assert f'class="builder-preview" src="{src}"' in text


def test_builder_refuses_bad_choices_politely(app):
    for query in ("size=0", "lang=fr", "height=5", "size=x"):
        response = app.test_client().get(f"/widget/builder?{query}")
        assert response.status_code == 400 and "Traceback" not in body(response)


def test_no_result_shows_the_correction_from_open_words_only(app):
    """Nothing holds ทะเบืยน: the widget shows ทะเบียน's open records, saying so, and links the search as
    typed, which finds nothing and offers the correction."""
    client = app.test_client()
    text = body(client.get("/widget?q=" + quote("ทะเบืยน") + "&lang=en"))
    assert count_shown(text) == count_shown(body(client.get("/widget?q=" + quote("ทะเบียน") + "&lang=en")))
    assert count_shown(text) != "0 datasets found"
    notice = re.search(r'<p class="w-corrected" role="note">(.*?)</p>', text, re.S).group(1)
    assert "Nothing matches “ทะเบืยน”: showing results for <strong>ทะเบียน</strong>." in notice
    as_typed = html.unescape(re.search(r'<a href="([^"]+)">ทะเบืยน</a>', notice).group(1))
    assert as_typed == "/widget?q=" + quote("ทะเบืยน") + "&lang=en&as_typed=1"
    text = body(client.get(as_typed))
    assert count_shown(text) == "0 datasets found" and "w-corrected" not in text
    link = re.search(r'Did you mean <a href="([^"]+)" lang="th">ทะเบียน</a>\?', text).group(1)
    assert link == "/widget?q=" + quote("ทะเบียน") + "&amp;lang=en"
    misspelt = body(app.test_client().get("/widget?q=wdgztitleon"))
    assert "หมายถึง" not in misspelt and not canaries_in(misspelt, "wdgztitleon")


def test_no_result_offers_a_compound_said_with_less_counted_on_open_records(app):
    """ค่าน้ำ (the water fee) is in no record: the widget offers น้ำ, which open and sensitive records
    hold, with the count of open records — the count the widget shows for น้ำ."""
    client = app.test_client()
    assert count_shown(body(client.get("/widget?q=" + quote("ค่าน้ำ")))) == "พบ 0 ชุดข้อมูล"
    offers = re.findall(r'<li class="w-other"><a href="([^"]+)">.*?</a> – (\d+)',
                        body(client.get("/widget?q=" + quote("ค่าน้ำ"))), re.S)
    water = int(re.sub(r"\D", "", count_shown(body(client.get("/widget?q=" + quote("น้ำ"))))))
    assert [(html.unescape(link), int(n)) for link, n in offers] == [("/widget?q=" + quote("น้ำ"), water)]
    assert water == sum("น้ำ" in r["title"] or "น้ำ" in r["tags"] for r in OPEN)
