"""Search request arguments: validated at the boundary into SearchParams."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from portal.api.args import V1SearchArgs
from portal.search.params import parse_search_args, search_input
from portal.search.queries import SearchParams


def parse(pairs, strict=True):
    return parse_search_args(MultiDict(pairs), strict=strict)


def test_defaults():
    assert parse([]) == SearchParams()


def test_facets_repeat_for_or_and_keep_their_order_without_duplicates():
    params = parse([("organization", "b"), ("organization", "a"), ("organization", "b"), ("tags", "น้ำ")])
    assert params.filters == {"organization": ["b", "a"], "tags": ["น้ำ"]}


def test_query_whitespace_is_tidied():
    assert parse([("q", "  โรงเรียน   กรุงเทพ ")]).q == "โรงเรียน กรุงเทพ"


def test_blank_facet_values_are_dropped():
    assert parse([("tags", " "), ("tags", "x")]).filters == {"tags": ["x"]}


@pytest.mark.parametrize("pairs, field", [
    ([("sort", "random")], "sort"),
    ([("page", "0")], "page"),
    ([("page", "abc")], "page"),
    ([("size", "101")], "size"),
    ([("q", "ก" * 501)], "q"),
    ([("unknown_facet", "x")], "unknown_facet"),
])
def test_bad_arguments_name_the_field(pairs, field):
    with pytest.raises(ValidationError) as info:
        parse(pairs)
    assert field in info.value.messages


def test_past_the_result_window_is_refused_with_an_explanation():
    with pytest.raises(ValidationError) as info:
        parse([("page", "501"), ("size", "20")])
    assert "10000" in info.value.messages["page"][0]
    assert parse([("page", "500"), ("size", "20")]).page == 500


def test_pages_ignore_unknown_parameters_when_lenient():
    assert parse([("utm_source", "x"), ("q", "น้ำ")], strict=False).q == "น้ำ"


def test_sort_and_size():
    params = parse([("sort", "title"), ("size", "50"), ("page", "2")])
    assert (params.sort, params.size, params.page) == ("title", 50, 2)


def test_plain_dicts_work_too():
    assert parse_search_args({"q": "x", "tags": ["a", "b"]}).filters == {"tags": ["a", "b"]}


def test_a_repeated_parameter_keeps_its_first_value_on_pages_and_in_the_api():
    pairs = [("sort", "title"), ("sort", "modified"), ("page", "2"), ("page", "3"), ("tags", "a"), ("tags", "b")]
    page = parse(pairs)
    api = V1SearchArgs().load(search_input(MultiDict(pairs)))
    assert (page.sort, page.page, page.filters) == ("title", 2, {"tags": ["a", "b"]})
    assert api.params == page and api.partial is False


def test_the_api_schema_is_the_page_schema_plus_facets_partial_and_size_zero():
    assert V1SearchArgs().load({"size": "0", "facets": "tags"}).params == SearchParams(size=0, facets=("tags",))
    assert V1SearchArgs().load({"q": "x", "partial": "true"}) == (SearchParams(q="x"), True)
    with pytest.raises(ValidationError) as info:
        V1SearchArgs().load({"partial": "sometimes"})
    assert "partial" in info.value.messages
    with pytest.raises(ValidationError) as info:
        parse([("size", "0")])
    assert "size" in info.value.messages
    with pytest.raises(ValidationError) as info:
        V1SearchArgs().load({"page": "1001", "size": "10"})
    assert "10000" in info.value.messages["page"][0]
