"""The bilingual glossary: reviewed data with a source for every entry, rebuilt exactly from its sources."""
from __future__ import annotations

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
