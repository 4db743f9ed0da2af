"""The data-source pages (Självvärdering, Deltagare, Ekonomi …): one page pattern for every source.

See :mod:`slutrapport.web.sources` for how a source is described and switched on.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, render_template, request, send_file

from slutrapport.core.errors import ProjectError, SlutrapportError
from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import count_noun
from slutrapport.pipeline.blanks import BLANKS, blank_file
from slutrapport.project.edit import project_version, read_project_data
from slutrapport.project.uploads import remove_source_file, store_source_file, store_source_files
from slutrapport.web.files import file_key, file_rows
from slutrapport.web.sources import DataSource
from slutrapport.web.views.common import back, form_version, needs_project, parse_index, project_check, project_root, show_error, state, uploads
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


def _slot_files(root, slot, path: str) -> list[str]:
    """The files of a slot: the one file (when there), or the files in the slot's folder, as paths in the project."""
    target = root / path
    if not slot.folder:
        return [path] if target.is_file() else []
    if not target.is_dir():
        return []
    found = [f for f in sorted(target.iterdir()) if f.is_file() and not f.name.startswith((".", "~$")) and f.suffix.lower() != ".txt"]
    return [f"{path.rstrip('/')}/{f.name}" for f in found]


@blueprint.get("/<source_id>")
@needs_project
def index(source_id: str):
    source = _source(source_id)
    root = project_root()
    data = read_project_data(root)
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
    statuses = {s.id: s for s in project_check().inputs}
    slots = []
    for number, slot in enumerate(source.files):
        named = _named_path(data, slot.key)
        path = named or slot.default
        files = file_rows(root, _slot_files(root, slot, path), report, web.names())
        status = statuses.get(".".join(slot.key[:1]))
        slots.append({"number": number, "slot": slot, "path": path, "named": named is not None, "files": files, "status": status})
    return render_template(
        "kalla.html.j2",
        source=source,
        slots=slots,
        any_file=any(item["files"] for item in slots),
        problems=report.errors() + report.warnings(),
        errors=len(report.errors()),
        warnings=len(report.warnings()),
        built=built,
        problem=problem,
        columns=columns,
        choices=source.mapping.choices() if source.mapping is not None else [],
        version=project_version(root),
    )


@blueprint.post("/<source_id>/ta-bort")
@needs_project
def remove(source_id: str):
    source = _source(source_id)
    number = parse_index(request.form.get("fil"))
    slot = source.files[number] if number is not None and 0 <= number < len(source.files) else None
    if slot is None:
        abort(404)
    root = project_root()
    path = _named_path(read_project_data(root), slot.key) or slot.default
    chosen = [f for f in _slot_files(root, slot, path) if file_key(f) == request.form.get("nyckel")]
    try:
        if not chosen:
            raise ProjectError("Filen finns inte längre i projektet; ladda om sidan.")
        remove_source_file(root, form_version(), slot.key, chosen[0], slot.folder)
        flash("Filen är borttagen ur projektet. Den ligger i mappen papperskorg i projektmappen.", "ok")
    except SlutrapportError as exc:
        show_error(exc)
    return back("kallor.index", source_id=source.id)


@blueprint.get("/mall/<name>")
@needs_project
def blank(name: str):
    """A blank template for one of the sources' files, filled in with the project's organisations and periods."""
    if name not in BLANKS:
        abort(404)
    file_name, data = blank_file(project_root(), name)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=file_name, max_age=0)


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
        flash("Kolumnerna är kopplade. Valet är sparat i projektfilen; rubrikerna i filen ändras inte.", "ok")
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
            folder = store_source_files(
                project_root(), form_version(), slot.key, slot.default, [data for _, data in files], slot.kinds, [name for name, _ in files]
            )
            flash(f"{count_noun(len(files), 'fil', 'filer')} {'är sparad' if len(files) == 1 else 'är sparade'} i mappen {folder}.", "ok")
            return back("kallor.index", source_id=source.id)
        path = store_source_file(
            project_root(), form_version(), slot.key, slot.default, files[0][1], slot.kinds, request.form.get("ersatt") == "ja", files[0][0]
        )
        flash(f"{slot.label} är sparad som {path}." + (" Den gamla filen ligger i mappen papperskorg." if request.form.get("ersatt") == "ja" else ""), "ok")
    except SlutrapportError as exc:
        show_error(exc)
    return back("kallor.index", source_id=source.id)
