"""The portal's Elasticsearch client, built once per app from the shared constructor."""
from __future__ import annotations

import threading
import time

from elastic_transport import Transport, TransportApiResponse
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch import ConnectionTimeout, Elasticsearch, TransportError
from flask import Flask, current_app

from indexer.client import REQUEST, make_client


class PartialResults(TransportError):
    """Some shards did not answer (a node lost, a shard unassigned): what came back is not the
    whole answer, so the portal must not show it as if it were. A ``TransportError``, so every
    area's handler for an unusable search node answers it with its own 503."""


class GuardedTransport(Transport):
    """The portal's transport: every request and answer passes here, whatever the endpoint.

    - Complete answers only: ``_shards.failed > 0`` raises ``PartialResults`` (a 503) — search,
      count, facets, exports and sitemaps alike.
    - Fail fast while the cluster is unreachable: after a request failed to connect, or timed out
      while the cluster answered nothing else (every node tried), requests fail at once for
      ``FAIL_FAST_S``; then one request probes the cluster while the others keep failing fast, so a
      hanging node ties up at most one server thread per probe instead of all of them. A successful
      probe closes the breaker. A request that times out while other requests of this process were
      answered met a *slow* cluster, not an unreachable one: that request fails (a 503), the others
      go on — failing them all for ``FAIL_FAST_S`` turned each slow search under load into a burst of
      instant 503s (docs/BENCHMARKS.md, the soak).
    """

    FAIL_FAST_S = 2.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._failed = False
        self._blocked_until = 0.0
        self._answered_at = float("-inf")  # when the cluster last answered a request of this process

    def perform_request(self, method: str, target: str, **kwargs) -> TransportApiResponse:
        self._admit()
        sent = time.monotonic()
        try:
            response = super().perform_request(method, target, **kwargs)
        except ConnectionTimeout:
            with self._lock:
                alive = self._answered_at > sent
            if not alive:
                self._settle(reached=False)
            raise
        except ESConnectionError:
            self._settle(reached=False)
            raise
        except BaseException:
            self._settle(reached=True)  # the cluster answered (an error status is still an answer)
            raise
        self._settle(reached=True)
        body = response.body if isinstance(response.body, dict) else {}
        # A multi-search answers each search in ``responses``: every one must be complete.
        for answer in [body, *(r for r in body.get("responses") or [] if isinstance(r, dict))]:
            shards = answer.get("_shards")
            if isinstance(shards, dict) and shards.get("failed"):
                reasons = {str((f.get("reason") or {}).get("type")) for f in shards.get("failures") or []}
                raise PartialResults(f"{shards['failed']} of {shards.get('total')} shards failed on {target}: "
                                     f"{', '.join(sorted(reasons))}")
        return response

    def _settle(self, reached: bool) -> None:
        with self._lock:
            self._failed = not reached
            now = time.monotonic()
            self._blocked_until = 0.0 if reached else now + self.FAIL_FAST_S
            if reached:
                self._answered_at = now

    def _admit(self) -> None:
        with self._lock:
            now = time.monotonic()
            if now < self._blocked_until:
                raise ESConnectionError("Elasticsearch failed moments ago; failing fast until the next probe")
            if self._failed:
                # This request is the probe; the others fail fast until it is answered or fails.
                self._blocked_until = now + self.FAIL_FAST_S + 60.0


def init_app(app: Flask) -> None:
    app.extensions["gdc_es"] = None


def client() -> Elasticsearch:
    """The app's client, created on first use so that importing and app creation never connect.

    Web requests use the ``request`` profile (``GDC_ES_TIMEOUT``, at most one retry, none on timeout),
    never the indexer's bulk profile."""
    es = current_app.extensions.get("gdc_es")
    if es is None:
        es = current_app.config.get("GDC_ES_CLIENT") or make_client(
            current_app.config["GDC_SETTINGS"], profile=REQUEST, transport_class=GuardedTransport)
        current_app.extensions["gdc_es"] = es
    return es


def startup_check(settings) -> None:
    """Before serving: a wrong CA or API key stops the server at once with one clear line (exit 2);
    an unreachable cluster is reported and the server starts (503s until the cluster is back)."""
    import sys

    from indexer.client import ClusterMisconfigured, check_cluster

    try:
        print(check_cluster(make_client(settings, profile=REQUEST), settings), flush=True)
    except ClusterMisconfigured as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
