"""Texter: one editor per template heading, with help text, Markdown preview and completeness badge."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, abort, flash, jsonify, render_template, request

from slutrapport.project.edit import EditConflict
from slutrapport.project.folder import read_narrative
from slutrapport.project.texts import read_text, save_text
from slutrapport.render.html import markdown_to_html
from slutrapport.web.views.common import back, needs_project, project_check, project_root, state
from slutrapport.web.workspace import HeadingStatus, heading_blocks, heading_overview

__all__ = ["blueprint"]

blueprint = Blueprint("texter", __name__, url_prefix="/texter")


def _overview() -> list[HeadingStatus]:
    return heading_overview(project_root(), check=project_check())


def _heading(heading_id: str) -> HeadingStatus:
    for heading in _overview():
        if heading.id == heading_id:
            return heading
    abort(404)


def _preview(text: str):
    """The text as the report will show it: help comments removed, Markdown with raw HTML escaped."""
    return markdown_to_html(_strip_comments(text))


def _strip_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).strip()


@blueprint.get("")
@needs_project
def index():
    headings = _overview()
    required = [h for h in headings if h.required]
    return render_template(
        "texter.html.j2",
        headings=headings,
        filled=sum(h.status == "ifylld" for h in required),
        required=len(required),
    )


def _generated(heading: HeadingStatus) -> list:
    """The tables, charts and sentences the program puts under the heading, from the cached analyses (shown beside the editor)."""
    if not heading.blocks:
        return []
    web = state()
    return web.cached("rubrikblock", lambda: heading_blocks(project_root(), heading.blocks, web.results()), heading.blocks)


def _editor(heading: HeadingStatus, text: str, version: str, conflict: EditConflict | None = None, preview=None, status: int = 200):
    return (
        render_template(
            "text.html.j2",
            heading=heading,
            text=text,
            version=version,
            conflict=conflict,
            preview=preview if preview is not None else _preview(text),
            generated=_generated(heading),
        ),
        status,
    )


def _swedish_time() -> str:
    """The time now as HH:MM in Swedish time (the computer's own zone when the zone data is missing)."""
    try:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%H:%M")
    except Exception:  # no tz database on this computer
        return datetime.now().strftime("%H:%M")


@blueprint.get("/<heading_id>")
@needs_project
def edit(heading_id: str):
    heading = _heading(heading_id)
    current = read_text(project_root(), heading.id)
    return _editor(heading, current.text, current.version)


@blueprint.post("/<heading_id>")
@needs_project
def save(heading_id: str):
    heading = _heading(heading_id)
    text = request.form.get("text", "")
    version = request.form.get("version", "")
    if request.form.get("action") == "forhandsgranska":
        return _editor(heading, text, version)
    try:
        save_text(project_root(), heading.id, text, version)
    except EditConflict as conflict:
        return _editor(heading, text, conflict.version, conflict=conflict, status=409)
    saved = read_narrative(project_root() / "texter" / f"{heading.id}.md")
    flash(f"Texten under ”{heading.title}” är sparad." + ("" if saved else " Den är tom, så rubriken saknar fortfarande text."), "ok")
    return back("texter.edit", heading_id=heading.id)


@blueprint.post("/<heading_id>/autospara")
@needs_project
def autosave(heading_id: str):
    """Save the editor's text while the user types (JSON); a text changed on disk is never overwritten (409)."""
    heading = _heading(heading_id)
    try:
        version = save_text(project_root(), heading.id, request.form.get("text", ""), request.form.get("version", ""))
    except EditConflict as conflict:
        message = (
            "Texten har ändrats på disken sedan du öppnade den, så den sparas inte automatiskt längre. "
            "Din text finns kvar här: klicka på Spara för att jämföra de två versionerna."
        )
        return jsonify(ok=False, konflikt=True, meddelande=message, version=conflict.version), 409
    now = _swedish_time()
    return jsonify(ok=True, version=version, sparad=now, meddelande=f"Sparat {now}")


@blueprint.post("/forhandsvisning")
@needs_project
def preview():
    """The Markdown preview as an HTML fragment (fetched by the editor's script)."""
    return str(_preview(request.form.get("text", ""))), 200, {"Content-Type": "text/html; charset=utf-8"}
