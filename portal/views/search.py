"""The search page: the query, facets as links (they work without JavaScript), chips, sort, pages."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from urllib.parse import quote_plus

from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from marshmallow import ValidationError

from indexer.mapping import MAX_RESULT_WINDOW
from portal.auth import current_principal
from portal.errors import error_response
from portal.es import client
from portal.i18n import current_language, organization_name
from portal.search import queries
from portal.search.cache import cached
from portal.search.facets import FACETS, label
from portal.search.params import parse_search_args
from portal.search.queries import SearchParams
from portal.views import place_facet

bp = Blueprint("search", __name__)

# Below this many results a misspelling is likely enough to offer "did you mean".
FEW_RESULTS = 5
# A search that finds nothing shows its spelling correction's results instead, when that finds some;
# ``?as_typed=1`` keeps it as typed (the link the corrected page offers).
AS_TYPED = "as_typed"

FACET_TITLES = {
    "organization": lazy_gettext("หน่วยงาน"),
    "data_category": lazy_gettext("หมวดหมู่ข้อมูลตามธรรมาภิบาล"),
    "update_frequency_unit": lazy_gettext("ความถี่ในการปรับปรุง"),
    "geo_coverage": lazy_gettext("ขอบเขตเชิงภูมิศาสตร์"),
    "data_type": lazy_gettext("ประเภทข้อมูล"),
    "data_format": lazy_gettext("รูปแบบการเก็บข้อมูล"),
    "res_format": lazy_gettext("รูปแบบไฟล์ทรัพยากร"),
    "license_id": lazy_gettext("สัญญาอนุญาต"),
    "tags": lazy_gettext("คำสำคัญ"),
    "place": lazy_gettext("พื้นที่"),
    "year": lazy_gettext("ปีของข้อมูล (พ.ศ.)"),
}


def search_url(params: SearchParams, *, toggle: tuple[str, str] | None = None, drop: str | None = None,
               page: int | None = None, sort: str | None = None, clear: bool = False,
               endpoint: str = "search.results", **values: str) -> str:
    """The URL of ``params`` changed by one action; the standard's field names are the parameters."""
    filters = {} if clear else {k: list(v) for k, v in params.filters.items() if k != drop}
    if toggle:
        name, value = toggle
        chosen = filters.setdefault(name, [])
        chosen.remove(value) if value in chosen else chosen.append(value)
    args: list[tuple[str, str]] = [("q", params.q)] if params.q else []
    args += [(f.name, v) for f in FACETS for v in filters.get(f.name, [])]
    chosen_sort = sort or params.sort
    if chosen_sort != "relevance":
        args.append(("sort", chosen_sort))
    if params.size != queries.DEFAULT_PAGE_SIZE:
        args.append(("size", str(params.size)))
    if page and page > 1:
        args.append(("page", str(page)))
    base = _base_url(endpoint, values)
    return f"{base}?{'&'.join(f'{_quoted(k)}={_quoted(v)}' for k, v in args)}" if args else base


def as_typed_url(url: str) -> str:
    """``url``, a search with words, kept as typed: never replaced by its spelling correction."""
    return f"{url}&{AS_TYPED}=1"


@lru_cache(maxsize=16384)
def _quoted(text: str) -> str:
    """``urlencode``'s quoting of one name or value, kept: a search page links every facet value (hundreds),
    each URL repeating the same query and selections."""
    return quote_plus(text)


def _base_url(endpoint: str, values: dict[str, str]) -> str:
    """``url_for`` once per request and endpoint: a search page links every facet value (hundreds)."""
    key = (endpoint, tuple(sorted(values.items())))
    known = g.setdefault("gdc_base_urls", {})
    if key not in known:
        known[key] = url_for(endpoint, **values)
    return known[key]


def facet_title(name: str) -> str:
    """The facet's heading in the current language (the standard's Thai field name, or English)."""
    return str(FACET_TITLES[name])


def value_label(result: queries.SearchResult, facet_name: str, value: str, lang: str) -> str:
    if facet_name == "organization":
        org = result.organization_titles.get(value) or {}
        return organization_name({"name": value, **org}, lang)
    return label(facet_name, value, lang)


def facet_panels(result: queries.SearchResult, params: SearchParams, **url_values: str) -> list[dict]:
    """What the template shows per facet: label, count, selected, and the link that toggles it."""
    lang = current_language()
    panels = []
    for facet in FACETS:
        chosen = set(params.filters.get(facet.name, []))
        values = []
        for v, n in result.facets.get(facet.name, []):
            labels = {"th": value_label(result, facet.name, v, "th"), "en": value_label(result, facet.name, v, "en")}
            values.append({"value": v, "count": n, "selected": v in chosen,
                           "label": labels[lang] if lang in labels else value_label(result, facet.name, v, lang),
                           "label_th": labels["th"], "label_en": labels["en"],
                           "url": search_url(params, toggle=(facet.name, v), **url_values)})
        values.sort(key=lambda item: not item["selected"])
        if values:
            panels.append({"name": facet.name, "values": values, "selected": len(chosen),
                           "clear_url": search_url(params, drop=facet.name, **url_values)})
            _shape(panels[-1], params, url_values)
    return panels


def _shape(panel: dict, params: SearchParams, url_values: dict) -> None:
    """The place facet as a tree; the year facet newest first, with its BE range form."""
    if panel["name"] == "place":
        chosen = params.filters.get("place", [])

        def with_places(codes: list[str]) -> str:
            return search_url(replace(params, filters={**params.filters, "place": codes}), **url_values)

        for value in panel["values"]:
            value["url"] = place_facet.drill_down_url(value["value"], chosen, with_places) or value["url"]
        panel["tree"] = place_facet.place_tree(panel["values"])
    elif panel["name"] == "year":
        # A range selects many years; those no record covers are left to the chip and the form.
        panel["values"] = place_facet.newest_first([v for v in panel["values"] if v["count"]])
        spans = place_facet.year_spans(params.filters.get("year", []))
        panel["year_from"], panel["year_to"] = (spans[0][0], spans[-1][1]) if spans else (None, None)
        panel["form_action"] = search_url(SearchParams(), **url_values)
        panel["hidden"] = ([("q", params.q)] if params.q else []) + [
            (f.name, v) for f in FACETS if f.name != "year" for v in params.filters.get(f.name, [])]


def chips(result: queries.SearchResult, params: SearchParams, **url_values: str) -> list[dict]:
    lang = current_language()
    out = [{"facet": f.name, "value": v, "label": value_label(result, f.name, v, lang),
            "url": search_url(params, toggle=(f.name, v), **url_values)}
           for f, values in params.selected() for v in values if f.name != "year"]
    # Consecutive years (a year_from/year_to range) make one chip: "2560–2565".
    for start, end in place_facet.year_spans(params.filters.get("year", [])):
        run = {str(y) for y in range(start, end + 1)}
        rest = {k: [v for v in vs if k != "year" or v not in run] for k, vs in params.filters.items()}
        out.append({"facet": "year", "value": f"{start}-{end}", "label": f"{start}–{end}" if end > start else str(start),
                    "url": search_url(replace(params, filters=rest), **url_values)})
    return out


def _removable(params: SearchParams) -> list[dict]:
    """With no result: each selected facet (and the words), and how many results dropping it would give."""
    es, alias, who = client(), current_app.config["GDC_INDEX"], current_principal()
    out = []
    for facet, _ in params.selected():
        relaxed = replace(params, filters={k: v for k, v in params.filters.items() if k != facet.name})
        out.append({"facet": facet.name, "count": queries.count(es, alias, who, relaxed),
                    "url": search_url(params, drop=facet.name)})
    if params.q and params.filters:
        out.append({"facet": "q", "count": queries.count(es, alias, who, replace(params, q="")),
                    "url": search_url(replace(params, q=""))})
    return [r for r in out if r["count"]]


def _other_wordings(params: SearchParams) -> tuple[dict | None, list[dict]]:
    """With no result: the search in the other language, and with a compound said with less, each that
    finds something, with its count and link."""
    es, alias, who = client(), current_app.config["GDC_INDEX"], current_principal()

    def offer(q: str, found: int) -> dict:
        return {"q": q, "count": found, "url": search_url(replace(params, q=q, page=1))}

    translated = queries.in_other_language(es, alias, params, who)
    return (offer(*translated) if translated else None,
            [offer(q, found) for q, found in queries.broader(es, alias, params, who)])


def _complete_organization_titles(result: queries.SearchResult, params: SearchParams) -> None:
    """A selected organization outside the counted buckets still gets its name on its chip."""
    for slug in params.filters.get("organization", []):
        if slug not in result.organization_titles:
            org = queries.organization(client(), current_app.config["GDC_INDEX"], slug, current_principal())
            if org:
                result.organization_titles[slug] = {"title": org["title"], "title_en": org.get("title_en")}


def parse_or_400():
    """Validated parameters, or a 400 page that says what was wrong in the visitor's language."""
    try:
        return parse_search_args(request.args, strict=False), None
    except ValidationError as exc:
        if "page" in exc.messages:
            detail = gettext("ระบบแสดงผลได้เฉพาะ %(n)s รายการแรกของการค้นหา หน้าที่ขอเกินจากนั้น "
                             "โปรดเพิ่มคำค้นหรือเลือกตัวกรองเพื่อให้ผลลัพธ์แคบลง",
                             n=f"{MAX_RESULT_WINDOW:,}")
        else:
            detail = gettext("พารามิเตอร์ไม่ถูกต้อง: %(names)s", names=", ".join(sorted(exc.messages)))
        return None, error_response(400, detail)


@bp.get("/search")
def results():
    params, problem = parse_or_400()
    if problem:
        return problem
    es, alias, who = client(), current_app.config["GDC_INDEX"], current_principal()
    result = queries.search(es, alias, params, who, source=queries.LIST_SOURCE)
    suggestion = removable = translation = broader = typed = None
    if params.q and result.total < FEW_RESULTS and not result.named:
        suggestion = queries.did_you_mean(es, alias, params.q, who, params)
    as_typed = request.args.get(AS_TYPED) == "1"
    if result.total == 0 and not as_typed and (corrected := queries.corrected_search(
            es, alias, params, who, suggestion, source=queries.LIST_SOURCE)):
        # Nothing as typed, and the correction finds records: its page, saying so (``as_typed`` undoes it).
        typed, suggestion = params.q, None
        params, result = corrected
    _complete_organization_titles(result, params)
    if result.total == 0:
        removable = _removable(params)
        translation, broader = _other_wordings(params)
    dates_note = None
    if params.sort == "modified":
        from portal.views.home import dates_are_informative

        # The same for every visitor of a tier: anonymous visitors share one answer for a short while.
        spread = cached(("date_spread", alias), who, lambda: queries.date_spread(es, alias, who))
        dates_note = None if dates_are_informative(spread) else spread["p10"]
    return render_template(
        "search/results.html", params=params, result=result, facets=facet_panels(result, params),
        chips=chips(result, params), suggestion=suggestion, removable=removable, dates_note=dates_note,
        translation=translation, broader=broader,
        suggestion_url=search_url(replace(params, q=suggestion)) if suggestion else None,
        typed=typed, typed_url=as_typed_url(search_url(replace(params, q=typed))) if typed else None,
        sorts=tuple(queries.SORTS), page_url=lambda **kw: search_url(params, **kw),
        clear_url=search_url(params, clear=True),
        feed_url=search_url(replace(params, page=1), endpoint="feeds.atom"),
        csv_url=search_url(replace(params, page=1), endpoint="feeds.export_csv"),
    )


@bp.get("/search/suggest")
def suggest():
    """Autocomplete for the search box's combobox (titles, organizations and tags)."""
    typed = (request.args.get("q") or "").strip()[:100]
    if not typed:
        return jsonify(suggestions=[])
    found = queries.suggest(client(), current_app.config["GDC_INDEX"], typed, current_principal())
    for item in found:
        if item["kind"] == "dataset":
            item["url"] = url_for("dataset.show", id_or_slug=item["value"])
        elif item["kind"] == "organization":
            item["url"] = url_for("organization.show", slug=item["value"])
        else:
            item["url"] = search_url(SearchParams(filters={"tags": [item["value"]]}))
    return jsonify(suggestions=found)
