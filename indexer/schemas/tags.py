"""Keywords: CKAN tag objects, a list of words, or the standard's comma-separated ``tag_string``."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from .fields import clean_text, split_multi
from .problems import note, problem

# U+FFFD stands where a converter met bytes it could not decode (``ชื่�``): the lost letters cannot be
# known, so such a keyword is dropped with a named finding rather than shown or indexed half-written.
BROKEN = "\ufffd"


class Tags(fields.Field):
    """Loaded as a list of distinct, normalised keywords in the source's order."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, (str, list, tuple)):
            raise ValidationError(problem("invalid", "tags", value,
                                          detail="ต้องเป็นรายการคำ / must be a list of words"))
        tags: list[str] = []
        for item in split_multi(value):
            if isinstance(item, dict):
                item = item.get("name") or item.get("display_name")
            word = clean_text(item) if not isinstance(item, (dict, list)) else None
            if word and BROKEN in word:
                note("text_broken", "tags", word)
                continue
            if word and word not in tags:
                tags.append(word)
        return tags


def tag_string(tags: list[str]) -> str:
    """The standard's form of the keywords, whose total length the standard limits to 200."""
    return ",".join(tags)
