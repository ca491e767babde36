"""analyzers.places: prefixed forms, abbreviations, English names, false friends, shared district names."""
from __future__ import annotations

import pytest

from analyzers import places


def codes(text: str) -> list[str]:
    return [p.code for p in places.find(text)]


def test_the_gazetteer_has_every_region_province_and_district():
    levels = [p.level for p in places.gazetteer().values()]
    assert levels.count(places.REGION) == 6
    assert levels.count(places.PROVINCE) == 77
    assert levels.count(places.DISTRICT) == 928
    assert places.get("5001").lineage() == ("north", "50", "5001")


@pytest.mark.parametrize("text, expected", [
    ("รายงานทะเบียนวัดจังหวัดสมุทรปราการ", ["11"]),
    ("ทะเบียนวัด จ.ตาก", ["63"]),
    ("ข้อมูลหน่วยงานบริการสุขภาพจังหวัดกาฬสินธ์ุ", ["46"]),     # misplaced vowel mark, as typed in the catalogue
    ("โรงงานในเขต กทม.", ["10"]),
    ("แจ้งประกอบกรุงเทพฯ ประจำเดือน", ["10"]),
    ("ข้อมูลจังหวัด ชม.", ["50"]),
    ("ทะเบียนวัด จ.ชม.", ["50"]),
    ("schools in Chiang Mai", ["50"]),
    ("Phra Nakhon Si Ayutthaya heritage", ["14"]),
    ("ผลผลิตข้าว ภาคตะวันออกเฉียงเหนือ", ["northeast"]),
    ("ผลผลิตข้าว ภาคตะวันออก", ["east"]),
    ("ท่องเที่ยวภาคอีสาน", ["northeast"]),
    ("รหัสหน่วยงานบริการสุขภาพ_ตรัง_CSV", ["92"]),
])
def test_provinces_and_regions_in_their_written_forms(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize("text", [
    "การตากแห้งผลไม้", "ตากแดด", "การแพร่ระบาดของโรค", "ไม่มีข้อมูลเลย", "กระบี่กระบอง",  # false friends
    "ถนนเพชรบุรีตัดใหม่", "ถนนพิษณุโลก",                                                  # Bangkok roads
    "ปริมาณเที่ยวบินภายใน Bangkok FIR", "เขตแถลงข่าวการบินกรุงเทพ",                          # airspace
    "รายงานเดือน สค.61", "ก.พ. 2558", "ผลคะแนน ส.ส.50", "นศ. ฝึกงาน", "ใช้เวลา 24 ชม.",   # not provinces
    "ราคาเส้นไหม",
])
def test_ordinary_words_roads_and_abbreviations_are_not_places(text):
    assert codes(text) == []


def test_a_false_friend_counts_in_its_prefixed_form():
    assert codes("คู่มือการท่องเที่ยวจังหวัดเลยฯ") == ["42"]
    assert codes("จังหวัดแพร่ การแพร่ระบาด") == ["54"]


def test_a_name_used_for_a_road_counts_only_where_it_is_prefixed():
    assert codes("จังหวัดเพชรบุรี ถนนเพชรบุรี") == ["76"]
    # the tag "Bangkok" of a record about the Bangkok flight information region is not Bangkok
    assert places.resolve(places.mentions("Bangkok FIR") + places.mentions("Bangkok")) == []


def test_districts_need_their_prefix():
    assert codes("อำเภอสามง่าม จังหวัดพิจิตร") == ["66", "6607"]
    assert codes("ทะเบียนวัด อ.ฝาง") == ["5009"]
    assert codes("สถานีตำรวจภูธรนครชัยศรี") == []            # a bare district name is not matched
    assert codes("อ.เมือง จ.เชียงใหม่") == ["50", "5001"]
    assert "5001" in codes("อำเภอเมืองเชียงใหม่")


def test_bangkok_districts_take_khet_and_do_not_swallow_a_province():
    assert codes("สำนักงานเขตบางรัก") == ["1004"]
    assert codes("ในเขตพระนครศรีอยุธยา") == ["14"]            # not Bangkok's เขตพระนคร
    assert codes("ในเขตกรุงเทพมหานคร") == ["10"]


def test_a_district_name_shared_by_two_provinces():
    # จอมทอง: a district of Bangkok (เขต) and of Chiang Mai (อำเภอ); the prefix tells them apart.
    assert codes("เขตจอมทอง") == ["1035"]
    assert codes("อำเภอจอมทอง") == ["5002"]
    # เฉลิมพระเกียรติ: five provinces; only the province named beside it decides, never a guess.
    assert codes("อำเภอเฉลิมพระเกียรติ") == []
    assert codes("อำเภอเฉลิมพระเกียรติ จังหวัดน่าน") == ["55", "5515"]
    assert codes("อำเภอเฉลิมพระเกียรติ จังหวัดสระบุรี") == ["19", "1913"]


def test_labels_in_both_languages():
    assert places.label("50") == "จังหวัดเชียงใหม่"
    assert places.label("50", "en") == "Chiang Mai"
    assert places.label("10") == "กรุงเทพมหานคร"
    assert places.label("north", "en") == "Northern region"
    assert places.label("1004") == "เขตบางรัก"


def test_a_query_may_name_a_false_friend_on_its_own():
    assert places.in_query("วัด ตาก") == ["63"]
    assert places.in_query("ตากแห้ง") == []
    assert places.in_query("temples Chiang Mai") == ["50"]


@pytest.mark.parametrize("typed, apart", [
    ("จ.นครศรีธรรมราช", "จ. นครศรีธรรมราช"), ("จ.กรุงเทพมหานคร", "จ. กรุงเทพมหานคร"),
    ("ข้อมูล จ.เชียงใหม่ อ.ฝาง", "ข้อมูล จ. เชียงใหม่ อ. ฝาง"), ("อ.ลาดหลุมแก้ว", "อ. ลาดหลุมแก้ว"),
    ("อ.ส.ม.", "อ.ส.ม."), ("จ.ส.ต.", "จ.ส.ต."), ("ก.พ.", "ก.พ."), ("จ. ตาก", "จ. ตาก"),
])
def test_a_query_sets_jo_and_o_apart_from_the_name_written_against_them(typed, apart):
    assert places.prefixes_apart(typed) == apart
