"""Organization: CKAN object, owner_org slug/id, or a Thai title with a derived stable slug."""
from indexer.schemas.organization import OrganizationSchema, slug_for_title
from indexer.schemas.shapes import _organization


def load(value):
    return OrganizationSchema().load(value)


def test_ckan_organization_object_keeps_slug_title_and_id():
    english = "Department of Disease Control"
    org = load({"id": "77895fda", "name": "ddc", "title": " กรมควบคุมโรค ", "title_en": english})
    assert org == {"name": "ddc", "title": "กรมควบคุมโรค", "title_en": english, "id": "77895fda"}


def test_thai_title_only_gets_a_curated_or_deterministic_slug():
    assert load({"title": "กรมควบคุมโรค"})["name"] == "ddc"
    first = load({"title": "กรุงเทพมหานคร"})["name"]
    assert first.startswith("org-") and len(first) == 14
    assert load({"title": "กรุงเทพ\u200bมหานคร "})["name"] == first   # invisible characters do not change it
    assert load({"title": "กรมปศุสัตว์"})["name"] != first


def test_slug_only_uses_the_slug_as_title():
    assert load({"name": "ddc"}) == {"name": "ddc", "title": "ddc"}


def test_nothing_is_no_organization():
    assert load({"name": " ", "title": None}) is None


def test_owner_org_forms():
    assert _organization(None, "ddc") == {"name": "ddc"}
    assert _organization(None, "77895fda-f28b-43ce-bc56-3a409b157699") == {
        "id": "77895fda-f28b-43ce-bc56-3a409b157699", "name": "77895fda-f28b-43ce-bc56-3a409b157699"}
    assert _organization(None, "สำนักงานสถิติแห่งชาติ") == {"title": "สำนักงานสถิติแห่งชาติ"}
    assert _organization({"name": "ddc", "title": "กรมควบคุมโรค"}, "uuid-1")["id"] == "uuid-1"
    assert _organization(None, "") is None


def test_slug_is_stable_across_runs():
    assert slug_for_title("สำนักงานพระพุทธศาสนาแห่งชาติ") == "org-" + __import__("hashlib").sha1(
        "สำนักงานพระพุทธศาสนาแห่งชาติ".encode()).hexdigest()[:10]
