"""The semantic layer on a real node: vectors through ``gdc-index``, the cache across runs, paging across
the fused window, and searches on indices without vectors (leaks: tests/integration/leak/)."""
from __future__ import annotations

import json

import pytest

from indexer import cli
from indexer import mapping as m
from indexer.vectors import CACHE_FILE
from portal.auth.principal import ANONYMOUS
from portal.search import hybrid, queries
from portal.search.queries import SearchParams
from tests.support import OPEN_DATA_DECLARATION, WITH_VECTORS, dataset, load_records

pytestmark = pytest.mark.integration

ROW = {"id": "sem-rain", "title": "ปริมาณน้ำฝนรายวัน", "summary": "ปริมาณน้ำฝนรายวันจากสถานีตรวจอากาศ",
       "org": "กรมอุตุนิยมวิทยา", "tags": ["น้ำฝน"], "formats": ["CSV"], "resources": 1,
       "resources_list": [{"name": "csv", "format": "CSV", "url": "https://example.go.th/rain.csv"}],
       "license": "Open Data Common", "updated": "2025-01-01T00:00:00"}


def test_gdc_index_embeds_with_the_layer_on_and_reuses_the_cache(es, test_alias, tmp_path, monkeypatch,
                                                                  capsys):
    source = tmp_path / "rows.jsonl"
    rows = [ROW, dict(ROW, id="sem-school", title="จำนวนโรงเรียนรายจังหวัด", summary="โรงเรียนทุกสังกัด",
                      tags=["โรงเรียน"])]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("GDC_SEMANTIC", "1")
    monkeypatch.setenv("GDC_VAR_DIR", str(tmp_path / "var"))
    argv = ["rebuild", str(source), "--declare", OPEN_DATA_DECLARATION, "--alias", test_alias,
            "--workers", "0", "--rejects", str(tmp_path / "rejects.jsonl"), "--quiet"]
    assert cli.main(argv) == 0
    assert "vectors: 2 passages embedded" in capsys.readouterr().out
    assert es.count(index=test_alias, query=WITH_VECTORS)["count"] == 2
    assert (tmp_path / "var" / CACHE_FILE).exists()
    assert cli.main(argv) == 0  # a rebuild of the same records embeds nothing again
    assert "vectors: 0 passages embedded in 0.0 s, 2 from the cache" in capsys.readouterr().out
    monkeypatch.setenv("GDC_SEMANTIC", "0")
    assert cli.main(argv) == 0
    assert "vectors:" not in capsys.readouterr().out
    assert es.count(index=test_alias, query=WITH_VECTORS)["count"] == 0


TOPICS = ["จำนวนนักเรียน", "ที่ตั้งโรงเรียน", "งบประมาณโรงเรียน", "ครูและบุคลากร", "อาหารกลางวันนักเรียน",
          "ผลสอบ O-NET", "ทุนการศึกษา", "ห้องสมุดโรงเรียน"]


def schools(n: int) -> list[dict]:
    return [dataset(f"school-{i:02d}", title=f"{TOPICS[i % len(TOPICS)]} โรงเรียน ชุดที่ {i}",
                    tags=["โรงเรียน"], notes=f"ข้อมูล{TOPICS[(i * 3) % len(TOPICS)]} ของโรงเรียนในจังหวัด")
            for i in range(n)]


def test_fused_pages_hold_every_record_once_across_the_window(es, test_alias, monkeypatch):
    """Page by page, with the fused window cut to 10 records: the fused pages and the pages past the
    window together list every record of the word query exactly once, under the same count."""
    from indexer import rebuild
    from indexer.vectors import Embedder, VectorCache
    from tests.support import TEST_OPTIONS

    rebuild.rebuild_records(es, test_alias, schools(30),
                            rebuild.Options(**TEST_OPTIONS, vectors=Embedder(VectorCache(None))))
    monkeypatch.setattr(hybrid, "WINDOW", 10)
    monkeypatch.setattr(hybrid, "KNN", 5)  # 15 records at most are fused: pages 3 to 5 follow the words
    q = "โรงเรียน"
    off = queries.search(es, test_alias, SearchParams(q=q, size=100), ANONYMOUS, semantic=False)
    pages = [queries.search(es, test_alias, SearchParams(q=q, page=p, size=7), ANONYMOUS, semantic=True)
             for p in range(1, 6)]
    listed = [h["id"] for page in pages for h in page.hits]
    assert len(listed) == len(set(listed)) and set(listed) == {h["id"] for h in off.hits}
    assert {page.total for page in pages} == {off.total} == {30}
    assert listed[:10] != [h["id"] for h in off.hits][:10]  # the neighbours did reorder the first page


# A record asked for by its name (school) or its exact title (โรงเรียน), about rainfall: far from the query
# in meaning, while thirty other records hold the word โรงเรียน.
ASKED_FOR = [
    ("school",
     dataset("school", title="ปริมาณน้ำฝนรายวัน", notes="ปริมาณน้ำฝนจากสถานีตรวจอากาศ", tags=["น้ำฝน"])),
    ("โรงเรียน", dataset("titled", title="โรงเรียน", notes="ปริมาณน้ำฝนจากสถานีตรวจอากาศ", tags=["น้ำฝน"])),
]


@pytest.mark.parametrize("q, record", ASKED_FOR, ids=["named", "exact-title"])
def test_a_record_asked_for_by_its_identifier_or_title_stays_first_whatever_the_neighbours_say(
        es, test_alias, monkeypatch, q, record):
    """With the neighbours weighing a hundred times the words, the record asked for is still first, the
    others in the fused order."""
    from indexer import rebuild
    from indexer.vectors import Embedder, VectorCache
    from tests.support import TEST_OPTIONS

    rebuild.rebuild_records(es, test_alias, [record, *schools(30)],
                            rebuild.Options(**TEST_OPTIONS, vectors=Embedder(VectorCache(None))))
    monkeypatch.setattr(hybrid, "NEAR_WEIGHT", 100.0)
    on = queries.search(es, test_alias, SearchParams(q=q, size=31), ANONYMOUS, semantic=True)
    off = queries.search(es, test_alias, SearchParams(q=q, size=31), ANONYMOUS, semantic=False)
    assert on.hits[0]["id"] == off.hits[0]["id"] == record["id"]
    assert on.named == (q == "school")  # the page speaks of one record only when the query names it
    assert on.total == off.total == 31
    assert [h["id"] for h in on.hits[1:]] != [h["id"] for h in off.hits[1:]]  # the neighbours do reorder


HEAD = ("รายงานนี้รวบรวมตัวชี้วัดผลการดำเนินงานของหน่วยงานตามแผนปฏิบัติราชการประจำปี "
        "ได้แก่ การใช้จ่ายงบประมาณ จำนวนบุคลากร การฝึกอบรม ความพึงพอใจของผู้รับบริการ และผลการตรวจสอบภายใน ") * 2
TAIL = ("ภาคผนวกบันทึกเหตุการณ์แผ่นดินไหวที่ตรวจวัดได้ในภาคเหนือ ขนาดความรุนแรงตามมาตราริกเตอร์ "
        "ตำแหน่งศูนย์กลาง ความลึก และอาฟเตอร์ช็อกที่ตามมา")


def test_a_long_record_is_as_near_as_its_nearest_passage(es, test_alias):
    """A long description is embedded window by window: a query about its last lines finds the record
    by the window that holds them, not by a vector of its first lines only."""
    from analyzers import embedding
    from indexer import rebuild
    from indexer.vectors import Embedder, VectorCache, passages
    from tests.support import TEST_OPTIONS

    long = dataset("long", title="รายงานประจำปี", notes=HEAD + TAIL)
    short = dataset("short", title="รายงานประจำปี ฉบับย่อ", notes=HEAD)
    rebuild.rebuild_records(es, test_alias, [long, short],
                            rebuild.Options(**TEST_OPTIONS, vectors=Embedder(VectorCache(None))))
    assert es.count(index=test_alias, query=WITH_VECTORS)["count"] == 2
    q = embedding.query("แผ่นดินไหว")
    stored = es.search(index=test_alias, query={"ids": {"values": ["long"]}})["hits"]["hits"][0]["_source"]
    texts = passages(stored[m.RECORD])
    assert len(texts) == 2 and "แผ่นดินไหว" in texts[-1] and "แผ่นดินไหว" not in texts[0]
    cosines = [sum(a * b for a, b in zip(q, v)) for v in embedding.passages(texts)]
    assert max(cosines) == cosines[-1] > cosines[0] + 0.02  # the window about earthquakes is the nearest
    section = hybrid.knn_section(q, [{"match_all": {}}])
    answer = es.search(index=test_alias, knn=section, size=2, _source=False)
    hits = answer["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["long", "short"]
    assert hits[0]["_score"] == pytest.approx((1 + max(cosines)) / 2, abs=0.01)  # ES's cosine score


def test_an_index_without_vectors_answers_by_its_words_with_the_layer_on(es, test_alias):
    records = [dataset(f"plain-{i}", title=f"สถิติโรงเรียน ชุดที่ {i}", tags=["โรงเรียน"]) for i in range(30)]
    load_records(es, test_alias, records)  # no vectors: built as with GDC_SEMANTIC=0
    for params in (SearchParams(q="สถิติโรงเรียน"), SearchParams(q="โรงเรียน", page=2, size=7),
                   SearchParams(q="โรงเรียน ชุดที่ 3", filters={"tags": ["โรงเรียน"]})):
        off = queries.search(es, test_alias, params, ANONYMOUS, semantic=False)
        on = queries.search(es, test_alias, params, ANONYMOUS, semantic=True)
        assert [h["id"] for h in on.hits] == [h["id"] for h in off.hits] and on.hits
        assert (on.total, on.facets, on.partial_total) == (off.total, off.facets, off.partial_total)


MEANINGS = [dataset("rain", title="ปริมาณน้ำฝนรายวัน", notes="ปริมาณน้ำฝนรายวันจากสถานีตรวจอากาศ", tags=["น้ำฝน"]),
            dataset("school", title="จำนวนโรงเรียนรายจังหวัด", notes="โรงเรียนทุกสังกัด", tags=["โรงเรียน"]),
            dataset("hotel", title="ทะเบียนโรงแรม", notes="รายชื่อโรงแรมที่ได้รับอนุญาต", tags=["โรงแรม"]),
            dataset("mosque", title="ที่ตั้งมัสยิด", notes="มัสยิดที่ขึ้นทะเบียนกับคณะกรรมการกลางอิสลาม", tags=["มัสยิด"]),
            dataset("budget", title="งบประมาณรายจ่ายประจำปี", notes="งบประมาณ", tags=["งบประมาณ"])]


@pytest.fixture
def meanings(es, test_alias):
    from indexer import rebuild
    from indexer.vectors import Embedder, VectorCache
    from tests.support import TEST_OPTIONS

    rebuild.rebuild_records(es, test_alias, MEANINGS,
                            rebuild.Options(**TEST_OPTIONS, vectors=Embedder(VectorCache(None))))
    return test_alias


def test_records_related_by_meaning_are_those_no_word_finds_shown_apart(es, meanings, monkeypatch):
    """No word of "precipitation" is in the catalogue (nor in the glossary, which translates "rainfall"); its
    meaning is closest to the rain record. The part lists it apart: the count, the hits and the facets stay
    the word matches' (none)."""
    nonsense = queries.search(es, meanings, SearchParams(q="asdfgh qwerty"), ANONYMOUS, semantic=True)
    assert nonsense.total == 0 and nonsense.related == []  # under the floor chosen on dev
    monkeypatch.setattr(hybrid, "RELATED_FLOOR", 0.8)  # this five-record catalogue's meanings are closer
    off = queries.search(es, meanings, SearchParams(q="precipitation"), ANONYMOUS, semantic=False)
    on = queries.search(es, meanings, SearchParams(q="precipitation"), ANONYMOUS, semantic=True)
    assert off.related == [] and on.related and on.related[0]["id"] == "rain"
    assert (on.total, on.hits, on.facets, on.partial) == (off.total, off.hits, off.facets, off.partial) \
        == (0, [], off.facets, [])
    assert all(h["tier"] == "full" and h["missing"] == [] for h in on.related)
    # A record the words find is a word match, never also "related"; the selection applies to the part.
    worded = queries.search(es, meanings, SearchParams(q="weather station"), ANONYMOUS, semantic=True)
    assert [h["id"] for h in worded.hits] == ["rain"] and "rain" not in {h["id"] for h in worded.related}
    chosen = queries.search(es, meanings, SearchParams(q="precipitation", filters={"tags": ["โรงเรียน"]}),
                            ANONYMOUS, semantic=True)
    assert {h["id"] for h in chosen.related} <= {"school"}
    misspelt = queries.search(es, meanings, SearchParams(q="rainfal"), ANONYMOUS, semantic=True)
    assert misspelt.related == []  # a corrected query: the model would read another word


def test_the_related_part_on_the_page_in_thai_and_english_and_in_the_api(meanings, monkeypatch, tmp_path):
    from dataclasses import replace

    from indexer.settings import Settings
    from portal import create_app

    monkeypatch.setattr(hybrid, "RELATED_FLOOR", 0.8)
    app = create_app({"TESTING": True, "GDC_INDEX": meanings, "SECRET_KEY": "test",
                      "GDC_SETTINGS": replace(Settings.from_env(), index=meanings, semantic=True),
                      "GDC_AUTH_DB": str(tmp_path / "auth.sqlite3"), "GDC_AUDIT_LOG": str(tmp_path / "a.jsonl"),
                      "GDC_RATE_LIMIT_ANONYMOUS": 0, "GDC_RATE_LIMIT_SIGNED_IN": 0})
    thai = app.test_client().get("/search", query_string={"q": "precipitation"}).get_data(as_text=True)
    assert "ไม่พบชุดข้อมูลที่ตรงกัน" in thai  # no word matches: the count says so
    assert 'id="related-meaning"' in thai and "ชุดข้อมูลที่อาจเกี่ยวข้องตามความหมาย (" in thai
    assert thai.index("ปริมาณน้ำฝนรายวัน") > thai.index('id="related-meaning"')  # plain HTML, no script
    english = app.test_client()
    english.set_cookie("gdc_lang", "en")
    page = english.get("/search", query_string={"q": "precipitation"}).get_data(as_text=True)
    assert "Datasets that may be related in meaning (" in page and "found by similar meaning" in page
    api = app.test_client().get("/api/v1/search", query_string={"q": "precipitation"}).get_json()
    assert api["total"] == 0 and api["results"] == [] and api["related"][0]["dataset"]["id"] == "rain"
