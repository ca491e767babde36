"""GD Catalog Search portal: the Flask application factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from indexer.settings import Settings

_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the portal. Configuration is read here from ``GDC_*`` variables, never at import.

    ``app.config`` holds every setting as ``GDC_<NAME>`` and the whole :class:`Settings` as
    ``GDC_SETTINGS``; a test's ``test_config`` may give either, and wins over the environment.
    """
    # The areas are imported here, not at the top: importing ``portal.auth.principal`` (the indexer's
    # benchmarks, the tests) must not load every view of the portal.
    from portal import api, errors, es, health, hosts, i18n, views
    from portal.auth import web as auth
    from portal.jsonprovider import Utf8JSONProvider

    app = Flask(
        __name__,
        template_folder=str(_ROOT / "templates"),
        static_folder=str(_ROOT / "static"),
    )
    app.config["GDC_SETTINGS"] = Settings.from_env()
    if test_config:
        app.config.from_mapping(test_config)
    settings = app.config["GDC_SETTINGS"].overridden_by(app.config)
    app.config.from_mapping(settings.app_config(), GDC_SETTINGS=settings)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key or _local_secret_key(settings)
    app.json = Utf8JSONProvider(app)

    hosts.init_app(app)
    es.init_app(app)
    errors.init_app(app)
    health.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    views.init_app(app)
    api.init_app(app)
    return app


def _local_secret_key(settings: Settings) -> str:
    """Without ``GDC_SECRET_KEY``, a random key kept in ``var/secret_key`` (mode 0600) so that
    sign-ins survive a restart of a local portal. Production sets ``GDC_SECRET_KEY``."""
    import secrets

    path = settings.var_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key

