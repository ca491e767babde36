"""A dataset asked for by its identifier or its link (known-item search) on a real node: the record whose
id or name the query is comes first, whatever its words; a link is read as its name; the page speaks of one
record, not of words; a title typed exactly finds its record first (leaks:
tests/integration/leak/test_leaks_positive.py, test_leaks_ranking.py)."""
from __future__ import annotations


import pytest

from portal import create_app
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search import queries
from portal.search.queries import SearchParams
from tests.support import dataset, loaded_alias

pytestmark = pytest.mark.integration

UUID_NAMED = "item_b9cc42e2-1b56-4543-958c-d93c347dadf3"
RECORDS = [
    dataset("bec_school", title="ที่ตั้งโรงเรียนในสังกัดสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
            tags=["โรงเรียน"]),
    dataset(UUID_NAMED, title="ข้อมูลโรงงานประเภท 101, 105 และ 106", tags=["โรงงาน"]),
    # a record whose name is a word other records hold better: its own words say little of rain
    dataset("rain", title="สถิติสถานีตรวจวัด", tags=["สถานี"]),
    dataset("rain-daily", title="ปริมาณน้ำฝนรายวัน rain", title_en="Daily rain", tags=["น้ำฝน", "rain"]),
    dataset("rain-monthly", title="ปริมาณน้ำฝนรายเดือน rain", title_en="Monthly rain", tags=["น้ำฝน", "rain"]),
    dataset("uuid-7f3a", name="school-locations", title="ที่ตั้งสถานศึกษา", tags=["สถานศึกษา"]),
    # twins whose words are the same: a space, a sign apart (the bundled sample holds 27 and 3 such pairs)
    dataset("wat-nan-spaced", title="รายงานทะเบียนวัด จังหวัดน่าน", tags=["วัด"]),
    dataset("wat-nan", title="รายงานทะเบียนวัดจังหวัดน่าน", tags=["วัด"]),
    dataset("power-below", title="การใช้ไฟฟ้า บ้านที่อยู่อาศัย ( < 150 หน่วย/เดือน) ปี 2561", tags=["ไฟฟ้า"]),
    dataset("power-above", title="การใช้ไฟฟ้า บ้านที่อยู่อาศัย ( > 150 หน่วย/เดือน) ปี 2561", tags=["ไฟฟ้า"]),
    # seen by name only with a grant
    dataset("reg_qx81", title="ทะเบียนลับของหน่วยงาน", data_category="internal", data_classification="02",
            allow_harvest=True),
]
ANALYST = Principal(kind="analyst", username="an",
                    grants=(Grant(categories=frozenset({"internal"}), max_level=2),))


@pytest.fixture(scope="module")
def alias(es):
    with loaded_alias(es, RECORDS, "test_named_") as name:
        yield name


def found(es, alias, q: str, who=ANONYMOUS, **params) -> queries.SearchResult:
    return queries.search(es, alias, SearchParams(q=q, size=20, facets=(), **params), who)


@pytest.mark.parametrize("q", [
    "bec_school", "BEC_SCHOOL", " bec_school ",
    "https://data.go.th/dataset/bec_school", "data.go.th/dataset/bec_school",
    "https://data.go.th/dataset/bec_school/resource/5b1f-2c", "https://gdcatalog.go.th/th/dataset/bec_school?x=1",
    "http://127.0.0.1:5000/dataset/bec_school", "http://127.0.0.1:5000/dataset/bec_school.jsonld",
    "http://127.0.0.1:5000/api/v1/datasets/bec_school",
])
def test_a_record_named_by_its_identifier_or_its_link_is_found_first(es, alias, q):
    result = found(es, alias, q)
    assert [h["id"] for h in result.hits][:1] == ["bec_school"]
    assert result.all_words and result.named and result.hits[0]["missing"] == []


def test_an_identifier_of_many_pieces_finds_its_record_alone(es, alias):
    """A UUID's pieces (item, b, 9, cc …) are no words to look for: its record is the result."""
    for q in (UUID_NAMED, f"https://data.go.th/dataset/{UUID_NAMED}"):
        result = found(es, alias, q)
        assert [h["id"] for h in result.hits] == [UUID_NAMED] and result.total == 1
        assert result.partial == []


def test_a_record_is_named_by_its_id_or_its_name(es, alias):
    for q in ("uuid-7f3a", "school-locations", "https://data.go.th/dataset/school-locations"):
        assert [h["id"] for h in found(es, alias, q).hits][:1] == ["uuid-7f3a"], q


def test_a_name_that_is_also_a_word_comes_first_and_the_word_still_finds_the_rest(es, alias):
    result = found(es, alias, "rain")
    assert [h["id"] for h in result.hits][0] == "rain"
    assert {h["id"] for h in result.hits} == {"rain", "rain-daily", "rain-monthly"}
    by_modified = found(es, alias, "rain", sort="title")  # another order: the record is among them
    assert {h["id"] for h in by_modified.hits} == {"rain", "rain-daily", "rain-monthly"}


def test_an_identifier_nobody_has_names_nothing(es, alias):
    for q in ("no_such_dataset", "https://data.go.th/dataset/no_such_dataset"):
        result = found(es, alias, q)
        assert not result.named and result.total == 0


def test_a_record_seen_by_name_only_is_named_for_its_grant_only(es, alias):
    for q in ("reg_qx81", "https://data.go.th/dataset/reg_qx81"):
        seen = found(es, alias, q, ANALYST)
        assert [(h["id"], h["tier"]) for h in seen.hits] == [("reg_qx81", "name")]
        assert found(es, alias, q).total == 0


@pytest.mark.parametrize("record", ["wat-nan-spaced", "wat-nan", "power-below", "power-above"])
def test_a_title_typed_exactly_finds_its_record_before_its_twin(es, alias, record):
    title = next(r["title"] for r in RECORDS if r["id"] == record)
    for q in (title, f"  {title.upper()} "):  # case and spacing around the words do not matter
        result = found(es, alias, q)
        assert [h["id"] for h in result.hits][:1] == [record], q
        assert len(result.hits) == 2 and result.all_words  # the twin still matches: it holds every word


def test_a_title_typed_exactly_is_first_for_its_grant_only(es, alias):
    seen = found(es, alias, "ทะเบียนลับของหน่วยงาน", ANALYST)
    assert [(h["id"], h["tier"]) for h in seen.hits][:1] == [("reg_qx81", "name")]
    anonymous = found(es, alias, "ทะเบียนลับของหน่วยงาน")  # records holding some of its words, not it
    assert "reg_qx81" not in {h["id"] for h in anonymous.hits} and not anonymous.all_words


def _client(alias: str, tmp_path, lang: str | None = None):
    app = create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "test",
                      "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl"),
                      "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
    client = app.test_client()
    if lang:
        client.set_cookie("gdc_lang", lang)
    return client


@pytest.mark.parametrize("lang, count", [(None, "พบ 1 ชุดข้อมูล<"), ("en", "1 dataset found<")])
def test_the_page_of_a_link_shows_its_record_and_speaks_of_no_words(alias, tmp_path, lang, count):
    link = f"https://data.go.th/dataset/{UUID_NAMED}"
    page = _client(alias, tmp_path, lang).get("/search", query_string={"q": link}).get_data(as_text=True)
    assert f'href="/dataset/{UUID_NAMED}"' in page and "ข้อมูลโรงงานประเภท 101" in page
    assert count in page.replace("\n", "").replace("  ", "")
    assert 'id="partial-matches"' not in page and 'class="did-you-mean"' not in page


def test_the_json_api_and_ckan_find_a_record_by_its_link(alias, tmp_path):
    client = _client(alias, tmp_path)
    link = "https://data.go.th/dataset/bec_school"
    api = client.get("/api/v1/search", query_string={"q": link}).get_json()
    assert [r["dataset"]["id"] for r in api["results"]] == ["bec_school"] and api["all_words"]
    ckan = client.get("/api/3/action/package_search", query_string={"q": link}).get_json()["result"]
    assert [r["id"] for r in ckan["results"]] == ["bec_school"] and ckan["count"] == 1


@pytest.mark.parametrize("typed", ["bec_sch", "BEC_SCHOOL", "https://data.go.th/dataset/bec_school"])
def test_autocomplete_offers_the_dataset_whose_name_begins_with_what_is_typed(alias, tmp_path, typed):
    client = _client(alias, tmp_path)
    api = client.get("/api/v1/suggest", query_string={"q": typed}).get_json()["suggestions"]
    assert {"kind": "dataset", "value": "bec_school",
            "text": "ที่ตั้งโรงเรียนในสังกัดสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"} in api
    page = client.get("/search/suggest", query_string={"q": typed}).get_json()["suggestions"]
    assert "/dataset/bec_school" in [s.get("url") for s in page]


def test_autocomplete_by_name_keeps_to_what_each_may_see(es, alias):
    offered = queries.suggest(es, alias, "reg_qx", ANALYST)
    assert [s["value"] for s in offered if s["kind"] == "dataset"] == ["reg_qx81"]
    assert queries.suggest(es, alias, "reg_qx", ANONYMOUS) == []
    assert queries.suggest(es, alias, "be", ANONYMOUS) == []  # two characters name nothing yet
    assert [s["value"] for s in queries.suggest(es, alias, "bec", ANONYMOUS)] == ["bec_school"]


@pytest.mark.parametrize("typed", ["http://[/dataset/bec_school", "https://a@[zz]/dataset/bec_school",
                                   "http://[::1/dataset/"])
def test_a_link_that_is_no_valid_url_is_still_read_and_never_an_error(alias, tmp_path, typed):
    client = _client(alias, tmp_path)
    for url in ("/search", "/api/v1/search", "/api/v1/suggest", "/api/3/action/package_search"):
        assert client.get(url, query_string={"q": typed}).status_code == 200, url
    found = client.get("/api/v1/search", query_string={"q": typed}).get_json()["results"]
    assert [r["dataset"]["id"] for r in found][:1] == (["bec_school"] if "bec_school" in typed else [])
