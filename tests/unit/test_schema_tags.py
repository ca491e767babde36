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


def test_a_keyword_with_broken_characters_is_dropped_with_a_named_finding():
    # Real values of the data.go.th sample: a converter cut a Thai letter in half.
    with collecting() as notes:
        loaded = S().load({"tags": ["ชื่อวัด", "ชื่�", "จำนว�", "วัด"]})
    assert loaded["tags"] == ["ชื่อวัด", "วัด"]
    assert [(n.rule, n.field, n.value) for n in notes] == [("text_broken", "tags", "ชื่�"),
                                                           ("text_broken", "tags", "จำนว�")]
    assert "อักขระที่เสีย" in notes[0].message_th and "broken characters" in notes[0].message_en


def test_no_tag_of_the_bundled_sample_keeps_a_broken_character():
    from indexer import sources
    from indexer.pipeline import parse_declarations, validate_one
    from tests.support import OPEN_DATA_DECLARATION, SAMPLE

    declarations = parse_declarations([OPEN_DATA_DECLARATION])
    broken = kept = 0
    for raw in sources.read(str(SAMPLE)):
        outcome = validate_one(raw, declarations)
        assert outcome.accepted, outcome.errors
        assert not [t for t in outcome.record["tags"] if "\ufffd" in t], outcome.record_id
        named = [f for f in outcome.findings if f.rule == "text_broken"]
        broken += len(named)
        kept += len(outcome.record["tags"])
    assert broken >= 20 and kept > 1000  # the sample has ~30 such keywords; the rest are kept
