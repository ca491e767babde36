"""The portal's pages: one blueprint per area. Views call ``portal.search.queries`` and render templates;
they never build a query themselves."""
from __future__ import annotations

from flask import Flask

from indexer.schemas.fields import allowed_link


def init_app(app: Flask) -> None:
    from portal.views import dataset, feeds, home, insights, language, organization, search, widget

    for area in (home, search, dataset, organization, language, widget, feeds, insights):
        app.register_blueprint(area.bp)
    app.jinja_env.globals.update(
        search_url=search.search_url, has_endpoint=lambda name: name in app.view_functions,
        facet_title=search.facet_title, same_page_url=language.same_page_url,
        # Records indexed before the rule, or loaded as canonical records, may still hold other schemes.
        allowed_link=allowed_link,
    )
