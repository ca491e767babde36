"""``python -m portal``: serve the portal with waitress on ``GDC_HOST``:``GDC_PORT``."""
from __future__ import annotations

from waitress import serve

from indexer.settings import Settings
from portal import create_app
from portal.es import startup_check


def main() -> None:
    settings = Settings.from_env()
    host = settings.host
    print(f"GD Catalog Search: http://{host}:{settings.port}/  (index alias {settings.index}, Elasticsearch {settings.es_url})")
    startup_check(settings)
    serve(create_app(), host=host, port=settings.port, threads=8, ident="gdcatalog")


if __name__ == "__main__":
    main()
