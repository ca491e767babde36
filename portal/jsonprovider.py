"""JSON answers as readable UTF-8, encoded by orjson.

Flask's default provider escapes every Thai letter (``"\\u0e42\\u0e23\\u0e07"`` for โรง): six bytes
instead of three per letter, unreadable in a terminal, and the standard library's encoder is one of the
larger costs of an API answer. orjson writes UTF-8 as it is, several times faster. Keys stay sorted
and dates, Markup and dataclasses come out exactly as Flask's provider writes them, so only the
escaping changes.
"""
from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider, _default

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


class Utf8JSONProvider(DefaultJSONProvider):
    ensure_ascii = False

    def _bytes(self, obj: Any, indent: bool = False) -> bytes:
        return orjson.dumps(obj, default=_default, option=_OPTIONS | (orjson.OPT_INDENT_2 if indent else 0))

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # a caller asking for the standard library's options gets them
            kwargs.setdefault("default", _default)
            kwargs.setdefault("ensure_ascii", False)
            kwargs.setdefault("sort_keys", True)
            return json.dumps(obj, **kwargs)
        return self._bytes(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        indent = (self.compact is None and self._app.debug) or self.compact is False
        return self._app.response_class(self._bytes(obj, indent) + b"\n", mimetype=self.mimetype)
