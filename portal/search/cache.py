"""A short-lived, per-process cache of answers that are the same for every anonymous visitor.

Only anonymous answers are kept: every anonymous visitor sees exactly the open records, so one
answer serves them all. Signed-in principals are never served from here — their answers depend on
their grants, and every sensitive record disclosed to them is written to the audit log as it is read
(``portal.auth.visibility.redact``), which a cached answer would skip. Entries live for
``GDC_CACHE_SECONDS`` (default 30; ``0`` switches the cache off), so a rebuilt or reloaded index shows
on the home page, and a renamed organization in the facets, within that time. At most ``MAX_ENTRIES``
answers are kept (``cachetools.TTLCache``: the least recently used go first), so keys that vary with
what visitors type ("did you mean" per query) cannot grow a worker's memory.

``cached_per_scope`` is the one exception, for answers that are neither record content nor audited:
organization titles (agency names), shared by the principals whose grants let them see exactly the same
records (the key holds their visibility filters, so no answer crosses from one set of grants to another).
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict
from typing import Any, Callable, Hashable

from cachetools import TTLCache
from flask import Flask, current_app, has_app_context

from indexer.settings import Settings
from portal.auth.principal import ANONYMOUS, Principal
from portal.auth.visibility import scope_for


MAX_ENTRIES = 4096
_MISSING = object()


class AnonymousCache:
    def __init__(self, seconds: float, max_entries: int = MAX_ENTRIES) -> None:
        # The timer looks ``time.monotonic`` up on each call, so that tests can move the clock.
        self._entries: TTLCache | None = TTLCache(max_entries, seconds, timer=lambda: time.monotonic()) \
            if seconds > 0 else None
        self._lock = threading.Lock()  # TTLCache is not thread-safe

    def get(self, key: Hashable, principal: Principal, compute: Callable[[], Any]) -> Any:
        """``compute()``'s answer, reused for anonymous visitors while it is fresh."""
        if not principal.is_anonymous:
            return compute()
        return self._shared(key, compute)

    def _shared(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self._entries is None:
            return compute()
        with self._lock:
            found = self._entries.get(key, _MISSING)
        if found is not _MISSING:
            return found
        value = compute()
        with self._lock:
            self._entries[key] = value
        return value


def init_app(app: Flask) -> None:
    seconds = app.config.get("GDC_CACHE_SECONDS", Settings.cache_seconds)
    app.extensions["gdc_anonymous_cache"] = AnonymousCache(float(seconds))


def cached(key: Hashable, principal: Principal, compute: Callable[[], Any]) -> Any:
    """The current app's cache (created on first use when the app did not set one up); outside an app
    (a script calling ``queries`` directly) nothing is shared."""
    if not has_app_context():
        return compute()
    return _cache().get(key, principal, compute)


def cached_per_scope(key: Hashable, principal: Principal, compute: Callable[[], Any]) -> Any:
    """``compute()``'s answer shared by every principal who sees exactly the records ``principal`` sees
    (anonymous visitors: ``cached``). Only for organization titles (see the module docstring)."""
    if not has_app_context():
        return compute()
    if principal.is_anonymous:
        return _cache().get(key, ANONYMOUS, compute)
    visibility = json.dumps(asdict(scope_for(principal)), sort_keys=True, ensure_ascii=False)
    return _cache()._shared((key, visibility), compute)


def _cache() -> AnonymousCache:
    cache = current_app.extensions.get("gdc_anonymous_cache")
    if cache is None:
        init_app(current_app)
        cache = current_app.extensions["gdc_anonymous_cache"]
    return cache
