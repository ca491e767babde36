"""What grants do show: the name tier exactly, the full tier only with a full grant, everything for
administrators; a revoked grant or token stops at once; the audit log holds every disclosure."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import quote

import pytest

from portal.auth.visibility import NAME_TIER_FIELDS
from tests.canary import BY_LETTER, NON_OPEN, OPEN, PASSWORD, canary_words, get, leaked

pytestmark = pytest.mark.integration

ALPHA = BY_LETTER["alpha"]
NAME_TIER_FACETS = {"organization", "data_category", "update_frequency_unit"}
# Words of alpha that only the full tier may show.
ALPHA_FULL_ONLY = [w for k, w in canary_words("alpha").items()
                   if k in ("tag", "notes", "resource", "maintainer")]


def api(portal, who, url):
    response = get(portal, who, url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return response.json


def facets(body) -> dict[str, dict[str, int]]:
    return {name: {v["value"]: v["count"] for v in values} for name, values in body["facets"].items()}


def test_name_tier_is_exactly_the_name_fields(full):
    body = api(full, "somchai", f"/api/v1/datasets/{ALPHA['id']}")
    dataset = body.get("dataset", body)
    expected = {k for k in NAME_TIER_FIELDS if ALPHA.get(k) is not None} | {"tier"}
    assert set(dataset) - {"links", "url", "api_url"} == expected
    assert dataset["tier"] == "name" and dataset["title"] == ALPHA["title"]
    assert dataset["access_request"] == ALPHA["access_request"]
    assert not leaked(get(full, "somchai", f"/api/v1/datasets/{ALPHA['id']}"), words=ALPHA_FULL_ONLY)


@pytest.mark.parametrize("url", [
    f"/dataset/{ALPHA['id']}", f"/dataset/{ALPHA['name']}", f"/api/3/action/package_show?id={ALPHA['id']}",
    "/search?q=qzvtitlealpha", "/api/v1/search?q=qzvtitlealpha", "/search?q=ทะเบียนลับ",
    "/api/3/action/package_search?q=qzvtitlealpha&include_private=true",
    "/search/suggest?q=qzvtitle", "/api/v1/suggest?q=qzvtitle", "/organization/org-mixed",
])
def test_name_tier_shows_the_name_and_nothing_more(full, url):
    response = get(full, "somchai", url)
    assert response.status_code == 200
    assert "qzvtitlealpha" in response.get_data(as_text=True)
    assert not leaked(response, url, ALPHA_FULL_ONLY)
    others = [w for r in NON_OPEN if r is not ALPHA for w in (r["name"], r["id"], r["title"].split()[1])]
    assert not leaked(response, url, others)


# GML, GIS: a file format and a data type only its data format and type name; ภาคเหนือ, แม่ฮ่องสอน: a
# region and a province its description's place (Pai) lies in; 2488, ปี 11 (2511): years only its files cover;
# OGL: its licence
FULL_TIER_WORDS = ["GML", "GIS", "ภาคเหนือ", "แม่ฮ่องสอน", "Mae Hong Son", "อำเภอปาย",
                   "Mae Hong Son province", "Pai district", "จ.แม่ฮ่องสอน", "อ.ปาย", "2488", "2487-2489",
                   "ปี 11", "OGL"]


@pytest.mark.parametrize("word", ALPHA_FULL_ONLY + FULL_TIER_WORDS)
def test_full_tier_words_of_a_name_tier_record_find_nothing(full, open_only, word):
    for url in (f"/api/v1/search?q={word}", f"/api/3/action/package_search?q={word}&include_private=true"):
        mine, reference = get(full, "somchai", url), get(open_only, "anonymous", url)
        assert mine.json == reference.json or (mine.json.get("total") == 0
                                               and not leaked(mine, url, [ALPHA["id"]]))


def test_name_tier_counts_only_in_name_tier_facets(full):
    anonymous = facets(api(full, "anonymous", "/api/v1/search"))
    analyst = facets(api(full, "somchai", "/api/v1/search"))
    for name in anonymous:
        if name not in NAME_TIER_FACETS:
            assert analyst[name] == anonymous[name], name
    assert analyst["organization"]["org-mixed"] == anonymous["organization"]["org-mixed"] + 1
    assert analyst["data_category"] == anonymous["data_category"] | {"personal": 1}
    assert analyst["update_frequency_unit"]["D"] == 1
    assert api(full, "somchai", "/api/v1/search")["total"] == len(OPEN) + 1


@pytest.mark.parametrize("word", ["รายวัน", "daily", "ทุกวัน", "every day"])
def test_a_frequency_word_finds_a_name_tier_record_as_its_facet_lists_it(full, word):
    """The update frequency is a name-tier facet: a frequency typed finds alpha (daily) by name, as the
    facet value does, and no one without its grant learns of it."""
    def found(who, url):
        return {r["dataset"]["id"]: r["tier"] for r in api(full, who, url)["results"]}

    assert found("somchai", f"/api/v1/search?q={quote(word)}").get(ALPHA["id"]) == "name"
    assert found("somchai", "/api/v1/search?update_frequency_unit=D").get(ALPHA["id"]) == "name"
    assert ALPHA["id"] not in found("anonymous", f"/api/v1/search?q={quote(word)}")


@pytest.mark.parametrize("facet, value", [("res_format", "QZVFMT"), ("tags", "qzvtagalpha"),
                                          ("license_id", "dga-ogl"), ("data_format", "database"),
                                          ("geo_coverage", "07"), ("data_type", "2"),
                                          ("place", "58"), ("year", "2488")])
def test_full_tier_facet_filters_do_not_select_name_tier_records(full, facet, value):
    body = api(full, "somchai", f"/api/v1/search?{facet}={quote(value)}")
    assert body["total"] == 0 and body["results"] == []


def test_full_grant_shows_everything_of_its_records_only(full):
    body = api(full, "malee", "/api/v1/search?q=qzvnotescharlie")
    assert [r["dataset"]["id"] for r in body["results"]] == [BY_LETTER["charlie"]["id"]]
    record = api(full, "malee", f"/api/v1/datasets/{BY_LETTER['hotel']['id']}")
    record = record.get("dataset", record)
    assert record["notes"] == BY_LETTER["hotel"]["notes"] and record["resources"]
    assert facets(api(full, "malee", "/api/v1/search"))["tags"]["qzvtagcharlie"] == 1
    assert get(full, "malee", f"/api/v1/datasets/{ALPHA['id']}").status_code == 404


def all_word_hits(full, who: str, q: str) -> set[str]:
    """The records holding every word of ``q`` that ``who`` finds (none when only partial matches show)."""
    body = api(full, who, f"/api/v1/search?q={quote(q)}&size=100")
    return {r["dataset"]["id"] for r in body["results"]} if body.get("all_words", True) else set()


@pytest.mark.parametrize("q", ["GML", "GIS", "ภูมิสารสนเทศ", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
                               "Open Government License", "OGL"])
def test_a_file_format_or_data_type_typed_finds_the_records_of_it_seen_in_full(full, q):
    """Every non-open record's data format includes GML, its data type is geospatial and its licence the
    DGA Open Government License; no open record's."""
    assert all_word_hits(full, "malee", q) == {BY_LETTER["charlie"]["id"], BY_LETTER["hotel"]["id"]}
    assert all_word_hits(full, "root", q) == {r["id"] for r in NON_OPEN}
    assert all_word_hits(full, "somchai", q) == all_word_hits(full, "anonymous", q) == set()


@pytest.mark.parametrize("q", ["2488", "ปี 11", "พ.ศ. 10-12", "2488-89"])
def test_a_year_typed_finds_the_records_covering_it_seen_in_full(full, q):
    """Every non-open record's files cover 2488 to 2511 (ปี 11 is 2511 written short); no open record's."""
    assert all_word_hits(full, "malee", q) == {BY_LETTER["charlie"]["id"], BY_LETTER["hotel"]["id"]}
    assert all_word_hits(full, "root", q) == {r["id"] for r in NON_OPEN}
    assert all_word_hits(full, "somchai", q) == all_word_hits(full, "anonymous", q) == set()


def test_a_region_typed_finds_the_records_located_in_it_seen_in_full(full):
    """Every non-open record's description names อำเภอปาย จังหวัดแม่ฮ่องสอน (the North); open records that
    name เชียงใหม่ are in the North too."""
    def found(who):
        return {r["dataset"]["id"] for r in api(full, who, "/api/v1/search?q=ภาคเหนือ&size=100")["results"]}

    northern_open = {r["id"] for r in OPEN if "เชียงใหม่" in r["notes"]}
    assert northern_open and found("anonymous") == found("somchai") == northern_open
    assert found("malee") == northern_open | {BY_LETTER["charlie"]["id"], BY_LETTER["hotel"]["id"]}


@pytest.mark.parametrize("q", ["แม่ฮ่องสอน", "Mae Hong Son", "Mae Hong Son province", "Pai district",
                               "จ.แม่ฮ่องสอน", "อ.ปาย"])
def test_a_province_typed_finds_the_records_located_in_it_seen_in_full(full, q):
    """Only non-open records are located in Mae Hong Son (อำเภอปาย, in their descriptions). The records
    holding every word: when none does, a page lists those holding some ("province": จังหวัด), said so."""
    def found(who):
        return all_word_hits(full, who, q)

    assert found("anonymous") == found("somchai") == {r["id"] for r in OPEN if "แม่ฮ่องสอน" in r["notes"]}
    assert found("malee") - found("anonymous") == {BY_LETTER["charlie"]["id"], BY_LETTER["hotel"]["id"]}


def test_administrators_see_every_record_in_full(full):
    body = api(full, "root", "/api/v1/search?size=100")
    assert body["total"] == len(OPEN) + len(NON_OPEN)
    hidden = api(full, "root", f"/api/v1/datasets/{BY_LETTER['kilo']['id']}")
    assert hidden.get("dataset", hidden)["notes"] == BY_LETTER["kilo"]["notes"]


@pytest.mark.parametrize("url", ["/catalog.ttl", "/sitemap.xml", "/sitemap-1.xml"])
def test_open_only_exports_stay_open_only_for_everyone(full, url):
    for who in ("somchai", "malee", "root"):
        assert not leaked(get(full, who, url), url), who


def test_revoked_grant_and_token_stop_at_once(full, store):
    store.add_account("temp", "analyst", PASSWORD)
    grant = store.add_grant("temp", {"personal"}, 3, {"org-mixed"})
    secret, token = store.create_token("temp")
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/datasets/{ALPHA['id']}"
    client = full.app.test_client()
    assert client.get(url, headers=headers).status_code == 200
    store.revoke_grant(grant.id)
    assert client.get(url, headers=headers).status_code == 404
    store.revoke_token(token.id)
    assert client.get(url, headers=headers).status_code == 401


def test_signed_in_analyst_sees_the_name_tier_page_and_is_audited(full):
    client = full.app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed = client.post("/signin", data={"username": "somchai", "password": PASSWORD, "csrf_token": csrf})
    assert signed.status_code == 303
    response = client.get(f"/dataset/{ALPHA['name']}")
    assert response.status_code == 200 and "qzvtitlealpha" in response.get_data(as_text=True)
    assert not leaked(response, "", ALPHA_FULL_ONLY)
    assert response.headers["Cache-Control"] == "private, no-store"
    entries = [json.loads(line) for line in open(full.app.config["GDC_AUDIT_LOG"], encoding="utf-8")]
    views = [e for e in entries
             if e["event"] == "disclosure" and e["who"] == "somchai" and e["via"] == "session"]
    assert views and views[-1]["ids"] == [ALPHA["id"]] and views[-1]["path"] == f"/dataset/{ALPHA['name']}"


def test_every_disclosure_is_audited_and_anonymous_requests_are_not(full):
    log = full.app.extensions["gdc_auth"]["audit"]
    before = len(list(log.entries()))
    get(full, "somchai", "/api/v1/search?q=qzvtitlealpha")
    get(full, "anonymous", "/api/v1/search?q=ทะเบียน")
    get(full, "nearmiss", "/api/v1/search?q=ทะเบียน")  # saw nothing sensitive: nothing to record
    get(full, "root", f"/api/v1/datasets/{BY_LETTER['kilo']['id']}")
    new = list(log.entries())[before:]
    assert [(e["who"], e["ids"]) for e in new] == [("somchai", [ALPHA["id"]]),
                                                   ("root", [BY_LETTER["kilo"]["id"]])]
    assert new[0]["query"] == {"q": ["qzvtitlealpha"]} and new[0]["via"] == "token"
    assert new[1]["tiers"] == {BY_LETTER["kilo"]["id"]: "full"}


def test_audit_page_shows_disclosures_to_administrators(full):
    get(full, "somchai", f"/api/v1/datasets/{ALPHA['id']}")
    client = full.app.test_client()
    signin = client.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', signin).group(1)
    client.post("/signin", data={"username": "root", "password": PASSWORD, "csrf_token": csrf})
    page = client.get(f"/admin/audit?who=somchai&event=disclosure&record_id={ALPHA['id']}")
    assert page.status_code == 200 and ALPHA["id"] in page.get_data(as_text=True)


def test_expired_and_revoked_tokens_are_refused_on_every_api(full, store):
    import sqlite3

    store.add_account("expiring", "analyst", PASSWORD)
    store.add_grant("expiring", {"personal"}, 3, {"org-mixed"})
    expired, row = store.create_token("expiring")
    revoked, other = store.create_token("expiring")
    store.revoke_token(other.id)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE tokens SET expires_at = '2020-01-01T00:00:00+00:00' WHERE id = ?", (row.id,))
    client = full.app.test_client()
    for secret in (expired, revoked):
        headers = {"Authorization": f"Bearer {secret}"}
        assert client.get("/api/v1/search?q=qzvtitlealpha", headers=headers).status_code == 401
        ckan = client.get("/api/3/action/package_search?include_private=true&q=qzvtitlealpha",
                          headers=headers)
        assert ckan.status_code == 403 and ckan.json["error"]["__type"] == "Authorization Error"
        assert client.get(f"/dataset/{ALPHA['id']}", headers=headers).status_code == 401


def test_brute_force_on_the_portal_is_slowed_then_locked_out(full, store, monkeypatch):
    store.add_account("victim", "analyst", PASSWORD)
    client = full.app.test_client()

    def attempt(password):
        signin = client.get("/signin").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', signin).group(1)
        return client.post("/signin", data={"username": "victim", "password": password, "csrf_token": csrf},
                           environ_base={"REMOTE_ADDR": "192.0.2.77"})

    assert attempt("guess number 0").status_code == 401
    slowed = attempt(PASSWORD)  # at once: refused by the delay, the password not even checked
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1
    portal_store = full.app.extensions["gdc_auth"]["store"]
    monkeypatch.setattr(portal_store, "lockout", replace(portal_store.lockout, delay_seconds=0))
    assert [attempt(f"guess number {n}").status_code for n in range(1, 5)] == [401] * 4
    assert attempt(PASSWORD).status_code == 429  # that address is locked out of the account
    store.unlock("victim")
    assert attempt(PASSWORD).status_code == 303


def test_admin_accounts_page_renders_in_the_portal(full):
    client = full.app.test_client()
    signin = client.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', signin).group(1)
    client.post("/signin", data={"username": "root", "password": PASSWORD, "csrf_token": csrf})
    page = client.get("/admin/accounts")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "somchai" in text and "org-mixed" in text and 'name="csrf_token"' in text


def test_an_empty_page_offers_a_broader_word_counted_by_the_records_seen_in_full(full):
    """สถานีตำรวจ finds nothing; ตำรวจ, offered instead, is in the descriptions of non-open records only:
    offered to the analyst who sees some of them in full, with their count; never to the name tier, whose
    grant shows no description, nor to visitors (the differential suite compares their pages)."""
    def offered(who: str) -> list[str]:
        page = get(full, who, "/search?q=" + quote("สถานีตำรวจ")).get_data(as_text=True)
        return re.findall(r'<ul class="broader".*?</ul>', page, re.S)

    seen_in_full = api(full, "malee", "/api/v1/search?q=" + quote("ตำรวจ"))["total"]
    assert seen_in_full > 0
    assert [int(n) for n in re.findall(r"– (\d+)", offered("malee")[0])] == [seen_in_full]
    assert offered("somchai") == offered("anonymous") == []


@pytest.mark.parametrize("q", [ALPHA["name"], ALPHA["id"], ALPHA["name"].upper(),
                               f"https://data.go.th/dataset/{ALPHA['name']}",
                               f"http://127.0.0.1/dataset/{ALPHA['id']}.jsonld"])
def test_a_record_asked_for_by_its_identifier_or_link_is_found_by_its_grant_only(full, q):
    """The name-tier grant finds alpha first by its name, id or link, seen by name; nobody else finds it."""
    first = api(full, "somchai", f"/api/v1/search?q={quote(q)}")["results"][:1]
    assert [(r["dataset"]["id"], r["tier"]) for r in first] == [(ALPHA["id"], "name")]
    for who in ("anonymous", "malee"):
        assert ALPHA["id"] not in all_word_hits(full, who, q)
        assert not leaked(get(full, who, f"/search?q={quote(q)}"), q, [ALPHA["title"].split()[1]])


def test_a_full_grant_finds_its_record_by_its_link_in_full(full):
    charlie = BY_LETTER["charlie"]
    body = api(full, "malee", f"/api/v1/search?q={quote('https://data.go.th/dataset/' + charlie['name'])}")
    assert [(r["dataset"]["id"], r["tier"]) for r in body["results"]][:1] == [(charlie["id"], "full")]


@pytest.mark.parametrize("typed", [ALPHA["name"][:9], ALPHA["id"][:8],
                                   f"https://data.go.th/dataset/{ALPHA['name']}"])
def test_autocomplete_offers_a_record_by_its_name_to_its_grant_only(full, typed):
    """Names and ids are name-tier fields: the name-tier grant is offered alpha's title, by name only."""
    def offered(who):
        body = api(full, who, f"/api/v1/suggest?q={quote(typed)}")
        return [s["value"] for s in body["suggestions"] if s["kind"] == "dataset"]

    assert ALPHA["name"] in offered("somchai")
    assert ALPHA["name"] not in offered("anonymous") and ALPHA["name"] not in offered("malee")
    assert not leaked(get(full, "somchai", f"/api/v1/suggest?q={quote(typed)}"), typed, ALPHA_FULL_ONLY)
