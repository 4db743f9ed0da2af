"""Helpers shared by the pages: the state, the open project, uploads and messages."""

from __future__ import annotations

import functools
from pathlib import Path

from flask import current_app, flash, redirect, request, url_for

from slutrapport.core.errors import SlutrapportError
from slutrapport.web.state import WebState

__all__ = ["state", "project_root", "project_check", "needs_project", "uploads", "form_version", "show_error", "back", "parse_index"]


def state() -> WebState:
    return current_app.extensions["slutrapport"]


def project_root() -> Path:
    root = state().project
    assert root is not None
    return root


def project_check():
    """``slutrapport check`` of the open project (:func:`slutrapport.pipeline.check_project`), kept until an input changes."""
    from slutrapport.pipeline import check_project
    from slutrapport.web.state import fingerprint

    web = state()
    texts = fingerprint(project_root() / "texter")  # the texts are no input of the analyses, but of the check
    return web.cached("kontrollera", lambda: check_project(project_root(), results=web.results()), texts)


def needs_project(view):
    """Send the user to the Projekt page when no project is open yet."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not state().has_project:
            flash("Öppna eller skapa ett projekt först.", "info")
            return redirect(url_for("projekt.index"))
        return view(*args, **kwargs)

    return wrapper


def uploads(field: str) -> list[tuple[str, bytes]]:
    """The files sent in ``field`` as ``(name on the user's computer, bytes)``; empty file inputs are skipped."""
    files = []
    for storage in request.files.getlist(field):
        if not storage or not storage.filename:
            continue
        files.append((storage.filename, storage.read()))
    return files


def form_version() -> str:
    """The ``projekt.yaml`` version the page was rendered with."""
    return request.form.get("version", "")


def show_error(exc: SlutrapportError) -> None:
    flash(str(exc), "fel")


def back(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


def parse_index(text: str | None) -> int | None:
    try:
        return int(str(text))
    except (TypeError, ValueError):
        return None
