"""A small deterministic corpus for the search integration tests: open records with every facet filled,
sensitive records (with and without consent) carrying canary words, and helpers to load and drop it."""
from __future__ import annotations

import random
import uuid

from tests.support import dataset, load_records

ORGS = [("moe", "กระทรวงศึกษาธิการ", "Ministry of Education"),
        ("bma", "กรุงเทพมหานคร", "Bangkok Metropolitan Administration"),
        ("tmd", "กรมอุตุนิยมวิทยา", "Thai Meteorological Department"),
        ("dga", "สำนักงานพัฒนารัฐบาลดิจิทัล", "Digital Government Development Agency")]
TITLES = ["จำนวนนักเรียนในโรงเรียน", "ที่ตั้งโรงเรียนในกรุงเทพมหานคร", "ปริมาณน้ำฝนรายเดือน",
          "อุณหภูมิสูงสุดรายวัน",
          "งบประมาณรายจ่ายประจำปี", "สถิติการท่องเที่ยว", "แผนที่เขตการปกครอง", "ไข้เลือดออกรายจังหวัด",
          "โครงการพัฒนาชุมชน", "เกษตรกรผู้ปลูกข้าว"]
TAGS = ["การศึกษา", "โรงเรียน", "น้ำฝน", "อากาศ", "งบประมาณ", "ท่องเที่ยว", "แผนที่", "สุขภาพ"]
FORMATS = ["CSV", "XLSX", "JSON", "PDF"]
FREQ = ["A", "M", "D"]
GEO = ["04", "06", "07"]
TYPES = ["1", "3"]
LICENCES = ["odc", "cc-by"]
CANARY = "คานารีลับสุดยอด"
NOTES_CANARY = "zebranotecanary"  # only ever in descriptions of sensitive records


def open_records(n: int = 48) -> list[dict]:
    rnd = random.Random(6)
    out = []
    for i in range(n):
        org = ORGS[i % len(ORGS)]
        title = f"{TITLES[i % len(TITLES)]} ชุดที่ {i}"
        formats = rnd.sample(FORMATS, rnd.randint(1, 2))
        out.append(dataset(
            f"open-{i:02d}", title=title, notes=f"คำอธิบาย{title} สำหรับการวิเคราะห์",
            organization={"name": org[0], "title": org[1], "title_en": org[2]},
            tags=rnd.sample(TAGS, rnd.randint(1, 3)),
            resources=[{"name": f"r{j}", "format": f, "url": f"https://example.go.th/{i}/{j}"}
                       for j, f in enumerate(formats)],
            update_frequency_unit=rnd.choice(FREQ), geo_coverage=rnd.choice(GEO), data_type=rnd.choice(TYPES),
            license_id=rnd.choice(LICENCES),
            data_format=[f.lower() for f in formats if f in ("CSV", "JSON")] or ["pdf"],
            metadata_modified=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T00:00:00",
        ))
    return out


def sensitive_records() -> list[dict]:
    """Internal-use records with consent (name tier for a covering grant) and one without consent."""
    out = []
    for i in range(6):
        org = ORGS[i % 2]
        out.append(dataset(
            f"secret-{i}", title=f"ทะเบียน{CANARY}ที่ {i}", notes=f"รายละเอียด{CANARY}ภายใน {NOTES_CANARY}",
            organization={"name": org[0], "title": org[1], "title_en": org[2]},
            tags=[f"แท็ก{CANARY}", "การศึกษา"], data_category="internal", data_classification="02",
            allow_harvest=True, license_id="other", update_frequency_unit="Q", geo_coverage="05",
            resources=[{"name": "x", "format": "SECRETFMT", "url": "https://example.go.th/s"}],
        ))
    out.append(dataset("hidden-0", title=f"ไม่ยินยอม{CANARY}",
                       organization={"name": "hiddenorg", "title": "หน่วยลับ"},
                       data_category="personal", data_classification="03", allow_harvest=False))
    return out


def load(es, records: list[dict]) -> str:
    alias = f"test_{uuid.uuid4().hex[:10]}"
    load_records(es, alias, records)
    return alias


def drop(es, alias: str) -> None:
    names = list(es.indices.get(index=f"{alias}*", expand_wildcards="all"))
    if names:
        es.options(ignore_status=404).indices.delete(index=",".join(names))
