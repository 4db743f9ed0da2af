"""The Flask application: pages, security checks, template helpers and Swedish error pages."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.plainwords import for_people
from slutrapport.core.swedish import count_noun
from slutrapport.project.uploaded import rename_text
from slutrapport.render.jinja import add_block_helpers, html_finalize
from slutrapport.web import security
from slutrapport.web.sources import SOURCES, DataSource
from slutrapport.web.state import WebState

__all__ = ["create_app", "DEFAULT_MAX_UPLOAD", "STATE", "SOURCES_KEY"]

DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
STATE, SOURCES_KEY = "slutrapport", "slutrapport_sources"

_ERRORS = {
    400: ("Felaktig begäran", "Sidan fick en begäran den inte förstod."),
    403: ("Åtkomst nekad", "Den här sidan kräver nyckeln som skrevs ut när servern startades."),
    404: ("Sidan finns inte", "Adressen finns inte på den här servern."),
    405: ("Fel metod", "Den här adressen kan inte användas så."),
    413: ("Filen är för stor", "Det du laddade upp är större än gränsen för uppladdningar."),
}


class _Flask(Flask):
    """Flask with autoescaping for every template (ours are named ``*.html.j2``)."""

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        return True


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} kB"


def create_app(
    project_dir: Path | None = None,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    token: str | None = None,
    sources: tuple[DataSource, ...] | None = None,
    start_dir: Path | None = None,
) -> Flask:
    """The web application for ``project_dir`` (None: the user opens or creates one on the first page).

    ``max_upload`` is the largest request in bytes; ``token`` the access token
    (a new random one when None, see ``app.config["SLUTRAPPORT_TOKEN"]``);
    ``sources`` the data-source pages (default :data:`~.sources.SOURCES`).
    """
    token = token or secrets.token_urlsafe(32)
    app = _Flask(__name__, static_folder="static", template_folder="templates")
    app.secret_key = secrets.token_bytes(32)
    app.config.update(MAX_CONTENT_LENGTH=max_upload, SLUTRAPPORT_TOKEN=token, TEMPLATES_AUTO_RELOAD=False)
    security.install(app, token)

    state = WebState(project=None, start_dir=Path(start_dir or Path.cwd()).resolve())
    if project_dir is not None:
        if (Path(project_dir) / "projekt.yaml").is_file():
            state.open(Path(project_dir))
        else:
            state.suggested_new = Path(project_dir).resolve()
    app.extensions[STATE] = state
    app.extensions[SOURCES_KEY] = tuple(SOURCES if sources is None else sources)

    env = app.jinja_env
    env.trim_blocks = env.lstrip_blocks = True
    env.finalize = html_finalize
    add_block_helpers(env)
    env.filters["size"] = _megabytes
    env.filters["antal"] = count_noun
    # a message as a person reads it: the files by their own names, no YAML keys, ids or cell references
    env.filters["egna_namn"] = lambda text: for_people(rename_text(str(text), state.names())) if text else text

    from slutrapport.web.views import register

    register(app)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        title, text = _ERRORS.get(exc.code or 500, ("Fel", "Något gick fel."))
        if exc.code == 413:
            text += f" Gränsen är {_megabytes(app.config['MAX_CONTENT_LENGTH'])} (ändra den med --max-upload)."
        detail = exc.description if exc.code == 403 and isinstance(exc.description, str) and not exc.description.startswith("You") else None
        bare = exc.code == 403  # no project details for a request without the key
        page = render_template("fel.html.j2", title=title, text=text, detail=detail, code=exc.code, bare=bare)
        return page, exc.code or 500

    @app.errorhandler(SlutrapportError)
    def _user_error(exc: SlutrapportError):
        return render_template("fel.html.j2", title="Det gick inte", text=str(exc), detail=None, code=422), 422

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("Oväntat fel vid %s", request.path)
        text = (
            f"Ett oväntat fel inträffade ({type(exc).__name__}). Ingenting har skickats någonstans. "
            "Försök igen, och rapportera felet om det upprepas."
        )
        return render_template("fel.html.j2", title="Oväntat fel", text=text, detail=None, code=500), 500

    @app.context_processor
    def _context():
        return {"state": state, "sources": app.extensions[SOURCES_KEY], "Markup": Markup}

    return app
