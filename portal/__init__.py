"""GD Catalog Search portal: the Flask application factory."""
from __future__ import annotations

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
        SECRET_KEY=settings.secret_key,
    )
    if test_config:
        app.config.from_mapping(test_config)

    from portal import errors, es, health

    es.init_app(app)
    errors.init_app(app)
    health.init_app(app)
    _init_optional(app)
    return app


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
