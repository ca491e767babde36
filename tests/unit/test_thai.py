"""analyzers.thai: every normalisation rule, segmentation with the custom dictionary, index fields."""
from __future__ import annotations

import time

import pytest

from analyzers import thai
from analyzers.query import understand


# --- normalisation, one rule at a time ---------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("กรุงเทพ\u200bมหานคร", "กรุงเทพมหานคร"),          # zero-width space removed
    ("ข้อมูล\u00adสถิติ", "ข้อมูลสถิติ"),                 # soft hyphen removed
    ("สถิติ\x00\x07ข้อมูล", "สถิติ ข้อมูล"),              # control characters → space
    ("ข้อมูล&amp;สถิติ &lt;b&gt;", "ข้อมูล&สถิติ <b>"),    # HTML entities decoded
    ("เเปลก", "แปลก"),                                   # two sara e → sara ae (pythainlp normaliser)
    ("นานาาา", "นานา"),                                   # repeated vowel dropped
    ("ต่าง ๆ กัน", "ต่างๆ กัน"),                         # ๆ spacing unified
    ("ต่างๆกัน", "ต่างๆ กัน"),
    ("ปี ๒๕๖๓", "ปี 2563"),                               # Thai digits → Arabic
    ("ป.ป.ช. และ สพฐ.", "ปปช และ สพฐ"),                  # abbreviation dots dropped
    ("COVID  Data", "covid data"),                       # Latin lower-cased, spaces collapsed
    ("e\u0301", "é"),                                    # NFC
])
def test_normalise_rules(raw, expected):
    assert thai.normalise(raw) == expected


@pytest.mark.parametrize("empty", [None, "", "   ", "\u200b"])
def test_normalise_empty(empty):
    assert thai.normalise(empty) == ""


def test_tone_mark_order_repaired():
    # Sara am typed as nikhahit + sara aa, tone mark after: normalise gives what the keyboard gives.
    assert thai.segment("น้ำ") == thai.segment(thai.normalise("น้ำ"))


# --- segmentation ---------------------------------------------------------------------------------

def test_segment_unspaced_title():
    assert thai.segment("ที่ตั้งโรงเรียนในสังกัด") == ["ที่ตั้ง", "โรงเรียน", "ในสังกัด"]


@pytest.mark.parametrize("agency", [
    "การไฟฟ้าส่วนภูมิภาค", "กรมการขนส่งทางบก", "สำนักงานพระพุทธศาสนาแห่งชาติ",
    "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "กรมพัฒนาพลังงานทดแทนและอนุรักษ์พลังงาน",
])
def test_agency_names_stay_whole(agency):
    assert agency in thai.segment(f"ข้อมูลของ{agency}ปี 2563")


@pytest.mark.parametrize("abbreviation", ["สพฐ", "กฟภ", "ปปช", "รฟม", "บวท"])
def test_abbreviations_stay_whole(abbreviation):
    assert abbreviation in thai.segment(f"ข้อมูล {abbreviation}. ล่าสุด")


def test_agency_parts_are_indexed_too():
    words = thai.index_fields("กรมการขนส่งทางบก")["words"].split()
    assert {"กรมการขนส่งทางบก", "ขนส่งทางบก", "ทางบก"} <= set(words)


def test_ordinary_compound_is_not_split():
    # จักรยานยนต์ (motorcycle) must not answer จักรยาน (bicycle); รถไฟฟ้า (metro) not ไฟฟ้า (electricity).
    assert "จักรยาน" not in thai.index_fields("จักรยานยนต์")["words"].split()
    assert "ไฟฟ้า" not in thai.index_fields("โครงการรถไฟฟ้า")["words"].split()


def test_nominal_stem_indexed():
    assert "เลือกตั้ง" in thai.index_fields("สำนักงานคณะกรรมการการเลือกตั้ง")["words"].split()


def test_latin_stemmed_and_lowercased():
    assert thai.segment("Electricity Consumption Statistics") == ["electr", "consumpt", "statist"]


def test_punctuation_and_emoji_dropped():
    assert thai.segment("😀 (โรงเรียน) !!") == ["โรงเรียน"]
    assert thai.segment("😀🙏") == []


@pytest.mark.parametrize("empty", [None, "", "   ", "😀😀"])
def test_empty_inputs(empty):
    assert thai.segment(empty) == []
    assert thai.index_fields(empty) == {"words": "", "shingles": "", "sub": ""}
    assert thai.suggest_terms(empty) == []


def test_mixed_script():
    assert thai.segment("ข้อมูลCO2ปี๒๕๖๓GDP") == ["ข้อมูล", "co", "2", "ปี", "2563", "gdp"]


def test_index_time_equals_query_time():
    for text in ["ที่ตั้งโรงเรียนในสังกัด สพฐ.", "การใช้ไฟฟ้า ปี ๒๕๕๗", "Energy Balance of Thailand 2016"]:
        indexed = thai.index_fields(text)["words"].split()
        plan = understand(text)
        assert list(plan.words) == thai.segment(text) == indexed[: len(plan.words)]
        assert list(plan.sub) == thai.subwords(text)


def test_large_input_is_fast_and_complete():
    text = "ข้อมูลสถิติการใช้ไฟฟ้าของการไฟฟ้าส่วนภูมิภาค ปี 2563 " * 2000  # ~100 KB
    started = time.perf_counter()
    fields = thai.index_fields(text)
    assert time.perf_counter() - started < 10
    assert fields["words"].count("การไฟฟ้าส่วนภูมิภาค") == 2000


# --- index fields ---------------------------------------------------------------------------------

def test_digits_and_years_both_ways():
    be = thai.index_fields("ปี 2563")["words"].split()
    assert {"2563", "๒๕๖๓", "2020", "๒๐๒๐"} <= set(be)
    ce = thai.index_fields("Energy Balance 2016")["words"].split()
    assert {"2016", "2559"} <= set(ce)
    assert "1543" not in thai.index_fields("สินค้า 1000 ชิ้น")["words"]


def test_shingles_join_adjacent_words():
    assert thai.index_fields("ที่ตั้งโรงเรียน")["shingles"] == "ที่ตั้ง_โรงเรียน"


def test_subwords_ignore_tone_marks():
    assert set(thai.subwords("ท่องเทียว")) <= set(thai.subwords("ท่องเที่ยว"))


def test_subwords_keep_numbers_and_latin_whole():
    assert thai.subwords("ปี 2563 MRT") == ["ปี", "2563", "mrt"]


def test_suggest_terms_unstemmed_distinct():
    assert thai.suggest_terms("Statistics สถิติ สถิติ 2563") == ["statistics", "สถิติ"]


def test_sort_key_thai_dictionary_order():
    # Royal Institute order: leading vowels sort after their consonant, consonants before vowels
    # (รถ before โรง), tone marks only break ties (ขา before ข่าว).
    words = ["ไก่", "กา", "เกาะ", "ขา", "ข่าว", "โรงเรียน", "รถ", "กรุงเทพ"]
    expected = ["กรุงเทพ", "กา", "เกาะ", "ไก่", "ขา", "ข่าว", "รถ", "โรงเรียน"]
    assert sorted(words, key=thai.sort_key) == expected


def test_nominal_prefixes_index_the_word_inside():
    words = thai.index_fields("จำนวนนักท่องเที่ยว ผู้ป่วย")["words"].split()
    assert {"นักท่องเที่ยว", "ท่องเที่ยว", "ผู้ป่วย", "ป่วย"} <= set(words)


def test_the_words_of_one_run_were_typed_together():
    assert thai.words("ชิงแชมป์เอเอฟซี คือ 2.5 gdp") == ["ชิงแชมป์", "เอเอฟ", "ซี", "คือ", "2.5", "gdp"]
    assert thai.runs_of_words("ชิงแชมป์เอเอฟซี คือ 2.5 gdp") == (0, 0, 0, 1, 2, 3)
    assert thai.runs_of_words("จ. อาร์.") == (0, 1)


def test_a_latin_word_written_with_hyphens_is_one_run_and_indexed_joined_too():
    assert thai.runs_of_words("ผลสอบ O-NET ชั้น Wi-Fi") == (0, 1, 1, 2, 3, 3)
    assert thai.runs_of_words("covid-19 co2-emission") == (0, 1, 2, 3, 4)  # numbers are runs of their own
    words = thai.index_fields("ผลสอบ O-NET, e-Services และ https://x.org/wi-fi.csv")["words"].split()
    assert {"o", "net", "onet", "e", "servic", "eservic"} <= set(words)
    assert "wifi" not in words  # a link's file name is no word written with hyphens
    assert thai.hyphen_joined("state-of-the-art") == ["stateoftheart"]
