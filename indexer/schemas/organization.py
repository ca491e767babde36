"""The owning organization: CKAN's ``organization`` object, an ``owner_org`` slug/id, or a Thai title only.

Legacy data.go.th records name their organization by its Thai title alone. Its slug is then taken from
the curated map in ``organizations.json`` (slugs seen in real CKAN records) or derived deterministically as
``org-`` + the first 10 hex digits of the SHA-1 of the normalised title, so every load gives the same slug.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from marshmallow import Schema, post_load

from indexer.codelists import normalise_key

from .fields import Text

CURATED_FILE = Path(__file__).with_name("organizations.json")


@lru_cache(maxsize=1)
def _curated() -> dict[str, str]:
    doc = json.loads(CURATED_FILE.read_text(encoding="utf-8"))
    return {normalise_key(title): slug for title, slug in doc["slugs"].items()}


def slug_for_title(title: str) -> str:
    """A stable slug for an organization known only by its Thai title.

    >>> slug_for_title("กรมควบคุมโรค")
    'ddc'
    """
    key = normalise_key(title)
    curated = _curated().get(key)
    if curated:
        return curated
    return "org-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


class OrganizationSchema(Schema):
    id = Text(allow_none=True)
    name = Text(allow_none=True)
    title = Text(allow_none=True)
    title_en = Text(allow_none=True)

    @post_load
    def complete(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any] | None:
        name, title = data.get("name"), data.get("title")
        if not name and not title:
            return None
        org = {"name": name or slug_for_title(title), "title": title or name}
        if data.get("title_en"):
            org["title_en"] = data["title_en"]
        if data.get("id"):
            org["id"] = data["id"]
        return org
