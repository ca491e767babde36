"""The agency directory tree (portal/views/directory.py) from organization rows, without Elasticsearch."""
from indexer.schemas.organization import slug_for_title
from portal.views import directory


def _row(title: str, count: int, slug: str | None = None) -> dict:
    return {"slug": slug or slug_for_title(title), "title": title, "title_en": None, "count": count}


ROWS = [_row("กรมการขนส่งทางบก", 5), _row("กรมทางหลวง", 2), _row("กรุงเทพมหานคร", 3),
        _row("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตาก เขต 2", 1), _row("หน่วยงานนอกรายชื่อ", 4)]


def test_tree_sums_counts_upwards_and_keeps_only_agencies_with_records():
    tree = directory.build(ROWS)
    roots = {r.agency.id: r for r in tree.roots}
    assert set(roots) == {"mot", "g-local", "moe"}
    assert roots["mot"].total == 7 and [c.agency.id for c in roots["mot"].children] == ["dlt", "doh"]
    assert [n.agency.id for n in roots["moe"].walk()] == ["moe", "obec", "obec-tak2"]
    assert roots["moe"].total == 1 and tree.by_id["obec"].own == 0
    assert tree.total == sum(r["count"] for r in ROWS)


def test_organizations_not_in_the_file_are_not_yet_placed_never_dropped():
    tree = directory.build(ROWS)
    assert [o["title"] for o in tree.unplaced] == ["หน่วยงานนอกรายชื่อ"]


def test_narrow_by_abbreviation_english_and_thai():
    tree = directory.build(ROWS)
    assert [r.agency.id for r in directory.narrow(tree, "กทม.").roots] == ["g-local"]
    found = directory.narrow(tree, "สพฐ.")
    assert [n.agency.id for n in found.roots[0].walk()] == ["moe", "obec", "obec-tak2"]
    assert [r.agency.id for r in directory.narrow(tree, "highways").roots] == ["mot"]
    assert [c.agency.id for c in directory.narrow(tree, "highways").roots[0].children] == ["doh"]
    assert directory.narrow(tree, "นอกรายชื่อ").unplaced[0]["count"] == 4
    assert directory.narrow(tree, "ไม่มีแน่นอน").roots == []


def test_all_slugs_of_a_ministry_cover_its_departments():
    tree = directory.build(ROWS)
    assert sorted(tree.by_id["mot"].all_slugs()) == sorted([ROWS[0]["slug"], ROWS[1]["slug"]])
