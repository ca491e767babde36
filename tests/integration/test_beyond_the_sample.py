"""A catalogue beyond the bundled sample: agencies and topics no sample record has, asked for in English
or by acronym, find their Thai records (the agency list and the public-data vocabulary of the glossary)."""
from __future__ import annotations


import pytest

from portal.auth.principal import ANONYMOUS
from portal.search import queries
from portal.search.queries import SearchParams
from tests.support import dataset, loaded_alias

pytestmark = pytest.mark.integration


def _org(name: str, title: str) -> dict:
    return {"name": name, "title": title, "title_en": None}


RECORDS = [
    dataset("quake", title="สถิติการเกิดแผ่นดินไหวรายปี", notes="จำนวนครั้งและขนาดของแผ่นดินไหวที่ตรวจวัดได้",
            organization=_org("tmd", "กรมอุตุนิยมวิทยา"), tags=["แผ่นดินไหว"]),
    dataset("rain", title="ปริมาณน้ำฝนรายเดือน", notes="น้ำฝนสะสมรายเดือนจากสถานีตรวจอากาศ",
            organization=_org("tmd", "กรมอุตุนิยมวิทยา"), tags=["น้ำฝน"]),
    dataset("vaccine", title="ความครอบคลุมการได้รับวัคซีนในเด็ก", notes="ร้อยละของเด็กที่ได้รับวัคซีนพื้นฐาน",
            organization=_org("ddc", "กรมควบคุมโรค"), tags=["วัคซีน"]),
    dataset("air", title="คุณภาพอากาศรายชั่วโมง", notes="ค่าฝุ่นละอองและก๊าซจากสถานีตรวจวัดคุณภาพอากาศ",
            organization=_org("pcd", "กรมควบคุมมลพิษ"), tags=["คุณภาพอากาศ"]),
    dataset("shelter", title="ศูนย์พักพิงผู้ประสบภัย", notes="ที่ตั้งศูนย์พักพิงชั่วคราวเมื่อเกิดสาธารณภัย",
            organization=_org("ddpm", "กรมป้องกันและบรรเทาสาธารณภัย"), tags=["สาธารณภัย"]),
    dataset("school", title="จำนวนโรงเรียน", notes="โรงเรียนทุกสังกัด", tags=["โรงเรียน"]),
    dataset("temples-cm", title="ทะเบียนวัดจังหวัดเชียงใหม่", tags=["วัด"]),
    dataset("temples-loei", title="ทะเบียนวัดจังหวัดเลย", tags=["วัด"]),
    dataset("temples-any", title="ทะเบียนวัดทั่วประเทศ", notes="ไม่มีข้อมูลเลย", tags=["วัด"]),
    dataset("land-use", title="การใช้ประโยชน์ที่ดินรายจังหวัด", tags=["ที่ดิน"]),
    dataset("ponds", title="ทะเบียนแหล่งน้ำชุมชน", notes="สระและหนองน้ำสาธารณะ"),
    dataset("rice-yield", title="ผลผลิตข้าวนาปีรายจังหวัด", tags=["ข้าว"]),
    dataset("petrol", title="ราคาขายปลีกน้ำมันเบนซินรายวัน", tags=["น้ำมันเบนซิน"]),
    # public facilities (the vocabulary's eighteenth-session batch)
    dataset("pharmacy", title="ทะเบียนร้านขายยาแผนปัจจุบัน"),
    dataset("market", title="รายชื่อตลาดสดในเขตเทศบาล"),
    # loanwords (the nineteenth-session batch): written in Thai letters, or the record in English
    dataset("ict", title="การใช้คอมพิวเตอร์และสมาร์ทโฟนของครัวเรือน"),
    dataset("stadium", title="สนามฟุตบอลของเทศบาล"),
    dataset("ethanol", title="Production of Ethanol", notes="Ethanol production by plant, monthly"),
    # the sample's own words no English term reached (the nineteenth session's catalogue batch)
    dataset("petfood", title="ผู้ผลิตอาหารสัตว์เลี้ยงที่ได้รับอนุญาต"),
    dataset("metro", title="สถานีรถไฟฟ้าใต้ดินสายสีน้ำเงิน"),
    # statistical and economic indicator words (the nineteenth session's vocabulary batch)
    dataset("density", title="ความหนาแน่นของประชากรรายจังหวัด"),
    dataset("labour", title="กำลังแรงงานและการจ้างงานรายไตรมาส"),
    dataset("growth", title="อัตราการเติบโตของยอดจำหน่ายรถยนต์"),
    # a law, abbreviated as records cite it (the twentieth session)
    dataset("factory-act", title="รายชื่อโรงงานที่ขออนุญาตตาม พ.ร.บ.โรงงาน"),
    # COVID-19 by its Thai name, no "19" of its own (the twentieth session)
    dataset("covid", title="จำนวนผู้ป่วยโรคติดเชื้อไวรัสโคโรนา 2019 รายวัน"),
]


@pytest.fixture(scope="module")
def catalogue(es):
    with loaded_alias(es, RECORDS) as alias:
        yield alias


@pytest.mark.parametrize("q, expected", [
    ("earthquake", {"quake"}),
    ("rainfall", {"rain"}),
    ("vaccine", {"vaccine"}),
    ("air quality", {"air"}),
    ("TMD", {"quake", "rain"}),
    ("PCD", {"air"}),
    ("DDPM", {"shelter"}),
    ("Department of Disaster Prevention and Mitigation", {"shelter"}),
    ("disaster", {"shelter"}),
    ("TMD earthquake", {"quake"}),
    # a province by its English name (the gazetteer's): not "chiang" corrected to chang, nor every เลย
    ("temples chiang mai", {"temples-cm"}),
    ("temples Loei", {"temples-loei"}),
    # a code list's label as a search term, not "ชั้นข้อมูลการใช้ประโยชน์ที่ดิน" nor "แหล่งน้ำ เช่น แม่น้ำ …"
    ("land use", {"land-use"}),
    ("water bodies", {"ponds"}),
    # ผลผลิต (a crop's output), a catalogue word of eleven sample titles
    ("rice production", {"rice-yield"}),
    # the public-data vocabulary: diesel and gasohol were in the catalogue's lists, petrol was in none
    ("petrol", {"petrol"}),
    ("gasoline", {"petrol"}),
    ("pharmacies", {"pharmacy"}),
    ("fresh market", {"market"}),
    ("shelters", {"shelter"}),
    ("computers", {"ict"}),
    ("smartphone", {"ict"}),
    ("football", {"stadium"}),
    ("เอทานอล", {"ethanol"}),  # a Thai loanword finds the record that writes it in English
    ("pet food", {"petfood"}),
    ("subway stations", {"metro"}),
    ("population density", {"density"}),
    ("labour force", {"labour"}),
    ("employment", {"labour"}),
    ("growth rate", {"growth"}),
    ("factory act", {"factory-act"}),
    ("COVID-19", {"covid"}),
    ("covid19", {"covid"}),
    ("โควิด-19", {"covid"}),
])
def test_english_and_acronyms_find_thai_records_beyond_the_sample(es, catalogue, q, expected):
    result = queries.search(es, catalogue, SearchParams(q=q), ANONYMOUS)
    assert result.all_words and {h["id"] for h in result.hits} == expected and result.total == len(expected)
