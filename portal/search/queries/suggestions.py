"""Autocomplete, "did you mean" and an empty page's other wordings, built from or counted on the records
the principal sees (never from the index's term list, which counts every record)."""
from __future__ import annotations

from dataclasses import replace

from elasticsearch import Elasticsearch

from analyzers import spelling, thai
from analyzers.concepts import broader_queries, other_language
from analyzers.query import dataset_named, identifier_forms, understand
from indexer import mapping as m
from portal.auth.principal import Principal
from portal.auth.visibility import scope_for
from portal.search.cache import cached
from portal.search.queries.common import (NEWEST_FIRST, SOURCE, STABLE, SearchParams, SearchResult, as_seen,
                                          index_for,
                                          org_titles_agg, organization_titles)
from portal.search.queries.results import count, count_shown, search


CLEARLY_MORE = 2  # a suggestion must find at least this many more records (and twice as many)
# With no result, at most this many broader searches (a compound said with less) are counted and offered.
MAX_BROADER = 4


_REGEX_SPECIAL = set('.?+*|{}[]()"\\#@&<>~')


def contains_pattern(typed: str) -> str:
    """A Lucene regular expression matching values that contain ``typed``, Latin letters in any case."""
    out = []
    for ch in typed:
        if ch.isascii() and ch.isalpha():
            out.append(f"[{ch.lower()}{ch.upper()}]")
        elif ch in _REGEX_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return ".*" + "".join(out) + ".*"


def interleave(groups: list[list[dict]], size: int) -> list[dict]:
    """Take from each group in turn (datasets, organizations, tags) until ``size`` suggestions."""
    out: list[dict] = []
    iters = [iter(g) for g in groups]
    while len(out) < size and iters:
        for it in list(iters):
            item = next(it, None)
            if item is None:
                iters.remove(it)
            elif len(out) < size:
                out.append(item)
    return out


def similar_length_pattern(word: str, slack: int = 2) -> str:
    """A Lucene regular expression for any value within ``slack`` characters of ``word``'s length."""
    return f".{{{max(1, len(word) - slack)},{len(word) + slack}}}"


def _prefix_clause(field: str, typed: str) -> dict | None:
    """Records with a word starting with what was typed; earlier typed words must match whole."""
    words = thai.words(typed)
    if not words:
        return None
    last = {"prefix": {field: {"value": words[-1]}}}
    if len(words) == 1:
        return last
    whole = thai.normalise(typed).replace(" ", "")
    together = {"bool": {"filter": [*({"term": {field: w}} for w in words[:-1]), last]}}
    return {"bool": {"should": [together, {"prefix": {field: {"value": whole}}}], "minimum_should_match": 1}}


# What is typed is matched against datasets' names and ids from this many characters on (bec, not b).
MIN_NAME_PREFIX = 3


def _name_clause(typed: str) -> dict | None:
    """Records whose name or id begins with what was typed, when it may be one (``bec_sch``) or is a link to
    a dataset (its name): a name-tier field, as the search by identifier reads it."""
    named = dataset_named(typed)
    if not named or len(named) < MIN_NAME_PREFIX:
        return None
    return {"bool": {"should": [{"prefix": {field: value}} for field in (m.NAME, m.ID)
                                for value in identifier_forms(named)],
                     "minimum_should_match": 1}}


def suggest_body(prefix: str, principal: Principal, size: int = 8) -> dict | None:
    """One request for titles (or names), organizations and tags; ``None`` when nothing was typed."""
    scope = scope_for(principal)
    on_title = _prefix_clause(m.TITLE_WORDS, prefix)
    if on_title is None:
        return None
    if on_name := _name_clause(prefix):
        on_title = {"bool": {"should": [on_title, on_name], "minimum_should_match": 1}}
    on_org = _prefix_clause(m.ORGANIZATION_WORDS, prefix)
    on_tags = _prefix_clause(m.TAGS_WORDS, prefix)
    tag_pattern = contains_pattern(thai.normalise(prefix))
    return {
        # Titles, names and organizations are name-tier; tags only ever come from records seen in full. The
        # title prefix is a post_filter so the organization and tag aggregations see every visible record.
        # Best quality first — but a record seen by name only is placed as if it had no quality score
        # (the score is computed from fields its tier hides): the query scores quality + 1 for records
        # seen in full that have one, 0 for every other.
        "query": {"bool": {"filter": [scope.any], "should": [{"function_score": {
            "query": {"bool": {"filter": [scope.full, {"exists": {"field": m.QUALITY_SCORE}}]}},
            "functions": [{"field_value_factor": {"field": m.QUALITY_SCORE}}, {"weight": 1}],
            "score_mode": "sum", "boost_mode": "replace"}}]}},
        "post_filter": on_title,
        "size": size,
        "_source": SOURCE,
        "sort": [{"_score": "desc"}, NEWEST_FIRST, STABLE],
        "aggs": {
            "organizations": {"filter": {"bool": {"filter": [scope.any, on_org]}}, "aggs": {
                "values": {"terms": {"field": m.ORGANIZATION, "size": size},
                           "aggs": {"org": org_titles_agg()}}}},
            "tags": {"filter": {"bool": {"filter": [scope.full, on_tags]}}, "aggs": {
                "values": {"terms": {"field": m.TAGS, "size": size, "include": tag_pattern}}}},
        },
    }


def suggest(es: Elasticsearch, alias: str, prefix: str, principal: Principal, size: int = 8) -> list[dict]:
    """Autocomplete: ``[{kind: dataset|organization|tag, text, value, count?}]`` for what was typed.

    Built from visible records only (no ES suggester: those read index terms regardless of filters).
    """
    body = suggest_body(prefix, principal, size)
    if body is None:
        return []
    answer = es.search(index=index_for(alias, principal), **body)
    datasets = []
    for h in answer["hits"]["hits"]:
        seen = as_seen(h["_source"], principal)
        if seen:
            record = seen[0]
            datasets.append({"kind": "dataset", "text": record.get("title") or "",
                             "value": record.get("name") or record.get("id")})
    org_agg = answer["aggregations"]["organizations"]
    titles = organization_titles(org_agg)
    orgs = [{"kind": "organization", "text": titles[b["key"]]["title"], "value": b["key"],
             "count": b["doc_count"]} for b in org_agg["values"]["buckets"]]
    tags = [{"kind": "tag", "text": b["key"], "value": b["key"], "count": b["doc_count"]}
            for b in answer["aggregations"]["tags"]["values"]["buckets"]]
    return interleave([datasets, orgs, tags], size)


def did_you_mean_body(q: str, principal: Principal) -> dict | None:
    """Words similar to the query's, from records seen in full (never from the index's term list)."""
    spans = spelling.spelling_spans(q)
    if not spans:
        return None
    near = {f"near{i}": {
        "filter": {"fuzzy": {m.SUGGEST_WORDS: {"value": span, "fuzziness": "AUTO", "max_expansions": 50}}},
        "aggs": {"values": {"terms": {"field": m.SUGGEST_WORDS, "size": 100,
                                      "include": similar_length_pattern(span)}}},
    } for i, span in enumerate(spans)}
    return {
        "size": 0,
        "query": {"bool": {"filter": [scope_for(principal).full]}},
        # Which of the query's words some visible record holds: a term query per word reads that word's
        # postings only (a ``terms`` aggregation with ``include`` walked every visible record's words:
        # ~11 of a did-you-mean's 35 ms on the 100k benchmark index, ~1.6 ms this way).
        "aggs": {"exact": {"filters": {"filters": {span: {"term": {m.SUGGEST_WORDS: span}} for span in spans}}},
                 **near},
    }


def did_you_mean(es: Elasticsearch, alias: str, q: str, principal: Principal,
                 params: SearchParams | None = None) -> str | None:
    """A corrected query built only from words of records ``principal`` sees in full (or an English typo
    corrected to a known word), or ``None``. With ``params`` (the search as asked), only a correction
    that clearly finds more: at least twice as many records and two more."""
    body = did_you_mean_body(q, principal)
    if body is None:
        return None

    def corrected() -> str | None:
        aggs = es.search(index=index_for(alias, principal), **body)["aggregations"]
        known = {span for span, bucket in aggs["exact"]["buckets"].items() if bucket["doc_count"]}
        vocabulary = {b["key"]: b["doc_count"] for name, agg in aggs.items() if name.startswith("near")
                      for b in agg["values"]["buckets"]}
        return spelling.correct(q, known, vocabulary) or spelling.english_correction(q)

    # The same for every anonymous visitor who types ``q`` (the fuzzy aggregations are ~40 ms of
    # Elasticsearch on the 100k benchmark index); the counts below depend on the search's filters.
    suggestion = cached(("did_you_mean", alias, q), principal, corrected)
    if suggestion is None or params is None:
        return suggestion
    before = count(es, alias, principal, replace(params, q=q))
    after = count(es, alias, principal, replace(params, q=suggestion))
    return suggestion if after >= max(2 * before, before + CLEARLY_MORE) else None


def corrected_search(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
                     suggestion: str | None, **search_args) -> tuple[SearchParams, SearchResult] | None:
    """``params`` with ``q`` replaced by its spelling correction ``suggestion``, and that search's result
    (``search_args``: as the caller searches), when it finds records ``principal`` sees; else ``None``.
    What the search page and the widget show for a search that found nothing."""
    if not suggestion:
        return None
    corrected = replace(params, q=suggestion)
    found = search(es, alias, corrected, principal, **search_args)
    return (corrected, found) if found.total else None


def in_other_language(es: Elasticsearch, alias: str, params: SearchParams,
                      principal: Principal) -> tuple[str, int] | None:
    """The search said in the other language (``pollution`` → มลพิษ) and the count its page shows, if
    that finds something ``principal`` sees; else ``None``. For a search that found nothing."""
    said = other_language(understand(params.q)) if params.q.strip() else None
    found = _finding(es, alias, params, principal, [said] if said else [])
    return found[0] if found else None


def broader(es: Elasticsearch, alias: str, params: SearchParams,
            principal: Principal) -> list[tuple[str, int]]:
    """The search with a Thai compound said with less (ค่าไฟฟ้า → ไฟฟ้า: ``broader_queries``), each with the
    count its page shows, those that find something ``principal`` sees. For a search that found nothing."""
    said = broader_queries(understand(params.q))[:MAX_BROADER] if params.q.strip() else []
    return _finding(es, alias, params, principal, said)


def _finding(es: Elasticsearch, alias: str, params: SearchParams, principal: Principal,
             said: list[str]) -> list[tuple[str, int]]:
    """Each other wording of the search (filters kept) that finds something, with its page's count."""
    out = []
    for q in said:
        if found := count_shown(es, alias, principal, replace(params, q=q, page=1)):
            out.append((q, found))
    return out
