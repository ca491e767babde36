"""Meaning vectors for documents: what is embedded, the content-hash cache and its bound, the stream."""
from __future__ import annotations

import pytest

from indexer import mapping as m
from indexer import vectors
from indexer.prepare import Prepared, decode, encode


@pytest.fixture
def fake_model(monkeypatch):
    calls: list[list[str]] = []

    def passages(texts):
        calls.append(list(texts))
        return [[float(len(t)), 1.0] + [0.0] * 382 for t in texts]

    monkeypatch.setattr(vectors.embedding, "passages", passages)
    return calls


def record(i: int, title: str = "ปริมาณน้ำฝน") -> dict:
    return {"id": f"r{i}", "title": f"{title} {i}", "tags": ["น้ำฝน"],
            "organization": {"title": "กรมอุตุนิยมวิทยา"},
            "notes": "ข้อมูล&amp;สถิติ " + " ".join(f"แถว{i:03d}" for i in range(125))}  # 887 characters


def test_passage_is_what_a_searcher_recognises_the_record_by():
    text = vectors.passage(record(1) | {"title_en": "Rainfall"})
    assert text.startswith("ปริมาณน้ำฝน 1 Rainfall น้ำฝน กรมอุตุนิยมวิทยา ข้อมูล&สถิติ")
    assert len(text) < 400  # the description is cut: its start says what the data is
    assert vectors.passage({"title": None}) == ""


def test_the_key_depends_on_the_model_and_the_text(monkeypatch):
    key = vectors.content_key("a")
    assert key == vectors.content_key("a") != vectors.content_key("b")
    monkeypatch.setattr(vectors.embedding, "MODEL", "another-model")
    assert vectors.content_key("a") != key  # vectors of another model are never reused


def test_a_second_run_embeds_only_changed_records(tmp_path, fake_model):
    first = vectors.Embedder.for_var_dir(tmp_path)
    first.vectors([record(1), record(2)])
    assert (first.embedded, first.reused) == (2 * 4, 0)
    first.cache.close()
    again = vectors.Embedder.for_var_dir(tmp_path)  # a new process: the file is the cache
    got = again.vectors([record(1), record(2, title="เปลี่ยน")])
    # each record is 4 passages (its start, then 3 windows of its 887-character description): record 2's
    # title changed its first passage and its windows, which begin with the title
    assert len(vectors.passages(record(1))) == 4
    assert (again.embedded, again.reused) == (4, 4)
    assert len(got[0]) == 4 and got[0][0][0] == pytest.approx(len(vectors.passage(record(1))))
    assert (tmp_path / vectors.CACHE_FILE).exists()


def test_a_long_description_is_embedded_window_by_window_with_the_title():
    notes = "".join(f"{i:03d}" + "ก" * 7 for i in range(300))  # 3,000 characters: numbered every 10
    texts = vectors.passages({"title": "ปริมาณ  น้ำฝน", "notes": notes})
    assert texts[0] == vectors.passage({"title": "ปริมาณ น้ำฝน", "notes": notes})
    assert len(texts) == vectors.MAX_PASSAGES  # the rest is not read: a bound on the cost
    windows = [t.removeprefix("ปริมาณ น้ำฝน ") for t in texts[1:]]
    assert all(t.startswith("ปริมาณ น้ำฝน ") for t in texts[1:])
    assert [len(w) for w in windows] == [vectors.WINDOW] * len(windows)
    starts = [int(w[:3]) for w in windows]  # each window starts OVERLAP before the end of the one before
    step = vectors.WINDOW - vectors.OVERLAP
    assert starts == [(vectors.DESCRIPTION_CHARS - vectors.OVERLAP + i * step) // 10 for i in range(len(windows))]
    short = {"title": "สั้น", "notes": "ก" * vectors.DESCRIPTION_CHARS}
    assert vectors.passages(short) == ["สั้น " + "ก" * 300]
    assert vectors.passages({"title": "ยาว", "notes": "ก" * (vectors.DESCRIPTION_CHARS + 1)})[1] \
        == "ยาว " + "ก" * (vectors.OVERLAP + 1)


def test_identical_texts_in_one_batch_are_embedded_once(fake_model):
    embedder = vectors.Embedder(vectors.VectorCache(None))
    embedder.vectors([record(1), record(1), record(2)])
    assert len(fake_model[0]) == 2 * 4


def test_the_cache_keeps_the_most_recently_used_entries_within_its_bound(fake_model):
    cache = vectors.VectorCache(None, max_entries=2)
    embedder = vectors.Embedder(cache)
    short = [record(i) | {"notes": "ข้อมูล"} for i in range(4)]  # one passage each
    embedder.vectors([short[1]])
    embedder.vectors([short[2]])
    embedder.vectors([short[3]])
    embedder.vectors([short[1]])  # used again: newer than 2
    assert cache.prune() == 1 and len(cache) == 2
    embedder.vectors([short[1], short[3]])
    assert embedder.reused == 1 + 2  # 1 and 3 stayed, 2 went


def test_vectors_survive_the_cache_in_half_precision(fake_model):
    cache = vectors.VectorCache(None)
    cache.put({"k": [0.123456, -0.5] + [0.0] * 382})
    assert cache.get(["k"])["k"][:2] == pytest.approx([0.123456, -0.5], abs=1e-3)


def test_attach_adds_the_vector_to_written_documents_only(fake_model):
    written = Prepared(None, record(1), "r1", encode({"id": "r1"}))
    unchanged = Prepared(None, record(2), "r2", None, unchanged=True)
    rejected = Prepared(object(), None, None, None)
    embedder = vectors.Embedder(vectors.VectorCache(None))
    out = list(vectors.attach([written, unchanged, rejected] * 30, embedder))
    assert len(out) == 90 and [p.doc_id for p in out[:3]] == ["r1", "r2", None]
    assert [len(p[m.EMBEDDING]) for p in decode(out[0].body)[m.PASSAGES]] == [384] * 4
    assert out[1] is unchanged and out[2] is rejected
    assert sum(len(c) for c in fake_model) == 4  # one record's texts, embedded once, cached for the other 29


def test_the_embedding_field_is_a_dense_vector_kept_out_of_source():
    definition = m.mappings()
    passages = definition["properties"][m.PASSAGES]
    field = passages["properties"][m.EMBEDDING]
    assert passages["type"] == "nested" and m.VECTOR == f"{m.PASSAGES}.{m.EMBEDDING}"
    assert field["type"] == "dense_vector" and field["dims"] == 384 and field["similarity"] == "cosine"
    assert m.PASSAGES in definition["_source"]["excludes"]
