"""Every request the portal sends to Elasticsearch is built here, and only here.

The pages, the JSON API, the CKAN Action API, exports and the sitemap call these functions (as
``queries.<name>``); none of them builds a query dict. Each function turns the principal into its
visibility scope (``scope_for``) and puts it *inside the query*, so hits, totals, every facet
aggregation, suggestions and get-by-id all see exactly the same set of records, and every record
returned has been through ``access_tier`` + ``redact``.

One job per file:

============================  ===============================================================
``common.py``                 ``SearchParams``, ``SearchResult``, sorts, the indices a principal
                              reads, selections as filters, a hit as the principal sees it
``matching.py``               which records match the words of a query and how they are scored
``facet_counts.py``           facet aggregations (``FacetedSearch`` semantics) and their buckets
``results.py``                a page of results: the body, running it, partial matches, related by meaning, counts
``records.py``                get-by-id and organizations
``suggestions.py``            autocomplete, "did you mean" and an empty page's other wordings
``listing.py``                whole result lists through one point in time (sitemap, exports, feeds)
``related_records.py``        related datasets (the dataset page)
``dates.py``                  what the dates say (home page) and records by the years in their titles
============================  ===============================================================
"""
from __future__ import annotations

from portal.search.queries.common import (DEFAULT_PAGE_SIZE, LIST_SOURCE, MACHINE_SORTS, MAX_PAGE_SIZE,
                                          NAME_TIER_SORT_FIELDS, SORTS, SOURCE, ResultWindowExceeded,
                                          SearchParams, SearchResult, as_seen, index_for, target)
from portal.search.queries.dates import date_spread, title_years, with_title_years
from portal.search.queries.listing import EXPORT_LIMIT, iter_records, iter_search
from portal.search.queries.matching import PLACE_BOOST
from portal.search.queries.records import get_dataset, organization, organization_titles_for, organizations
from portal.search.queries.related_records import (RELATED_FIELDS, RELATED_MLT, RELATED_STOP_WORDS, RELATED_WEIGHTS,
                                           related, related_body)
from portal.search.queries.results import (PARTIAL_SIZE, count, count_body, count_shown, partial_body,
                                           partial_matches, related_matches, search, search_body)
from portal.search.queries.suggestions import (CLEARLY_MORE, MAX_BROADER, broader, corrected_search,
                                               did_you_mean, did_you_mean_body, in_other_language, suggest,
                                               suggest_body)

__all__ = [
    "CLEARLY_MORE", "DEFAULT_PAGE_SIZE", "EXPORT_LIMIT", "LIST_SOURCE", "MACHINE_SORTS", "MAX_BROADER",
    "MAX_PAGE_SIZE", "NAME_TIER_SORT_FIELDS", "PARTIAL_SIZE", "PLACE_BOOST", "RELATED_FIELDS", "RELATED_MLT",
    "RELATED_STOP_WORDS", "RELATED_WEIGHTS", "SORTS", "SOURCE", "ResultWindowExceeded", "SearchParams",
    "SearchResult", "as_seen", "broader", "corrected_search", "count", "count_body", "count_shown",
    "date_spread", "did_you_mean", "did_you_mean_body", "get_dataset", "in_other_language", "index_for",
    "iter_records", "iter_search", "organization", "organization_titles_for", "organizations", "partial_body",
    "partial_matches", "related", "related_matches", "related_body", "search", "search_body", "suggest",
    "suggest_body", "target", "title_years", "with_title_years",
]
