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


@pytest.mark.parametrize("url", [
    "javascript:alert(5)", "JaVaScRiPt:alert(5)", "  javascript:alert(5)", "java\tscript:alert(5)",
    "javascript://example.go.th/%0Aalert(5)", "data:text/html,<script>alert(5)</script>",
    "vbscript:msgbox(5)", "file:///etc/passwd", "www.example.go.th/a.csv", "//evil.example/a.csv",
    "https://exa\nmple.go.th/a.csv", "mailto:someone@example.go.th",
])
def test_a_link_with_another_scheme_is_a_named_finding_and_left_out(url):
    with collecting() as notes:
        loaded = S().load({"resources": [{"name": "ไฟล์", "url": url}]})
    assert loaded["resources"][0]["url"] is None
    finding = next(n for n in notes if n.rule == "url_scheme_not_allowed")
    assert finding.field == "resources[0].url"
    assert "http, https หรือ ftp" in finding.message_th and "not an http, https or ftp link" in finding.message_en


@pytest.mark.parametrize("url", ["https://data.go.th/a.csv", "HTTP://data.go.th/a b.csv", "ftp://ftp.go.th/x.zip"])
def test_http_https_and_ftp_links_are_kept(url):
    with collecting() as notes:
        loaded = S().load({"resources": [{"name": "ไฟล์", "url": url}]})
    assert loaded["resources"][0]["url"] == url
    assert notes == []


@pytest.mark.parametrize("declared, url, finding", [
    ("XSL", "https://data.go.th/dataset/a/download/budget.xls", ("XSL", "xls")),
    ("MAP", "https://data.go.th/x/layer.gml", ("MAP", "gml")),
    ("ZIP", "https://x.go.th/a.CSV?v=2", ("ZIP", "csv")),
    ("XLSX", "https://x.go.th/a.xls", None),      # one format in two versions
    ("Excel", "https://x.go.th/a.xlsx", None),
    ("CSV", "https://x.go.th/api/download", None),  # no extension
    ("PDF", "https://x.go.th/a.bin", None),        # an extension that names no file format
    (None, "https://x.go.th/a.csv", None),          # nothing declared: nothing contradicted
])
def test_a_declared_format_the_link_contradicts_is_a_named_finding(declared, url, finding):
    with collecting() as notes:
        S().load({"resources": [{"name": "ok", "format": "CSV", "url": "https://x/a.csv"},
                                {"name": "ไฟล์", "format": declared, "url": url}]})
    found = [(n.field, n.value) for n in notes if n.rule == "resource_format_mismatch"]
    assert found == ([("resources[1]", finding[0])] if finding else [])
    if finding:
        [note] = [n for n in notes if n.rule == "resource_format_mismatch"]
        assert note.message_th == f"ทรัพยากร resources[1] ระบุรูปแบบ “{finding[0]}” แต่ลิงก์เป็นไฟล์ .{finding[1]}"
        assert note.message_en == (f"resource resources[1] declares format “{finding[0]}” "
                                   f"but links to a .{finding[1]} file")
