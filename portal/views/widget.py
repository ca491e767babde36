"""The embeddable search widget: a compact page that agency websites frame to search OPEN datasets.

The widget is one more channel of the visibility rules. Every request it makes goes through
``portal.search.queries`` as ``ANONYMOUS`` — never as the visitor's session or token — so an analyst's
cookie can never make a sensitive name appear inside a third-party page. ``embeddable``
(``portal.auth.headers``) lets other sites frame ``/widget`` and nothing else; every other page keeps
``frame-ancestors 'none'``.

``/widget``          the framed results page (works without JavaScript)
``/widget/embed.js`` the script an agency pastes: turns ``<div data-gdc-widget …>`` into a sized iframe
``/widget/builder``  a portal page that writes the snippet to copy, with a live preview
"""
from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from typing import Any, Mapping
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, make_response, render_template, request, url_for
from flask_babel import force_locale, gettext
from markupsafe import escape
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from indexer.mapping import MAX_RESULT_WINDOW
from portal.auth.headers import embeddable
from portal.auth.principal import ANONYMOUS
from portal.es import client
from portal.errors import error_response, register_area
from portal.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language
from portal.search import queries
from portal.search.facets import FACETS
from portal.search.params import MAX_QUERY_LENGTH, parse_search_args
from portal.search.queries import SearchParams
from portal.views.search import AS_TYPED, as_typed_url, search_url


bp = Blueprint("widget", __name__)

DEFAULT_SIZE = 5
MAX_SIZE = 20
MAX_PRESET_ORGANIZATIONS = 10
DEFAULT_HEIGHT = 520
# Anonymous answers are the same for everybody: let the agency's visitors share a cached copy.
CACHE_CONTROL = "public, max-age=300"


def widget_language(args: Mapping[str, Any]) -> str | None:
    """``lang`` of the widget (``th`` by default); ``None`` when it names a language we do not have.

    The widget never reads the portal's language cookie: the agency page chooses, not a cookie that
    a framed page usually cannot see anyway.
    """
    lang = args.get("lang") or DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else None


def widget_params(args: Mapping[str, Any]) -> SearchParams:
    """The portal's search parameters (validated by the same schema) with the widget's page size.

    Raises ``ValidationError`` naming the offending parameters.
    """
    merged = MultiDict(args)
    merged.setdefault("size", str(DEFAULT_SIZE))
    params = parse_search_args(merged, strict=False)
    if params.size > MAX_SIZE:
        raise ValidationError(f"at most {MAX_SIZE} results per widget page", field_name="size")
    if len(params.filters.get("organization", [])) > MAX_PRESET_ORGANIZATIONS:
        raise ValidationError(f"at most {MAX_PRESET_ORGANIZATIONS} organizations", field_name="organization")
    return replace(params, facets=())  # the widget shows no facets: count none


def widget_url(params: SearchParams, lang: str, **changes: Any) -> str:
    """The widget's URL for ``params`` changed by ``changes``; presets and language are kept."""
    p = replace(params, **changes)
    args: list[tuple[str, str]] = [("q", p.q)] if p.q else []
    args += [(f.name, v) for f in FACETS for v in p.filters.get(f.name, [])]
    if p.sort != "relevance":
        args.append(("sort", p.sort))
    if p.size != DEFAULT_SIZE:
        args.append(("size", str(p.size)))
    if p.page > 1:
        args.append(("page", str(p.page)))
    if lang != DEFAULT_LANGUAGE:
        args.append(("lang", lang))
    base = url_for("widget.results")
    return f"{base}?{urlencode(args)}" if args else base


def portal_search_url(params: SearchParams) -> str:
    """The same search on the portal's own search page (opened in a new tab)."""
    return search_url(replace(params, page=1, size=queries.DEFAULT_PAGE_SIZE))


def _invalid(names: list[str]) -> str:
    return gettext("พารามิเตอร์ไม่ถูกต้อง: %(names)s", names=", ".join(sorted(names)))


def _problem_detail(exc: ValidationError, args: Mapping[str, Any]) -> str:
    names = list(exc.normalized_messages())
    page = str(args.get("page", ""))
    if names == ["page"] and page.isdigit() and int(page) >= 1:  # a real page, past the result window
        window = f"{MAX_RESULT_WINDOW:,}"
        return gettext("ระบบแสดงผลได้เฉพาะ %(n)s รายการแรกของการค้นหา หน้าที่ขอเกินจากนั้น "
                       "โปรดเพิ่มคำค้นหรือเลือกตัวกรองเพื่อให้ผลลัพธ์แคบลง", n=window)
    return _invalid(names)


def _problem(status: int, detail: str | None = None):
    """A friendly error inside the frame (still frameable: it is the widget's own endpoint)."""
    lang = current_language()
    body = render_template("widget/problem.html", status=status, detail=detail, lang=lang,
                           home_url=widget_url(SearchParams(size=DEFAULT_SIZE), lang))
    return body, status


@bp.before_request
def _speak_the_embed_codes_language() -> None:
    """The widget speaks the ``lang`` its embed code asks for during the whole request (templates,
    error pages, the ``Content-Language`` header), never the portal's language cookie."""
    if request.endpoint == "widget.results":
        g.widget_locale = ExitStack()
        g.widget_locale.enter_context(force_locale(widget_language(request.args) or DEFAULT_LANGUAGE))


@bp.teardown_request
def _release_the_language(exc: BaseException | None) -> None:
    stack = g.pop("widget_locale", None)
    if stack is not None:
        stack.close()


@bp.get("/widget")
@embeddable
def results():
    lang = current_language()
    if widget_language(request.args) is None:
        return _problem(400, _invalid(["lang"]))
    try:
        params = widget_params(request.args)
    except ValidationError as exc:
        return _problem(400, _problem_detail(exc, request.args))
    response = make_response(_results_page(params, lang, as_typed=request.args.get(AS_TYPED) == "1"))
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _results_page(params: SearchParams, lang: str, as_typed: bool = False) -> str:
    """One page of open datasets; with none, the results of its spelling correction from open records'
    words (unless ``as_typed``), else a "did you mean", and the search in the other language or with a
    compound said with less, counted on open records."""
    es, alias = client(), current_app.config["GDC_INDEX"]
    result = queries.search(es, alias, params, ANONYMOUS, partial=False)
    presets = [org for slug in params.filters.get("organization", [])
               if (org := queries.organization(es, alias, slug, ANONYMOUS)) is not None]
    suggestion, others, typed = None, [], None
    if params.q and not result.total:
        suggestion = queries.did_you_mean(es, alias, params.q, ANONYMOUS)
    if not as_typed and (corrected := queries.corrected_search(es, alias, params, ANONYMOUS, suggestion,
                                                               partial=False)):
        typed, suggestion = params.q, None
        params, result = corrected
    if params.q and not result.total:
        translated = queries.in_other_language(es, alias, params, ANONYMOUS)
        others = ([translated] if translated else []) + queries.broader(es, alias, params, ANONYMOUS)
    return render_template(
        "widget/results.html", params=params, result=result, lang=lang, organizations=presets,
        page_url=lambda page: widget_url(params, lang, page=page),
        language_urls={code: widget_url(params, code, page=1) for code in LANGUAGES if code != lang},
        portal_url=portal_search_url(params), without_words_url=widget_url(params, lang, q="", page=1),
        suggestion=suggestion, suggestion_url=suggestion and widget_url(params, lang, q=suggestion, page=1),
        typed=typed, typed_url=typed and as_typed_url(widget_url(params, lang, q=typed, page=1)),
        others=[{"q": q, "count": n, "url": widget_url(params, lang, q=q, page=1)} for q, n in others],
        keep=[(f.name, v) for f in FACETS for v in params.filters.get(f.name, [])],
        size=params.size, default_size=DEFAULT_SIZE, sort=params.sort,
    )


def _error_page(status: int, detail: str | None):
    """Elasticsearch down inside a third-party page: a small friendly 503 in the frame (the app-wide
    handler in ``portal.errors`` calls this); other errors get the portal's pages."""
    return _problem(503) if status == 503 else None


bp.record_once(lambda state: register_area(state.app, bp.name, page=_error_page))


@bp.get("/widget/embed.js")
def embed_script():
    """The loader agencies paste; it finds this portal's address from its own ``src``."""
    response = current_app.send_static_file("js/widget-embed.js")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# --- the builder: a portal page that writes the snippet ------------------------------------------------

class BuilderArgsSchema(Schema):
    """The builder form's choices; the organization is checked against those with open datasets."""

    class Meta:
        unknown = EXCLUDE

    organization = fields.String(load_default="", validate=validate.Length(max=512))
    q = fields.String(load_default="", validate=validate.Length(max=MAX_QUERY_LENGTH))
    lang = fields.String(load_default=DEFAULT_LANGUAGE, validate=validate.OneOf(LANGUAGES))
    size = fields.Integer(load_default=DEFAULT_SIZE, validate=validate.Range(min=1, max=MAX_SIZE))
    height = fields.Integer(load_default=DEFAULT_HEIGHT, validate=validate.Range(min=200, max=2000))


def _choice_args(choice: dict) -> list[tuple[str, str]]:
    """The widget parameters a choice sets, defaults left out so the snippet stays short."""
    args = [("q", " ".join(choice["q"].split()))] if choice["q"].strip() else []
    if choice["organization"]:
        args.append(("organization", choice["organization"]))
    if choice["size"] != DEFAULT_SIZE:
        args.append(("size", str(choice["size"])))
    if choice["lang"] != DEFAULT_LANGUAGE:
        args.append(("lang", choice["lang"]))
    return args


def embed_snippets(choice: dict) -> dict[str, str]:
    """The HTML an agency pastes: ``script`` (a sized iframe, resized to fit, with a plain link as
    the fallback without JavaScript) and ``iframe`` (no script at all). Absolute URLs of this portal."""
    args = _choice_args(choice)
    query = f"?{urlencode(args)}" if args else ""
    with force_locale(choice["lang"]):
        title = gettext("ค้นหาชุดข้อมูลเปิดภาครัฐ")
    src = url_for("widget.results", _external=True) + query
    portal = url_for("search.results", _external=True) + (
        f"?{urlencode([('organization', choice['organization'])])}" if choice["organization"] else "")
    data = "".join(f' data-{name}="{escape(value)}"' for name, value in args)
    data += f' data-height="{choice["height"]}"' if choice["height"] != DEFAULT_HEIGHT else ""
    script = (f'<div data-gdc-widget{data}>\n'
              f'  <a href="{escape(portal)}">{escape(title)}</a>\n'
              f'</div>\n'
              f'<script src="{escape(url_for("widget.embed_script", _external=True))}" async></script>')
    iframe = (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{choice["height"]}" '
              f'style="border:0" loading="lazy"></iframe>')
    return {"script": script, "iframe": iframe, "src": src, "title": title}


@bp.get("/widget/builder")
def builder():
    """The page an agency's web team uses: choose options, copy the snippet, see the widget live.

    Organizations are those with open datasets (``ANONYMOUS``, whoever is signed in): the widget
    shows only those, so the builder never offers, nor names, anything else.
    """
    orgs = queries.organizations(client(), current_app.config["GDC_INDEX"], ANONYMOUS)
    try:
        choice = BuilderArgsSchema().load(request.args.to_dict(flat=True))
    except ValidationError as exc:
        return error_response(400, _invalid(list(exc.normalized_messages())))
    if choice["organization"] and choice["organization"] not in {o["slug"] for o in orgs}:
        return error_response(400, _invalid(["organization"]))  # a sensitive one is exactly a missing one
    english = current_language() == "en"
    options = []
    for org in orgs:
        in_english = english and bool(org.get("title_en"))
        options.append({"slug": org["slug"], "count": org["count"], "lang": "en" if in_english else "th",
                        "title": org["title_en"] if in_english else org["title"]})
    return render_template("widget/builder.html", choice=choice, organizations=options,
                           snippets=embed_snippets(choice), max_size=MAX_SIZE)
