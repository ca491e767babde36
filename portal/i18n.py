"""Thai first, English second: Flask-Babel catalogues, the language cookie, dates and code-list labels.

Message ids in templates and code are the Thai text itself, so Thai needs no catalogue and the
English catalogue (``translations/en``) translates every one of them.

Dates: Thai pages show the day, the abbreviated Thai month and the Buddhist-era year with Arabic
digits (``31 ต.ค. 2564``) everywhere; English pages show the Gregorian ``31 Oct 2021``. Month names
come from Babel (CLDR); Babel formats the Gregorian calendar only, so the Buddhist-era year is the
Gregorian one plus ``BE_OFFSET``, written into the pattern as a literal.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date as babel_date
from flask import Flask, Response, request
from babel import Locale
from babel.support import NullTranslations
from flask_babel import Babel, get_locale, get_translations

from analyzers.script import BE_OFFSET

LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
COOKIE = "gdc_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# The national schema's own field labels (Thai and English), for blocks shown field by field.
FIELD_REFERENCE = Path(__file__).resolve().parent.parent / "indexer" / "reference" / "thai-gdc-2.2.4-fields.json"



def select_language() -> Locale:
    """The cookie's choice when it is one we have, otherwise Thai (never the browser's guess:
    the portal is Thai-first and a visitor switches explicitly, on any page)."""
    chosen = request.cookies.get(COOKIE)
    return _locale(chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE)


@lru_cache(maxsize=None)
def _locale(language: str) -> Locale:
    """One ``Locale`` per language: parsing one checks Babel's data files on disk, on every request."""
    return Locale.parse(language)


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def parse_date(value: str | date | None) -> date | None:
    """An ISO date or datetime string (as the record stores it) as a date; ``None`` if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def format_date(value: str | date | None, lang: str | None = None) -> str:
    """``31 ต.ค. 2564`` in Thai, ``31 Oct 2021`` in English; empty for no date."""
    day = parse_date(value)
    if day is None:
        return ""
    return _in_calendar(day, "d MMM", lang or current_language())


def format_month(value: str, lang: str | None = None) -> str:
    """``2025-10`` → ``ต.ค. 2568`` (Buddhist era) in Thai, ``Oct 2025`` in English."""
    year, month = (int(x) for x in value.split("-"))
    return _in_calendar(date(year, month, 1), "MMM", lang or current_language())


@lru_cache(maxsize=8192)
def _in_calendar(day: date, pattern: str, lang: str) -> str:
    """``pattern`` (CLDR, without the year) and the year: Buddhist era in Thai, Gregorian in English."""
    year = day.year + BE_OFFSET if lang == "th" else day.year
    return babel_date(day, f"{pattern} '{year}'", locale=_locale(lang))


def code_label(field: str, code: str | None, lang: str | None = None) -> str:
    """The label of a code-list value in the current language (the code itself when unknown)."""
    if code is None or code == "":
        return ""
    from indexer import codelists

    try:
        return codelists.label(field, code, lang or current_language()) or code
    except KeyError:
        return code


@lru_cache(maxsize=1)
def _field_labels() -> dict[str, dict]:
    with open(FIELD_REFERENCE, encoding="utf-8") as f:
        reference = json.load(f)
    return {name: spec["label"] for name, spec in reference["dataset_fields"].items()
            if isinstance(spec.get("label"), dict)}


def field_label(name: str, lang: str | None = None) -> str:
    """The standard's label of a field (``unit_of_multiplier`` → ``หน่วยตัวคูณ (…)``), else the name."""
    label = _field_labels().get(name) or {}
    return label.get(lang or current_language()) or name.replace("_", " ")


def format_number(value: int | float | None) -> str:
    return "" if value is None else f"{value:,}"


def _language_headers(response: Response) -> Response:
    """Pages differ by the language cookie: say so to caches, and name the language served."""
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
        response.headers["Content-Language"] = current_language()
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_language)
    _install_template_gettext(app)
    app.after_request(_language_headers)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals.update(current_language=current_language, code_label=code_label,
                                 field_label=field_label, LANGUAGES=LANGUAGES)
    app.jinja_env.globals.update(organization_name=organization_name, name_lang=name_lang)


def _install_template_gettext(app: Flask) -> None:
    """The templates' ``_()``, ``ngettext()`` … as Flask-Babel installs them, with the catalogue looked up
    once per locale: Flask-Babel looks it up on every call (~20 µs; a search page makes over 100)."""
    catalogues: dict[Locale, NullTranslations] = {}

    def catalogue() -> NullTranslations:
        locale = get_locale()
        if locale is None:
            return get_translations()
        if locale not in catalogues:
            catalogues[locale] = get_translations()
        return catalogues[locale]

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )


def organization_name(org: dict | None, lang: str | None = None) -> str:
    """An organization's name in ``lang``: in English the record's ``title_en``, else the official English
    name from the reviewed agency directory (``indexer/agencies.json``), else the Thai title (pages
    mark it ``lang="th"``; see :func:`is_thai_name`)."""
    org = org or {}
    slug = org.get("name") or org.get("slug")
    thai = org.get("title") or slug or ""
    if (lang or current_language()) != "en":
        return thai
    from indexer import agencies

    return (org.get("title_en") or agencies.english_name(slug)
            or agencies.english_name(org.get("title")) or thai)


def name_lang(shown: str) -> str:
    """The ``lang`` of a name as shown: Thai when it holds Thai letters, English otherwise."""
    return "th" if any("\u0e00" <= ch <= "\u0e7f" for ch in shown or "") else "en"
