"""A short-lived, per-process cache of answers that are the same for every anonymous visitor.

Only anonymous answers are kept: every anonymous visitor sees exactly the open records, so one
answer serves them all. Signed-in principals are never served from here — their answers depend on
their grants, and every sensitive record disclosed to them is written to the audit log as it is read
(``portal.auth.visibility.redact``), which a cached answer would skip. Entries live for
``GDC_CACHE_SECONDS`` (default 30; ``0`` switches the cache off), so a rebuilt or reloaded index shows
on the home page, and a renamed organization in the facets, within that time.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Hashable

from flask import Flask, current_app, has_app_context

from indexer.settings import Settings
from portal.auth.principal import Principal


class AnonymousCache:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, principal: Principal, compute: Callable[[], Any]) -> Any:
        """``compute()``'s answer, reused for anonymous visitors while it is fresh."""
        if not principal.is_anonymous or self.seconds <= 0:
            return compute()
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
        if found and found[0] > now:
            return found[1]
        value = compute()
        with self._lock:
            self._entries[key] = (now + self.seconds, value)
        return value


def init_app(app: Flask) -> None:
    seconds = app.config.get("GDC_CACHE_SECONDS", Settings.cache_seconds)
    app.extensions["gdc_anonymous_cache"] = AnonymousCache(float(seconds))


def cached(key: Hashable, principal: Principal, compute: Callable[[], Any]) -> Any:
    """The current app's cache (created on first use when the app did not set one up); outside an app
    (a script calling ``queries`` directly) nothing is shared."""
    if not has_app_context():
        return compute()
    cache = current_app.extensions.get("gdc_anonymous_cache")
    if cache is None:
        init_app(current_app)
        cache = current_app.extensions["gdc_anonymous_cache"]
    return cache.get(key, principal, compute)
