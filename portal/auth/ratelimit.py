"""Per-principal rate limits: enumeration by many small queries becomes slow.

One limit per principal across the whole portal — ``user:<name>`` for signed-in accounts and tokens,
``ip:<address>`` for anonymous visitors — counted by Flask-Limiter in ``GDC_RATE_LIMIT_STORAGE``.
``per_minute`` requests a minute on average with bursts up to half a minute's worth (at least 10): the
limit is "*burst* requests per *burst / rate* seconds" on a sliding window.

Where the counts live decides what the limit means: ``memory://`` (the default) is per worker process,
so with N gunicorn workers a client gets up to N times the limit; a deployment with several workers or
machines points every process at one Redis (``redis://host:6379/0``, needs the ``redis`` package) or
Memcached (``memcached://host:11211``, needs ``pymemcache``). When that storage cannot be reached, each
process falls back to counting in its own memory (logged) rather than failing the request.
"""
from __future__ import annotations

import math
import time
from typing import Callable

from flask import Flask, Response, make_response
from flask_limiter import Limiter, RequestLimit
from limits.errors import ConfigurationError

from indexer.settings import Settings
from portal.errors import refusal

STRATEGY = "sliding-window-counter"  # O(1) per hit, and every shared storage implements it


def limit_for(per_minute: int) -> str | None:
    """The limit string for ``per_minute`` requests a minute (``0``: no limit).

    >>> limit_for(300)
    '150 per 30 second'
    """
    if per_minute <= 0:
        return None
    burst = max(10, per_minute // 2)
    return f"{burst} per {max(1, round(burst * 60 / per_minute))} second"


def too_many_requests(retry_after: int):
    """The portal's 429: problem details, an error page or CKAN's envelope, with ``Retry-After``."""
    retry = str(retry_after)
    return refusal(429, f"Too many requests; try again in {retry} seconds.", {"Retry-After": retry})


def init_app(app: Flask, key: Callable[[], tuple[str, bool]], exempt: Callable[[], bool],
             breach: Callable[[int], tuple]) -> Limiter:
    """Check the limit as a ``before_request`` hook registered *now* (so after the hooks registered before).

    ``key()`` gives the principal's key and whether it is anonymous; ``exempt()`` says the request is
    never limited; ``breach(retry_after_seconds)`` builds the 429 answer.
    """
    c = app.config
    c["GDC_RATE_LIMIT_STORAGE"] = c.get("GDC_RATE_LIMIT_STORAGE") or Settings.rate_limit_storage
    limits = {"anonymous": limit_for(int(c["GDC_RATE_LIMIT_ANONYMOUS"])),
              "signed_in": limit_for(int(c["GDC_RATE_LIMIT_SIGNED_IN"]))}

    def current_limit() -> str | None:
        return limits["anonymous" if key()[1] else "signed_in"]

    def on_breach(limit: RequestLimit) -> Response:
        return make_response(breach(max(1, math.ceil(limit.reset_at - time.time()))))

    limiter = Limiter(
        key_func=lambda: key()[0], strategy=STRATEGY, storage_uri=c["GDC_RATE_LIMIT_STORAGE"],
        application_limits=[lambda: current_limit() or "1 per second"],
        application_limits_exempt_when=lambda: exempt() or current_limit() is None,
        on_breach=on_breach, in_memory_fallback_enabled=True, headers_enabled=False,
        key_prefix="gdc",
    )
    try:
        limiter.init_app(app)
    except ConfigurationError as exc:
        raise ValueError(f"GDC_RATE_LIMIT_STORAGE={c['GDC_RATE_LIMIT_STORAGE']!r} cannot be used: {exc} "
                         f"(ใช้ที่เก็บตัวนับของ GDC_RATE_LIMIT_STORAGE ไม่ได้)") from exc
    app.extensions["gdc_rate_limits"] = limits
    return limiter
