"""One blueprint per page: Projekt, Enkäter, Jämförelse, Texter, the data sources and Rapport."""

from __future__ import annotations

from flask import Flask

from slutrapport.web.views import comparison, jobs, project, report, sources, surveys, texts

__all__ = ["register", "NAVIGATION"]

#: (blueprint name, Swedish menu label) in menu order; the data sources come before Rapport.
NAVIGATION = (
    ("projekt", "Projekt"),
    ("enkater", "Enkäter"),
    ("jamforelse", "Jämförelse"),
    ("texter", "Texter"),
)


def register(app: Flask) -> None:
    for module in (project, surveys, comparison, texts, sources, report, jobs):
        app.register_blueprint(module.blueprint)
    app.jinja_env.globals["navigation"] = NAVIGATION
