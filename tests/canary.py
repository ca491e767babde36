"""The canary corpus for the leak suite (tests/integration/leak/), and how its answers are read.

Sensitive and hidden records carry unique *canary words* (in titles, tags, descriptions, resources,
contacts, organization names) and exclusive facet values (a resource format, a frequency, a
geographic coverage, a licence … that no open record has). Beside them sit ordinary open records.

Two aliases are loaded: ``full`` (everything) and ``open_only`` (the same corpus minus every
non-open record). For anonymous visitors, and for the analyst whose grants all narrowly miss, every
channel must answer the same on both: same status, same body, same counts.
"""
from __future__ import annotations

import html
import json
import re
import uuid

from tests.support import dataset, with_derived

PASSWORD = "canary suite password"
NATO = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
        "lima")
# Thai canaries: nonsense syllables no dictionary holds, so they survive segmentation as rare tokens.
THAI = {"alpha": "ฌฎฏฐอัลฟ่า", "echo": "ฑฒฌฎเอคโค่", "india": "ฏฐฑฒอินเดี้ย"}

ORGS = {
    "open": {"name": "org-open", "title": "กรมข้อมูลเปิด", "title_en": "Open Data Department"},
    "mixed": {"name": "org-mixed", "title": "กรมข้อมูลผสม", "title_en": "Mixed Data Department"},
    "sensitive": {"name": "qzvorgsens", "title": "สำนักงาน qzvorgsenstitle",
                  "title_en": "Qzvorgsensen Office"},
    "hidden": {"name": "qzvorghid", "title": "สำนักงาน qzvorghidtitle", "title_en": "Qzvorghiden Office"},
    # A real agency of indexer/agencies.json (under กระทรวงกลาโหม) that holds sensitive records only: the
    # agency directory must not show it, its ministry, or their counts to those without a grant.
    "placed": {"name": "qzvorgplaced", "title": "กรมการอุตสาหกรรมทหาร"},
}


def canary_words(n: str) -> dict[str, str]:
    """The unique words of one non-open record, by the field that carries them."""
    return {"title": f"qzvtitle{n}", "tag": f"qzvtag{n}", "notes": f"qzvnotes{n}", "resource": f"qzvres{n}",
            "maintainer": f"qzvmaint{n}", "access": f"qzvaccess{n}", "english": f"qzventitle{n}"}


def sensitive(n: str, category: str, classification: str | None, org: str, allow: bool = True,
              **extra) -> dict:
    words = canary_words(n)
    thai = THAI.get(n, "")
    # Exclusive derived values: a place (อำเภอปาย, Mae Hong Son) and years (2488 to 2511) no open record has.
    return with_derived(dataset(
        f"s-{n}-{uuid.uuid5(uuid.NAMESPACE_URL, n).hex[:8]}", name=f"qzvslug{n}",
        title=f"ทะเบียนลับ {words['title']} {thai}".strip(), title_en=f"Register {words['english']}",
        notes=f"รายละเอียดลับ {words['notes']} ข้อมูลผู้ป่วย อำเภอปาย จังหวัดแม่ฮ่องสอน "
              "แจ้งตำรวจ", notes_en=f"secret {words['notes']}",
        organization=ORGS[org], tags=["สุขภาพ", words["tag"]] + ([thai] if thai else []),
        resources=[{"name": f"{words['resource']} ปี 2488 และ 2511", "format": "QZVFMT",
                    "url": f"https://example.invalid/{words['resource']}.bin"}],
        data_type="2", update_frequency_unit="D", geo_coverage="07", data_format=["database", "gml"],
        license_id="dga-ogl", data_language=["lo"], objective=["security_plan"],
        data_category=category, data_classification=classification, allow_harvest=allow,
        maintainer=words["maintainer"], maintainer_email=f"{words['maintainer']}@example.invalid",
        access_request=f"ยื่นคำขอ {words['access']}", metadata_modified="2025-06-01T00:00:00", **extra))


def open_record(n: int, org: str, title: str, tags: list[str], unit: str = "A", fmt: str = "csv") -> dict:
    return with_derived(dataset(
        f"open-{n:02d}", title=title, title_en=f"Open dataset {n}",
        notes=f"คำอธิบาย {title} สำหรับประชาชน" + (" จังหวัดเชียงใหม่" if n % 2 else ""),
        organization=ORGS[org], tags=tags, update_frequency_unit=unit, data_format=[fmt],
        resources=[{"name": f"ไฟล์ {n} ปี 2565", "format": fmt.upper(), "url": f"https://example.go.th/{n}.{fmt}"}],
        geo_coverage="01" if n % 2 else "99", license_id="odc" if n % 3 else "cc-by",
        metadata_modified=f"2025-0{1 + n % 9}-01T00:00:00", data_category="public", data_classification="01"))


OPEN = [
    open_record(1, "open", "ปริมาณน้ำฝนรายวัน", ["น้ำฝน", "อากาศ"]),
    open_record(2, "open", "จำนวนโรงเรียนรายจังหวัด", ["โรงเรียน", "การศึกษา"], "M"),
    open_record(3, "mixed", "ทะเบียนโรงพยาบาลทั่วประเทศ", ["สุขภาพ", "โรงพยาบาล"], "M", "json"),
    open_record(4, "mixed", "สถิติผู้ป่วยนอกรายเดือน", ["สุขภาพ", "สถิติ"], "M"),
    open_record(5, "open", "ราคาสินค้าเกษตร", ["เกษตร", "ราคา"], "A", "json"),
    open_record(6, "mixed", "ทะเบียนสถานพยาบาลเอกชน", ["สุขภาพ"], "A"),
    open_record(7, "open", "จำนวนนักท่องเที่ยว", ["ท่องเที่ยว"], "M"),
    open_record(8, "mixed", "ข้อมูลประชากรรายอำเภอ", ["ประชากร", "สถิติ"], "A"),
    open_record(9, "open", "คุณภาพอากาศ PM2.5", ["อากาศ", "ฝุ่น"], "M", "json"),
    open_record(10, "mixed", "งบประมาณรายจ่ายประจำปี", ["งบประมาณ"], "A"),
]

SENSITIVE = [
    sensitive("alpha", "personal", "03", "mixed"),        # the analyst's grant covers it (name tier)
    sensitive("bravo", "personal", "04", "mixed"),        # one level too high
    sensitive("charlie", "internal", "02", "mixed"),      # the full-tier analyst's grant covers it
    sensitive("delta", "personal", "02", "sensitive"),    # organization outside the grant
    sensitive("echo", "secret", "05", "sensitive"),
    sensitive("foxtrot", "security", "03", "open"),
    sensitive("golf", "personal", None, "mixed"),         # no classification: level 4, fail closed
    sensitive("hotel", "internal", "01", "mixed"),        # full-tier analyst: covered
    sensitive("mike", "security", "03", "placed"),        # only record of an agency placed in the directory
]
HIDDEN = [
    sensitive("india", "personal", "01", "mixed", allow=False),   # no consent
    sensitive("juliet", "public", "01", "open", allow=False, private=True),  # CKAN private, public category
    sensitive("kilo", "secret", "03", "hidden", allow=False),
    sensitive("lima", "personal", "02", "hidden", allow=False),
]
NON_OPEN = SENSITIVE + HIDDEN
BY_LETTER = {r["id"].split("-")[1]: r for r in NON_OPEN}

# Grants that each miss some record by exactly one dimension (level, organization, category, consent).
NEAR_MISS_GRANTS = [
    ({"personal"}, 5, {"org-open"}, True),
    ({"personal"}, 1, None, False),           # india is personal level 1 but has no consent
    ({"security"}, 2, None, True),            # foxtrot is level 3
    ({"internal"}, 5, {"org-open", "qzvorghid"}, False),
    ({"secret"}, 4, None, True),              # echo is level 5; kilo level 3 has no consent
]
NAME_GRANT = ({"personal"}, 3, {"org-mixed"}, False)      # covers alpha only
FULL_GRANT = ({"internal"}, 2, {"org-mixed"}, True)       # covers charlie and hotel


def all_canaries() -> list[str]:
    words = [w for r in NON_OPEN for w in canary_words(r["id"].split("-")[1]).values()]
    words += [r["name"] for r in NON_OPEN] + [r["id"] for r in NON_OPEN] + list(THAI.values())
    words += ["qzvorgplaced", "กรมการอุตสาหกรรมทหาร", "กระทรวงกลาโหม"]
    words += ["qzvorgsens", "qzvorgsenstitle", "qzvorghid", "qzvorghidtitle", "Qzvorgsensen", "Qzvorghiden",
              "QZVFMT", "qzvfmt"]
    return words


def canaries_of(letter: str) -> list[str]:
    record = BY_LETTER[letter]
    return list(canary_words(letter).values()) + [record["name"], record["id"]] + (
        [THAI[letter]] if letter in THAI else [])


def readable(response) -> str:
    """The body as a person or a program would read it: JSON decoded, HTML entities and URL escapes undone."""
    text = response.get_data(as_text=True)
    try:
        text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        pass
    from urllib.parse import unquote_plus

    return html.unescape(text) + "\n" + unquote_plus(html.unescape(text))


def leaked(response, request_text: str = "", words: list[str] | None = None) -> list[str]:
    """Canary words in the response that the request itself did not carry."""
    from urllib.parse import unquote_plus

    body = readable(response).lower()
    asked = unquote_plus(request_text).lower()
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items()).lower()
    return [w for w in (words or all_canaries()) if w.lower() not in asked
            and (w.lower() in body or w.lower() in headers)]


_VOLATILE = [
    (re.compile(r'name="csrf_token" value="[^"]*"'), 'name="csrf_token" value=""'),
    (re.compile(r'"took(_ms)?":\s*\d+'), '"took": 0'),
    (re.compile(r"test_[0-9a-f]{10}(-[\w-]+)?"), "test_alias"),
    (re.compile(r"_:N[0-9a-f]{32}"), "_:N"),  # rdflib blank node labels are random per graph
    (re.compile(r'"@id": "_:N[0-9a-f]{32}"'), '"@id": "_:N"'),
]


_HEADER_BLOCK = re.compile(r"<header\b.*?</header>", re.S)


def normalised(response) -> str:
    """The body without what legitimately differs between two runs or two principals: CSRF tokens,
    timings, test index names, and the page header (the signed-in person's name and sign-out button)."""
    text = _HEADER_BLOCK.sub("<header/>", response.get_data(as_text=True))
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def get(portal, who: str, url: str, **kwargs):
    """A buffered GET (streamed answers are read before the next request starts)."""
    return portal.client(who).get(url, buffered=True, **kwargs)


_TRUTH: dict[tuple[str, str], tuple[int, str, object]] = {}


def truth(open_only, url: str) -> tuple[int, str, object]:
    """``(status, normalised body, response)`` of the open-only corpus for a visitor, asked once per URL
    (the open-only answers are the reference every principal is compared with)."""
    key = (open_only.alias, url)
    if key not in _TRUTH:
        response = get(open_only, "anonymous", url)
        _TRUTH[key] = (response.status_code, normalised(response), response)
    return _TRUTH[key]


# --- what to probe ------------------------------------------------------------------------------------

FACET_PARAMS = {  # every facet, with the values that exist only in non-open records first
    "organization": ["qzvorgsens", "qzvorghid", "org-mixed", "org-open"],
    "data_category": ["personal", "internal", "secret", "security", "public"],
    "update_frequency_unit": ["D", "A", "M"],
    "geo_coverage": ["07", "01"],
    "data_type": ["2", "1"],
    "data_format": ["database", "csv"],
    "res_format": ["QZVFMT", "CSV"],
    "license_id": ["dga-ogl", "odc"],
    "tags": ["qzvtagalpha", "สุขภาพ"],
    "place": ["5803", "58", "north", "50"],   # derived from the text: Pai and Mae Hong Son only in non-open records
    "year": ["2488", "2565"],
}
CKAN_FQ_FIELDS = {"organization": "qzvorgsens", "tags": "qzvtagalpha", "res_format": "QZVFMT",
                  "license_id": "dga-ogl", "data_category": "personal", "data_type": "2",
                  "geo_coverage": "07",
                  "update_frequency_unit": "D", "data_classification": "03", "visibility": "sensitive",
                  "private": "true", "allow_harvest": "true", "id": BY_LETTER["alpha"]["id"],
                  "name": "qzvslugalpha", "title": "qzvtitlealpha", "notes": "qzvnotesalpha"}
CRAFTED_Q = ["*:*", "*", "qzv*", "qzvtitle*", "title:qzvtitlealpha", "notes:qzvnotesalpha",
             "tags:qzvtagalpha",
             "data_category:personal", "visibility:sensitive", "visibility:hidden", "private:true",
             "qzvtitlealpha OR ทะเบียน", "(qzvtitlealpha)", "\"qzvtitlealpha\"", "qzvtitlealpha~2",
             "organization:qzvorgsens", "_id:" + BY_LETTER["alpha"]["id"], "id:s-*", "name:qzvslug*",
             "title:/qzv.*/", "{!lucene}qzvtitlealpha", "qzvnotesalph", "ทะเบียนลับ", "ทะเบียน"]


def text_queries() -> list[str]:
    """Every canary word; a misspelling and a prefix of those of four records (one per kind: name-tier
    covered, sensitive elsewhere, hidden, hidden elsewhere); ordinary words shared with open data."""
    # สถานีตำรวจ finds nothing anywhere; ตำรวจ, which an empty page offers instead, only non-open records hold
    out = ["", "ทะเบียน", "สุขภาพ", "ข้อมูลผู้ป่วย", "รายละเอียดลับ", "ยื่นคำขอ", "Register", "secret",
           "สถานีตำรวจ", "GML",  # a file format typed: only non-open records offer GML
           "GIS", "ภูมิสารสนเทศ",  # a data type typed: only non-open records are geospatial
           "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",  # and its label typed whole
           "Open Government License", "OGL",  # a licence typed: only non-open records are under dga-ogl
           "ภาคเหนือ",  # a region typed holds records located there: Pai (north) only in non-open records
           "แม่ฮ่องสอน", "Mae Hong Son", "อำเภอปาย",  # so do a province and a district: only non-open in them
           "Mae Hong Son province", "Pai district",  # typed in English with their level word
           "จ.แม่ฮ่องสอน", "อ.ปาย",  # and after จ./อ. written against the name
           "คิวแซดวีเอฟเอ็มที", "จีเอ็มแอล",  # QZVFMT and GML spelled by the letters' Thai names
           "2488", "1945", "2487-2489",  # a year typed holds the records covering it: non-open ones only
           "ปี 11", "พ.ศ. 10-12", "2488-89",  # also written short (2511; 2488-2489)
           "รายวัน", "daily",  # a frequency typed holds records updated that often: only non-open ones daily
           "ทุกวัน", "every day"]  # and a frequency said in several words or a function word
    out += all_canaries()
    for letter in ("alpha", "echo", "india", "kilo"):
        for word in canaries_of(letter):
            out += [word[:-1], word[:-1] + ("x" if word[-1] != "x" else "y")]
        # a record asked for by its link: on data.go.th by its name, on this portal by its id
        record = BY_LETTER[letter]
        out += [f"https://data.go.th/dataset/{record['name']}",
                f"http://127.0.0.1/dataset/{record['id']}.jsonld"]
    return list(dict.fromkeys(out))


def page_urls() -> list[str]:
    from urllib.parse import quote

    urls = ["/", "/search", "/organization", "/search?sort=title", "/search?sort=modified"]
    urls += insight_urls()
    urls += [f"/search?q={quote(q)}" for q in text_queries()]
    for name, values in FACET_PARAMS.items():
        for value in values:
            urls += [f"/search?{name}={quote(value)}", f"/search?q=ทะเบียน&{name}={quote(value)}",
                     f"/organization/org-mixed?{name}={quote(value)}"]
    urls += [f"/organization/{org['name']}" for org in ORGS.values()]
    return urls


def insight_urls() -> list[str]:
    """The agency directory, agency pages, insights and the quality view (issue 18)."""
    from urllib.parse import quote

    urls = ["/organizations", "/organizations?q=qzv", "/organizations?q=" + quote("กลาโหม"),
            "/organizations?q=" + quote("กรมการอุตสาหกรรมทหาร"), "/organizations/mod", "/organizations/mod-industry",
            "/insights", "/insights?org_q=qzvorgsens", "/insights?org_q=" + quote("กห."),
            "/insights/records?modified=2025-06", "/insights/records?created=2025-06",
            "/insights/records?due=overdue", "/insights/records?due=on_time"]
    return urls


def quality_urls() -> list[str]:
    """The quality view: signed-in only, so compared principal by principal (test_leaks_insights.py)."""
    from urllib.parse import quote

    return [
        "/insights/quality", "/insights/quality?sort=count", "/insights/quality?data_category=personal",
        "/insights/quality?res_format=QZVFMT", "/insights/quality/records?gap=maintainer",
        "/insights/quality/records?due=overdue", "/insights/quality/records?organization=qzvorgsens",
        "/insights/quality/records?finding=" + quote("mandatory_missing:data_source"),
        "/insights/quality.csv", "/insights/quality.csv?organization=qzvorgsens",
        "/api/v1/insights/quality", "/api/v1/insights/quality?data_category=security",
        "/api/v1/insights/quality?organization=qzvorgplaced"]


def api_urls() -> list[str]:
    from urllib.parse import quote

    urls = ["/api/v1/search", "/api/v1/organizations", "/api/v1/search?size=100&sort=title"]
    urls += [f"/api/v1/search?q={quote(q)}" for q in text_queries()]
    # The partial matches the API gives on request (records holding some words but not all: a canary word
    # beside a word many open records hold). A third of the words, to keep the crawl's time; the partial
    # query itself (``queries.partial_matches``) is the search page's, tested in test_all_words too.
    urls += [f"/api/v1/search?q={quote(q + ' ทะเบียน')}&partial=true" for q in text_queries()[::3]]
    for name, values in FACET_PARAMS.items():
        for value in values:
            urls += [f"/api/v1/search?{name}={quote(value)}",
                     f"/api/v1/search?q=ทะเบียน&{name}={quote(value)}"]
    urls += [f"/api/v1/organizations/{org['name']}" for org in ORGS.values()]
    urls += ["/api/v1/insights", "/api/v1/insights?org_q=qzv", "/api/v1/insights/directory"]
    return urls


def ckan_urls() -> list[str]:
    from urllib.parse import quote

    facets = quote(json.dumps(list(FACET_PARAMS) + ["groups", "data_classification", "visibility"]))
    base = "/api/3/action/package_search?include_private=true&rows=1000&facet.limit=-1"
    action = "/api/3/action/"
    urls = [f"{base}&facet.field={facets}", f"{action}package_list", f"{action}package_list?limit=1000",
            f"{action}organization_list", f"{action}organization_list?all_fields=true",
            f"{action}tag_list", f"{action}tag_list?query=qzv", f"{action}tag_list?all_fields=true",
            f"{action}group_list", f"{action}status_show", "/api/action/package_search?include_private=true"]
    urls += [f"{base}&q={quote(q)}" for q in CRAFTED_Q + text_queries()]
    urls += [f"{base}&fq={quote(f'{k}:{json.dumps(v)}')}&facet.field={facets}"
             for k, v in CKAN_FQ_FIELDS.items()]
    urls += [f"{base}&fq={quote(f'{k}:{v}')}" for k, v in CKAN_FQ_FIELDS.items()]
    urls += [f"/api/3/action/organization_show?id={org['name']}" for org in ORGS.values()]
    urls += [f"{action}organization_show?id={org['name']}&include_datasets=true" for org in ORGS.values()]
    return urls


def export_urls() -> list[str]:
    return ["/catalog.ttl", "/catalog.rdf", "/catalog.jsonld", "/catalog.ttl?page=2", "/sitemap.xml",
            "/sitemap-1.xml", "/sitemap-0.xml", "/robots.txt"]


def record_keys() -> list[str]:
    """Ids and slugs of every non-open record, a prefix of one, and a truly missing one."""
    keys = [k for r in NON_OPEN for k in (r["id"], r["name"])]
    return keys + [NON_OPEN[0]["id"][:6], "qzvslug", "no-such-dataset-anywhere"]


def detail_urls() -> list[str]:
    urls = []
    for key in record_keys():
        urls += [f"/dataset/{key}", f"/api/v1/datasets/{key}", f"/api/3/action/package_show?id={key}",
                 f"/dataset/{key}.ttl", f"/dataset/{key}.jsonld", f"/dataset/{key}.rdf"]
    return urls
