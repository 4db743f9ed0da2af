"""Enkäter: the survey waves, the instrument, the validation report and the fixes made on the page."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.problems import ValidationReport
from slutrapport.project.edit import project_version, read_project_data
from slutrapport.project.invited import invited_text, parse_invited
from slutrapport.project.survey import (
    KEEP,
    add_answer_aliases,
    add_column_mappings,
    add_waves,
    instrument_choices,
    move_wave,
    parse_wave_reading,
    remove_wave,
    replace_wave_file,
    set_instrument,
    store_instrument,
    store_wave_labels,
    update_wave,
)
from slutrapport.sources.survey.matching import UNUSED
from slutrapport.web.files import file_rows
from slutrapport.web.views.common import back, form_version, needs_project, parse_index, project_root, show_error, state, uploads
from slutrapport.web.workspace import SurveyFixes, survey_fixes

__all__ = ["blueprint"]

blueprint = Blueprint("enkater", __name__, url_prefix="/enkater")

#: what the file picker suggests; the type is checked from the content whatever the name
ACCEPT = ".csv,.txt,.tsv,.xlsx,.xlsm,.sav"
#: the label file's picker: LimeSurvey's survey structure (.lss) or a code list
ACCEPT_LABELS = ".lss,.xml,.csv,.txt,.xlsx"


def _waves(data: dict, names: dict[str, str]) -> list[dict]:
    survey = data.get("personalenkat") if isinstance(data.get("personalenkat"), dict) else {}
    raw = survey.get("enkater") if isinstance(survey.get("enkater"), list) else []
    waves = []
    for number, item in enumerate(raw, start=1):
        item = item if isinstance(item, dict) else {"fil": item}
        waves.append(
            {
                "fil": str(item.get("fil") or ""),
                "etikett": str(item.get("etikett") or f"Enkät {number}"),
                "datum": str(item.get("datum") or ""),
                "blad": str(item.get("blad") or ""),
                "rubrikrad": str(item.get("rubrikrad") or ""),
                "etiketter": str(item.get("etiketter") or ""),
                "etiketter_namn": names.get(str(item.get("etiketter") or ""), str(item.get("etiketter") or "").rsplit("/", 1)[-1]),
                "inbjudna": invited_text(item.get("inbjudna")),
            }
        )
    return waves


@blueprint.get("")
@needs_project
def index():
    root = project_root()
    data = read_project_data(root)
    web = state()
    try:
        fixes = web.cached("enkater", lambda: survey_fixes(root, web.surveys))
        problem = None
    except SlutrapportError as exc:
        fixes, problem = SurveyFixes(ValidationReport()), str(exc)
    survey = data.get("personalenkat") if isinstance(data.get("personalenkat"), dict) else {}
    report = fixes.report
    names = web.names()
    waves = _waves(data, names)
    pending = web.pending.get(request.args.get("vantande", ""))
    return render_template(
        "enkater.html.j2",
        waves=waves,
        wave_files=file_rows(root, [w["fil"] for w in waves], report, names),
        pending=dict(pending, token=request.args.get("vantande"), names=[n for n, _ in pending["files"]]) if pending else None,
        instrument=str(survey.get("instrument") or "samverkan"),
        choices=instrument_choices(root),
        fixes=fixes,
        target_names=_target_names(fixes.targets),
        unused=UNUSED,
        problems=report.errors() + report.warnings(),
        errors=len(report.errors()),
        warnings=len(report.warnings()),
        problem=problem,
        version=project_version(root),
        accept=ACCEPT,
        accept_labels=ACCEPT_LABELS,
    )


def _target_names(targets: list[tuple[str, str]]) -> dict[str, str]:
    """A question's name on the page: "Fråga 9" after its place in the instrument (never its id); background roles by role."""
    names, number = {}, 0
    for target, text in targets:
        if text.startswith("Bakgrund: "):
            names[target] = "Bakgrund"
        else:
            number += 1
            names[target] = f"Fråga {number}"
    return names


def _run(action, success: str) -> None:
    try:
        kept = action()
        flash(success, "ok")
        if kept is False:
            flash("projekt.yaml skrevs om och kommentarerna kunde inte behållas.", "info")
    except SlutrapportError as exc:
        show_error(exc)


@blueprint.post("/ladda-upp")
@needs_project
def upload():
    """Add the chosen files as waves; on an error the files and choices are kept for the next try (``vantande``)."""
    form = request.form
    files = uploads("filer")
    label_files = uploads("etikettfil")
    kept = state().take_pending(form.get("vantande"))
    if not files and kept:
        files = kept["files"]
        label_files = label_files or kept.get("label_files", [])
    position = parse_index(form.get("placering"))
    try:
        reading = parse_wave_reading(form.get("blad"), form.get("rubrikrad"))
        stored = add_waves(
            project_root(),
            form_version(),
            files,
            form.get("etikett", ""),
            form.get("datum", ""),
            reading=reading,
            label_file=label_files[0] if label_files else None,
            position=position,
        )
        flash(f"{_files(len(stored))} har lagts till. Kontrollen nedan visar om något behöver rättas.", "ok")
    except SlutrapportError as exc:
        show_error(exc)
        if files:
            upload = {"files": files, "label_files": label_files, "label": form.get("etikett", ""), "date": form.get("datum", ""), "position": position}
            return back("enkater.index", vantande=state().keep_pending(upload))
    return back("enkater.index")


def _files(count: int) -> str:
    return "1 enkätfil" if count == 1 else f"{count} enkätfiler"


@blueprint.post("/<int:index>/byt-fil")
@needs_project
def replace_file(index: int):
    files = uploads("fil")
    if len(files) != 1:
        flash("Välj filen som ska ersätta den gamla.", "fel")
        return back("enkater.index")
    _run(
        lambda: replace_wave_file(project_root(), form_version(), index, *files[0]) and None,
        "Filen är utbytt. Den gamla filen ligger i mappen papperskorg i projektmappen.",
    )
    return back("enkater.index")


@blueprint.post("/<int:index>/andra")
@needs_project
def change(index: int):
    form = request.form

    def change_wave():
        # the reading fields are on the page's form; a post without them leaves blad: and rubrikrad: as they are
        reading = parse_wave_reading(form.get("blad"), form.get("rubrikrad")) if "rubrikrad" in form or "blad" in form else None
        invited = parse_invited(form.get("inbjudna"), f"Enkät nr {index + 1}, inbjudna") if "inbjudna" in form else KEEP
        return update_wave(project_root(), form_version(), index, form.get("etikett", ""), form.get("datum", ""), reading, invited)

    _run(change_wave, "Enkäten är ändrad.")
    return back("enkater.index")


@blueprint.post("/<int:index>/etiketter")
@needs_project
def upload_labels(index: int):
    files = uploads("etikettfil")
    if len(files) != 1:
        flash("Välj en etikettfil (LimeSurvey .lss eller en kodlista) att ladda upp.", "fel")
        return back("enkater.index")
    _run(
        lambda: store_wave_labels(project_root(), form_version(), index, *files[0]) and None,
        "Etikettfilen är uppladdad och används när enkätfilen läses.",
    )
    return back("enkater.index")


@blueprint.post("/<int:index>/ta-bort")
@needs_project
def remove(index: int):
    _run(
        lambda: remove_wave(project_root(), form_version(), index),
        "Enkäten är borttagen ur projektet. Filen ligger i mappen papperskorg i projektmappen.",
    )
    return back("enkater.index")


@blueprint.post("/<int:index>/flytta")
@needs_project
def move(index: int):
    to = index - 1 if request.form.get("riktning") == "upp" else index + 1
    _run(lambda: move_wave(project_root(), form_version(), index, to), "Enkäten är flyttad.")
    return back("enkater.index")


@blueprint.post("/instrument")
@needs_project
def choose_instrument():
    _run(lambda: set_instrument(project_root(), form_version(), request.form.get("instrument", "")), "Instrumentet är valt.")
    return back("enkater.index")


@blueprint.post("/instrument/ladda-upp")
@needs_project
def upload_instrument():
    files = uploads("instrumentfil")
    if len(files) != 1:
        flash("Välj en instrumentfil (YAML) att ladda upp.", "fel")
        return back("enkater.index")
    _run(lambda: store_instrument(project_root(), form_version(), *files[0]) and None, "Instrumentet är uppladdat och valt.")
    return back("enkater.index")


def _pairs(prefix: str, value_prefix: str) -> list[tuple[str, str]]:
    """The rows of a fix form: ``prefix-N`` (what the file says) with ``value_prefix-N`` (the user's choice)."""
    rows = []
    for name, shown in request.form.items():
        if not name.startswith(prefix + "-"):
            continue
        number = parse_index(name.rsplit("-", 1)[1])
        choice = request.form.get(f"{value_prefix}-{number}", "").strip()
        if number is not None and choice:
            rows.append((shown, choice))
    return rows


@blueprint.post("/kolumner")
@needs_project
def map_columns():
    mapping = dict(_pairs("rubrik", "fraga"))
    if not mapping:
        flash("Välj en fråga för minst en kolumn.", "fel")
        return back("enkater.index")
    _run(
        lambda: add_column_mappings(project_root(), form_version(), mapping),
        ("1 kolumnkoppling är sparad" if len(mapping) == 1 else f"{len(mapping)} kolumnkopplingar är sparade") + " i projektfilen.",
    )
    return back("enkater.index")


@blueprint.post("/svar")
@needs_project
def map_answers():
    """Each chosen value under ``personalenkat: alias:``, on the scale the page named for the answer (``skala-N``)."""
    by_scale: dict[str, dict[str, int]] = {}
    for name, label in request.form.items():
        if not name.startswith("svar-"):
            continue
        row = parse_index(name.rsplit("-", 1)[1])
        value = parse_index(request.form.get(f"varde-{row}", "").strip())
        if row is not None and value is not None:
            by_scale.setdefault(request.form.get(f"skala-{row}", ""), {})[label] = value
    count = sum(len(labels) for labels in by_scale.values())
    if not count:
        flash("Välj ett skalvärde för minst ett svar.", "fel")
        return back("enkater.index")
    default = by_scale.pop("", {})
    _run(
        lambda: add_answer_aliases(project_root(), form_version(), default, by_scale),
        f"{count} svarsalternativ {'är sparat' if count == 1 else 'är sparade'} i projektfilen.",
    )
    return back("enkater.index")
