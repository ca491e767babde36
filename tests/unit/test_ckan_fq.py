"""CKAN ``fq`` → facet filters: the syntax catalogue clients send, and clear refusals."""
import pytest

from portal.api.fq import FqError, parse_fq


@pytest.mark.parametrize("fq, expected", [
    ("", {}),
    ("   ", {}),
    ("organization:ddc", {"organization": ["ddc"]}),
    ('data_category:"ข้อมูลสาธารณะ"', {"data_category": ["ข้อมูลสาธารณะ"]}),
    ('data_category:"ข้อมูลสาธารณะ" AND res_format:CSV',
     {"data_category": ["ข้อมูลสาธารณะ"], "res_format": ["CSV"]}),
    ('+tags:"COVID-19" +license_id:"Open Data Common"',
     {"tags": ["COVID-19"], "license_id": ["Open Data Common"]}),
    ("organization:ddc res_format:CSV", {"organization": ["ddc"], "res_format": ["CSV"]}),
    ("res_format:(CSV OR XLSX)", {"res_format": ["CSV", "XLSX"]}),
    ("(res_format:CSV OR res_format:XLSX) AND organization:ddc",
     {"res_format": ["CSV", "XLSX"], "organization": ["ddc"]}),
    ("res_format:CSV || res_format:JSON", {"res_format": ["CSV", "JSON"]}),
    ("dataset_type:dataset", {}),
    ("+dataset_type:dataset +organization:ddc", {"organization": ["ddc"]}),
    ('tags:"a \\"quoted\\" tag"', {"tags": ['a "quoted" tag']}),
    ("tags:a AND tags:a", {"tags": ["a"]}),
])
def test_parses(fq, expected):
    assert parse_fq(fq) == expected


@pytest.mark.parametrize("fq, message", [
    ('organization:"unterminated', "unterminated"),
    ("res_format:(CSV OR XLSX", "parenthesis"),
    ("(organization:ddc", "parenthesis"),
    ("organization:ddc)", "unexpected"),
    ("organization:", "value is expected"),
    ("organization: ddc", "value is expected"),
    (":ddc", "field:value"),
    ("justaword", "field:value"),
    ("-organization:ddc", "negation"),
    ("organization:ddc NOT tags:x", "negation"),
    ("organization:ddc OR tags:x", "same field"),
    ("organization:a AND organization:b", "two values"),
    ("res_format:(CSV AND XLSX)", "OR"),
])
def test_refuses_what_a_filter_cannot_express(fq, message):
    with pytest.raises(FqError, match=message):
        parse_fq(fq)
