"""Argument schemas of the CKAN layer and the translations of ``fq`` values and sorts."""
import pytest
from marshmallow import ValidationError

from portal.api.args import PACKAGE_SEARCH_KNOWN, PackageSearchArgs, PagingArgs
from portal.api.ckan_search import SearchQueryError, translate_filters, translate_sort


def load(**data):
    return PackageSearchArgs().load(data)


def test_defaults_follow_ckan():
    args = load()
    assert (args["rows"], args["start"], args["facet_limit"], args["facet_mincount"]) == (10, 0, 50, 1)
    assert args["sort"] == "score desc, metadata_modified desc" and args["include_private"] is False


def test_query_string_and_json_body_forms_are_equal():
    from_get = load(**{"facet.field": '["organization","tags"]', "rows": "5", "start": "10",
                       "include_private": "true"})
    from_post = load(**{"facet.field": ["organization", "tags"], "rows": 5, "start": 10,
                        "include_private": True})
    assert from_get == from_post


@pytest.mark.parametrize("data, field, text", [
    ({"rows": "100000"}, "rows", "1000"),
    ({"rows": "-1"}, "rows", "natural number"),
    ({"start": "-1"}, "start", "natural number"),
    ({"start": "x"}, "start", "integer"),
    ({"facet.field": '["organization"'}, "facet.field", "JSON"),
    ({"facet.field": '"organization"'}, "facet.field", "list"),
    ({"facet.field": '["no_such_facet"]'}, "facet.field", "Unknown facet"),
    ({"facet.mincount": "-2"}, "facet.mincount", "natural number"),
    ({"start": "9995", "rows": "10"}, "start", "10000"),
])
def test_bad_parameters_name_the_field(data, field, text):
    with pytest.raises(ValidationError) as caught:
        load(**data)
    assert field in caught.value.messages and text in " ".join(caught.value.messages[field])


def test_known_parameter_names():
    assert {"q", "fq", "facet.field", "facet.limit", "facet.mincount", "rows", "start", "sort",
            "include_private"} <= PACKAGE_SEARCH_KNOWN


def test_paging_args():
    assert PagingArgs().load({"limit": "5", "offset": "2", "all_fields": "True"})["all_fields"] is True
    with pytest.raises(ValidationError):
        PagingArgs().load({"offset": "-1"})


@pytest.mark.parametrize("sort, named", [
    ("score desc, metadata_modified desc", "relevance"),
    ("", "relevance"),
    ("metadata_modified desc", "modified"),
    ("  metadata_modified   DESC ", "modified"),
    ("title_string asc", "title"),
])
def test_sorts(sort, named):
    assert translate_sort(sort) == named


def test_unknown_sort_is_a_search_query_error():
    with pytest.raises(SearchQueryError, match="supported"):
        translate_sort("views_recent desc")


def test_fq_values_become_codes():
    filters = translate_filters('data_category:"ข้อมูลสาธารณะ" AND update_frequency_unit:"วัน" '
                                'AND license_id:"Open Data Common" AND res_format:csv '
                                'AND geo_coverage:"ประเทศ"', [])
    assert filters == {"data_category": ["public"], "update_frequency_unit": ["D"], "license_id": ["odc"],
                       "res_format": ["CSV"], "geo_coverage": ["04"]}


def test_fq_list_is_anded():
    assert translate_filters("organization:ddc", ["res_format:CSV"]) == {"organization": ["ddc"],
                                                                         "res_format": ["CSV"]}
    with pytest.raises(SearchQueryError):
        translate_filters("organization:ddc", ["organization:dga"])


@pytest.mark.parametrize("fq", ["visibility:sensitive", "classification_level:5", "notes:x", "name:abc"])
def test_fq_only_on_facet_fields(fq):
    with pytest.raises(SearchQueryError, match="cannot filter"):
        translate_filters(fq, [])
