"""Keywords: CKAN tag objects, lists, comma-separated tag_string; the 200-character limit."""
import pytest
from marshmallow import Schema, ValidationError

from indexer.schemas.problems import collecting
from indexer.schemas.quality import assess
from indexer.schemas.tags import Tags, tag_string


class S(Schema):
    tags = Tags(allow_none=True)


@pytest.mark.parametrize("given", [
    [{"name": "โควิด", "display_name": "โควิด"}, {"name": "COVID-19"}],
    ["โควิด", " COVID-19 ", "โควิด"],
    "โควิด, COVID-19",
    "{โควิด,COVID-19}",
])
def test_every_tag_spelling(given):
    assert S().load({"tags": given})["tags"] == ["โควิด", "COVID-19"]


def test_numbers_become_words_and_blanks_vanish():
    assert S().load({"tags": ["", None, 2563]})["tags"] == ["2563"]


def test_a_mapping_is_not_tags():
    with pytest.raises(ValidationError):
        S().load({"tags": {"a": 1}})


def _record(tags):
    return {"tags": tags, "title": "t", "organization": {"name": "o"}}


def test_tag_string_over_200_characters_is_a_quality_finding():
    long_tags = ["คำสำคัญยาวมาก%02d" % i for i in range(20)]
    assert len(tag_string(long_tags)) > 200
    with collecting():
        _score, findings = assess(_record(long_tags))
    assert ("too_long", "tag_string") in [(f.rule, f.field) for f in findings]
    _score, findings = assess(_record(long_tags[:5]))
    assert ("too_long", "tag_string") not in [(f.rule, f.field) for f in findings]


def test_no_tags_is_a_missing_mandatory_item():
    _score, findings = assess(_record([]))
    assert ("mandatory_missing", "tag_string") in [(f.rule, f.field) for f in findings]
