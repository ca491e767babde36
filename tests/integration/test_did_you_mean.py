"""Did-you-mean that helps, on the bundled sample: a dictionary word is never "corrected", a suggestion
is offered only when it clearly finds more, English typos are understood, an empty page offers the
other language and a compound said with less, and every example query of the search box finds something."""
from __future__ import annotations

import html
import re
from urllib.parse import quote_plus

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


def _offered(page: str) -> list[tuple[str, int]]:
    """The broader searches an empty page offers: (link, count)."""
    found = re.findall(r'<ul class="broader".*?</ul>', page, re.S)
    return [(html.unescape(link), int(n)) for link, n in
            re.findall(r'<a href="([^"]+)">.*?</a> – (\d+)', found[0], re.S)] if found else []


def test_an_empty_page_offers_the_compound_said_with_less(es, sample_alias, web):
    assert total(es, sample_alias, "ค่าไฟฟ้า") == 0 < total(es, sample_alias, "ไฟฟ้า")
    [(link, count)] = _offered(web.get("/search", query_string={"q": "ค่าไฟฟ้า"}).get_data(as_text=True))
    assert count == total(es, sample_alias, "ไฟฟ้า")
    followed = web.get(link).get_data(as_text=True)
    assert re.search(rf'id="results-count"[^>]*>[^<]*\b{count}\b', followed), link
    # a word with no head to leave out offers nothing
    assert total(es, sample_alias, "โควิด") == 0
    assert _offered(web.get("/search", query_string={"q": "โควิด"}).get_data(as_text=True)) == []


def test_the_broader_search_keeps_the_filters(es, sample_alias, web):
    electricity = queries.search(es, sample_alias, SearchParams(q="ไฟฟ้า", size=0), ANONYMOUS)
    org, _ = electricity.facets["organization"][-1]
    narrowed = SearchParams(q="ไฟฟ้า", size=0, filters={"organization": [org]})
    expected = queries.search(es, sample_alias, narrowed, ANONYMOUS).total
    page = web.get("/search", query_string={"q": "ค่าไฟฟ้า", "organization": org}).get_data(as_text=True)
    [(link, count)] = _offered(page)
    assert count == expected > 0 and f"organization={org}" in link


def test_an_empty_page_offers_the_other_language_with_its_pages_count(es, sample_alias, web):
    # no sample record holds "court"; ศาล said in Thai finds records holding some of its words
    assert total(es, sample_alias, "court") == 0
    page = web.get("/search", query_string={"q": "court"}).get_data(as_text=True)
    offer = re.search(r'<p class="other-language"><a href="([^"]+)">.*?</a> – (\d+)', page, re.S)
    link, count = offer.groups()
    assert html.unescape(link) == "/search?q=" + quote_plus("ศาล")
    assert int(count) == total(es, sample_alias, "ศาล") > 0


def _corrected_notice(page: str) -> str | None:
    found = re.search(r'<p class="corrected" role="note">(.*?)</p>', page, re.S)
    return found.group(1) if found else None


def test_an_empty_page_shows_the_corrections_results_and_links_the_search_as_typed(es, sample_alias, web):
    """เชื้อเพลง (fuel with a vowel dropped) is two real words, germ and song, that no record holds together:
    the page shows เชื้อเพลิง's records, says so, and links the search as typed — which stays empty and
    offers the correction."""
    assert total(es, sample_alias, "เชื้อเพลง") == 0 < total(es, sample_alias, "เชื้อเพลิง")
    page = web.get("/search", query_string={"q": "เชื้อเพลง"}).get_data(as_text=True)
    assert re.search(rf'id="results-count"[^>]*>[^<]*\b{total(es, sample_alias, "เชื้อเพลิง")}\b', page)
    notice = _corrected_notice(page)
    assert "“เชื้อเพลง”" in notice and "<strong>เชื้อเพลิง</strong>" in notice
    as_typed = html.unescape(re.search(r'<a href="([^"]+)">เชื้อเพลง</a>', notice).group(1))
    assert as_typed == "/search?q=" + quote_plus("เชื้อเพลง") + "&as_typed=1"
    typed = web.get(as_typed).get_data(as_text=True)
    assert _corrected_notice(typed) is None and 'class="no-results"' in typed
    # two words (เชื้อ, เพลง) and nothing holding either: no "0 datasets hold some words"
    assert re.search(r'id="results-count"[^>]*>\s*พบ 0 ชุดข้อมูล\s*<', typed)
    assert re.search(r'class="did-you-mean">.*?<strong>เชื้อเพลิง</strong>', typed, re.S)


def test_the_correction_shown_keeps_the_filters(es, sample_alias, web):
    fuel = queries.search(es, sample_alias, SearchParams(q="เชื้อเพลิง", size=0), ANONYMOUS)
    # an agency with two records or more: a correction is shown only when it finds clearly more
    org = next(org for org, count in fuel.facets["organization"]
               if queries.CLEARLY_MORE <= count < fuel.total)
    narrowed = SearchParams(q="เชื้อเพลิง", size=0, filters={"organization": [org]})
    expected = queries.search(es, sample_alias, narrowed, ANONYMOUS).total
    page = web.get("/search", query_string={"q": "เชื้อเพลง", "organization": org}).get_data(as_text=True)
    assert _corrected_notice(page) is not None and f"organization={org}" in page
    assert re.search(rf'id="results-count"[^>]*>[^<]*\b{expected}\b', page)


def test_a_search_that_finds_something_is_never_replaced(web):
    # ร้องเรยน finds records as typed (partly): it may be offered a correction, never replaced by one
    page = web.get("/search", query_string={"q": "ร้องเรยน"}).get_data(as_text=True)
    assert _corrected_notice(page) is None and 'value="ร้องเรยน"' in page
