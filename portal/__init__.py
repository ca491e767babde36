"""GD Catalog Search portal: the Flask application factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from indexer.settings import Settings

_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the portal. Configuration is read here from ``GDC_*`` variables, never at import."""
    app = Flask(
        __name__,
        template_folder=str(_ROOT / "templates"),
        static_folder=str(_ROOT / "static"),
    )
    settings = Settings.from_env()
    app.config.from_mapping(
        GDC_SETTINGS=settings,
        GDC_INDEX=settings.index,
        SECRET_KEY=settings.secret_key or _local_secret_key(settings),
    )
    if test_config:
        app.config.from_mapping(test_config)

    from portal.jsonprovider import Utf8JSONProvider

    app.json = Utf8JSONProvider(app)

    from portal import errors, es, health, hosts

    hosts.init_app(app)
    es.init_app(app)
    errors.init_app(app)
    health.init_app(app)
    _init_optional(app)
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


def _init_optional(app: Flask) -> None:
    """Areas added by later issues register themselves through their own ``init_app``."""
    import importlib

    for name in ("portal.i18n", "portal.auth.web", "portal.views", "portal.api"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.init_app(app)
