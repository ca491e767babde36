"""analyzers.periods: years (BE/CE, ranges, fiscal years), frequency words, dated resource sequences."""
from __future__ import annotations

import pytest

from analyzers import periods


@pytest.mark.parametrize("text, expected", [
    ("ผู้ลงทะเบียนสมัครงาน ทั่วราชอาณาจักร ปี 2558", (2558, 2558)),
    ("สถิติคดี ปีงบประมาณ 2546 - 2559", (2546, 2559)),
    ("ในรอบ 10 ปี (2549 – 2558)", (2549, 2558)),
    ("Mineral Production of Thailand 2014 - 2015", (2557, 2558)),          # Common era → BE
    ("ผู้บาดเจ็บ ในช่วงเทศกาล ปี 51-58", (2551, 2558)),                    # two-digit BE years
    ("ฐานข้อมูลโรงมหรสพ ประจำปี ๒๕๕๘", (2558, 2558)),                      # Thai digits
    ("จำนวนเรื่องร้องทุกข์ ประจำเดือนกันยายน 2561", (2561, 2561)),
    ("DATA_DR01-2561.xls", (2561, 2561)),
    # a fiscal year absorbs the months that belong to it (October 2562 starts fiscal 2563)
    ("ปริมาณเที่ยวบิน ปีงบประมาณ 2563 (สะสม ณ เดือนพฤศจิกายน 2562)", (2563, 2563)),
    ("ผลการดำเนินงาน ประจำปีงบ2558 (ต.ค. 2557 - ก.พ.2558)", (2558, 2558)),
])
def test_years_covered(text, expected):
    assert periods.years(text) == expected


@pytest.mark.parametrize("text", [
    "ระเบียบคณะกรรมการ ว่าด้วยการปฏิบัติงาน พ.ศ.๒๕๖๓",    # the year of a regulation
    "ข้อมูลประทานบัตร[update 10-06-2559]",                  # the date of an update
    "25620102_department", "101-105-106 06062560",          # codes and dates run together
    "ช่องทาง 1111", "Table 2.4-2: Demand and Supply",
])
def test_not_coverage_years(text):
    assert periods.years(text) is None


@pytest.mark.parametrize("text, expected", [
    ("รายงาน GPS รายเดือน", {"M"}),
    ("ฐานะการคลัง รายเดีอน", {"M"}),                          # the catalogue's own misspelling
    ("จำนวนใบอนุญาต ( สะสม ) รายปี", {"A"}),
    ("รายงานประจำปี", {"A"}),
    ("ข้อมูลรายไตรมาส", {"Q"}),
    ("ราคาสินค้า รายสัปดาห์", {"W"}),
    ("ผลผลิต รายวัน", {"D"}),
    ("Monthly report, processed for each year", {"M", "A"}),   # both: the caller leaves it unstated
    ("รายนามเมธีวิจัย ประจำปี 2555", set()),                    # one edition, not a frequency
    ("ปีละตั้งแต่หนึ่งแสนเมตริกตันขึ้นไป", set()),              # a quantity
    ("บ้านที่อยู่อาศัย ( > 150 หน่วย/เดือน)", set()),
    ("semi-annual report", {"S"}), ("half-yearly figures", {"S"}),   # the longer phrase: not also annual
    ("updated every day", {"D"}), ("every week", {"W"}),
    ("ข้อมูลราย 3 เดือน", {"Q"}), ("ปรับปรุงทุกสามเดือน", {"Q"}), ("every 3 months", {"Q"}),
    ("สำรวจปีละ 2 ครั้ง", {"S"}), ("twice a year", {"S"}), ("every six months", {"S"}),
    ("ราย 13 เดือน", set()),
])
def test_frequency_words(text, expected):
    assert set(periods.frequency_words(text)) == expected


def test_a_sequence_of_dated_resources():
    months = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน"]
    assert periods.sequence_frequency([f"บ้านที่อยู่อาศัย {m} 2555" for m in months]) == "M"
    assert periods.sequence_frequency([f"สถิติ ปี {y}" for y in (2559, 2560, 2561, 2562)]) == "A"
    assert periods.sequence_frequency([f"ณ วันที่ 31 ธันวาคม พ.ศ. {y}" for y in (2557, 2558, 2559)]) == "A"
    # one missing month is still a monthly series
    assert periods.sequence_frequency([f"x {m} 2557" for m in months if m != "กุมภาพันธ์"]) == "M"


def test_irregular_or_short_sequences_say_nothing():
    assert periods.sequence_frequency(["ณ 31 ม.ค. 63", "ณ 30 เม.ย. 63", "ณ 31 พ.ค. 63"]) is None
    assert periods.sequence_frequency(["31 มีนาคม 2563", "30 มิถุนายน 2563"]) is None
    twice = [f"จัดซื้อจัดจ้างเดือน{m} 2562 ครึ่งเดือน{h}" for m in ("เมษายน", "พฤษภาคม", "มิถุนายน")
             for h in ("แรก", "หลัง")]
    assert periods.sequence_frequency(twice) is None


@pytest.mark.parametrize("text, years", [
    ("ปี 63", [("63", "")]), ("พศ 63", [("63", "")]), ("ปีงบประมาณ 66", [("66", "")]), ("ปี 60-62", [("60", "62")]),
    ("ราคาน้ำมันมกราคม 63", [("63", "")]), ("มค 63", [("63", "")]), ("ประชากร ธค 64", [("64", "")]),
    # not: the 1970s, a four-digit year, a number alone, a month's abbreviation ending a longer word
    ("ยุคปี 70", []), ("ยุค ปี 70", []), ("ทศวรรษ 70", []), ("ปี 2563", []), ("63", []), ("สมค 63", [])])
def test_a_year_written_short_after_its_word_or_a_month(text, years):
    assert periods.SHORT_YEAR.findall(text) == years
