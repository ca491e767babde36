"""The bilingual glossary: reviewed data with a source for every entry, rebuilt exactly from its sources."""
from __future__ import annotations

import re

import pytest

from analyzers import glossary


def test_every_entry_names_its_source():
    entries = glossary.entries()
    assert len(entries) > 500
    assert all(e.term and e.thai and e.source for e in entries)


def test_acronyms_both_ways_come_from_the_agency_list():
    by_term = {e.term: e for e in glossary.entries()}
    assert by_term["pea"].thai == "การไฟฟ้าส่วนภูมิภาค"
    assert by_term["bma"].thai == "กรุงเทพมหานคร"
    assert by_term["pea"].source.startswith("indexer/agencies.json")
    assert by_term["gdp"].is_name and not by_term["minimum wage"].is_name


def test_the_file_is_what_its_sources_build(tmp_path, monkeypatch):
    written = glossary.GLOSSARY_FILE.read_text(encoding="utf-8")
    monkeypatch.setattr(glossary, "GLOSSARY_FILE", tmp_path / "glossary.tsv")
    glossary.build()
    try:
        assert (tmp_path / "glossary.tsv").read_text(encoding="utf-8") == written
    finally:
        glossary.entries.cache_clear()
        glossary.english_words.cache_clear()


def test_ambiguous_thai_acronyms_keep_the_abbreviation_list_meaning():
    # พศ is also พุทธศักราช and กพ also กุมภาพันธ์: the agency list must not add them a second time.
    assert not {"พศ", "กพ"} & {e.term for e in glossary.entries()}


def test_agencies_beyond_the_sample_are_understood_by_acronym_and_english_name():
    """The agency list also holds departments no sample record names (seventh session), so a catalogue
    beyond the sample answers their acronyms and English names."""
    from analyzers.query import understand

    def forms(q):
        return {" ".join(v) for v in understand(q).variants}

    assert "กรมควบคุมมลพิษ ฝุ่น" in forms("PCD ฝุ่น")
    assert "สำนักงานสถิติแห่งชาติ ประชากร" in forms("NSO population")
    assert "กรมอุตุนิยมวิทยา" in "".join(forms("Thai Meteorological Department"))
    assert any(f.replace(" ", "") == "กรมป้องกันและบรรเทาสาธารณภัยน้ำท่วม" for f in forms("ปภ. น้ำท่วม"))
    # One acronym, two departments: both are searched, neither is guessed.
    assert {"กรมวิชาการเกษตร", "กรมท่าอากาศยาน"} <= {f.replace(" ", "") for f in forms("DOA")}
    # Thai too: ทช. is Rural Roads and Marine and Coastal Resources (the abbreviation list knew the first).
    assert {"กรมทางหลวงชนบท", "กรมทรัพยากรทางทะเลและชายฝั่ง"} <= {f.replace(" ", "") for f in forms("ทช.")}


def test_an_abbreviation_agencies_share_means_each_of_them():
    """Every abbreviation two agencies of the list share is read as both, whichever list knows it."""
    import collections
    import json

    from analyzers.concepts import concepts
    from analyzers.query import understand

    shared = collections.defaultdict(set)
    for agency in json.loads(glossary.AGENCIES_FILE.read_text(encoding="utf-8"))["agencies"]:
        for abbreviation in agency.get("abbr", []):
            shared[abbreviation].add(agency["th"])
    for abbreviation, names in shared.items():
        if len(names) > 1:
            held = {"".join(form) for c in concepts(understand(abbreviation)) for form in c.alternatives}
            assert {name.replace(" ", "") for name in names} <= held, abbreviation


@pytest.mark.parametrize("name, thai", [
    ("Office of the Permanent Secretary, Ministry of Natural Resources and Environment",
     "สำนักงานปลัดกระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("Department of Women's Affairs and Family Development", "กรมกิจการสตรีและสถาบันครอบครัว"),
    ("Digital Government Development Agency", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)")])  # no "(Public Organization)"
def test_an_agency_english_name_of_any_length_is_one_concept(name, thai):
    """The lists' phrases were looked up over six query words at most: an English agency name of seven
    or more (ten of the sample's agencies) was read word by word, and no record holds "permanent"."""
    from analyzers.concepts import concepts
    from analyzers.query import understand

    found = concepts(understand(name + " survey"))
    assert len(found) == 2 and re.sub(r"[\s()]", "", thai) in {"".join(a) for a in found[0].alternatives}


def test_an_agency_abbreviation_is_no_thai_word():
    """An acronym that is also a word (ทน "endure", as in พืชทนแล้ง; สมอ "anchor") would make every record
    using the word a record of that agency: such abbreviations stay out of the agency list. สผ is in
    pythainlp's word list only as the abbreviation itself."""
    from pythainlp.corpus import thai_words

    words = thai_words() - {"สผ"}
    from_agencies = [e for e in glossary.entries() if e.source.startswith("indexer/agencies.json")]
    thai_acronyms = {e.term for e in from_agencies if not e.term.isascii() and " " not in e.term}
    assert not thai_acronyms & words
    assert {"ปภ", "คพ", "สทนช"} <= thai_acronyms and "gistda" in {e.term for e in glossary.entries()}


def test_provinces_by_their_english_names_come_from_the_gazetteer():
    pairs = {(e.term, e.thai): e.source for e in glossary.entries()}
    assert "gazetteer" in pairs[("chiang mai", "เชียงใหม่")]
    assert "gazetteer" in pairs[("loei", "จังหวัดเลย")]  # เลย alone is an everyday word ("at all")
    provinces = [e for e in glossary.entries() if "thailand-geography-json provinces" in e.source]
    assert len(provinces) == 76  # and Bangkok, which the catalogue list already has
    regions = {e.term: e.thai for e in glossary.entries() if "REGION_NAMES_EN" in e.source}
    assert len(regions) == 6 and regions["central region"] == "ภาคกลาง"


def test_a_code_lists_label_is_a_search_term():
    """A GIS layer is labelled "ชั้นข้อมูล…" (data layer of …) and some labels give examples; a record about
    land use says การใช้ประโยชน์ที่ดิน, not ชั้นข้อมูลการใช้ประโยชน์ที่ดิน, so the label without them is the term."""
    from_codelists = {(e.term, e.thai) for e in glossary.from_codelists(glossary.CODELISTS_FILE)}
    assert ("land use", "การใช้ประโยชน์ที่ดิน") in from_codelists
    assert ("water bodies", "แหล่งน้ำ") in from_codelists and ("routes", "เส้นทางการเดินทาง") in from_codelists
    assert not [(term, thai) for term, thai in from_codelists
                if "ชั้นข้อมูล" in thai or "เช่น" in thai or "such as" in term]
    assert ("public data", "ข้อมูลสาธารณะ") in from_codelists  # a label that is already a term stays as it is


def test_an_open_licences_names_are_its_labels_terms():
    """A licence is a name in any of its forms (CC-BY, OGL); "other" and "not specified" name none."""
    from_codelists = {(e.term, e.thai) for e in glossary.from_codelists(glossary.CODELISTS_FILE)
                      if e.code_list == "license_id"}
    assert {("cc-by", "Creative Commons Attributions"), ("cc by", "Creative Commons Attributions"),
            ("ogl", "DGA Open Government License")} <= from_codelists
    assert not [pair for pair in from_codelists if "specified" in pair[0] or pair[0] == "other"]


def test_fy_is_the_fiscal_year():
    from analyzers.concepts import concepts
    from analyzers.query import understand

    assert ("fy", "ปีงบประมาณ") in {(e.term, e.thai) for e in glossary.from_acronyms()}
    [fy, year] = concepts(understand("FY2020"))
    assert ("ปีงบประมาณ",) in fy.alternatives and year.years == ("2563",)


@pytest.mark.parametrize("typed, month", [("Jan", "มกราคม"), ("sept", "กันยายน"), ("Dec", "ธันวาคม")])
def test_an_english_months_abbreviation_is_the_month(typed, month):
    from analyzers.concepts import concepts
    from analyzers.query import understand

    [asked, _] = concepts(understand(f"{typed} 2563"))
    assert (month,) in asked.alternatives
