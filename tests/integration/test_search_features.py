"""Search features on a real node: autocomplete, did-you-mean, get-by-id/slug, listing, export, Thai sort."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from markupsafe import escape

from analyzers.thai import sort_key
from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.search import queries
from portal.search.queries import SearchParams
from tests.integration import search_corpus as corpus
from tests.support import dataset

pytestmark = pytest.mark.integration

ANALYST = Principal(kind="analyst", username="an",
                    grants=(Grant(categories=frozenset({"internal"}), max_level=2),))
ADMIN = Principal(kind="admin", username="root")
SORT_TITLES = ["ไก่ชน", "กาแฟ", "เกาะสมุย", "ขนมไทย", "แกงส้ม", "โกดังสินค้า", "ใบไม้", "ฆ้องวง", "อากาศ",
               "ฮวงจุ้ย"]


@pytest.fixture(scope="module")
def alias(es):
    extra = [dataset(f"sort-{i}", title=t, organization={"name": "sorting", "title": "หน่วยทดสอบการเรียง"})
             for i, t in enumerate(SORT_TITLES)]
    name = corpus.load(es, corpus.open_records() + corpus.sensitive_records() + extra)
    yield name
    corpus.drop(es, name)


def test_autocomplete_offers_titles_organizations_and_tags_from_prefixes_of_words(es, alias):
    found = queries.suggest(es, alias, "โรงเร", ANONYMOUS)
    kinds = {s["kind"] for s in found}
    assert "dataset" in kinds and "tag" in kinds
    assert any("โรงเรียน" in s["text"] for s in found if s["kind"] == "dataset")
    # a prefix of a word in the middle of a title
    middle = queries.suggest(es, alias, "โรงเรี", ANONYMOUS, size=20)
    assert any(s["text"].startswith("ที่ตั้งโรงเรียน") for s in middle)
    orgs = queries.suggest(es, alias, "กรมอุตุ", ANONYMOUS)
    assert {"kind": "organization", "text": "กรมอุตุนิยมวิทยา", "value": "tmd", "count": 12} in orgs
    assert len(queries.suggest(es, alias, "โรง", ANONYMOUS, size=3)) <= 3


CANARY_PREFIXES = [corpus.CANARY[:n] for n in range(2, len(corpus.CANARY) + 1, 2)] + ["แท็กคานา", "ไม่ยินยอม"]


@pytest.mark.parametrize("prefix", CANARY_PREFIXES)
def test_autocomplete_never_shows_what_anonymous_cannot_see(es, alias, prefix):
    for item in queries.suggest(es, alias, prefix, ANONYMOUS, size=20):
        assert "คานารี" not in item["text"] and "ยินยอม" not in item["text"]


def test_name_tier_autocomplete_shows_titles_but_not_tags(es, alias):
    found = queries.suggest(es, alias, "ทะเบียนคานา", ANALYST, size=20)
    assert any(s["kind"] == "dataset" for s in found)
    tags = [s for s in queries.suggest(es, alias, "แท็ก", ANALYST) if s["kind"] == "tag"]
    assert not any("คานารี" in s["text"] for s in tags)


def test_did_you_mean_corrects_thai_typos_from_visible_words_only(es, alias):
    assert queries.did_you_mean(es, alias, "โรงเรยน", ANONYMOUS) == "โรงเรียน"
    assert queries.did_you_mean(es, alias, "งบประมน", ANONYMOUS) == "งบประมาณ"
    assert queries.did_you_mean(es, alias, "โรงเรียน", ANONYMOUS) is None
    assert queries.did_you_mean(es, alias, "คานารีลับสุดยอน", ANONYMOUS) is None
    for who in (ANONYMOUS, ANALYST):  # the analyst sees these titles by name only: no words from them
        assert "คานารี" not in (queries.did_you_mean(es, alias, "ทะเบียนคานารีลับสุดยอน", who) or "")
        assert "คานารี" not in (queries.did_you_mean(es, alias, "แท็กคานารีลับสุดยอน", who) or "")


def test_get_dataset_by_id_or_slug_and_invisible_is_missing(es, alias):
    assert queries.get_dataset(es, alias, "open-01", ANONYMOUS)["id"] == "open-01"
    assert queries.get_dataset(es, alias, "secret-0", ANONYMOUS) is None
    assert queries.get_dataset(es, alias, "hidden-0", ANALYST) is None
    named = queries.get_dataset(es, alias, "secret-0", ANALYST)
    assert named["tier"] == "name" and "notes" not in named and "tags" not in named
    assert queries.get_dataset(es, alias, "hidden-0", ADMIN)["notes"]


def test_organizations_and_one_organization(es, alias):
    orgs = {o["slug"]: o for o in queries.organizations(es, alias, ANONYMOUS)}
    assert orgs["tmd"] == {"slug": "tmd", "count": 12, "title": "กรมอุตุนิยมวิทยา",
                           "title_en": "Thai Meteorological Department"}
    assert "hiddenorg" not in orgs
    assert queries.organization(es, alias, "hiddenorg", ANONYMOUS) is None
    assert queries.organization(es, alias, "hiddenorg", ADMIN)["count"] == 1
    assert queries.organization(es, alias, "moe", ANALYST)["count"] == orgs["moe"]["count"] + 3


def test_iter_records_yields_everything_visible_redacted(es, alias):
    anonymous = list(queries.iter_records(es, alias, ANONYMOUS, batch=7))
    assert len(anonymous) == queries.count(es, alias, ANONYMOUS) == 48 + len(SORT_TITLES)
    assert not any("คานารี" in (r.get("title") or "") for r in anonymous)
    named = [r for r in queries.iter_records(es, alias, ANALYST) if r.get("tier") == "name"]
    assert len(named) == 6 and all("notes" not in r for r in named)
    assert len(list(queries.iter_records(es, alias, ANONYMOUS, organization=["tmd", "bma"]))) == 24


def test_title_sort_is_thai_dictionary_order(es, alias):
    params = SearchParams(filters={"organization": ["sorting"]}, sort="title")
    result = queries.search(es, alias, params, ANONYMOUS)
    titles = [h["record"]["title"] for h in result.hits]
    assert titles == sorted(SORT_TITLES, key=sort_key)
    assert titles.index("เกาะสมุย") < titles.index("ขนมไทย")  # เ sorts by its consonant ก, not after ฮ


def test_sort_by_last_modified_and_pages(es, alias):
    params = SearchParams(filters={"organization": ["tmd"]}, sort="modified", size=5)
    first = queries.search(es, alias, params, ANONYMOUS)
    second = queries.search(es, alias, replace(params, page=2), ANONYMOUS)
    dates = [h["record"]["metadata_modified"] for h in first.hits + second.hits]
    assert dates == sorted(dates, reverse=True)
    assert first.pages == 3 and not {h["id"] for h in first.hits} & {h["id"] for h in second.hits}


def test_highlights_mark_the_original_title(es, alias):
    for hit in queries.search(es, alias, SearchParams(q="โรงเรียน"), ANONYMOUS).hits:
        marked = str(hit["highlights"]["title"])
        assert ("<mark>โรงเรียน</mark>" in marked) is ("โรงเรียน" in hit["record"]["title"])
        assert re.sub("</?mark>", "", marked) == str(escape(hit["record"]["title"]))  # no inserted spaces
