"""Facet counts and totals for visitors equal those of the corpus without its non-open records —
for every facet, with no filter, one filter, two values of one facet (OR) and two facets (AND)."""
from __future__ import annotations

import itertools
from urllib.parse import urlencode

import pytest

from tests.canary import FACET_PARAMS, get

pytestmark = pytest.mark.integration


def selections() -> list[list[tuple[str, str]]]:
    singles = [[(name, value)] for name, values in FACET_PARAMS.items() for value in values]
    within = [[(name, a), (name, b)] for name, values in FACET_PARAMS.items()
              for a, b in itertools.combinations(values[:3], 2)]
    across = [[a[0], b[0]] for a, b in itertools.combinations(singles, 2) if a[0][0] != b[0][0]]
    # every pair of facets, with a value only non-open records have and one open records have
    across = [pair for pair in across if FACET_PARAMS[pair[0][0]].index(pair[0][1]) in (0, 1)
              and FACET_PARAMS[pair[1][0]].index(pair[1][1]) in (0, len(FACET_PARAMS[pair[1][0]]) - 1)]
    return [[]] + singles + within + across


@pytest.mark.parametrize("q", ["", "ทะเบียน"])
def test_facet_counts_and_totals_ignore_non_open_records(full, open_only, q):
    problems = []
    for chosen in selections():
        url = "/api/v1/search?" + urlencode(([("q", q)] if q else []) + chosen + [("size", "100")])
        for who in ("anonymous", "nearmiss"):
            seen, truth = get(full, who, url).json, get(open_only, "anonymous", url).json
            if (seen["total"], seen["facets"]) != (truth["total"], truth["facets"]):
                problems.append(f"{who} {url}: total {seen['total']} vs {truth['total']}")
            ids = [[r["dataset"]["id"] for r in body["results"]] for body in (seen, truth)]
            if ids[0] != ids[1]:
                problems.append(f"{who} {url}: different results")
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:20])


def test_ckan_facets_ignore_non_open_records(full, open_only):
    fields = '["organization", "tags", "res_format", "license_id", "data_category", "update_frequency_unit"]'
    for fq in ["", 'data_category:"personal"', 'res_format:"QZVFMT"', 'organization:"org-mixed"']:
        url = "/api/3/action/package_search?" + urlencode(
            {"include_private": "true", "facet.field": fields, "facet.limit": "-1", "rows": "0", "fq": fq})
        seen, truth = get(full, "nearmiss", url).json, get(open_only, "anonymous", url).json
        assert fq or truth["result"]["facets"]["organization"]  # the comparison is not vacuous
        assert seen["result"]["count"] == truth["result"]["count"], fq
        assert seen["result"]["facets"] == truth["result"]["facets"], fq
        assert seen["result"]["search_facets"] == truth["result"]["search_facets"], fq
