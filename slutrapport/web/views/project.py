"""Projekt: open or create a project folder and edit the project facts in ``projekt.yaml``."""

from __future__ import annotations

import contextlib
from pathlib import Path

from flask import Blueprint, flash, render_template, request

from slutrapport.core.errors import ProjectError, SlutrapportError
from slutrapport.project.edit import (
    FACT_FIELDS,
    GOAL_FIELDS,
    GOAL_MEASURES,
    GOAL_POPULATIONS,
    LIST_FACTS,
    add_goal,
    goal_details,
    project_version,
    read_project_data,
    remove_goal,
    update_facts,
)
from slutrapport.project.folder import PROJECT_FILE, init_project, load_project
from slutrapport.project.templates import DEFAULT_TEMPLATE, template_summaries
from slutrapport.web.views.common import back, form_version, parse_index, show_error, state

__all__ = ["blueprint"]

blueprint = Blueprint("projekt", __name__)
_MAX_LISTED = 30


def _nearby_projects() -> list[Path]:
    """Project folders directly under the folder the server was started in (and that folder itself)."""
    start = state().start_dir
    found = [start] if (start / PROJECT_FILE).is_file() else []
    with contextlib.suppress(OSError):
        found += sorted(p for p in start.iterdir() if p.is_dir() and (p / PROJECT_FILE).is_file())
    return found[:_MAX_LISTED]


def _facts_form(data: dict) -> dict[str, str]:
    info = data.get("projekt") if isinstance(data.get("projekt"), dict) else {}
    form = {key: "" if info.get(key) is None else str(info.get(key)) for key in FACT_FIELDS}
    for key in LIST_FACTS:
        value = info.get(key)
        form[key] = "\n".join(str(v) for v in value) if isinstance(value, list) else str(value or "")
    period = info.get("period") if isinstance(info.get("period"), dict) else {}
    form["start"] = str(period.get("start") or "")
    form["slut"] = str(period.get("slut") or "")
    return form


_GOAL_FIELDS = ("mal", "matt", "population", *GOAL_FIELDS)  # every kind's fields (kategorier, malvarde, kon, …)


@blueprint.get("/")
@blueprint.get("/projekt")
def index():
    return _page()


def _page(facts: dict[str, str] | None = None, goal: dict[str, str] | None = None, status: int = 200):
    """The Projekt page; ``facts``/``goal`` are what the user sent when saving it failed, shown again in the forms."""
    web = state()
    context: dict = {
        "templates": template_summaries(),
        "default_template": DEFAULT_TEMPLATE,
        "nearby": _nearby_projects(),
        "fact_fields": FACT_FIELDS,
        "list_facts": LIST_FACTS,
        "project": None,
        "problem": None,
        "form": None,
        "new_folder": str(web.suggested_new or ""),
        "goal_form": goal or {},
    }
    if web.has_project:
        root = web.project
        try:
            context["project"] = load_project(root)
        except SlutrapportError as exc:
            context["problem"] = str(exc)
        try:
            data = read_project_data(root)
            context["form"] = facts if facts is not None else _facts_form(data)
            goals = [g for g in data.get("mal") or [] if isinstance(g, dict)] if isinstance(data.get("mal"), list) else []
            context["goals"] = [g | {"detaljer": goal_details(g)} for g in goals]
            context["goal_measures"], context["goal_populations"] = GOAL_MEASURES, GOAL_POPULATIONS
            context["version"] = project_version(root)
        except ProjectError as exc:
            context["problem"] = context["problem"] or str(exc)
    return render_template("projekt.html.j2", **context), status


def _folder(text: str) -> Path:
    text = text.strip()
    if not text:
        raise ProjectError("Ange en mapp.")
    path = Path(text).expanduser()
    return (path if path.is_absolute() else state().start_dir / path).resolve()


@blueprint.post("/projekt/oppna")
def open_project():
    try:
        folder = _folder(request.form.get("mapp", ""))
        if not (folder / PROJECT_FILE).is_file():
            raise ProjectError(f"Hittar ingen {PROJECT_FILE} i {folder}. Skapa ett nytt projekt där i stället.")
        state().open(folder)
        flash(f"Projektet i {folder} är öppnat.", "ok")
    except SlutrapportError as exc:
        show_error(exc)
    return back("projekt.index")


@blueprint.post("/projekt/skapa")
def create_project():
    try:
        folder = _folder(request.form.get("mapp", ""))
        init_project(folder, request.form.get("mall") or DEFAULT_TEMPLATE)
        state().open(folder)
        state().suggested_new = None
        flash(f"Projektet är skapat i {folder}. Fyll i uppgifterna nedan.", "ok")
    except SlutrapportError as exc:
        show_error(exc)
    return back("projekt.index")


@blueprint.post("/projekt/uppgifter")
def save_facts():
    if not state().has_project:
        return back("projekt.index")
    fields = [*FACT_FIELDS, *LIST_FACTS, "start", "slut"]
    sent = {k: request.form.get(k, "") for k in fields}
    try:
        kept = update_facts(state().project, form_version(), sent)
        flash("Projektuppgifterna är sparade i projektfilen.", "ok")
        if not kept:
            flash("projekt.yaml hade en uppställning som inte kunde ändras rad för rad; filen skrevs om och kommentarerna försvann.", "info")
    except SlutrapportError as exc:
        show_error(exc)
        return _page(facts=sent, status=422)  # what the user typed stays in the form
    return back("projekt.index")


@blueprint.post("/projekt/mal")
def save_goal():
    if not state().has_project:
        return back("projekt.index")
    sent = {k: request.form.get(k, "") for k in _GOAL_FIELDS}
    try:
        if request.form.get("action") == "ta-bort":
            position = parse_index(request.form.get("mal_nr"))
            if position is None:
                raise ProjectError("Välj ett mål att ta bort.")
            remove_goal(state().project, form_version(), position)
            flash("Målet är borttaget ur projektfilen.", "ok")
        else:
            add_goal(state().project, form_version(), sent)
            flash("Målet är sparat i projektfilen; måluppfyllelsen räknas när rapporten byggs.", "ok")
    except SlutrapportError as exc:
        show_error(exc)
        if request.form.get("action") != "ta-bort":
            return _page(goal=sent, status=422)  # the new goal stays in the form
    return back("projekt.index")
