"""Did-you-mean that helps, on the bundled sample: a dictionary word is never "corrected", a suggestion
is offered only when it clearly finds more, English typos are understood, an empty page offers the
other language, and every example query of the search box finds something."""
from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.auth.principal import ANONYMOUS
from portal.search import queries
from portal.search.queries import SearchParams

pytestmark = pytest.mark.integration



@pytest.fixture
def web(sample_alias, monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_INDEX", sample_alias)
    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path))
    return create_app({"TESTING": True}).test_client()


def total(es, alias, q: str) -> int:
    return queries.search(es, alias, SearchParams(q=q, size=0, facets=()), ANONYMOUS).total


@pytest.mark.parametrize("word", ["ฝุ่น", "ข้าว", "ยาง", "hotel"])
def test_a_dictionary_word_is_never_corrected(es, sample_alias, word):
    assert queries.did_you_mean(es, sample_alias, word, ANONYMOUS) is None


def test_a_suggestion_is_offered_only_when_it_finds_clearly_more(es, sample_alias):
    params = SearchParams(q="ร้องเรยน")
    suggestion = queries.did_you_mean(es, sample_alias, "ร้องเรยน", ANONYMOUS)
    assert suggestion  # a spelling the records know
    helped = queries.did_you_mean(es, sample_alias, "ร้องเรยน", ANONYMOUS, params)
    before, after = total(es, sample_alias, "ร้องเรยน"), total(es, sample_alias, suggestion)
    assert (helped is not None) == (after >= max(2 * before, before + queries.CLEARLY_MORE))


@pytest.mark.parametrize("typed, meant", [("budjet", "งบประมาณ|budget"), ("electrcity", "ไฟฟ้า|electric"),
                                          ("touism", "ท่องเที่ยว|touris")])
def test_english_typos_find_the_thai_records(es, sample_alias, typed, meant):
    found = queries.search(es, sample_alias, SearchParams(q=typed, size=10, facets=()), ANONYMOUS)
    assert found.total >= 3
    for hit in found.hits[:3]:
        record = hit["record"]
        text = " ".join([record["title"], record.get("notes") or "", " ".join(record.get("tags") or [])])
        assert re.search(meant, text, re.IGNORECASE), (typed, record["title"])


def test_english_typo_correction_names_the_known_word():
    from analyzers.spelling import english_correction

    assert english_correction("budjet") == "budget"
    assert english_correction("electrcity 2563") == "electricity 2563"
    assert english_correction("ไฟฟ้า") is None and english_correction("budget") is None


def test_every_example_query_of_the_search_box_finds_something(web):
    page = web.get("/").get_data(as_text=True)
    placeholder = re.search(r'placeholder="([^"]+)"', page).group(1)
    examples = [e.strip() for e in re.sub(r"^\S+\s", "", placeholder).split(",")]
    assert len(examples) >= 2
    for example in examples:
        results = web.get("/search", query_string={"q": example}).get_data(as_text=True)
        count = re.search(r'id="results-count"[^>]*>\s*([^<]+)<', results).group(1)
        assert re.search(r"[1-9]", count), (example, count)


def test_the_same_words_in_the_other_language():
    from analyzers.concepts import other_language, understand

    assert other_language(understand("hotel กรุงเทพ")) == "โรงแรม bangkok"
    assert other_language(understand("zzqqxx")) is None
