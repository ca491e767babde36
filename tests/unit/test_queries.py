"""Query construction asserted on request bodies: facet semantics, the visibility scope in every request."""
from __future__ import annotations

import json

import pytest

from portal.auth.principal import ANONYMOUS, Grant, Principal
from portal.auth.visibility import OPEN_FILTER, scope_for
from portal.search import queries
from portal.search.facets import BY_NAME, FACETS
from portal.search.queries import SearchParams
from portal.search.queries.facet_counts import facet_values

ANALYST = Principal(kind="analyst", username="a",
                    grants=(Grant(categories=frozenset({"internal"}), max_level=2),))
ADMIN = Principal(kind="admin", username="root")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def contains(haystack, needle) -> bool:
    text = dumps(needle)[1:-1] if isinstance(needle, dict) else dumps(needle)
    return text in dumps(haystack)


class FakeES:
    """Records every request; answers with empty results (or the canned ``answer``)."""

    def __init__(self, answer: dict | None = None):
        self.calls: list[tuple[str, dict]] = []
        self.answer = answer

    def search(self, **kw):
        self.calls.append(("search", kw))
        if self.answer is not None:
            return self.answer
        aggs = {name: _empty_agg(spec) for name, spec in (kw.get("aggs") or {}).items()}
        return {"took": 1, "hits": {"total": {"value": 0}, "hits": []}, "aggregations": aggs}

    def count(self, **kw):
        self.calls.append(("count", kw))
        return {"count": 0}

    def open_point_in_time(self, **kw):
        self.calls.append(("open_pit", kw))
        return {"id": "pit-1"}

    def close_point_in_time(self, **kw):
        self.calls.append(("close_pit", kw))
        return {}

    def options(self, **kw):
        return self


def _empty_agg(spec: dict) -> dict:
    if "filter" in spec:
        return {"doc_count": 0, **{k: _empty_agg(v) for k, v in spec.get("aggs", {}).items()}}
    return {"buckets": []}


# --- facet semantics ----------------------------------------------------------------------------------

def test_selected_values_go_to_post_filter_not_to_the_query():
    params = SearchParams(q="โรงเรียน", filters={"organization": ["a", "b"], "res_format": ["CSV"]})
    body = queries.search_body(params, ANONYMOUS)
    post = body["post_filter"]["bool"]["filter"]
    assert {"terms": {"organization": ["a", "b"]}} in post
    assert contains(post, {"terms": {"res_format": ["CSV"]}})
    assert '"organization": ["a", "b"]' not in dumps(body["query"])


def test_each_facet_counts_under_the_other_facets_selections_only():
    params = SearchParams(filters={"organization": ["a", "b"], "res_format": ["CSV"], "tags": ["น้ำ"]})
    body = queries.search_body(params, ANONYMOUS)
    org_filter = body["aggs"]["organization"]["filter"]
    assert not contains(org_filter, {"terms": {"organization": ["a", "b"]}})
    assert contains(org_filter, {"terms": {"res_format": ["CSV"]}})
    assert contains(org_filter, {"terms": {"tags": ["น้ำ"]}})
    fmt_filter = body["aggs"]["res_format"]["filter"]
    assert contains(fmt_filter, {"terms": {"organization": ["a", "b"]}})
    assert not contains(fmt_filter, {"terms": {"res_format": ["CSV"]}})
    # an unselected facet sees every selection
    geo_filter = body["aggs"]["geo_coverage"]["filter"]
    for clause in ({"terms": {"organization": ["a", "b"]}}, {"terms": {"res_format": ["CSV"]}}):
        assert contains(geo_filter, clause)


def test_every_facet_of_the_table_is_aggregated_on_its_field():
    body = queries.search_body(SearchParams(), ANONYMOUS)
    assert set(body["aggs"]) == {f.name for f in FACETS}
    for f in FACETS:
        assert body["aggs"][f.name]["aggs"]["values"]["terms"]["field"] == f.field


def test_selected_values_are_counted_even_outside_the_top_buckets_without_zero_buckets():
    body = queries.search_body(SearchParams(filters={"tags": ["b", "a"]}), ANONYMOUS)
    selected = body["aggs"]["tags"]["aggs"]["selected"]["terms"]
    assert selected["include"] == ["a", "b"]
    assert "min_doc_count" not in selected  # a zero bucket would reveal values of unseen records


def test_name_tier_facets_count_every_visible_record_and_the_others_only_full_records():
    scope = scope_for(ANALYST)
    body = queries.search_body(SearchParams(), ANALYST)
    for f in FACETS:
        restrict = body["aggs"][f.name]["filter"]["bool"]["filter"]
        assert (scope.full in restrict) is (not f.name_tier), f.name
    name_tier = {f.name for f in FACETS if f.name_tier}
    assert name_tier == {"organization", "data_category", "update_frequency_unit"}


def test_filtering_on_a_full_tier_field_only_selects_records_seen_in_full():
    scope = scope_for(ANALYST)
    body = queries.search_body(SearchParams(filters={"tags": ["x"], "organization": ["o"]}), ANALYST)
    post = body["post_filter"]["bool"]["filter"]
    assert {"bool": {"filter": [{"terms": {"tags": ["x"]}}, scope.full]}} in post
    assert {"terms": {"organization": ["o"]}} in post


# --- visibility inside the query ----------------------------------------------------------------------

def test_anonymous_text_query_matches_only_open_records_on_every_field():
    scope = scope_for(ANONYMOUS)
    body = queries.search_body(SearchParams(q="น้ำ"), ANONYMOUS)
    branches = body["query"]["bool"]["should"]
    assert len(branches) == 1
    assert branches[0]["bool"]["filter"][0] == OPEN_FILTER == scope.full["bool"]["should"][0]
    assert "notes_words" in dumps(branches[0])
    assert scope.open_only and queries.target("gdc", scope) == "gdc-open"


def test_name_only_records_match_on_title_and_organization_only():
    scope = scope_for(ANALYST)
    body = queries.search_body(SearchParams(q="น้ำ"), ANALYST)
    full, name = body["query"]["bool"]["should"]
    assert name["bool"]["filter"][0] == scope.name_only
    text = dumps([name["bool"]["should"], name["bool"]["filter"][1:]])
    assert "title_words" in text and "organization_words" in text
    for hidden in ("notes_words", "tags_words", "notes_sub", "notes_en"):
        assert hidden not in text
    assert not scope.open_only and queries.target("gdc", scope) == "gdc"


def test_records_outside_the_open_index_are_scored_without_index_statistics():
    """BM25 (match, combined_fields, multi_match) only where the filter is the open records; every
    other branch scores with constant-score clauses, which read no term statistics."""
    for who in (ANALYST, Principal(kind="admin")):
        open_branch, *others = queries.search_body(SearchParams(q="น้ำฝน รายวัน"), who)["query"]["bool"]["should"]
        assert open_branch["bool"]["filter"][0] == OPEN_FILTER
        assert others
        for branch in others:
            assert set(branch["bool"]) == {"filter", "should"}
            assert all(set(clause) == {"constant_score"} for clause in branch["bool"]["should"])


def test_browsing_without_words_is_limited_to_the_scope():
    body = queries.search_body(SearchParams(), ANALYST)
    assert body["query"] == {"bool": {"filter": [scope_for(ANALYST).any]}}


def test_totals_are_exact():
    assert queries.search_body(SearchParams(), ANONYMOUS)["track_total_hits"] is True


# --- sort and paging ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sort, first", [
    ("relevance", "_score"),
    ("modified", {"metadata_modified": {"order": "desc", "missing": "_last"}}),
    ("title", {"title_sort": {"order": "asc", "missing": "_last"}}),
])
def test_sorts(sort, first):
    assert queries.search_body(SearchParams(sort=sort), ANONYMOUS)["sort"][0] == first


def test_paging_and_the_result_window():
    body = queries.search_body(SearchParams(page=3, size=20), ANONYMOUS)
    assert (body["from"], body["size"]) == (40, 20)
    with pytest.raises(queries.ResultWindowExceeded):
        queries.search_body(SearchParams(page=501, size=20), ANONYMOUS)
    assert queries.search_body(SearchParams(page=500, size=20), ANONYMOUS)["from"] == 9980


def test_facets_can_be_chosen_and_sized():
    body = queries.search_body(SearchParams(facets=("tags",), facet_size=7), ANONYMOUS)
    assert list(body["aggs"]) == ["tags"]
    assert body["aggs"]["tags"]["aggs"]["values"]["terms"]["size"] == 7
    assert queries.search_body(SearchParams(facets=()), ANONYMOUS)["aggs"] == {}


# --- every other request carries the scope ------------------------------------------------------------

def test_get_dataset_is_a_search_within_the_scope():
    es = FakeES()
    assert queries.get_dataset(es, "alias", "abc", ANONYMOUS) is None
    (kind, call), = es.calls
    assert kind == "search" and call["index"] == "alias-open"  # a visitor reads the open index only
    assert scope_for(ANONYMOUS).any in call["query"]["bool"]["filter"]
    assert contains(call["query"], {"term": {"id": "abc"}})
    assert contains(call["query"], {"term": {"name": "abc"}})


def test_count_applies_scope_query_and_filters():
    es = FakeES()
    queries.count(es, "alias", ANALYST, SearchParams(q="น้ำ", filters={"organization": ["o"]}))
    (_, call), = es.calls
    assert contains(call["query"], scope_for(ANALYST).full)
    assert contains(call["query"], {"terms": {"organization": ["o"]}})


def test_organizations_count_visible_records_only():
    es = FakeES()
    queries.organizations(es, "alias", ANONYMOUS)
    queries.organization(es, "alias", "dga", ANONYMOUS)
    for _, call in es.calls:
        assert scope_for(ANONYMOUS).any in call["query"]["bool"]["filter"]


def test_suggestions_take_tags_only_from_full_records_and_names_from_visible_ones():
    body = queries.suggest_body("โรงเรี", ANALYST)
    scope = scope_for(ANALYST)
    assert body["query"]["bool"]["filter"] == [scope.any]
    assert "title_words" in dumps(body["post_filter"])
    assert scope.any in body["aggs"]["organizations"]["filter"]["bool"]["filter"]
    assert scope.full in body["aggs"]["tags"]["filter"]["bool"]["filter"]
    assert "suggest" not in body  # never an ES suggester: they read terms regardless of filters
    assert queries.suggest_body("   ", ANALYST) is None


def test_did_you_mean_reads_words_of_full_records_only():
    body = queries.did_you_mean_body("โรงเรียง", ANALYST)
    assert body["query"] == {"bool": {"filter": [scope_for(ANALYST).full]}}
    assert "suggest" not in body
    assert all(name == "exact" or name.startswith("near") for name in body["aggs"])


def test_iter_records_uses_a_point_in_time_within_the_scope():
    es = FakeES()
    assert list(queries.iter_records(es, "alias", ANONYMOUS, organization="dga")) == []
    kinds = [k for k, _ in es.calls]
    assert kinds == ["open_pit", "search", "close_pit"]
    call = es.calls[1][1]
    assert scope_for(ANONYMOUS).any in call["query"]["bool"]["filter"]
    assert contains(call["query"], {"terms": {"organization": ["dga"]}})
    with pytest.raises(KeyError):
        list(queries.iter_records(es, "alias", ANONYMOUS, nonsense="x"))


def test_hits_are_redacted_for_the_name_tier():
    source = {"id": "s1", "name": "s1", "visibility": "sensitive", "data_category": "internal",
              "classification_level": 2, "organization": "o",
              "record": {"id": "s1", "title": "ลับ", "notes": "รายละเอียดลับ", "tags": ["คานารี"],
                         "data_category": "internal", "organization": {"name": "o", "title": "กรม"}}}
    answer = {"took": 1, "hits": {"total": {"value": 1}, "hits": [{"_source": source, "_score": 1.0}]},
              "aggregations": {}}
    result = queries.search(FakeES(answer), "alias", SearchParams(q="ลับ", facets=()), ANALYST)
    hit, = result.hits
    assert hit["tier"] == "name"
    assert "notes" not in hit["record"] and "tags" not in hit["record"]
    assert set(hit["highlights"]) == {"title"}
    # someone without a grant never gets it back, even if the index answered it
    assert queries.search(FakeES(answer), "alias", SearchParams(facets=()), ANONYMOUS).hits == []


def test_highlights_are_escaped():
    source = {"id": "x", "visibility": "open", "data_category": "public",
              "record": {"id": "x", "title": "<script>alert(1)</script> โรงเรียน", "notes": "<b>โรงเรียน</b>",
                         "data_category": "public"}}
    answer = {"took": 1, "hits": {"total": {"value": 1}, "hits": [{"_source": source, "_score": 1.0}]},
              "aggregations": {}}
    hit, = queries.search(FakeES(answer), "alias", SearchParams(q="โรงเรียน", facets=()), ANONYMOUS).hits
    assert "<script>" not in hit["highlights"]["title"]
    assert "&lt;script&gt;" in hit["highlights"]["title"]
    assert "<mark>โรงเรียน</mark>" in hit["highlights"]["title"]
    assert "&lt;b&gt;" in hit["highlights"]["notes"]


def test_facet_values_keep_selected_values_missing_from_the_buckets():
    agg = {"values": {"buckets": [{"key": "a", "doc_count": 3}]},
           "selected": {"buckets": [{"key": "z", "doc_count": 1}]}}
    assert facet_values(agg, ["z", "y"]) == [("a", 3), ("y", 0), ("z", 1)]


def test_facet_table_fields_are_index_fields():
    from indexer import mapping

    for f in FACETS:
        assert f.field in mapping.KEYWORD_FIELDS, f
    assert BY_NAME["organization"].name_tier and not BY_NAME["tags"].name_tier


# --- the pure helpers behind suggestions ---------------------------------------------------------------

def test_thai_weighted_edit_distance():
    from analyzers.spelling import edit_distance

    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("ประมน", "ประมาณ") == 1.0  # dropped vowel (½) + look-alike น/ณ (½)
    assert edit_distance("ท่องเทียว", "ท่องเที่ยว") == 0.5  # a dropped tone mark


def test_correct_rewrites_runs_of_pieces_and_keeps_user_spaces():
    from analyzers.spelling import correct

    vocabulary = {"โรงเรียน": 9, "กรุงเทพ": 5, "ข้อมูล": 20}
    known = {"ข้อมูล", "กรุงเทพ"}
    assert correct("ข้อมูลโรงเรยน กรุงเทพ", known, vocabulary) == "ข้อมูลโรงเรียน กรุงเทพ"
    assert correct("ข้อมูล กรุงเทพ", known, vocabulary) is None  # nothing to fix
    assert correct("ข้อมูล zzzzqq", known, vocabulary) is None  # a word would stay unknown


def test_tag_pattern_is_escaped_and_case_insensitive():
    from portal.search.queries.suggestions import contains_pattern

    assert contains_pattern("pm2.5") == ".*[pP][mM]2\\.5.*"
    assert contains_pattern("โควิด") == ".*โควิด.*"


def test_interleave_takes_from_each_kind_in_turn():
    from portal.search.queries.suggestions import interleave

    assert interleave([[1, 2, 3], ["a"], ["x", "y"]], 5) == [1, "a", "x", 2, "y"]


def test_the_headline_set_requires_every_concept_and_partial_matches_lack_one():
    every = queries.search_body(SearchParams(q="โรงแรม กรุงเทพ"), ANONYMOUS)["query"]["bool"]["should"][0]
    concepts = every["bool"]["filter"][1]["bool"]["filter"]
    assert [c["bool"]["_name"] for c in concepts] == ["concept:full:0", "concept:full:1"]
    some = queries.search_body(SearchParams(q="โรงแรม กรุงเทพ"), ANONYMOUS, match="some")
    branch = some["query"]["bool"]["should"][0]["bool"]
    assert branch["must_not"][0]["bool"]["filter"] == concepts
    assert branch["filter"] == [OPEN_FILTER]


def test_only_function_words_make_no_partial_matches():
    some = queries.search_body(SearchParams(q="ข้อมูล"), ANONYMOUS, match="some")
    assert some["query"] == {"match_none": {}}


def test_the_search_scores_nothing_per_organization_bucket_and_titles_come_from_one_visible_lookup():
    analyst = ANALYST
    params = SearchParams(q="โรงเรียน", filters={"organization": ["ddc"]})
    assert "top_hits" not in json.dumps(queries.search_body(params, analyst))

    class Lookup:
        def __init__(self):
            self.calls = []

        def search(self, **kw):
            self.calls.append(kw)
            return {"aggregations": {"values": {"buckets": [{"key": "ddc", "doc_count": 2, "org": {"hits": {
                "hits": [{"_source": {"record": {"organization": {"title": "กรมควบคุมโรค"}}}}]}}}]}}}

    es = Lookup()
    titles = queries.organization_titles_for(es, "gdc", analyst, ["ddc", "gone"])
    assert titles == {"ddc": {"title": "กรมควบคุมโรค", "title_en": "Department of Disease Control"}}
    # First the map of open records' organizations (what every visitor sees), then, among the records
    # the analyst sees, only the organizations that map lacks.
    opened, restricted, own = es.calls
    assert opened["index"] == queries.index_for("gdc", ANONYMOUS) and opened["size"] == 0
    assert opened["query"] == {"bool": {"filter": [scope_for(ANONYMOUS).any]}}
    assert restricted["index"] == queries.index_for("gdc", analyst)
    assert restricted["query"] == {"bool": {"filter": [scope_for(analyst).any], "must_not": [OPEN_FILTER]}}
    assert own["index"] == queries.index_for("gdc", analyst) and own["size"] == 0
    assert own["query"] == {"bool": {"filter": [scope_for(analyst).any, {"terms": {"organization": ["gone"]}}]}}
    assert queries.organization_titles_for(es, "gdc", ANONYMOUS, []) == {}


def test_everybody_shares_one_map_of_open_organizations_titles_for_a_while_and_only_the_rest_is_looked_up():
    from flask import Flask

    def bucket(slug, title):
        return {"key": slug, "doc_count": 2, "org": {"hits": {"hits": [
            {"_source": {"record": {"organization": {"title": title}}}}]}}}

    class Lookup:
        def __init__(self):
            self.calls = []

        def search(self, **kw):
            self.calls.append(kw)
            restricted = "must_not" in kw["query"]["bool"]
            found = [bucket("secret-agency", "หน่วยงานลับ")] if restricted else [bucket("ddc", "กรมควบคุมโรค")]
            return {"aggregations": {"values": {"buckets": found}}}

    other = Principal(kind="analyst", username="b",
                      grants=(Grant(categories=frozenset({"internal"}), max_level=3),))
    es = Lookup()
    with Flask("titles").app_context():
        for _ in range(3):
            assert queries.organization_titles_for(es, "gdc", ANONYMOUS, ["ddc"])["ddc"]["title"] == "กรมควบคุมโรค"
        assert len(es.calls) == 1 and es.calls[0]["index"] == queries.index_for("gdc", ANONYMOUS)
        assert es.calls[0]["query"] == {"bool": {"filter": [scope_for(ANONYMOUS).any]}}  # every open record
        queries.organization_titles_for(es, "gdc", ANONYMOUS, ["ddc", "new-agency"])
        assert es.calls[-1]["query"]["bool"]["filter"][1] == {"terms": {"organization": ["new-agency"]}}
        calls = len(es.calls)
        for _ in range(2):  # an open record's organization: the shared map answers signed-in people too
            assert queries.organization_titles_for(es, "gdc", ANALYST, ["ddc"])["ddc"]["title"] == "กรมควบคุมโรค"
        assert len(es.calls) == calls
        # One with no open record: the map of the analyst's restricted records, kept for those who see
        # exactly the same records, never for a visitor or someone with other grants.
        for _ in range(2):
            titles = queries.organization_titles_for(es, "gdc", ANALYST, ["ddc", "secret-agency"])
            assert titles["secret-agency"]["title"] == "หน่วยงานลับ"
        assert len(es.calls) == calls + 1
        assert es.calls[-1]["query"] == {"bool": {"filter": [scope_for(ANALYST).any], "must_not": [OPEN_FILTER]}}
        assert "secret-agency" not in queries.organization_titles_for(es, "gdc", ANONYMOUS, ["secret-agency"])
        assert es.calls[-1]["index"] == queries.index_for("gdc", ANONYMOUS)  # the visitor's own lookup
        calls = len(es.calls)
        queries.organization_titles_for(es, "gdc", other, ["secret-agency"])
        assert len(es.calls) == calls + 1 and es.calls[-1]["query"]["bool"]["filter"] == [scope_for(other).any]
        calls = len(es.calls)
        for _ in range(2):  # in neither map: looked up among the analyst's own records every time
            queries.organization_titles_for(es, "gdc", ANALYST, ["new-secret"])
        assert len(es.calls) == calls + 2
        assert es.calls[-1]["query"] == {"bool": {"filter": [scope_for(ANALYST).any,
                                                             {"terms": {"organization": ["new-secret"]}}]}}
