"""The data-source pages (Självvärdering, Deltagare, Ekonomi …): one page pattern for every source.

See :mod:`slutrapport.web.sources` for how a source is described and switched on.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.problems import ValidationReport
from slutrapport.project.edit import project_version, read_project_data
from slutrapport.project.uploads import store_source_file, store_source_files
from slutrapport.web.sources import DataSource
from slutrapport.web.views.common import back, form_version, needs_project, parse_index, project_root, show_error, state, uploads
from slutrapport.web.workspace import source_blocks

__all__ = ["blueprint"]

blueprint = Blueprint("kallor", __name__, url_prefix="/data")


def _source(source_id: str) -> DataSource:
    for source in current_app.extensions["slutrapport_sources"]:
        if source.id == source_id:
            return source
    abort(404)


def _named_path(data: dict, key: tuple[str, ...]) -> str | None:
    value = data
    for part in key:
        value = value.get(part) if isinstance(value, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


@blueprint.get("/<source_id>")
@needs_project
def index(source_id: str):
    source = _source(source_id)
    root = project_root()
    data = read_project_data(root)
    slots = []
    for number, slot in enumerate(source.files):
        named = _named_path(data, slot.key)
        path = named or slot.default
        if slot.folder:
            count = len([f for f in (root / path).glob("*") if f.is_file() and not f.name.startswith((".", "~$"))]) if (root / path).is_dir() else 0
            slots.append({"number": number, "slot": slot, "path": path, "named": named is not None, "exists": count > 0, "count": count})
        else:
            slots.append({"number": number, "slot": slot, "path": path, "named": named is not None, "exists": (root / path).is_file()})
    report, problem, columns = ValidationReport(), None, []
    web = state()
    try:
        if source.validate is not None:
            report = web.cached("kontroll", lambda: source.validate(root), source.id)
        if source.mapping is not None:
            columns = web.cached("kolumner", lambda: source.mapping.columns(root), source.id)
        built = web.cached("kalla", lambda: source_blocks(root, source.id, results=web.results()), source.id)
    except SlutrapportError as exc:
        built, problem = [], str(exc)
    return render_template(
        "kalla.html.j2",
        source=source,
        slots=slots,
        problems=report.errors() + report.warnings(),
        errors=len(report.errors()),
        warnings=len(report.warnings()),
        built=built,
        problem=problem,
        columns=columns,
        choices=source.mapping.choices() if source.mapping is not None else [],
        version=project_version(root),
    )


@blueprint.post("/<source_id>/kolumner")
@needs_project
def map_columns(source_id: str):
    source = _source(source_id)
    if source.mapping is None:
        abort(404)
    choices = {}
    for name, heading in request.form.items():
        number = parse_index(name.rsplit("-", 1)[1]) if name.startswith("rubrik-") else None
        if number is not None:
            choices[heading] = request.form.get(f"falt-{number}", "").strip()
    if not choices:
        flash("Det finns inga kolumner att koppla.", "fel")
        return back("kallor.index", source_id=source.id)
    try:
        kept = source.mapping.save(project_root(), form_version(), choices)
        flash(f"Kolumnerna är kopplade. Kopplingarna sparas i projekt.yaml under {source.mapping.key}", "ok")
        if kept is False:
            flash("projekt.yaml skrevs om och kommentarerna kunde inte behållas.", "info")
    except SlutrapportError as exc:
        show_error(exc)
    return back("kallor.index", source_id=source.id)


@blueprint.post("/<source_id>/ladda-upp")
@needs_project
def upload(source_id: str):
    source = _source(source_id)
    number = parse_index(request.form.get("fil"))
    files = uploads("filen")
    slot = source.files[number] if number is not None and 0 <= number < len(source.files) else None
    if slot is None or not files or (len(files) != 1 and not slot.folder):
        flash("Välj en fil att ladda upp.", "fel")
        return back("kallor.index", source_id=source.id)
    try:
        if slot.folder:
            folder = store_source_files(project_root(), form_version(), slot.key, slot.default, [data for _, data in files], slot.kinds)
            flash(f"{len(files)} fil(er) sparade i mappen {folder}.", "ok")
            return back("kallor.index", source_id=source.id)
        path = store_source_file(
            project_root(), form_version(), slot.key, slot.default, files[0][1], slot.kinds, request.form.get("ersatt") == "ja"
        )
        flash(f"{slot.label} är sparad som {path}.", "ok")
    except SlutrapportError as exc:
        show_error(exc)
    return back("kallor.index", source_id=source.id)
