"""Multi-word precision on a real node: the headline set is the records holding every word, partial
matches come apart and say what they lack, and adding a word never widens the headline set."""
from __future__ import annotations


import pytest

from portal import create_app
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search import queries
from portal.search.queries import SearchParams
from tests.support import all_words, dataset, loaded_alias, with_derived

pytestmark = pytest.mark.integration

BANGKOK = {"name": "bma", "title": "กรุงเทพมหานคร", "title_en": "Bangkok Metropolitan Administration"}
RECORDS = [
    dataset("hotel-bkk", title="ที่ตั้งโรงแรมในเขตกรุงเทพมหานคร", organization=BANGKOK, tags=["โรงแรม"]),
    dataset("hotel-cm", title="ทะเบียนโรงแรมจังหวัดเชียงใหม่", tags=["โรงแรม", "เชียงใหม่"]),
    dataset("park-bkk", title="ที่ตั้งสวนสาธารณะของกรุงเทพมหานคร", organization=BANGKOK, tags=["สวนสาธารณะ"]),
    dataset("temple-cm", title="ทะเบียนวัดจังหวัดเชียงใหม่", tags=["วัด"]),
    dataset("budget", title="งบประมาณรายจ่ายประจำปีงบประมาณ 2563", tags=["งบประมาณ"]),
    # Seen by name only with a grant: its description holds สวนสาธารณะ, which must never count for it.
    dataset("secret-hotel", title="รายชื่อแขกโรงแรมกรุงเทพ", notes="แขกที่เดินสวนสาธารณะ",
            tags=["สวนสาธารณะ"], data_category="internal", data_classification="02", allow_harvest=True,
            license_id="other", organization={"name": "canaryorg", "title": "หน่วยงานคานารี", "title_en": None}),
]
ANALYST = Principal(kind="analyst", username="an",
                    grants=(Grant(categories=frozenset({"internal"}), max_level=2),))


def _alias_of(prefix: str, records: list[dict]):
    """A module-scoped fixture: an alias of its own holding ``records``, dropped afterwards."""
    @pytest.fixture(scope="module")
    def fixture(es):
        with loaded_alias(es, records, f"test_allw_{prefix}") as name:
            yield name
    return fixture


alias = _alias_of("", RECORDS)


def found(es, alias, q: str, who=ANONYMOUS) -> queries.SearchResult:
    return queries.search(es, alias, SearchParams(q=q, size=50, facets=()), who)


def ids(hits: list[dict]) -> set[str]:
    return {h["id"] for h in hits}


def test_records_holding_every_word_are_the_result_and_the_count(es, alias):
    result = found(es, alias, "โรงแรม กรุงเทพ")
    assert result.all_words and result.words == ["โรงแรม", "กรุงเทพ"]
    assert ids(result.hits) == {"hotel-bkk"} and result.total == 1
    assert ids(result.partial) == {"hotel-cm", "park-bkk"} and result.partial_total == 2
    lacks = {h["id"]: h["missing"] for h in result.partial}
    assert lacks == {"hotel-cm": ["กรุงเทพ"], "park-bkk": ["โรงแรม"]}


@pytest.mark.parametrize("words", [["โรงแรม", "กรุงเทพ", "สวนสาธารณะ"], ["เชียงใหม่", "วัด"],
                                   ["BMA", "สวนสาธารณะ"], ["งบประมาณ", "2020"]])
def test_adding_a_word_never_widens_the_headline_set(es, alias, words):
    previous = None
    for n in range(1, len(words) + 1):
        result = found(es, alias, " ".join(words[:n]))
        now = ids(result.hits) if result.all_words else set()
        assert previous is None or now <= previous, (words[:n], now, previous)
        previous = now


@pytest.mark.parametrize("q", ["hotels in Bangkok", "hotels near Bangkok", "hotels at Bangkok"])
def test_an_english_preposition_is_no_word_to_hold(es, alias, q):
    # "near" and "at" were concepts no Thai record holds: nothing matched all words
    result = found(es, alias, q)
    assert result.all_words and ids(result.hits) == {"hotel-bkk"}


def test_acronyms_and_translations_count_as_the_word(es, alias):
    assert ids(found(es, alias, "BMA สวนสาธารณะ").hits) == {"park-bkk"}
    assert ids(found(es, alias, "hotel เชียงใหม่").hits) == {"hotel-cm"}
    assert ids(found(es, alias, "budjet").hits) == {"budget"}


def test_when_no_record_holds_every_word_the_partial_matches_are_shown_as_such(es, alias):
    result = found(es, alias, "โรงแรม สวนสาธารณะ เชียงใหม่")
    assert not result.all_words and result.partial == []
    assert "hotel-cm" in ids(result.hits)
    assert all(h["missing"] for h in result.hits)


def test_a_word_inside_a_longer_one_counts(es, alias):
    # งบประมาณ inside ปีงบประมาณ (one token): found by its trigrams, with 2563 = 2020
    assert ids(found(es, alias, "ปีงบประมาณ 2020").hits) == {"budget"}


def test_partial_matches_never_show_records_the_visitor_cannot_see(es, alias):
    anonymous = found(es, alias, "โรงแรม สวนสาธารณะ")
    assert "secret-hotel" not in ids(anonymous.hits) | ids(anonymous.partial)
    analyst = found(es, alias, "โรงแรม สวนสาธารณะ", ANALYST)
    seen = {h["id"]: h for h in analyst.hits + analyst.partial}
    assert seen["secret-hotel"]["tier"] == "name"
    # judged by its name alone: it lacks สวนสาธารณะ, though its description says it
    assert seen["secret-hotel"]["missing"] == ["สวนสาธารณะ"]
    deeper = found(es, alias, "โรงแรม สวนสาธารณะ กรุงเทพ", ANALYST)
    assert not deeper.all_words or "secret-hotel" not in ids(deeper.hits)


def _app(alias: str, tmp_path):
    return create_app({"TESTING": True, "GDC_INDEX": alias, "SECRET_KEY": "test",
                       "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl"),
                       "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})


def test_the_page_says_how_many_match_all_words_and_what_partial_matches_lack(alias, tmp_path):
    app = _app(alias, tmp_path)
    page = app.test_client().get("/search", query_string={"q": "โรงแรม กรุงเทพ"}).get_data(as_text=True)
    assert "1 ชุดข้อมูลที่มีครบทุกคำ" in page
    assert 'id="partial-matches"' in page and "ไม่มีคำว่า: กรุงเทพ" in page
    english = app.test_client()
    english.set_cookie("gdc_lang", "en")
    page = english.get("/search", query_string={"q": "โรงแรม กรุงเทพ"}).get_data(as_text=True)
    assert "1 dataset matches all words" in page and "Missing: กรุงเทพ" in page
    none = app.test_client().get("/search", query_string={"q": "โรงแรม สวนสาธารณะ เชียงใหม่"}).get_data(as_text=True)
    assert "ไม่มีชุดข้อมูลที่มีครบทุกคำ" in none


def test_the_api_gives_the_partial_matches_only_when_asked(alias, tmp_path):
    client = _app(alias, tmp_path).test_client()
    plain = client.get("/api/v1/search", query_string={"q": "โรงแรม กรุงเทพ"}).get_json()
    assert plain["total"] == 1 and "partial" not in plain and "partial_total" not in plain
    asked = client.get("/api/v1/search", query_string={"q": "โรงแรม กรุงเทพ", "partial": "true"}).get_json()
    assert [r["dataset"]["id"] for r in asked["results"]] == ["hotel-bkk"] and asked["total"] == 1
    lacks = {r["dataset"]["id"]: r["missing"] for r in asked["partial"]}
    assert lacks == {"hotel-cm": ["กรุงเทพ"], "park-bkk": ["โรงแรม"]} and asked["partial_total"] == 2
    # The sensitive record holding สวนสาธารณะ and โรงแรม never shows to a visitor, counted or listed.
    deeper = client.get("/api/v1/search", query_string={"q": "โรงแรม สวนสาธารณะ", "partial": "1"}).get_json()
    assert "secret-hotel" not in {r["dataset"]["id"] for r in deeper["results"] + deeper.get("partial", [])}
    refused = client.get("/api/v1/search", query_string={"q": "x", "partial": "sometimes"})
    assert refused.status_code == 400 and "partial" in refused.get_data(as_text=True)


# A mixed query's partial matches: records holding the English term only, records holding the generic
# Thai word only. The Thai word used to bring its trigram bonus and the English term none, so every
# record of the Thai word came first (issue 15: mixed queries' recall below plain BM25).
PETROLEUM = ("sale", "import", "production")
MIXED = [
    dataset("petroleum-export", title="ข้อมูล Export of Petroleum Products", tags=["oil"]),
    *[dataset(f"petroleum-{what}", title=f"ข้อมูล {what.title()} of Petroleum Products", tags=["oil"])
      for what in PETROLEUM],
    *[dataset(f"feed-export-{i}", title=f"ข้อมูลส่งออกอาหารสัตว์ {region}", tags=["อาหารสัตว์"])
      for i, region in enumerate(["ภาคเหนือ", "ภาคใต้", "ภาคกลาง"])],
    *[dataset(f"other-{i}", title=f"ทะเบียนโรงเรียน {region}")
      for i, region in enumerate(["ภาคเหนือ", "ภาคใต้"])],
]


mixed_alias = _alias_of("mixed_", MIXED)


def test_a_mixed_querys_english_term_weighs_like_its_thai_word_among_partial_matches(es, mixed_alias):
    result = found(es, mixed_alias, "ส่งออก petroleum")
    assert ids(result.hits) == {"petroleum-export"}
    order = [h["id"] for h in result.partial]
    petroleum = [order.index(f"petroleum-{w}") for w in PETROLEUM]
    feed = [order.index(f"feed-export-{i}") for i in range(3)]
    assert sorted(petroleum + feed) == list(range(6)), order
    # as many records of each word: not every record of the Thai word before every one of the English term
    assert min(petroleum) < max(feed), order


# The same for a record writing the English term's Thai translation only: "Thailand Post สาขา" (no record
# holds both) listed every record saying สาขา, with its trigram bonus, before the post offices (ไปรษณีย์ไทย).
TRANSLATED = [
    *[dataset(f"post-{i}", title=f"รายชื่อที่ทำการ บริษัท ไปรษณีย์ไทย จำกัด {region}")
      for i, region in enumerate(["ภาคเหนือ", "ภาคใต้", "ภาคกลาง"])],
    *[dataset(f"sector-{i}", title=f"ปริมาณการจำหน่ายน้ำมันดีเซล สาขา{what}")
      for i, what in enumerate(["อุตสาหกรรม", "เกษตร", "ขนส่ง"])],
]
translated_alias = _alias_of("translated_", TRANSLATED)


def test_an_english_terms_thai_translation_weighs_like_the_typed_thai_word(es, translated_alias):
    result = found(es, translated_alias, "Thailand Post สาขา")
    order = [h["id"] for h in result.hits]
    assert not result.all_words and sorted(order) == sorted(d["id"] for d in TRANSLATED), order
    assert order[0].startswith("post-"), order


# A long question no record holds most of: ranked by how many of its words a record holds (as BM25
# does), not by its best single word — with the single best word (tie-breaker 0.1) the record naming one
# rare word in its title came first.
QUESTION = [
    dataset("europe-forest", title="ภูมิภาค", notes="ยุโรป ป่า ฟื้นฟู"),
    dataset("ice-title", title="น้ำแข็ง", notes="คำอธิบาย", tags=["น้ำแข็ง"]),
    *[dataset(f"filler-{i}", title=f"ทะเบียนโรงเรียน {region}")
      for i, region in enumerate(["ภาคเหนือ", "ภาคใต้", "ภาคกลาง", "ภาคตะวันออก"])],
]


# A question's function words that describe (แรก first, หลัง after) weigh a little, as BM25 weighs them by
# their rarity, where no record holds most of the question's topic words; they never match a record on
# their own, and the words that ask (ใคร, คือ) match nothing. Without the bonus the list came first.
DESCRIBED = [
    dataset("governor-first", title="ทำเนียบผู้ว่าราชการจังหวัดภูเก็ต", notes="รายชื่อผู้ดำรงตำแหน่งคนแรก"),
    dataset("governor-list", title="ทำเนียบผู้ว่าราชการจังหวัดภูเก็ต", notes="รายชื่อผู้ดำรงตำแหน่งทั้งหมด"),
    dataset("first-day", title="วันแรกของการเปิดภาคเรียน", notes="ใครคือครูคนแรก"),
]


question_alias = _alias_of("question_", QUESTION + DESCRIBED)


def test_a_long_question_ranks_records_by_how_many_of_its_words_they_hold(es, question_alias):
    result = found(es, question_alias, "ยุโรปเต็มไปด้วยป่าและฟื้นฟูจากยุคน้ำแข็งสุดท้ายเมื่อใด")
    assert not result.all_words
    order = [h["id"] for h in result.hits]
    assert order[:2] == ["europe-forest", "ice-title"], order


def test_a_questions_describing_word_ranks_but_never_matches(es, question_alias):
    result = found(es, question_alias, "ใครคือผู้ว่าราชการจังหวัดภูเก็ตคนแรกหลังสงครามโลกครั้งที่สอง")
    assert not result.all_words
    assert [h["id"] for h in result.hits] == ["governor-first", "governor-list"]
    assert "first-day" not in ids(result.partial)


# พ.ศ. marks a year; it is also the abbreviation of the National Office of Buddhism (พศ.), whose temple
# register held neither word of a budget search and was one of its partial matches all the same.
ERA = [
    dataset("budget-2565", title="งบประมาณรายจ่าย พ.ศ. 2565"),
    dataset("budget-2563", title="งบประมาณรายจ่าย พ.ศ. 2563"),
    dataset("temples", title="ทะเบียนวัดของสำนักงานพระพุทธศาสนาแห่งชาติ"),
]


era_alias = _alias_of("era_", ERA)


def test_the_era_marker_is_no_abbreviation_and_widens_nothing(es, era_alias):
    plain, marked = found(es, era_alias, "งบประมาณ 2565"), found(es, era_alias, "งบประมาณ พ.ศ. 2565")
    assert ids(marked.hits) == ids(plain.hits) == {"budget-2565"}
    assert ids(marked.partial) == ids(plain.partial) == {"budget-2563"}
    assert "temples" in ids(found(es, era_alias, "พศ").hits)  # typed alone, it is the office


# A range of years asks for any year of it.
YEARS = [dataset(f"budget-{y}", title=f"งบประมาณรายจ่าย ปี {y}") for y in (2560, 2561, 2563)]


years_alias = _alias_of("years_", YEARS)


def test_a_range_of_years_finds_any_year_of_it(es, years_alias):
    result = found(es, years_alias, "งบประมาณ ปี 2560-2562")
    assert result.all_words and ids(result.hits) == {"budget-2560", "budget-2561"}
    assert [(h["id"], h["missing"]) for h in result.partial] == [("budget-2563", ["2560–2562"])]


# "DOE" stems like "does"; typed in capitals it is the Department of Employment, a word the records must hold.
EMPLOYMENT = {"name": "doe", "title": "กรมการจัดหางาน", "title_en": "Department of Employment"}
DOE = [
    dataset("doe-budget", title="งบประมาณรายจ่ายกรมการจัดหางาน", organization=EMPLOYMENT),
    dataset("roads-budget", title="งบประมาณรายจ่ายกรมทางหลวง"),
]


doe_alias = _alias_of("doe_", DOE)


def test_an_abbreviation_in_capitals_narrows_whatever_word_it_stems_like(es, doe_alias):
    wide, narrow = found(es, doe_alias, "งบประมาณ"), found(es, doe_alias, "DOE งบประมาณ")
    assert ids(wide.hits) == {"doe-budget", "roads-budget"}
    assert ids(narrow.hits) == {"doe-budget"} and ids(narrow.partial) == {"roads-budget"}


# มลพิษ is inside a longer word of this description: the concept's trigrams find it, the words do not.
INSIDE = [dataset("environment", title="ข้อมูลด้านสิ่งแวดล้อม", notes="แก้ไขปัญหามลพิษสิ่งแวดล้อมในท้องถิ่น")]


inside_alias = _alias_of("inside_", INSIDE)


def test_a_word_found_inside_a_longer_one_is_still_found_beside_a_word_no_record_holds(es, inside_alias):
    alone, beside = found(es, inside_alias, "มลพิษ"), found(es, inside_alias, "ฝุ่น มลพิษ")
    assert ids(alone.hits) == {"environment"} and alone.all_words
    assert not beside.all_words
    assert [(h["id"], h["missing"]) for h in beside.hits] == [("environment", ["ฝุ่น"])]


# The same word typed in English: "budget" stands for งบประมาณ and finds it inside ปีงบประมาณ as the Thai
# word typed does (it found only records holding งบประมาณ as a word of its own).
FISCAL = [dataset("fiscal-year", title="รายจ่ายปีงบประมาณ 2563"),
          dataset("budget-word", title="งบประมาณรายจ่าย"),
          dataset("bkk-short", title="สวนสาธารณะในเขต กทม."),
          dataset("patients", title="บริการผู้ป่วยนอก"),
          dataset("patent", title="ข้อมูลการจดสิทธิบัตร (Patent)"),
          dataset("provincial", title="Provincial statistics", tags=["statistics"])]


fiscal_alias = _alias_of("fiscal_", FISCAL)


@pytest.mark.parametrize("q", ["งบประมาณ", "budget", "budjet"])
def test_a_thai_word_inside_a_longer_one_is_found_whatever_language_it_is_typed_in(es, fiscal_alias, q):
    result = found(es, fiscal_alias, q)
    assert result.all_words and ids(result.hits) == {"fiscal-year", "budget-word"}


def test_a_known_english_word_is_not_matched_one_typo_away(es, fiscal_alias):
    # patient ~ patent: the patents record held "patients" and was a headline result
    for q in ("patients", "patent"):
        result = found(es, fiscal_alias, q)
        assert result.all_words and ids(result.hits) == {q}
    assert ids(found(es, fiscal_alias, "patiens").hits) >= {"patients"}  # a typo is still forgiven
    province = found(es, fiscal_alias, "province")  # a form of the word, not a typo
    assert province.all_words and ids(province.hits) == {"provincial"}


@pytest.mark.parametrize("q", ["กรุงเทพมหานคร", "BMA", "Bangkok Metropolitan Administration"])
def test_an_acronym_holds_what_its_thai_name_holds_typed_in_thai(es, fiscal_alias, q):
    # the record writes กทม.; typed in Thai, กรุงเทพมหานคร is held in its abbreviation, and so is BMA
    result = found(es, fiscal_alias, f"{q} สวนสาธารณะ")
    assert result.all_words and ids(result.hits) == {"bkk-short"}


# An abbreviation holds the English terms of its Thai that it abbreviates: records saying them only in
# English.
SHORTENED = [dataset("jan-en", title="Export value, January 2020", tags=["export"]),
             dataset("jan-th", title="มูลค่าการส่งออก มกราคม 2563"),
             dataset("pea-en", title="Provincial Electricity Authority annual report", tags=["report"]),
             dataset("fisheries", title="Fisheries statistics", tags=["statistics"]),
             dataset("fish-th", title="ปริมาณปลาที่จับได้")]
shortened_alias = _alias_of("short_", SHORTENED)


@pytest.mark.parametrize("q, expected", [("jan", {"jan-en", "jan-th"}), ("Jan 2020", {"jan-en", "jan-th"}),
                                         ("january", {"jan-en", "jan-th"}), ("PEA", {"pea-en"}),
                                         ("pea report", {"pea-en"})])
def test_an_abbreviation_holds_the_english_terms_it_abbreviates(es, shortened_alias, q, expected):
    result = found(es, shortened_alias, q)
    assert result.all_words and ids(result.hits) == expected


def test_a_word_that_begins_another_is_no_abbreviation_of_it(es, shortened_alias):
    """fish stands for ปลา (and ประมง, as fishing stems to fish), not for the English word fisheries."""
    result = found(es, shortened_alias, "fish")
    assert result.all_words and "fisheries" not in ids(result.hits) and "fish-th" in ids(result.hits)


# An acronym typed by its letters' Thai names (จีดีพี) holds what the acronym holds.
SPELLED = [dataset("gdp-latin", title="GDP รายจังหวัด"),
           dataset("gdp-thai", title="ผลิตภัณฑ์มวลรวมในประเทศ รายไตรมาส"),
           dataset("gdp-spelled", title="จีดีพี ภาคเกษตร"),
           dataset("gps-bus", title="ตำแหน่ง GPS รถโดยสารประจำทาง"),
           dataset("good-service", title="บริการดี ไม่มีค่าใช้จ่าย")]
spelled_alias = _alias_of("spelled_", SPELLED)


@pytest.mark.parametrize("q, expected", [("จีดีพี", {"gdp-latin", "gdp-thai", "gdp-spelled"}),
                                         ("GDP", {"gdp-latin", "gdp-thai"}), ("จีพีเอส", {"gps-bus"}),
                                         ("จีพีเอส รถโดยสาร", {"gps-bus"}), ("ดี", {"good-service"})])
def test_an_acronym_spelled_in_thai_holds_what_it_holds_in_latin_letters(es, spelled_alias, q, expected):
    result = found(es, spelled_alias, q)
    assert result.all_words and ids(result.hits) == expected


# A Latin word written with hyphens is also that word written joined, both ways.
HYPHENATED = [dataset("onet-hyphen", title="ผลสอบ O-NET ชั้นมัธยมศึกษาปีที่ 6"),
              dataset("onet-joined", title="คะแนนเฉลี่ย ONET รายโรงเรียน"),
              dataset("wifi-joined", title="ความพึงพอใจต่อ WiFi ของนักท่องเที่ยว"),
              dataset("wifi-hyphen", title="จุดให้บริการ Wi-Fi ฟรี"),
              dataset("net-income", title="รายได้สุทธิ (net income) ของรัฐวิสาหกิจ"),
              dataset("file-link", title="ทะเบียนท่าเรือ", notes="ดาวน์โหลด https://example.org/wi-fi.csv")]
hyphenated_alias = _alias_of("hyphen_", HYPHENATED)


@pytest.mark.parametrize("q, expected", [("onet", {"onet-hyphen", "onet-joined"}),
                                         ("O-NET", {"onet-hyphen", "onet-joined"}),
                                         ("ผลสอบ onet", {"onet-hyphen"}),
                                         ("wi-fi", {"wifi-joined", "wifi-hyphen", "file-link"}),
                                         ("wifi", {"wifi-joined", "wifi-hyphen"}),
                                         ("Wi-Fi นักท่องเที่ยว", {"wifi-joined"})])
def test_a_latin_word_written_with_hyphens_is_the_word_written_joined(es, hyphenated_alias, q, expected):
    """"onet" finds the record saying O-NET, "wi-fi" the one saying WiFi; a link's file name joins nothing
    ("wifi" does not find file-link, whose link holds wi and fi apart, as "wi-fi" does), and O-NET is no
    net amount (net-income)."""
    result = found(es, hyphenated_alias, q)
    assert result.all_words and ids(result.hits) == expected


FILLERS = [dataset(f"hotel-{n:02d}", title=f"ทะเบียนโรงแรมแห่งที่ {n}", tags=["โรงแรม"]) for n in range(14)]


many_partial = _alias_of("fill", RECORDS + FILLERS)


def test_the_partial_matches_fill_the_last_page(es, many_partial):
    """One record holds every word, fifteen only โรงแรม: a page of 12 shows 1 + 11, not 1 + 10; a page
    of 5 still shows the ten best partial matches (``PARTIAL_SIZE``); never more than there are."""
    def page(size: int) -> queries.SearchResult:
        params = SearchParams(q="โรงแรม กรุงเทพ", size=size, facets=())
        return queries.search(es, many_partial, params, ANONYMOUS)

    wide, narrow, widest = page(12), page(5), page(50)
    assert ids(wide.hits) == {"hotel-bkk"} and wide.total == 1 and wide.partial_total == 16
    assert len(wide.partial) == 11 and len(narrow.partial) == queries.PARTIAL_SIZE
    assert len(widest.partial) == 16 and ids(widest.partial) >= ids(wide.partial)


GLOSSARY_PAIRS = [("budget", "งบประมาณ"), ("service", "บริการ"), ("pollution", "มลพิษ"), ("month", "เดือน"),
                  ("BMA", "กรุงเทพมหานคร")]


@pytest.mark.parametrize("english, thai", GLOSSARY_PAIRS)
def test_an_english_visitor_finds_every_sample_record_a_thai_visitor_finds(es, sample_alias, english, thai):
    """Each pair a glossary entry; before the Thai form's trigrams counted for the English word, "budget"
    found 64 of the sample's 121 records holding งบประมาณ, "pollution" none of มลพิษ's one; before the
    Thai's own equivalents counted, "BMA" found 81 of กรุงเทพมหานคร's 115 (those saying กทม or กรุงเทพ)."""
    in_thai = all_words(es, sample_alias, thai)
    assert in_thai and in_thai <= all_words(es, sample_alias, english)


@pytest.mark.parametrize("short, full", [("กทม", "กรุงเทพมหานคร"), ("กฟภ", "การไฟฟ้าส่วนภูมิภาค")])
def test_an_abbreviation_finds_every_sample_record_its_full_name_finds(es, sample_alias, short, full):
    """A sweep of the abbreviation list on the sample: กทม found 84 records, กรุงเทพมหานคร 115 (those saying
    กรุงเทพ or Bangkok); and the National Office of Buddhism was held by every record saying พ.ศ. (152
    records, its acronym NOB 108)."""
    in_full = all_words(es, sample_alias, full)
    assert in_full and in_full <= all_words(es, sample_alias, short)
    office = all_words(es, sample_alias, "สำนักงานพระพุทธศาสนาแห่งชาติ")
    assert office and office == all_words(es, sample_alias, "NOB")


@pytest.mark.parametrize("english, thai", [
    ("Office of the Permanent Secretary, Ministry of Public Health", "สำนักงานปลัดกระทรวงสาธารณสุข"),
    ("Department of Alternative Energy Development and Efficiency", "กรมพัฒนาพลังงานทดแทนและอนุรักษ์พลังงาน"),
    # typed without its legal form "(Public Organization)", as people do: 17 records, none before
    ("Designated Areas for Sustainable Tourism Administration", "อพท.")])
def test_an_agency_asked_for_by_its_english_name_finds_its_records(es, sample_alias, english, thai):
    """A sweep of the sample's agencies by name: ten English names of seven words or more found none or
    few of their agency's records (the first none of 41, the second 2 of 16), read word by word."""
    in_thai = all_words(es, sample_alias, thai)
    assert in_thai and in_thai <= all_words(es, sample_alias, english)


def test_a_province_whose_name_is_a_function_word_finds_what_its_english_name_finds(es, sample_alias):
    """"จังหวัดเลย" (Loei province; เลย, "at all", is a stop word) matched every sample record saying จังหวัด:
    213, for 3 that name Loei."""
    loei = all_words(es, sample_alias, "loei")
    assert loei and all_words(es, sample_alias, "จังหวัดเลย") == loei
    assert all_words(es, sample_alias, "ทะเบียนวัด จังหวัดเลย") <= loei


def test_a_region_finds_every_record_the_place_facet_counts_in_it(es, sample_alias):
    """No sample record says ภาคเหนือ: the region found nothing while its place facet counted 18."""
    body = {"query": {"term": {"place": "north"}}, "size": 1000, "_source": False}
    located = {h["_id"] for h in es.search(index=sample_alias, body=body)["hits"]["hits"]}
    assert located and all_words(es, sample_alias, "ภาคเหนือ") == located
    assert all_words(es, sample_alias, "northern region") == located


def test_silk_in_the_middle_of_a_query_is_silk(es, sample_alias):
    """ไหม is also the question particle ("…ไหม?"): "ไหมไทย" (Thai silk) asked for nothing but the full
    text and 124 sample records matched; the four silk records are what "silk" finds."""
    silk = all_words(es, sample_alias, "silk")
    assert silk and all_words(es, sample_alias, "ไหมไทย") == silk


def test_a_region_asked_for_by_name_is_not_its_direction_word_alone(es, sample_alias):
    """"ภาคกลาง" (the Central region) matched 76 sample records holding กลาง: median drug prices (ราคากลาง),
    medium-sized businesses (ขนาดกลาง). Now: records saying the region, or located in it."""
    central, middle = all_words(es, sample_alias, "ภาคกลาง"), all_words(es, sample_alias, "กลาง")
    body = {"query": {"term": {"place": "central"}}, "size": 1000, "_source": False}
    located = {h["_id"] for h in es.search(index=sample_alias, body=body)["hits"]["hits"]}
    assert located and located <= central and middle - central
    body = {"query": {"ids": {"values": sorted(central - located)}}, "size": 1000, "_source": ["record"]}
    for hit in es.search(index=sample_alias, body=body)["hits"]["hits"]:
        text = " ".join(str(v) for v in hit["_source"]["record"].values())
        assert "ภาค" in text and "กลาง" in text, hit["_id"]
    assert all_words(es, sample_alias, "central region") == central


@pytest.mark.parametrize("latin, thai", [("AOT", "ทอท."), ("PRD", "กรมประชาสัมพันธ์"), ("DOAE", "กรมส่งเสริมการเกษตร"),
                                         ("Department of Industrial Works", "กรมโรงงานอุตสาหกรรม")])
def test_an_agency_asked_for_in_english_finds_what_its_thai_name_finds_no_more(es, sample_alias, latin, thai):
    """An agency's name is not its parts apart: "AOT" held every record saying ท่าอากาศยาน and ไทย (the
    civil aviation department's and private airports, 13 for ทอท.'s 11), "PRD" an animal-learning record
    saying กรม and ประชาสัมพันธ์ apart — which the Thai name typed never held."""
    in_thai = all_words(es, sample_alias, thai)
    assert in_thai and all_words(es, sample_alias, latin) == in_thai


@pytest.mark.parametrize("typed, formats", [("csv", ["CSV"]), ("Excel", ["XLS", "XLSX"]), ("PDF", ["PDF"])])
def test_a_file_format_typed_finds_every_sample_record_offering_it(es, sample_alias, typed, formats):
    """"csv" found nothing at all: 337 sample records offer a CSV file, and no title says so."""
    body = {"query": {"terms": {"res_format": formats}}, "size": 1000, "_source": False}
    offering = {h["_id"] for h in es.search(index=sample_alias, body=body)["hits"]["hits"]}
    assert offering and offering <= all_words(es, sample_alias, typed)
    budget = all_words(es, sample_alias, "งบประมาณ")
    assert all_words(es, sample_alias, f"{typed} งบประมาณ") == budget & all_words(es, sample_alias, typed)


def test_a_short_querys_partial_matches_put_the_rarer_word_first(es, sample_alias):
    """No sample record holds both อุบัติเหตุ (4 records) and ถนน (7): the accident records come first, not a
    train leaflet that holds ถนน and the function word ทาง of the compound ทางถนน (by road)."""
    result = queries.search(es, sample_alias, SearchParams(q="อุบัติเหตุทางถนน", size=10, facets=()), ANONYMOUS)
    accidents = all_words(es, sample_alias, "อุบัติเหตุ")
    assert not result.all_words and accidents
    assert {h["id"] for h in result.hits[:len(accidents)]} == accidents


SLIPS = [("ไฟฟา", "ไฟฟ้า"), ("รองทุกข", "ร้องทุกข์"), ("ขอมูลประทานบัตร", "ข้อมูลประทานบัตร"),
         ("ทีตังสำนักงาน", "ที่ตั้งสำนักงาน")]


@pytest.mark.parametrize("slip, right", SLIPS)
def test_a_word_typed_without_its_tone_marks_finds_what_it_finds_typed_right(es, sample_alias, slip, right):
    """A sweep of the sample's Thai tags typed without tone marks found 32 of 263 finding fewer records: a
    correction held only itself (not ไฟฟ้า's "electricity"), and ข้อมูล, ที่ตั้ง corrected became words to hold
    (ขอมูลประทานบัตร: 1 record of 6). These four are among them; 12 are left (real words: ขาว, แร)."""
    typed_right = all_words(es, sample_alias, right)
    assert typed_right and typed_right <= all_words(es, sample_alias, slip)


def test_no_word_of_the_sample_loses_a_record_beside_a_word_no_record_holds(es, sample_alias):
    """Every tag of the bundled sample that is a concept (not a function or generic word, which need not
    be held): searched beside a word no record holds, it still finds every record it finds alone, as
    partial matches. Before the concepts' own clauses counted, 52 of 617 lost some (บริการ 120 → 62)."""
    from analyzers.concepts import concepts, understand

    tags = es.search(index=sample_alias, size=0, aggs={"t": {"terms": {"field": "tags", "size": 5000}}})
    words = [b["key"] for b in tags["aggregations"]["t"]["buckets"] if concepts(understand(b["key"]))]
    assert len(words) > 500

    def total(q: str) -> int:
        return queries.search(es, sample_alias, SearchParams(q=q, size=0, facets=()), ANONYMOUS,
                              partial=False).total

    lost = [(w, alone, beside) for w in words if (beside := total(f"{w} ฌฎฏฐ")) < (alone := total(w))]
    assert lost == []


# A frequency word is held by a record updated that often, declared or read from its text; a month's
# edition (เดือนมกราคม) is no monthly record.
SECRET = {"data_category": "internal", "data_classification": "02", "allow_harvest": True,
          "license_id": "other"}
FREQUENCIES = [
    dataset("fuel-declared", title="ราคาน้ำมันเชื้อเพลิงขายปลีก", update_frequency_unit="M"),
    dataset("fuel-stated", title="ราคาน้ำมันขายปลีกรายเดือน", update_frequency_unit=None),
    dataset("fuel-edition", title="ราคาน้ำมันขายปลีก เดือนมกราคม", update_frequency_unit=None),
    dataset("fuel-daily", title="ราคาน้ำมันขายปลีก", update_frequency_unit="D"),
    dataset("fuel-quarterly", title="ปริมาณการนำเข้าน้ำมันรายไตรมาส", update_frequency_unit=None),
    dataset("fuel-every", title="ราคาน้ำมันดีเซล ประกาศทุกเดือน", update_frequency_unit=None),
    dataset("fuel-apart", title="ราคาน้ำมันทุกชนิด เดือนมกราคม", update_frequency_unit=None),
    dataset("fuel-secret", title="ต้นทุนน้ำมันของหน่วยงาน", notes="ปรับปรุงรายวัน", update_frequency_unit="M",
            **SECRET),
]


frequency_alias = _alias_of("freq_", FREQUENCIES)


@pytest.mark.parametrize("q", ["ราคาน้ำมัน รายเดือน", "ราคาน้ำมัน monthly"])
def test_a_frequency_word_is_held_by_records_updated_that_often(es, frequency_alias, q):
    result = found(es, frequency_alias, q)
    assert result.all_words and ids(result.hits) == {"fuel-declared", "fuel-stated"}
    assert "fuel-edition" in ids(result.partial)
    daily = q.replace("รายเดือน", "รายวัน").replace("monthly", "daily")
    assert ids(found(es, frequency_alias, daily).hits) == {"fuel-daily"}


@pytest.mark.parametrize("q, held", [("ราคาน้ำมัน ทุกเดือน", {"fuel-every"}),
                                     ("ราคาน้ำมัน every month", set()), ("ราคาน้ำมัน เดือนละครั้ง", set())])
def test_a_frequency_said_in_several_words_is_held_as_one(es, frequency_alias, q, held):
    """ทุกเดือน is monthly — not ทุก (every) and เดือน (month) anywhere in a record (fuel-apart: every kind of
    fuel, January's edition); "every month" asks for no word "every"."""
    result = found(es, frequency_alias, q)
    assert result.all_words and ids(result.hits) == {"fuel-declared", "fuel-stated"} | held
    assert "fuel-apart" not in ids(result.hits)
    assert ids(found(es, frequency_alias, "ราคาน้ำมัน ทุกวัน").hits) == {"fuel-daily"}


def test_a_frequency_said_in_one_word_keeps_its_unit_findable(es, frequency_alias):
    """รายไตรมาส is one word (a quarterly record); ไตรมาส (quarter) still finds the record saying it."""
    assert ids(found(es, frequency_alias, "น้ำมัน รายไตรมาส").hits) == {"fuel-quarterly"}
    assert ids(found(es, frequency_alias, "น้ำมัน ไตรมาส").hits) == {"fuel-quarterly"}


def test_a_frequency_word_holds_a_record_seen_by_name_by_its_frequency_only(es, frequency_alias):
    """Its frequency is a name-tier facet; its description (รายวัน) never counts."""
    assert "fuel-secret" not in ids(found(es, frequency_alias, "น้ำมัน รายเดือน").hits)
    seen = {h["id"]: h["tier"] for h in found(es, frequency_alias, "น้ำมัน รายเดือน", ANALYST).hits}
    assert seen.get("fuel-secret") == "name"
    assert "fuel-secret" not in ids(found(es, frequency_alias, "น้ำมัน รายวัน", ANALYST).hits)


# A province typed is held by the records located in it (their places, read from the text: อำเภอปาย is in
# Mae Hong Son), on the full tier only; typed after จังหวัด, by a record naming it without the prefix.
PROVINCES = [with_derived(r) for r in (
    dataset("pai-clinic", title="สถานพยาบาลเอกชน", notes="สถานพยาบาลในอำเภอปาย"),
    dataset("nonthaburi-market", title="ตลาดนัดนนทบุรี"),
    dataset("bangkok-market", title="ตลาดนัดกรุงเทพมหานคร"),
    dataset("pai-cafe", title="ร้านกาแฟในปาย"),
    dataset("pai-secret", title="สถานพยาบาลลับ", notes="สถานพยาบาลในอำเภอปาย", **SECRET),
    dataset("bkk-short", title="ตลาดนัดในเขต กทม."),
    dataset("bkk-english", title="Bangkok fresh markets"),
    dataset("nakhon-si", title="ตลาดนัดนครศรีธรรมราช"),
    dataset("lat-lum-kaeo", title="ตลาดนัด อ.ลาดหลุมแก้ว จ.ปทุมธานี"),
)]


province_alias = _alias_of("prov_", PROVINCES)


@pytest.mark.parametrize("q, expected", [
    ("แม่ฮ่องสอน", {"pai-clinic"}), ("จังหวัดแม่ฮ่องสอน", {"pai-clinic"}), ("Mae Hong Son", {"pai-clinic"}),
    ("จังหวัดนนทบุรี", {"nonthaburi-market"}), ("จ.นนทบุรี ตลาดนัด", {"nonthaburi-market"}),
    ("ร้านกาแฟ อำเภอปาย", {"pai-cafe"}), ("อำเภอปาย", {"pai-clinic", "pai-cafe"}),
    ("Nonthaburi province", {"nonthaburi-market"}), ("Mae Hong Son province", {"pai-clinic"}),
    ("Pai district", {"pai-clinic", "pai-cafe"}), ("Amphoe Pai", {"pai-clinic", "pai-cafe"}),
    # Bangkok after จังหวัด keeps what its name stands for (กทม, Bangkok); จ./อ. against a name is apart
    *[(q, {"bangkok-market", "bkk-short", "bkk-english"}) for q in (
        "กรุงเทพมหานคร", "จังหวัดกรุงเทพมหานคร", "จังหวัด กรุงเทพมหานคร", "จ.กรุงเทพมหานคร",
        "จังหวัดกรุงเทพ")],
    ("จ.นครศรีธรรมราช", {"nakhon-si"}), ("ตลาดนัด จ.นครศรีธรรมราช", {"nakhon-si"}),
    ("อ.ลาดหลุมแก้ว", {"lat-lum-kaeo"}), ("ตลาดนัด จ.ปทุมธานี", {"lat-lum-kaeo"})])
def test_a_province_or_district_typed_is_held_by_records_located_in_it(es, province_alias, q, expected):
    result = found(es, province_alias, q)
    assert result.all_words and ids(result.hits) == expected


def test_fy_is_a_fiscal_year(es, alias):
    """FY, as English reports write a Thai fiscal year, is ปีงบประมาณ: not the letters fy no record holds."""
    result = found(es, alias, "budget FY 2563")
    assert result.all_words and ids(result.hits) == {"budget"}


def test_a_province_holds_a_record_seen_by_name_only_by_its_name_alone(es, province_alias):
    """Its place is read from its description, which a name-only grant hides."""
    result = found(es, province_alias, "สถานพยาบาล แม่ฮ่องสอน", ANALYST)
    assert result.all_words and ids(result.hits) == {"pai-clinic"}
    assert "pai-secret" in ids(found(es, province_alias, "สถานพยาบาล", ANALYST).hits)


# A year typed is held by the records covering it (their years, read from the title and the files: the
# year facet), on the full tier only; a law's year is no coverage.
YEARS = [with_derived(r) for r in (
    dataset("complaints-range", title="สถิติเรื่องร้องเรียน ปี 2550-2563"),
    dataset("complaints-2555", title="สถิติเรื่องร้องเรียน ปี 2555"),
    dataset("complaints-files", title="สถิติเรื่องร้องเรียน",
            resources=[{"name": f"เรื่องร้องเรียน ปี {y}", "format": "CSV",
                        "url": f"https://example.go.th/{y}.csv"} for y in (2553, 2554, 2556)]),
    dataset("complaints-later", title="สถิติเรื่องร้องเรียน ปี 2564"),
    dataset("complaints-january", title="สถิติเรื่องร้องเรียน เดือนมกราคม 2561"),
    dataset("complaints-secret", title="เรื่องร้องเรียนลับ",
            resources=[{"name": "เรื่องร้องเรียน ปี 2555", "format": "CSV",
                        "url": "https://example.go.th/s.csv"}],
            **SECRET),
)]


year_alias = _alias_of("year_", YEARS)


@pytest.mark.parametrize("q, expected", [
    ("ร้องเรียน 2555", {"complaints-range", "complaints-2555", "complaints-files"}),
    ("ร้องเรียน ปี 2555", {"complaints-range", "complaints-2555", "complaints-files"}),
    ("ร้องเรียน 2012", {"complaints-range", "complaints-2555", "complaints-files"}),
    ("ร้องเรียน 2557", {"complaints-range"}),
    ("ร้องเรียน 2564-2565", {"complaints-later"}),
    ("ร้องเรียน 2554-2555", {"complaints-range", "complaints-2555", "complaints-files"}),
    # written short after its word, as people write a Buddhist-era year
    ("ร้องเรียน ปี 55", {"complaints-range", "complaints-2555", "complaints-files"}),
    ("ร้องเรียน พ.ศ. 57", {"complaints-range"}),
    ("ร้องเรียน ปี 64-65", {"complaints-later"}),
    ("ร้องเรียน 2554-55", {"complaints-range", "complaints-2555", "complaints-files"}),
    # after a month, as "มกราคม 61" in a record is read
    ("ร้องเรียน มกราคม 61", {"complaints-january"}), ("ร้องเรียน ม.ค. 61", {"complaints-january"}),
    ("ร้องเรียน Jan 2018", {"complaints-january"})])
def test_a_year_typed_is_held_by_the_records_covering_it(es, year_alias, q, expected):
    """"สถิติเรื่องร้องเรียน ปี 2550-2563" covers 2555 without spelling it; so do a record's files."""
    result = found(es, year_alias, q)
    assert result.all_words and ids(result.hits) == expected


def test_a_record_seen_by_name_only_is_not_held_by_the_years_its_files_cover(es, year_alias):
    """The year facet is no name-tier facet: its files are what a name-only grant never sees."""
    assert "complaints-secret" not in ids(found(es, year_alias, "ร้องเรียน 2555", ANALYST).hits)
    short = found(es, year_alias, "ร้องเรียน ปี 55", ANALYST)
    assert short.all_words and "complaints-secret" not in ids(short.hits)
    assert "complaints-secret" in ids(found(es, year_alias, "ร้องเรียน", ANALYST).hits)


# A licence typed by any of its names is held by the records under it (the licence facet), on the full
# tier only; "license" alone or "creative commons" is no licence.
LICENCES = [with_derived(r) for r in (
    dataset("map-ccby", title="แผนที่ป่าชายเลน", license_id="cc-by"),
    dataset("map-ccbysa", title="แผนที่แนวปะการัง", license_id="cc-by-sa"),
    dataset("map-ogl", title="แผนที่เขตอุทยาน", license_id="dga-ogl"),
    dataset("map-secret", title="แผนที่ฐานทัพ", **(SECRET | {"license_id": "dga-ogl"})),
)]


licence_alias = _alias_of("licence_", LICENCES)


@pytest.mark.parametrize("q, expected", [
    ("แผนที่ CC-BY", {"map-ccby"}), ("CC BY", {"map-ccby"}), ("cc-by-4.0 แผนที่", {"map-ccby"}),
    ("Creative Commons Attribution", {"map-ccby"}), ("CC BY-SA", {"map-ccbysa"}),
    ("cc by sa", {"map-ccbysa"}), ("Open Government License", {"map-ogl"}), ("OGL แผนที่", {"map-ogl"})])
def test_a_licence_typed_is_held_by_the_records_under_it(es, licence_alias, q, expected):
    """No record spells its licence: the names are the code list's, read from the licence facet."""
    result = found(es, licence_alias, q)
    assert result.all_words and ids(result.hits) == expected


def test_a_licence_typed_never_holds_a_record_seen_by_name_only(es, licence_alias):
    result = found(es, licence_alias, "Open Government License", ANALYST)
    assert result.all_words and ids(result.hits) == {"map-ogl"}
    assert "map-secret" in ids(found(es, licence_alias, "แผนที่", ANALYST).hits)


# A school grade abbreviated (ม.6, ป.6) is held by a record writing it in full, with or without ชั้น; the
# full name typed is not held by an address's ม.3 (หมู่ 3, a village number).
GRADES = [
    dataset("onet-m6", title="ผลสอบ O-NET ชั้นมัธยมศึกษาปีที่ 6 รายโรงเรียน", tags=["onet"]),
    dataset("onet-p6", title="ผลสอบ O-NET ชั้นประถมศึกษาปีที่ 6 รายโรงเรียน", tags=["onet"]),
    dataset("students-m6", title="จำนวนนักเรียน ชั้นมัธยมศึกษาปีที่ 6 จังหวัดตาก"),
    dataset("clinic", title="ที่ตั้งคลินิก", notes="เลขที่ 12 ม.3 ตำบลบ้านใหม่ ที่ตั้งคลินิกชุมชน"),
]


grade_alias = _alias_of("grade_", GRADES)


@pytest.mark.parametrize("q, expected", [
    ("ONET ม.6", {"onet-m6"}), ("ผลสอบ O-NET ม.6", {"onet-m6"}), ("onet ชั้น ม.6", {"onet-m6"}),
    ("onet ป.6", {"onet-p6"}), ("ผลสอบ onet ชั้น ป.6", {"onet-p6"}), ("นักเรียน ม.6", {"students-m6"})])
def test_a_school_grade_abbreviated_is_held_by_the_records_writing_it_in_full(es, grade_alias, q, expected):
    result = found(es, grade_alias, q)
    assert result.all_words and ids(result.hits) == expected


def test_a_school_grade_typed_in_full_is_not_held_by_an_addresss_village_number(es, grade_alias):
    # no record holds every word (the clinic holds 3, not มัธยมศึกษา): the hits are partial matches
    assert not found(es, grade_alias, "มัธยมศึกษาปีที่ 3").all_words
    assert ids(found(es, grade_alias, "ม.3 คลินิก").hits) == {"clinic"}  # as typed it still finds it


# A law is written in full (พระราชบัญญัติ) or abbreviated (พ.ร.บ.); either typed finds both.
LAWS = [
    dataset("factory-act", title="รายชื่อโรงงานตาม พ.ร.บ.โรงงาน พ.ศ. 2535"),
    dataset("maritime-act", title="พระราชบัญญัติการรักษาผลประโยชน์ของชาติทางทะเล พ.ศ. 2562"),
    dataset("decree", title="ข้อมูลการยกฐานะตำบลตาม พ.ร.ฎ. จัดตั้งอำเภอ"),
    dataset("blessing", title="บทสวดให้พร ประจำวัน"),
]


law_alias = _alias_of("law_", LAWS)


@pytest.mark.parametrize("q, expected", [
    ("พระราชบัญญัติ", {"factory-act", "maritime-act"}), ("พ.ร.บ.", {"factory-act", "maritime-act"}),
    ("พรบ", {"factory-act", "maritime-act"}), ("พระราชกฤษฎีกา อำเภอ", {"decree"}),
    ("พ.ร.บ. โรงงาน", {"factory-act"})])
def test_a_law_abbreviated_or_in_full_is_held_by_the_records_writing_either(es, law_alias, q, expected):
    result = found(es, law_alias, q)
    assert result.all_words and ids(result.hits) == expected


def test_the_words_a_record_lacks_are_shown_as_typed(es, law_alias, grade_alias, tmp_path):
    """Not as the search reads them (พรบ, onet, ชั้นม 6): dots, capitals and spaces as the visitor wrote."""
    q = "พ.ร.บ. โรงงาน ๒๕๓๕ PM2.5"
    result = found(es, law_alias, q)
    assert result.words == ["พ.ร.บ.", "โรงงาน", "๒๕๓๕", "PM2.5"] and not result.all_words
    lacks = {h["id"]: h["missing"] for h in result.hits}  # no record holds all: the hits are partial
    assert lacks["factory-act"] == ["PM2.5"] and lacks["maritime-act"] == ["โรงงาน", "๒๕๓๕", "PM2.5"]
    api = _app(law_alias, tmp_path).test_client().get("/api/v1/search", query_string={"q": q}).get_json()
    assert {r["dataset"]["id"]: r["missing"] for r in api["results"]} == lacks
    grade = found(es, grade_alias, "O-NET ชั้น ม.6 ตาก")
    assert grade.words == ["O-NET", "ชั้น ม.6", "ตาก"]
    assert {h["id"]: h["missing"] for h in grade.hits}["onet-m6"] == ["ตาก"]
