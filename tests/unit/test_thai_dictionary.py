"""analyzers.dictionary: the built custom dictionary, its version, abbreviations; analyzers.dictionary_build:
the build and the ``gdc-dict`` command."""
from __future__ import annotations

import pytest

from analyzers import dictionary, dictionary_build, spelling


def test_built_dictionary_has_government_vocabulary():
    words = dictionary.words()
    for word in ("การไฟฟ้าส่วนภูมิภาค", "สพฐ", "กฟภ", "คลองสามวา", "สำนักงานพระพุทธศาสนาแห่งชาติ"):
        assert word in words


def test_version_is_content_hash():
    assert len(dictionary.version()) == 12
    assert dictionary.nlpo3_name().endswith(dictionary.version())


def test_abbreviations_and_synonyms_are_read():
    assert ("สพฐ", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน") in dictionary.abbreviations()
    assert any("ท่องเที่ยว" in group and "tourism" in group for group in dictionary.synonym_groups())


def test_catalogue_words_from_both_record_shapes():
    canonical = [{"organization": {"title": "บริษัท วิทยุการบินแห่งประเทศไทย จำกัด"},
                  "tags": ["ปริมาณเที่ยวบิน"]},
                 {"organization": {"title": "กรมทดสอบ"}, "tags": ["ปริมาณเที่ยวบิน", "ครั้งเดียว"]}]
    datagoth = [{"org": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "tags": []}]
    found = dictionary_build.catalogue_words(canonical + datagoth)
    assert {"วิทยุการบินแห่งประเทศไทย", "กรมทดสอบ", "ปริมาณเที่ยวบิน", "สถาบันพัฒนาองค์กรชุมชน"} <= found
    assert "ครั้งเดียว" not in found  # a tag only one dataset uses


def test_is_compound():
    base = {"จักรยานยนต์", "กรมการขนส่งทางบก"}
    assert dictionary_build.is_compound("กรมการขนส่งทางบก", base)  # an agency, even when pythainlp knows it
    assert not dictionary_build.is_compound("จักรยานยนต์", base)    # an ordinary word
    assert dictionary_build.is_compound("จำนวนรถจดทะเบียนสะสม", base)


def test_version_command(capsys):
    assert dictionary_build.main(["version"]) == 0
    assert capsys.readouterr().out.strip() == dictionary.version()


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["build", "--help"], ["build", "-h"]])
def test_help_exits_0(argv, capsys):
    assert dictionary_build.main(argv) == 0
    assert "gdc-dict" in capsys.readouterr().out


def test_help_names_both_commands(capsys):
    dictionary_build.main(["--help"])
    out = capsys.readouterr().out
    assert "rebuild analyzers/data/thai_dictionary.txt" in out
    assert "print the dictionary version stored with the index" in out


@pytest.mark.parametrize("argv", [[], ["bogus"], ["version", "extra"]])
def test_usage_errors_exit_2(argv, capsys):
    assert dictionary_build.main(argv) == 2
    assert "Usage: gdc-dict" in capsys.readouterr().err


def test_one_letter_off_puts_back_a_dropped_letter():
    assert spelling.one_letter_off("โรงเรยน") == ("โรงเรียน",)
    assert "พลังงาน" in spelling.one_letter_off("พลังาน")
    assert spelling.one_letter_off("โรงเรียน") == ()  # a word is no typo
    assert "โรงงาน" not in spelling.one_letter_off("แรงงาน")  # no substitutions
