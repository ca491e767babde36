"""Resources: the four canonical keys, extras kept, CKAN bookkeeping dropped, missing URL noted."""
import pytest
from marshmallow import Schema, ValidationError

from indexer.schemas.problems import collecting
from indexer.schemas.resource import Resources, ResourceSchema


def test_resource_shape():
    loaded = ResourceSchema().load({"name": " ไฟล์ ", "format": "CSV", "url": "https://x/a.csv",
                                    "description": "", "position": 0, "hash": "",
                                    "resource_created_date": "2022-04-12"})
    assert loaded == {"name": "ไฟล์", "format": "CSV", "url": "https://x/a.csv",
                      "extras": {"resource_created_date": "2022-04-12"}}


class S(Schema):
    resources = Resources(allow_none=True)


def test_missing_url_is_a_quality_note_with_the_index():
    with collecting() as notes:
        loaded = S().load({"resources": [{"name": "a", "url": "https://x"}, {"name": "b"}]})
    assert len(loaded["resources"]) == 2
    assert [(n.rule, n.field, n.value) for n in notes] == [("resource_url_missing", "resources[1]", "b")]


def test_with_url_no_note():
    with collecting() as notes:
        S().load({"resources": [{"name": "a", "url": "https://x"}]})
    assert notes == []


def test_not_a_list_is_invalid():
    with pytest.raises(ValidationError) as exc:
        S().load({"resources": "a.csv"})
    assert exc.value.messages["resources"][0].finding.rule == "invalid"


def test_item_not_an_object_is_invalid_blank_items_skipped():
    assert S().load({"resources": [None, ""]})["resources"] == []
    with pytest.raises(ValidationError):
        S().load({"resources": [42]})
