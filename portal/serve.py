"""``make serve``: the portal under gunicorn, the production server.

Why gunicorn: it is the ecosystem's default pre-fork WSGI server on Linux — several worker processes
(so Python's own work runs on every core, not one), each with a few threads (so a worker waits on
Elasticsearch for one request while serving another), a master that restarts a worker that dies or
stops answering, and graceful shutdown on SIGTERM: the master stops accepting, every worker finishes
the requests it holds (up to ``GDC_REQUEST_TIMEOUT``) and exits. waitress (``make run``) is one
process, so its Python work is bound to one core by the GIL; uWSGI needs a C build and has its own
configuration language; an ASGI server would buy nothing for a synchronous Flask app.

Settings (``GDC_*`` variables, read by ``Settings.from_env`` in :func:`main`): ``GDC_HOST``/``GDC_PORT``
(bind), ``GDC_WORKERS``
(processes, default: the number of cores), ``GDC_THREADS`` (threads per process, default 4),
``GDC_REQUEST_TIMEOUT`` (seconds; default 30), ``GDC_ACCESS_LOG`` (file, ``-`` for stdout — the default —
or ``off``).
"""
from __future__ import annotations

import os
from gunicorn.app.base import BaseApplication

from indexer.settings import Settings
from portal import es

# Combined log format plus the time the request took (microseconds) and the worker's pid.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus %(p)s'


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def options(settings: Settings) -> dict:
    """gunicorn settings from the ``GDC_*`` ones (pure: the same settings give the same dict)."""
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers or _cores(),
        "threads": settings.threads,
        # gthread even with one thread: keep-alive connections and the same shutdown path everywhere.
        "worker_class": "gthread",
        # A worker that has not reported for this long is killed and replaced; in-flight requests
        # get as long to finish after SIGTERM. Every Elasticsearch call is bounded by GDC_ES_TIMEOUT.
        "timeout": settings.request_timeout,
        "graceful_timeout": settings.request_timeout,
        "keepalive": 5,
        "accesslog": None if settings.access_log == "off" else settings.access_log,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "proc_name": "gdcatalog",
        # The app is built, and its Thai dictionaries loaded (``text.warm``), once in the master: the
        # workers fork with them in place (shared memory) and answer from their first request. The
        # app connects to nothing until a request comes, so nothing is shared between processes.
        "preload_app": True,
        # gunicorn's control socket lives in one place per user; several servers on one machine would
        # share it, and nothing here uses it.
        "control_socket_disable": True,
    }


class PortalServer(BaseApplication):
    """gunicorn configured from a dict, serving ``create_app()`` (one app per worker process)."""

    def __init__(self, config: dict) -> None:
        self._config = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._config.items():
            self.cfg.set(key, value)

    def load(self):
        from portal import create_app
        from portal.search.highlights import warm

        app = create_app()
        warm()
        return app


def main() -> None:
    settings = Settings.from_env()
    config = options(settings)
    print(f"GD Catalog Search (gunicorn): http://{config['bind']}/  {config['workers']} workers × "
          f"{config['threads']} threads; index alias {settings.index}, Elasticsearch {settings.es_url}",
          flush=True)
    storage = settings.rate_limit_storage
    if config["workers"] > 1 and storage.startswith("memory://"):
        print(f"note: rate limits are counted per worker (GDC_RATE_LIMIT_STORAGE={storage}); with "
              f"{config['workers']} workers a client may get {config['workers']}× the limit — use redis:// "
              "or memcached:// in production (docs/permissions.md)", flush=True)
    es.startup_check(settings)
    PortalServer(config).run()


if __name__ == "__main__":
    main()
