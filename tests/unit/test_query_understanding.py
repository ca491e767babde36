"""analyzers.query.understand and portal.search.relevance.text_query (asserted as dicts, no node)."""
from __future__ import annotations

import json

import pytest

from analyzers.concepts import concepts
from analyzers.query import understand
from analyzers import spelling, thai
from analyzers.spelling import english_correction, is_a_word
from analyzers.stopwords import describing_words, function_words
from indexer import mapping as m
from portal.search.relevance import DESCRIBING_BOOST, text_query


@pytest.mark.parametrize("typed", ["กฟภ.", "กฟภ", "ก.ฟ.ภ.", "PEA"])
def test_abbreviation_expands_with_or_without_dots(typed):
    assert ("การไฟฟ้าส่วนภูมิภาค",) in understand(typed).variants


def test_full_name_expands_to_abbreviation():
    assert ("สพฐ",) in understand("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน").variants


def test_expansion_replaces_only_the_abbreviation():
    plan = understand("ข้อมูล กทม. ปี ๒๕๖๓")
    assert plan.words == ("ข้อมูล", "กทม", "ปี", "2563")
    assert ("ข้อมูล", "กรุงเทพมหานคร", "ปี", "2563") in plan.variants
    assert plan.variant_weights[0] == 1.0


@pytest.mark.parametrize("typed, full", [
    ("ONET ม.6", ("onet", "มัธยมศึกษา", "ปี", "ที่", "6")),
    ("ม. ๖ onet", ("มัธยมศึกษา", "ปี", "ที่", "6", "onet")),
    ("ONET ม.6", ("onet", "ชั้นมัธยมศึกษา", "ปี", "ที่", "6")),
    ("นักเรียน ป.6", ("นักเรียน", "ประถมศึกษา", "ปี", "ที่", "6")),
    ("ป.ตรี", ("ปริญญาตรี",)), ("ม.ปลาย", ("มัธยมศึกษาตอนปลาย",))])
def test_a_school_grade_or_degree_abbreviated_also_asks_for_its_full_name(typed, full):
    assert full in understand(typed).variants


def test_a_known_phrase_typed_apart_is_no_stray_letter_of_the_word_before():
    """ม alone is a piece the segmenter cannot read, which a correction joins to the word before (นักเรียนม
    → นักเรียน); typed apart and known as ม.6, it is the grade."""
    assert [c.text for c in concepts(understand("นักเรียน ม.6"))] == ["นักเรียน", "ม 6"]
    assert [c.text for c in concepts(understand("นักเรียน ม.ต้น"))] == ["นักเรียน", "มต้น"]


@pytest.mark.parametrize("typed, full", [
    ("พ.ร.บ.", ("พระราชบัญญัติ",)), ("พ.ร.ก.", ("พระราชกำหนด",)), ("พ.ร.ฎ.", ("พระราชกฤษฎีกา",)),
    ("สสจ.", ("สำนักงาน", "สาธารณสุข", "จังหวัด")),
    ("อสม.", ("อาสาสมัคร", "สาธารณสุข", "ประจำ", "หมู่บ้าน"))])
def test_a_law_or_a_local_health_service_abbreviated_is_one_concept_with_its_full_name(typed, full):
    """Before the list knew them, พ.ร.บ. was two concepts (พร, a blessing, and บ) and สสจ. a member of
    parliament (สส) and จ."""
    [concept] = concepts(understand(typed))
    assert full in concept.alternatives and concept.label == typed


@pytest.mark.parametrize("typed, labels", [
    ("O-NET ชั้น ม.6", ["O-NET", "ชั้น ม.6"]), ("PM2.5 กทม.", ["PM2.5", "กทม."]),
    ("ภาษี ๒๕๖๓", ["ภาษี", "๒๕๖๓"]), ("ประชากร ปี 2560-2562", ["ประชากร", "2560–2562"])])
def test_a_concept_is_labelled_as_typed(typed, labels):
    """What "missing: …" shows; a range of years, rewritten as one concept, keeps its text."""
    assert [c.label for c in concepts(understand(typed))] == labels


@pytest.mark.parametrize("full", ["มัธยมศึกษาปีที่ 3", "ประถมศึกษาปีที่ 3", "ปริญญาตรี"])
def test_a_school_grade_typed_in_full_is_not_read_as_its_abbreviation(full):
    """One way only: ม.3 is also หมู่ 3 (a village in an address) and มาตรา 3; ป. many things."""
    variants = understand(full).variants
    assert not any({"ม", "ป"} & set(variant) for variant in variants), variants


def test_a_function_word_beside_other_words_is_no_abbreviation():
    # พ.ศ. is the era marker of a year, and also the National Office of Buddhism's abbreviation (พศ.)
    words = {w for variant in understand("งบประมาณ พ.ศ. 2565").variants for w in variant}
    assert words.isdisjoint({"สำนักงานพระพุทธศาสนาแห่งชาติ", "พุทธศักราช"})
    # typed alone it is the office; an acronym in capitals is expanded whatever word it stems like
    assert ("สำนักงานพระพุทธศาสนาแห่งชาติ",) in understand("พศ").variants
    assert ("กรมการจัดหางาน", "งบประมาณ") in understand("DOE งบประมาณ").variants


def test_an_abbreviation_in_capitals_is_asked_for_whatever_word_it_stems_like():
    # "DOE" stems like "does": expanded to the Department of Employment, it is also a word to hold
    def asked(q: str) -> list[tuple[str, ...]]:
        return [c.alternatives for c in concepts(understand(q))]

    doe, *rest = asked("DOE งบประมาณ")
    assert doe[:2] == (("doe",), ("กรมการจัดหางาน",)) and rest == asked("งบประมาณ")
    assert asked("doe งบประมาณ") == asked("LIST งบประมาณ") == asked("งบประมาณ")  # "does"; รายชื่อ is generic


def test_a_compound_is_offered_said_with_less():
    from analyzers.concepts import broader_queries

    assert broader_queries(understand("ค่าไฟฟ้า")) == ["ไฟฟ้า"]  # a measure's head is left out
    # a thing's head is offered too
    assert broader_queries(understand("ภาษีเงินได้ ภูเก็ต")) == ["เงินได้ ภูเก็ต", "ภาษี ภูเก็ต"]
    # loan words, compounds without such a head, words that are nothing but a head, English: nothing
    for q in ("โควิด", "แรงงาน", "สนามบิน", "ไฟฟ้า", "ค่า", "hotel"):
        assert broader_queries(understand(q)) == [], q


def test_a_range_of_years_is_one_concept_held_by_any_year_of_it():
    def asked(q: str) -> list[tuple[str, tuple]]:
        return [(c.text, c.alternatives) for c in concepts(understand(q))]

    assert asked("ปี ๒๕๖๐ – ๒๕๖๒") == [("2560–2562", (("2560",), ("2561",), ("2562",)))]
    assert asked("ปี 2560-62") == [("2560–2562", (("2560",), ("2561",), ("2562",)))]
    # two years that are no range (apart, reversed, too far apart) stay two concepts
    for q in ("2560 2562", "2562-2560", "2500-2560"):
        assert len(asked(q)) == 2, q


def test_synonym_weighs_less_than_the_typed_words():
    plan = understand("tourism")
    weights = dict(zip(plan.variants, plan.variant_weights))
    assert weights[("tourism",)] == 1.0 and weights[("ท่องเที่ยว",)] < 1.0


def test_longest_phrase_wins():
    assert ("โควิด", "19", "19") not in understand("โควิด-19").variants


def test_compound_split_variant():
    assert ("กรม", "การขนส่ง", "ทางบก", "ขนส่งทางบก") in understand("กรมการขนส่งทางบก").variants


@pytest.mark.parametrize("q", ['title:"x" AND (y OR z*)~2 ^3 [a TO b] {c} \\ / ! -', "+โรงเรียน -วัด*"])
def test_lucene_syntax_is_text(q):
    body = json.dumps(text_query(understand(q)), ensure_ascii=False)
    assert "query_string" not in body and "simple_query_string" not in body
    assert "match_none" in body or "combined_fields" in body


def test_empty_and_emoji_queries_match_nothing():
    for q in ["", "   ", "😀🙏", "!!!", None]:
        plan = understand(q)
        assert plan.empty
        assert text_query(plan) == {"match_none": {}}


def test_long_query_is_cut():
    assert len(understand("ก" * 5000).text) == 500


def test_full_tier_fields_and_boosts():
    clause = json.dumps(text_query(understand("โรงเรียน กรุงเทพ")))
    for field in (m.TITLE_WORDS, m.TAGS_WORDS, m.ORGANIZATION_WORDS, m.NOTES_WORDS, m.TITLE_SUB, m.NOTES_SUB,
                  m.TITLE_SHINGLES):
        assert field in clause
    assert f"{m.TITLE_WORDS}^4" in clause and f"{m.TAGS_WORDS}^3" in clause


def test_name_tier_never_touches_description_or_tags():
    clause = json.dumps(text_query(understand("ข้อมูลโรงเรียน typo statistcs กฟภ"), fields="name"))
    for field in (m.NOTES_WORDS, m.NOTES_SUB, m.TAGS_WORDS, m.NOTES_EN):
        assert field not in clause
    assert m.TITLE_WORDS in clause and m.ORGANIZATION_WORDS in clause


@pytest.mark.parametrize("typed, code, offered", [("csv", "csv", "CSV"), ("Excel", "xls", "XLSX"),
                                                  ("SHP", "shapefile", "SHP"), ("docx", "doc", "DOC"),
                                                  ("XLS/XLSX", "xls", "XLS")])  # the code list's label
def test_a_file_format_typed_is_held_by_records_offering_it_on_the_full_tier_only(typed, code, offered):
    from portal.search.relevance import all_words_query

    full = json.dumps(all_words_query(understand(f"{typed} ประชากร")))
    assert f'{{"term": {{"{m.DATA_FORMAT}": "{code}"}}}}' in full and f'"{offered}"' in full
    name = json.dumps(all_words_query(understand(f"{typed} ประชากร"), "name"))
    assert m.DATA_FORMAT not in name and m.RES_FORMAT not in name


@pytest.mark.parametrize("typed, code", [("GIS", "2"), ("ภูมิสารสนเทศ", "2"), ("geospatial data", "2"),
                                         ("ระเบียน", "1"), ("records", "1"),
                                         ("ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "2"), ("ข้อมูลระเบียน", "1")])
def test_a_data_type_typed_is_held_by_records_of_that_type_on_the_full_tier_only(typed, code):
    from portal.search.relevance import all_words_query

    held = f'{{"term": {{"{m.DATA_TYPE}": "{code}"}}}}'
    assert held in json.dumps(all_words_query(understand(f"{typed} กรุงเทพ")), ensure_ascii=False)
    assert m.DATA_TYPE not in json.dumps(all_words_query(understand(f"{typed} กรุงเทพ"), "name"))


def test_a_data_types_thai_label_typed_whole_is_one_concept_with_its_english():
    """The facet's own label, typed as the facet shows it, asks for one kind of data, not for เชิง and พื้นที่
    apart; the statistics label stays a generic word, other lists' labels (ไม่มี) stay words."""
    [label] = concepts(understand("ข้อมูลภูมิสารสนเทศเชิงพื้นที่"))
    assert ("geospati", "data") in label.alternatives
    assert [c.text for c in concepts(understand("ข้อมูลสถิติ ประชากร"))] == ["ประชากร"]
    assert all(("none",) not in c.alternatives for c in concepts(understand("ไม่มี ข้อมูล ประชากร")))


@pytest.mark.parametrize("typed, code", [
    ("CC-BY", "cc-by"), ("cc-by-4.0", "cc-by"), ("Creative Commons Attribution", "cc-by"),
    ("CC BY-NC-SA", "cc-by-nc-sa"), ("Open Government License", "dga-ogl"), ("OGL", "dga-ogl")])
def test_a_licence_typed_is_one_concept_held_by_records_under_it_on_the_full_tier_only(typed, code):
    from portal.search.relevance import all_words_query

    [licence, _] = concepts(understand(f"{typed} ประชากร"))
    held = f'{{"term": {{"{m.LICENSE_ID}": "{code}"}}}}'
    assert held in json.dumps(all_words_query(understand(f"{typed} ประชากร")), ensure_ascii=False)
    assert m.LICENSE_ID not in json.dumps(all_words_query(understand(f"{typed} ประชากร"), "name"))


@pytest.mark.parametrize("typed", ["license", "creative commons", "open data", "อื่นๆ", "ไม่ระบุ"])
def test_a_word_of_a_licence_or_a_closed_one_is_no_licence(typed):
    from portal.search.relevance import all_words_query

    assert m.LICENSE_ID not in json.dumps(all_words_query(understand(typed)) or {})


@pytest.mark.parametrize("typed", ["2 หลา", "อัลบั้มที่ 3", "other", "multi", "อื่นๆ", "ประชากร"])
def test_a_number_or_a_word_for_no_kind_of_data_is_no_data_type(typed):
    from portal.search.relevance import all_words_query

    assert m.DATA_TYPE not in json.dumps(all_words_query(understand(typed)) or {})


@pytest.mark.parametrize("typed", ["word", "text", "image", "database", "zip", "ประชากร"])
def test_a_word_that_is_no_file_format_holds_no_format(typed):
    from portal.search.relevance import all_words_query

    assert m.RES_FORMAT not in json.dumps(all_words_query(understand(f"{typed} 2565")))


def test_a_province_whose_name_is_a_function_word_is_asked_for_with_its_prefix():
    """เลย ("at all") is a stop word: "จังหวัดเลย" asked for จังหวัด alone, every record naming a province."""
    [loei] = concepts(understand("จังหวัดเลย"))
    assert ("จังหวัด", "เลย") in loei.alternatives and ("loei",) in loei.alternatives
    # shown as Thai is written, its words run together
    assert [c.text for c in concepts(understand("ทะเบียนวัด จังหวัดเลย"))] == ["ทะเบียนวัด", "จังหวัดเลย"]
    assert concepts(understand("เลย")) == ()  # alone, it is still the function word


def test_a_region_is_its_whole_name_in_either_language():
    """ภาค is a function word: "ภาคกลาง" (the Central region) asked for กลาง, "middle", alone."""
    [central] = concepts(understand("ภาคกลาง"))
    assert central.alternatives[0] == ("ภาค", "กลาง") and ("central", "region") in central.alternatives
    assert ("ภาค", "กลาง") in concepts(understand("central region"))[0].alternatives
    assert [c.text for c in concepts(understand("โรงเรียน ภาคตะวันออก"))] == ["โรงเรียน", "ภาคตะวันออก"]
    assert [c.text for c in concepts(understand("ข้อมูลภูมิสารสนเทศเชิงพื้นที่ อำเภอกงไกรลาศ"))] == [
        "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "อำเภอกงไกรลาศ"]


def test_a_region_is_held_by_records_located_in_it_on_the_full_tier_only():
    from portal.search.relevance import all_words_query

    assert [c.places for c in concepts(understand("โรงเรียน ภาคเหนือ"))] == [(), ("north",)]
    assert concepts(understand("northeastern region"))[0].places == ("northeast",)
    assert concepts(understand("ภาคอีสาน"))[0].places == ("northeast",)
    place = f'{{"terms": {{"{m.PLACE}": ["north"]}}}}'
    assert place in json.dumps(all_words_query(understand("โรงเรียน ภาคเหนือ")), ensure_ascii=False)
    assert m.PLACE not in json.dumps(all_words_query(understand("โรงเรียน ภาคเหนือ"), "name"))


@pytest.mark.parametrize("typed, code, forms", [
    ("รายเดือน", "M", [("รายเดือน",)]), ("monthly", "M", [("month",), ("รายเดือน",)]),
    ("รายปี", "A", [("รายปี",)]), ("yearly", "A", [("year",), ("ประจำปี",)]), ("daily", "D", [("daili",)]),
    ("real-time", "R", [("real", "time"), ("ตาม", "เวลาจริง"), ("realtime",), ("เรียลไทม์",)]),
    ("รายไตรมาส", "Q", [("รายไตรมาส",), ("ราย", "ไตรมาส")]),
    ("รายชั่วโมง", "H", [("รายชั่วโมง",), ("ราย", "ชั่วโมง")])])
def test_a_frequency_word_is_its_frequency_not_the_bare_unit(typed, code, forms):
    """"monthly" is not every record saying เดือน (month), nor "yearly" every one saying ปี; a record
    updated that often holds it, on both tiers (the frequency is a name-tier facet)."""
    from portal.search.relevance import all_words_query

    [concept] = concepts(understand(typed))
    assert (concept.frequency, list(concept.alternatives)) == (code, forms)
    for tier in ("full", "name"):
        held = f'{{"term": {{"{m.UPDATE_FREQUENCY_UNIT}": "{code}"}}}}'
        assert held in json.dumps(all_words_query(understand(f"ประชากร {typed}"), tier), ensure_ascii=False)


@pytest.mark.parametrize("typed, text, code, forms", [
    ("ทุกเดือน", "ทุกเดือน", "M", [("ทุก", "เดือน"), ("รายเดือน",)]),
    ("เดือนละ 1 ครั้ง", "เดือนละ 1 ครั้ง", "M", [("เดือน", "ละ", "1", "ครั้ง"), ("รายเดือน",)]),
    ("every month", "every month", "M", [("everi", "month"), ("รายเดือน",)]),
    ("ทุก 6 เดือน", "ทุก 6 เดือน", "S", [("ทุก", "6", "เดือน"), ("รายครึ่งปี",), ("ราย", "ครึ่ง", "ปี")]),
    ("semi-annual", "semi annual", "S", [("semi", "annual"), ("semiannual",), ("รายครึ่งปี",),
                                         ("ราย", "ครึ่ง", "ปี")]),
    ("ปีละครั้ง", "ปีละครั้ง", "A", [("ปี", "ละ", "ครั้ง"), ("รายปี",)]),
    ("ทุกวัน", "ทุกวัน", "D", [("ทุกวัน",), ("รายวัน",)]),
    ("ทุก 3 เดือน", "ทุก 3 เดือน", "Q", [("ทุก", "3", "เดือน"), ("รายไตรมาส",), ("ราย", "ไตรมาส")]),
    ("ปีละ 2 ครั้ง", "ปีละ 2 ครั้ง", "S", [("ปี", "ละ", "2", "ครั้ง"), ("รายครึ่งปี",), ("ราย", "ครึ่ง", "ปี")]),
    ("ตามเวลาจริง", "ตามเวลาจริง", "R", [("ตาม", "เวลาจริง"), ("เรียลไทม์",)])])
def test_a_frequency_said_in_several_words_is_one_concept(typed, text, code, forms):
    """ทุกเดือน is not the month (เดือน) alone, "every month" asks for no word "every", ราย 6 เดือน no
    number 6: each is one concept, its words held together and in order, or the catalogue's word for that
    frequency, or a record updated that often (both tiers)."""
    from portal.search.relevance import all_words_query

    [concept] = concepts(understand(typed))
    assert (concept.text, concept.frequency, list(concept.alternatives)) == (text, code, forms)
    assert concept.phrase
    query = json.dumps(all_words_query(understand(f"ประชากร {typed}"), "name"), ensure_ascii=False)
    assert f'{{"term": {{"{m.UPDATE_FREQUENCY_UNIT}": "{code}"}}}}' in query
    assert f'"query": "{" ".join(forms[0])}", ' in query and '"type": "phrase"' in query


def test_a_frequency_phrase_never_takes_a_generic_word_alone():
    """ประจำปี alone stays generic (งบประมาณประจำปี is a year's budget, not how often data is updated); a
    frequency said in words is one concept beside the others."""
    assert [c.text for c in concepts(understand("สถิติ ประจำปี"))] == []
    assert [(c.text, c.frequency) for c in concepts(understand("ราคาน้ำมัน ทุกสัปดาห์"))] == [
        ("ราคา", None), ("น้ำมัน", None), ("ทุกสัปดาห์", "W")]


@pytest.mark.parametrize("typed, years", [
    ("2563", ("2563",)), ("ปี 2563", ("2563",)), ("พ.ศ. 2563", ("2563",)), ("2020", ("2563",)),
    ("ประชากร 2560-2562", ("2560", "2561", "2562")), ("2017-2019", ("2560", "2561", "2562")),
    # a Buddhist-era year written short after its word
    ("ประชากร ปี 63", ("2563",)), ("พ.ศ. 63", ("2563",)), ("ปี๖๓", ("2563",)), ("ปีงบประมาณ 66", ("2566",)),
    ("ปี 60-62", ("2560", "2561", "2562")), ("ราคาน้ำมัน ม.ค. 63", ("2563",)), ("ธันวาคม 63", ("2563",)),
    # a range whose end is written short, in the century of its start
    ("ประชากร 2560-62", ("2560", "2561", "2562")), ("2017-19", ("2560", "2561", "2562"))])
def test_a_year_typed_is_held_by_records_covering_it_on_the_full_tier_only(typed, years):
    from portal.search.relevance import all_words_query

    [year] = [c for c in concepts(understand(typed)) if c.years]
    assert year.years == years
    held = f'{{"terms": {{"{m.YEARS}": {json.dumps(list(years))}}}}}'
    assert held in json.dumps(all_words_query(understand(typed)), ensure_ascii=False)
    assert m.YEARS not in json.dumps(all_words_query(understand(typed), "name"))


@pytest.mark.parametrize("typed", ["พระราชบัญญัติโรงงาน พ.ศ. 2535", "พ.ร.บ.โรงงาน 2535", "63", "1111",
                                   "เลขที่ 9999", "พ.ร.บ. ปี 35", "ยุคปี 70", "ดนตรี ยุค ปี 70",
                                   "ทศวรรษ 70", "ราคา 63 บาท", "ในปี 1620-21"])
def test_a_laws_year_or_another_number_is_no_year_covered(typed):
    assert all(c.years == () for c in concepts(understand(typed)))


def test_a_short_year_holds_its_number_and_the_year_in_full():
    """A record saying "ปี 63" holds the number; one saying 2563 in its description (not read into the
    year facet, which reads titles and files) holds the year in full."""
    assert [(c.text, c.alternatives) for c in concepts(understand("ปี 63"))] == [("63", (("63",), ("2563",)))]
    assert [(c.text, c.alternatives) for c in concepts(understand("ปี 61-62"))] == [
        ("61–62", (("61",), ("62",), ("2561",), ("2562",)))]


@pytest.mark.parametrize("typed", ["เดือน", "month", "ปี", "ประชากร", "ทุกวันนี้ ราคา"])
def test_a_bare_unit_or_another_word_states_no_frequency(typed):
    assert all(c.frequency is None for c in concepts(understand(typed)))


@pytest.mark.parametrize("typed, code", [("นนทบุรี", "12"), ("จังหวัดนนทบุรี", "12"), ("จ.นนทบุรี", "12"),
                                         ("Nonthaburi", "12"), ("Mae Hong Son", "58"), ("จังหวัดเลย", "42"),
                                         ("กทม.", "10"), ("bangkok", "10"), ("อำเภอปาย", "5803"),
                                         ("อ.ฝาง", "5009"), ("เขตบางรัก", "1004"), ("อ.ลาดหลุมแก้ว", "1305"),
                                         ("Chiang Mai province", "50"), ("Loei Province", "42"),
                                         ("Pai district", "5803"), ("Amphoe Pai", "5803"),
                                         ("Khet Bang Rak", "1004"), ("Lat Lum Kaeo district", "1305")])
def test_a_place_is_held_by_records_located_in_it_on_the_full_tier_only(typed, code):
    from portal.search.relevance import all_words_query

    [province] = concepts(understand(typed))
    assert province.places == (code,)
    place = f'{{"terms": {{"{m.PLACE}": ["{code}"]}}}}'
    assert place in json.dumps(all_words_query(understand(typed)), ensure_ascii=False)
    assert m.PLACE not in json.dumps(all_words_query(understand(typed), "name"))


def test_a_place_typed_after_its_prefix_is_one_concept_its_name_alone_holds():
    """A record about Nonthaburi need not say จังหวัด; เลย alone is no form of Loei (it is "at all")."""
    [nonthaburi] = concepts(understand("จังหวัดนนทบุรี"))
    assert nonthaburi.alternatives[0] == ("จังหวัด", "นนทบุรี") and ("นนทบุรี",) in nonthaburi.alternatives
    assert ("เลย",) not in concepts(understand("จังหวัดเลย"))[0].alternatives
    assert [c.places for c in concepts(understand("จังหวัด ประชากร"))] == [(), ()]
    [pai] = concepts(understand("อำเภอปาย"))
    assert pai.alternatives == (("อำเภอ", "ปาย"), ("ปาย",))
    # a name many districts share is no one place: อำเภอเมือง is asked for as typed
    assert all(c.places == () for c in concepts(understand("อำเภอเมือง")))


def test_a_place_typed_in_english_with_its_level_word_is_one_concept_its_name_alone_holds():
    """"Chiang Mai province" asks for no word "province"; "Pai district" is held by ปาย and Pai. A bare
    English district name is a word (Fang: a fang), and one many districts share is no one place."""
    [chiang_mai] = concepts(understand("Chiang Mai province"))
    assert {("chiang", "mai"), ("เชียงใหม่",)} <= set(chiang_mai.alternatives)
    [pai] = concepts(understand("Pai district"))
    assert pai.alternatives == (("pai", "district"), ("pai",), ("ปาย",))
    assert ("เลย",) not in concepts(understand("Loei province"))[0].alternatives
    assert [c.places for c in concepts(understand("Fang"))] == [()]
    assert all(c.places == () for c in concepts(understand("Chom Thong district")))
    assert [c.places for c in concepts(understand("province"))] == [()]


@pytest.mark.parametrize("q, texts", [("ราคาไหมพื้นบ้าน", ["ราคา", "ไหม", "พื้นบ้าน"]), ("ไหมไทย", ["ไหม"]),
                                      ("มีข้อมูลไหม", []), ("มีข้อมูลไหมครับ", [])])
def test_silk_is_a_word_unless_it_ends_a_question(q, texts):
    assert [c.text for c in concepts(understand(q))] == texts


def test_latin_words_get_fuzziness():
    clause = json.dumps(text_query(understand("petrolium products")))
    assert '"fuzziness": "AUTO' in clause


def test_shingles_only_add_score():
    query = text_query(understand("ที่ตั้งโรงเรียน"))
    assert m.TITLE_SHINGLES in json.dumps(query["bool"]["should"])
    assert m.TITLE_SHINGLES not in json.dumps(query["bool"]["must"])


@pytest.mark.parametrize("typed, meant", [
    ("ท่องเทียว", "ท่องเที่ยว"),   # tone mark dropped
    ("ไฟฟา", "ไฟฟ้า"),
    ("สาธารนสุข", "สาธารณสุข"),   # ณ typed as น
    ("อนุญาติ", "อนุญาต"),         # the classic extra sara i
    ("ทะเบียนวัต", "ทะเบียนวัด"),  # final ด typed as ต
])
def test_misspelling_gets_a_corrected_variant(typed, meant):
    plan = understand(typed)
    assert (meant,) in plan.variants
    assert plan.variant_weights[plan.variants.index((meant,))] < 1.0


def test_a_misspelling_holds_what_the_word_typed_right_holds():
    """Typed without its tone mark, ไฟฟ้า is still held by a record saying "electricity"; ข้อมูล and ที่ตั้ง
    misspelt are no more a concept than typed right (a record need not repeat them)."""
    def held(q: str) -> list[set]:
        return [set(c.alternatives) for c in concepts(understand(q))]

    assert held("ไฟฟ้า")[0] <= held("ไฟฟา")[0]
    assert held("ร้องทุกข์")[0] <= held("รองทุกข")[0]
    assert held("ขอมูลประทานบัตร") == held("ข้อมูลประทานบัตร")
    assert held("ทีตังสำนักงาน") == held("ที่ตั้งสำนักงาน")


def test_an_abbreviation_holds_what_its_full_name_holds_and_never_a_second_meaning():
    """กทม is held wherever กรุงเทพมหานคร is (กรุงเทพ, Bangkok); สำนักงานพระพุทธศาสนาแห่งชาติ is not held by พศ,
    which every record saying พ.ศ. (the era) holds, nor กระทรวงการคลัง by กค (also กรกฎาคม, July)."""
    def held(q: str) -> set:
        return set(concepts(understand(q))[0].alternatives)

    assert held("กรุงเทพมหานคร") <= held("กทม")
    assert ("พศ",) not in held("สำนักงานพระพุทธศาสนาแห่งชาติ") and ("กค",) not in held("กระทรวงการคลัง")
    assert {("กระทรวงการคลัง",), ("กรกฎาคม",)} <= held("กค")  # typed, it may mean either


def test_correct_words_get_no_correction():
    assert understand("จักรยาน").variants == (("จักรยาน",),)


def test_all_phrases_replaced_at_once():
    plan = understand("hotel river")
    assert ("โรงแรม", "แม่น้ำ") in plan.variants


def test_a_glossary_phrase_is_translated_whole():
    assert ("ทะเบียนวัด",) in understand("temple register").variants
    assert ("ค่าจ้างขั้นต่ำ",) in understand("minimum wage").variants


@pytest.mark.parametrize("typed, meant", [("ข้อมูล PEA", "การไฟฟ้าส่วนภูมิภาค"), ("BMA สวนสาธารณะ", "กรุงเทพมหานคร"),
                                          ("GDP", "ผลิตภัณฑ์")])
def test_acronyms_stand_for_their_thai_names(typed, meant):
    plan = understand(typed)
    variant = next(v for v in plan.variants if meant in v)
    assert plan.variant_weights[plan.variants.index(variant)] == 1.0


@pytest.mark.parametrize("typed, corrected, thai", [("budjet", "budget", "งบประมาณ"), ("electrcity", "electr", "ไฟฟ้า"),
                                                    ("touism", "tourism", "ท่องเที่ยว")])
def test_english_typos_are_corrected_and_translated(typed, corrected, thai):
    variants = understand(typed).variants
    assert (corrected,) in variants and (thai,) in variants


@pytest.mark.parametrize("typed, acronym, not_meant", [
    ("GPS รายเดือน", "gps", "gas"), ("BRT กรุงเทพ", "brt", "mrt"), ("ICT ข้อมูล", "ict", "ect"),
    ("เที่ยวบิน Bangkok FIR", "fir", "air"), ("otop", "otop", "top"), ("ข้อมูล CO2", "co", "do")])
def test_an_acronym_no_list_knows_is_never_corrected_into_another_word(typed, acronym, not_meant):
    """Typed in capitals, or shorter than five letters: an acronym, not a typo (GPS was read as gas,
    BRT as MRT and so the subway, ICT as ECT the election commission)."""
    plan = understand(typed)
    assert not any(not_meant in v for v in plan.variants)
    found = next(c for c in concepts(plan) if c.text == acronym)
    assert found.alternatives == ((acronym,),)
    assert english_correction(typed) is None


def test_an_english_word_typed_in_capitals_is_read_as_an_acronym():
    assert understand("budjet").misspelt == {"budjet"}
    assert not understand("BUDJET").misspelt


@pytest.mark.parametrize("typed, not_meant", [("storm", "store"), ("coral", "coal"), ("factor", "factori"),
                                               ("salinity", "salin"), ("Storm damage", "store")])
def test_an_english_word_is_never_corrected_into_another(typed, not_meant):
    """A word the English dictionary holds is spelt right, even when no list translates it (issue 15: never
    "correct" a word that is itself in the dictionary): storm was searched as store (ร้าน), coral as coal."""
    plan = understand(typed)
    assert not plan.misspelt and not any(not_meant in v for v in plan.variants[1:])
    assert english_correction(typed) is None and is_a_word(typed.split()[0])


@pytest.mark.parametrize("typed", ["goverment", "tourisim", "statistcs"])
def test_common_misspellings_are_not_in_the_english_dictionary(typed):
    assert typed not in spelling.english_dictionary() and understand(typed).misspelt == {thai.segment(typed)[0]}


def test_known_or_distant_english_words_are_left_alone():
    assert understand("ethanol").variants == (("ethanol",), ("เอทานอล",))  # its Thai, no "correction"
    assert len(understand("hotel").variants) == 2  # hotel and โรงแรม, no "correction"


def test_question_words_are_function_words():
    stop = function_words()
    assert {"กี่", "ไหม", "อย่างไร", "how", "mani", "where", "there"} <= stop
    query = json.dumps(text_query(understand("มีโรงแรมกี่แห่งในกรุงเทพ")), ensure_ascii=False)
    assert '"query": "โรงแรม กรุงเทพ"' in query


def test_english_prepositions_are_function_words_as_their_thai_are():
    """ "flights at Suvarnabhumi" asked for "at", which no Thai record holds; pythainlp's Thai list holds
    ระหว่าง (between), ก่อน (before), หลัง (after), and the English list is Lucene's with those prepositions."""
    stop = function_words()
    assert {"ระหว่าง", "ก่อน", "หลัง"} <= stop
    for q in ("hotels at bangkok", "hotels near bangkok", "hotels in bangkok", "hotels within bangkok"):
        assert [c.text for c in concepts(understand(q))] == ["hotels", "bangkok"], q
    assert [c.text for c in concepts(understand("budget during 2560"))] == ["budget", "2560"]  # "dure"
    assert [c.text for c in concepts(understand("IT budget"))] == ["it", "budget"]  # information technology


def test_function_words_are_optional():
    query = json.dumps(text_query(understand("ที่ตั้งโรงเรียนในกรุงเทพ")), ensure_ascii=False)
    # topic words must match (all of up to three); "ใน" only adds score
    assert '"query": "ที่ตั้ง โรงเรียน กรุงเทพ", "fields"' in query
    assert '"minimum_should_match": "3<75%"' in query
    assert '"query": "ใน"' in query


def test_describing_words_are_the_function_words_that_do_not_ask():
    words = understand("ใครคือผู้ว่าราชการจังหวัดภูเก็ตคนแรกหลังสงครามโลกครั้งที่สอง").words
    assert describing_words(words) == ["แรก", "หลัง"]
    assert describing_words(("what", "is", "the", "population", "of", "bangkok")) == ["the", "of"]
    assert describing_words(("โรงแรม", "กรุงเทพ")) == []


def test_describing_words_only_add_score():
    query = text_query(understand("ใครคือผู้ว่าราชการจังหวัดภูเก็ตคนแรกหลังสงครามโลกครั้งที่สอง"))
    bonus = [c["combined_fields"] for c in query["bool"]["should"] if "combined_fields" in c]
    assert [(b["query"], b["boost"]) for b in bonus] == [("แรก หลัง", DESCRIBING_BOOST)]
    name_tier = text_query(understand("ผู้ว่าราชการจังหวัดภูเก็ตคนแรก"), "name")
    fields = [c["combined_fields"]["fields"] for c in name_tier["bool"]["should"] if "combined_fields" in c]
    assert fields and all(f.split("^")[0] in (m.TITLE_WORDS, m.ORGANIZATION_WORDS) for f in fields[0])
    assert "should" not in text_query(understand("โรงแรม"))["bool"]


def test_a_short_querys_function_words_bring_no_describing_bonus():
    """ทาง of "อุบัติเหตุทางถนน" is part of a compound typed whole (by road), not a question's describing
    word: its bonus put a train leaflet holding ทาง and ถนน above the accident records."""
    def bonus(q: str) -> list[str]:
        return [c["combined_fields"]["query"] for c in text_query(understand(q))["bool"].get("should", ())
                if "combined_fields" in c]

    assert "ทาง" in understand("อุบัติเหตุทางถนน").words and bonus("อุบัติเหตุทางถนน") == []
    assert bonus("อุบัติเหตุทางถนนเกิดขึ้นที่ไหน") == ["ทาง"]


def test_any_word_fallback_weighs_each_word_like_its_variant():
    query = text_query(understand("ที่ตั้งโรงเรียนในกรุงเทพ"))
    fallbacks = [c["dis_max"] for c in query["bool"]["must"][0]["bool"]["should"]
                 if "dis_max" in c and "boost" in c["dis_max"]]
    assert len(fallbacks) == 1
    words = {q["combined_fields"]["query"]: q["combined_fields"]["boost"] for q in fallbacks[0]["queries"]}
    assert words["โรงเรียน"] == 1.0 and words["school"] < 1.0 and "ใน" not in words


def test_long_single_word_gets_a_weak_split():
    plan = understand("ขยะมูลฝอย")
    assert plan.variant_weights[plan.variants.index(("ขยะ", "มูลฝอย"))] < 0.5


def test_variant_words_are_highlight_terms():
    assert "ท่องเที่ยว" in understand("ท่องเทียว").highlight_terms
    assert "การไฟฟ้าส่วนภูมิภาค" in understand("กฟภ").highlight_terms


@pytest.mark.parametrize("typed, meant", [("โรงเรยน", "โรงเรียน"), ("ร้องเรยน", "ร้องเรียน"),
                                          ("โรงาน", "โรงงาน"), ("พลังาน", "พลังงาน")])
def test_a_dropped_letter_is_put_back(typed, meant):
    plan = understand(typed)
    assert (meant,) in plan.variants
    assert plan.variant_weights[plan.variants.index((meant,))] < 1.0


def test_real_words_are_not_one_letter_corrected():
    assert understand("แรงงาน").variants[0] == ("แรงงาน",)
    assert ("โรงงาน",) not in understand("แรงงาน").variants


def _subword_clauses(q: str) -> list[dict]:
    should = text_query(understand(q))["bool"]["must"][0]["bool"]["should"]
    return [q["multi_match"] for c in should if "dis_max" in c for q in c["dis_max"]["queries"]
            if "multi_match" in q and q["multi_match"]["fields"][0].startswith(m.TITLE_SUB)]


def test_a_correct_word_needs_all_its_trigrams():
    # 4 of the 6 trigrams of โรงเรียน are in ร้องเรียน: one missing trigram is a look-alike
    (clause,) = _subword_clauses("โรงเรียน")
    assert clause["query"] == "โรง รงเ งเร เรี รีย ียน"
    assert clause["minimum_should_match"] == "6"


def test_a_misspelt_word_may_miss_one_trigram_and_its_correction_none():
    typed, corrected = _subword_clauses("พลังาน")
    assert (len(typed["query"].split()), typed["minimum_should_match"]) == (4, "3")
    assert (corrected["query"], corrected["minimum_should_match"]) == ("พลั ลัง ังง งงา งาน", "5")
    assert corrected["boost"] < typed["boost"] * 5 / 4  # a correction weighs less per trigram


def test_a_correction_is_matched_by_its_own_trigrams():
    sets = understand("อนุญาติขับรถ").subword_sets
    assert sets[1].grams == ("อนุ", "นุญ", "ุญา", "ญาต", "ขับ", "ับร", "บรถ")
    assert sets[1].required == len(sets[1].grams)


def test_function_words_and_numbers_are_not_required_trigrams():
    (clause,) = _subword_clauses("ข้อมูล ปี 2563 ไฟฟ้า")
    assert clause["query"] == "2563 ไฟฟ ฟฟา" and clause["minimum_should_match"] == "2"
    (clause,) = _subword_clauses("ข้อมูล GDP")
    assert clause["query"] == "gdp"


def test_several_words_may_miss_a_quarter_of_their_trigrams():
    (clause,) = _subword_clauses("รายชื่อที่ทำการไปรษณีย์")
    grams = len(clause["query"].split())
    assert int(clause["minimum_should_match"]) == grams - grams // 4


def test_parts_of_a_split_word_never_match_alone():
    plan = understand("กรมการขนส่งทางบก")
    assert ("กรม", "การขนส่ง", "ทางบก", "ขนส่งทางบก") in plan.splits
    body = json.dumps(text_query(plan), ensure_ascii=False)
    assert '"query": "กรม",' not in body  # no any-word fallback: every department would match
    plan = understand("สถิติ กรมการขนส่งทางบก")
    fallbacks = [c["dis_max"] for c in text_query(plan)["bool"]["must"][0]["bool"]["should"]
                 if "dis_max" in c and "boost" in c["dis_max"]]
    words = {q["combined_fields"]["query"] for q in fallbacks[0]["queries"]}
    assert "กรมการขนส่งทางบก" in words and "กรม" not in words


def test_pieces_of_a_misspelling_never_match_alone():
    plan = understand("โรงาน")  # โร|งาน: งาน alone would bring every job record
    assert plan.misspelt == {"โร", "งาน"}
    fallbacks = [c["dis_max"] for c in text_query(plan)["bool"]["must"][0]["bool"]["should"]
                 if "dis_max" in c and "boost" in c["dis_max"]]
    words = {q["combined_fields"]["query"] for q in fallbacks[0]["queries"]}
    assert "โรงงาน" in words and not words & {"โร", "งาน"}


def _any_word_clauses(q: str) -> dict[str, dict]:
    """The any-word fallback's clauses of ``q``, by their query text."""
    (fallback,) = [c["dis_max"] for c in text_query(understand(q))["bool"]["must"][0]["bool"]["should"]
                   if "dis_max" in c and "boost" in c["dis_max"]]
    return {c["combined_fields"]["query"]: c["combined_fields"] for c in fallback["queries"]}


def test_the_pieces_of_an_unknown_word_match_together():
    """A name the dictionary does not know is cut into pieces and "corrected" into another word
    (เทสลา → เท|สลา → เสลา); a record lacking another word of the query must still be found by the
    pieces together (XQuAD-th: the paragraph about Tesla was not found at all)."""
    plan = understand("หุ้นส่วนใหม่ของเทสลามีชื่อว่าอะไรบ้าง")
    assert plan.misspelt_runs == (("เท", "สลา"),)
    clauses = _any_word_clauses(plan.text)
    assert clauses["เท สลา"]["operator"] == "and" and "หุ้นส่วน" in clauses
    assert not {"เท", "สลา"} & set(clauses)  # never a piece alone
    assert _any_word_clauses("โรงาน")["โร งาน"]["operator"] == "and"


def test_a_query_of_function_words_only_is_found_by_any_of_them():
    # สมัย and ล่าสุด are in pythainlp's stop list: with no topic word, a record holding two of the five
    # words was found by nothing (the words clause needs three)
    assert {"สมัย", "ล่าสุด"} <= set(_any_word_clauses("สมัยล่าสุดมีชื่อว่าอะไร"))


@pytest.mark.parametrize("typed, thai_word, english", [("ผลิต ethanol", "ผลิต", ("product",)),
                                                       ("จำหน่าย NGL", "จำหน่าย", ("distribut",))])
def test_a_thai_concept_is_also_held_in_english(typed, thai_word, english):
    """ "ผลิต ethanol": the record titled "Production of Ethanol" holds both concepts (the glossary read
    Thai → English for the concept only; การผลิต → production also stands for ผลิต)."""
    found = next(c for c in concepts(understand(typed)) if c.text == thai_word)
    assert english in found.alternatives
    assert all(not w.isascii() for v in understand(thai_word).variants for w in v)  # variants stay Thai


def test_a_word_typed_in_english_is_also_found_inside_a_longer_thai_one():
    """Thai งบประมาณ is found inside ปีงบประมาณ by its trigrams; "budget", "budjet" and "PEA" stand for
    Thai words and are found the same way, by the trigrams of each Thai form (a short one has none)."""
    from analyzers import thai

    typed = concepts(understand("งบประมาณ"))[0]
    for english in ("budget", "budjet"):
        assert concepts(understand(english))[0].grams == typed.grams == (tuple(thai.subwords("งบประมาณ")),)
    assert concepts(understand("PEA"))[0].grams == (tuple(thai.subwords("การไฟฟ้าส่วนภูมิภาค")),)
    assert concepts(understand("shop"))[0].grams == (tuple(thai.subwords("ร้านค้า")),)  # ร้าน: too short
    assert concepts(understand("2565"))[0].grams == ()


def test_a_term_typed_in_english_holds_what_its_thai_holds_when_typed_in_thai():
    """BMA stands for กรุงเทพมหานคร, which typed in Thai is also held as กทม and กรุงเทพ; so is BMA. Not an
    abbreviation that means two things (กพ: the OCSC and February), nor the Thai word's other English
    terms (สาขา is a branch and a sector)."""
    def forms(q: str) -> set[tuple[str, ...]]:
        return set(concepts(understand(q))[0].alternatives)

    assert {("กรุงเทพมหานคร",), ("กทม",), ("กรุงเทพ",)} <= forms("BMA")
    assert ("กทม",) in forms("กรุงเทพมหานคร")
    assert ("สำนักงานคณะกรรมการข้าราชการพลเรือน",) in forms("OCSC") and ("กพ",) not in forms("OCSC")
    assert ("sector",) in forms("สาขา") and ("sector",) not in forms("branch")
    # a name the lists know is not its parts apart, in either language: ท่าอากาศยาน + ไทย is any Thai airport
    assert ("ท่าอากาศยาน", "ไทย") not in forms("AOT") | forms("ทอท.")
    assert ("กรม", "ประชาสัมพันธ์") not in forms("PRD") | forms("กรมประชาสัมพันธ์")


def test_a_known_english_word_is_held_as_itself_not_one_typo_away():
    """ "patients" held by the record about patents (patient ~ patent, one edit) among those matching all
    words; a word no list knows ("patiens", "electrcity") is still held one typo away."""
    from portal.search.relevance import concept_query

    def fuzzy(q: str) -> bool:
        return "fuzziness" in json.dumps(concept_query(concepts(understand(q))[0], 0))

    assert not fuzzy("patients") and not fuzzy("budget") and not fuzzy("electricity")
    assert fuzzy("patiens") and fuzzy("electrcity")
    # what one typo away gave a known word rightly, its other forms, come from its Thai's English terms:
    # province (provinc) is also provincial (provinci), as จังหวัด is; branch is not sector (สาขา)
    assert ("provinci",) in concepts(understand("province"))[0].alternatives
    assert ("econom",) in concepts(understand("economy"))[0].alternatives


def test_a_mixed_querys_latin_words_are_a_subword_set_of_their_own():
    # the typed set needs every Thai trigram (a Latin word stands in for one at most); the Latin words
    # get the same bonus in a set of their own, all of them required
    sets = understand("นำเข้า crude oil").subword_sets
    assert [s.grams for s in sets[:2]] == [("นำเ", "ำเข", "เขา", "crude", "oil"), ("crude", "oil")]
    assert sets[1].required == 2 and sets[1].weight == sets[0].weight == 1.0
    # only for mixed queries: a Thai or an English query keeps its one set
    assert len(understand("ส่งออก อาหารสัตว์").subword_sets) == 1
    assert len(understand("crude oil").subword_sets) == 1
    # numbers are no Latin words: "เที่ยวบิน 2020" keeps one set
    assert len(understand("เที่ยวบิน 2020").subword_sets) == 1


def test_a_questions_frame_words_are_no_concepts():
    from analyzers.concepts import concepts

    # ใด / คนใด (which, who), ชื่อว่า (is named), มีความหมาย (means): what kind of answer, not what about
    assert [c.text for c in concepts(understand("นักวิจัยคนใดใช้คำว่าออกซิเจนเป็นคนแรก"))] == ["นักวิจัย", "ออกซิเจน"]
    assert "ชื่อว่า" not in [c.text for c in concepts(understand("สนามที่นักกีฬาเล่นมีชื่อว่าอะไร"))]
    assert "ใด" not in [c.text for c in concepts(understand("รัฐธรรมนูญตั้งอยู่บนกฎหมายฉบับใด"))]


@pytest.mark.parametrize("typed, named", [
    ("bec_school", "bec_school"), ("DT131410", "DT131410"), ("  rain  ", "rain"),
    ("item_b9cc42e2-1b56-4543-958c-d93c347dadf3", "item_b9cc42e2-1b56-4543-958c-d93c347dadf3"),
    ("https://data.go.th/dataset/bec_school", "bec_school"),
    ("data.go.th/dataset/bec_school/resource/5b1f-2c", "bec_school"),
    ("https://gdcatalog.go.th/th/dataset/bec_school?lang=en#top", "bec_school"),
    ("http://127.0.0.1:5000/dataset/dt131410.ttl", "dt131410"),
    ("/api/v1/datasets/dt131410", "dt131410"),
    ("two words", None), ("ข้อมูลประชากร", None), ("PM2.5", None), ("x", None),
    ("https://data.go.th/dataset/", None), ("https://data.go.th/organization/bma", None),
    ("https://data.go.th/dataset/%E0%B8%81%E0%B8%82", None),
    ("http://[/dataset/bec_school", "bec_school"), ("https://a@[zz]/dataset/x1", "x1"),  # no valid URL
    ("http://[::1", None), ("//", None),
])
def test_a_whole_query_may_name_a_dataset_by_its_identifier_or_its_link(typed, named):
    from analyzers.query import dataset_named

    assert dataset_named(typed) == named == understand(typed).named


def test_a_link_to_a_dataset_is_read_as_its_name():
    link = understand("https://data.go.th/dataset/bec_school")
    assert link.words == understand("bec_school").words == ("bec", "school")
    assert "https" not in link.words and "go" not in link.words


def test_every_concept_of_a_named_query_is_also_held_by_the_named_record_and_it_scores_first():
    from portal.search.relevance import NAMED, all_words_query, named_first

    plan = understand("https://data.go.th/dataset/bec_school")
    named = {"bool": {"should": [{"terms": {m.ID: ["bec_school"]}}, {"terms": {m.NAME: ["bec_school"]}}],
                      "minimum_should_match": 1}}
    for fields in ("full", "name"):
        for clause in all_words_query(plan, fields)["bool"]["filter"]:
            assert named in clause["bool"]["should"]
    assert named_first(plan) == [{"constant_score": {"filter": named, "boost": 1000.0, "_name": NAMED}}]
    upper = json.dumps(named_first(understand("BEC_SCHOOL")))
    assert '["BEC_SCHOOL", "bec_school"]' in upper
    assert named_first(understand("โรงเรียน bec_school")) == []
    assert "named" not in json.dumps(all_words_query(understand("โรงเรียน"), "full"))


@pytest.mark.parametrize("typed, held, not_held", [
    ("jan", ("januari",), ()), ("Sept", ("septemb",), ()), ("mar", ("march",), ()),
    ("PEA", ("provinci", "electr", "author"), ()), ("fy", ("fiscal", "year"), ()),
    ("cpi", ("consum", "price", "index"), ()),
    # fish begins fisheries (ประมง's term) but the glossary gives it for ปลา
    ("fish", (), ("fisheri",)),
    ("BMA", ("bangkok", "metropolitan", "administr"), ("bangkok",)),  # Bangkok is the city, not its initials
])
def test_an_abbreviation_holds_the_english_terms_of_its_thai_it_abbreviates(typed, held, not_held):
    alternatives = concepts(understand(typed))[0].alternatives
    assert not held or held in alternatives
    assert not not_held or not_held not in alternatives


@pytest.mark.parametrize("typed, code, held", [
    ("จังหวัดกรุงเทพมหานคร", "10", [("กทม",), ("bma",), ("bangkok",), ("กรุงเทพมหานคร",)]),
    ("จังหวัด กรุงเทพ", "10", [("กรุงเทพมหานคร",), ("bangkok",)]),
    ("จ.นครศรีธรรมราช", "80", [("นครศรีธรรมราช",), ("nakhon", "si", "thammarat")]),
    ("อ.ลาดหลุมแก้ว", "1305", [("ลาด", "หลุม", "แก้ว")]),
])
def test_a_place_after_its_prefix_is_one_concept_whatever_the_lists_know_of_its_name(typed, code, held):
    (concept,) = concepts(understand(typed))
    assert concept.places == (code,) and all(form in concept.alternatives for form in held)


@pytest.mark.parametrize("typed, held", [
    ("จีดีพี", [("gdp",), ("ผลิตภัณฑ์", "มวลรวม", "ในประเทศ")]),   # a word of the dictionary
    ("จีพีเอส", [("gps",)]),                                        # letters the lists do not know
    ("เอเอฟซี", [("afc",)]),                                        # cut by the segmenter: เอเอฟ|ซี
    ("ซีซีทีวี", [("cctv",)]),
    ("พีอีเอ", [("pea",), ("การไฟฟ้าส่วนภูมิภาค",)]),
    ("พีเอ็ม 2.5", [("pm", "2.5"), ("ฝุ่นละออง",)]),                   # letters with a number: listed only
    ("ดับบลิวทีโอ", [("wto",)]),                                       # another spelling of W
])
def test_an_acronym_spelled_by_its_letters_thai_names_is_held_by_its_letters(typed, held):
    (concept,) = concepts(understand(typed))
    assert all(form in concept.alternatives for form in held), concept.alternatives
    assert held[0] in understand(typed).variants


@pytest.mark.parametrize("typed", ["ดี", "ข้อมูลดี", "ดีที่สุด", "โอเอ็น", "จีดีพี 2563 ดี", "จีดีพี ดี",
                                   "ดี ดี", "เจ. อาร์. อาร์. โทลคีน"])
def test_words_that_are_no_acronym_stay_words(typed):
    """One letter's name is a word (ดี good); letters typed apart are no acronym (J. R. R., "จีดีพี ดี" is not
    GDPD); letters that spell a function word are none (on)."""
    plan = understand(typed)
    latin = {w for c in concepts(plan) for form in c.alternatives for w in form if w.isascii()}
    latin |= {w for variant in plan.variants for w in variant if w.isascii()}
    assert latin <= {"gdp", "2563"}


def test_every_english_letter_has_a_thai_name_and_no_name_two_letters():
    from analyzers import dictionary

    names = dictionary.letter_names()
    assert set(names.values()) == set("abcdefghijklmnopqrstuvwxyz")
    assert names["ดับเบิลยู"] == names["ดับบลิว"] == "w" and names["ซี"] == "c" and "อา" not in names


@pytest.mark.parametrize("typed, joined", [("wi-fi", "wifi"), ("O-NET", "onet"), ("e-Services", "eservic"),
                                           ("ผลสอบ O-NET ม.6", "onet")])
def test_a_latin_word_typed_with_hyphens_is_one_concept_also_held_joined(typed, joined):
    (concept,) = [c for c in concepts(understand(typed)) if (joined,) in c.alternatives]
    assert len(concept.alternatives[0]) == 2  # its pieces, as typed, or the word joined
    assert all(("net",) not in c.alternatives for c in concepts(understand(typed)))  # O-NET is no net amount


@pytest.mark.parametrize("typed", ["wi fi", "covid-19", "co2-emission", "https://x.org/wi-fi.csv ท่าเรือ"])
def test_words_apart_or_with_numbers_are_not_joined(typed):
    assert not any(len(form) == 1 and form[0] in {"wifi", "covid19", "co2emiss"}
                   for c in concepts(understand(typed)) for form in c.alternatives)


def test_a_mixed_querys_english_words_thai_translation_is_a_subword_set_too():
    """The bonus a record writing the English words gets (``_latin_set``), a record writing their Thai
    translation gets too: the trigrams of ไปรษณีย์ไทย for "Thailand Post", at the translation's weight."""
    plan = understand("Thailand Post สาขา")
    translated = [s for s in plan.subword_sets if s.grams == tuple(thai.subwords("ไปรษณีย์ไทย"))]
    assert len(translated) == 1 and translated[0].required == len(translated[0].grams)
    assert translated[0].weight == dict(zip(plan.variants, plan.variant_weights))[("ไปรษณีย์ไทย", "สาขา")]
    # a query in English alone, or in Thai alone, has none
    assert len(understand("Thailand Post").subword_sets) == 1
    assert len(understand("ไปรษณีย์ไทย สาขา").subword_sets) == 1
