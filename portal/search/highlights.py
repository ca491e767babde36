"""Highlights of a search hit: the record's title and description with the query's words in ``<mark>``.

They are marked by ``analyzers.highlight`` on the *original* text of the record, never on the
segmented index fields, so the reader sees the title as the agency wrote it. Every fragment is
HTML-escaped before ``<mark>`` is added.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from analyzers import dictionary
from analyzers.highlight import mark
from analyzers.query import QueryPlan, understand

__all__ = ["SNIPPET_LENGTH", "highlights", "warm"]

SNIPPET_LENGTH = 220


def highlights(record: dict, tier: str, plan: QueryPlan | None) -> dict[str, Markup]:
    """Marked title (and English title), and for the full tier a marked description snippet."""
    def marked(text: str, max_len: int | None = None) -> Markup:
        if plan is None:
            return escape(text[:max_len]) + ("…" if max_len and len(text) > max_len else "")
        return mark(text, plan, max_len=max_len)

    found = {"title": marked(record.get("title") or "")}
    if record.get("title_en"):
        found["title_en"] = marked(record["title_en"])
    if tier == "full":
        for key in ("notes", "notes_en"):
            if record.get(key):
                found[key] = marked(" ".join(record[key].split()), SNIPPET_LENGTH)
    return found


# Queries that walk every dictionary query understanding and highlighting build on first use: a
# misspelt Thai word, an abbreviation, an English typo, a compound the custom dictionary keeps whole.
_WARM_QUERIES = ("โรงเรยนในกรุงเทพ", "สพฐ. covid statistcs", "กรมการขนส่งทางบก งบประมาณ")


def warm() -> None:
    """Build the Thai dictionaries, tries and sound tables now rather than in the first requests.

    They take seconds to build; under load, every thread that meets them cold builds its own copy at
    once (``lru_cache`` does not make the others wait), so a fresh worker answered nothing for tens of
    seconds. ``make serve`` calls this once in gunicorn's master, before the workers fork and share it.
    """
    for q in _WARM_QUERIES:
        record = {"title": "ที่ตั้งโรงเรียนในสังกัด สพฐ. กรมการขนส่งทางบก", "notes": "statistics"}
        highlights(record, "full", understand(q))
    dictionary.parts("กรมการขนส่งทางบก")
