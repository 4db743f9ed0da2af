"""Rapport: the completeness check, building the report and downloading HTML, Excel, Word and JSON."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request, send_file, url_for

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import count_noun
from slutrapport.pipeline import build_project
from slutrapport.pipeline.status import build_refusal
from slutrapport.web.views.common import back, needs_project, project_check, project_root, show_error, state
from slutrapport.web.workspace import heading_overview

__all__ = ["blueprint", "OUTPUTS"]

blueprint = Blueprint("rapport", __name__, url_prefix="/rapport")

#: The files build writes, with a Swedish description; only these can be downloaded.
OUTPUTS = {
    "rapport.html": "Rapporten som webbsida (skriv ut som PDF från webbläsaren)",
    "rapport.docx": "Rapporten i Word",
    "rapport.xlsx": "Rapportens tabeller i Excel",
    "rapport.json": "Maskinläsbar sammanställning för finansiären",
    "bilaga.html": "Bilagan med de fullständiga tabellerna som webbsida",
    "bilaga.docx": "Bilagan med de fullständiga tabellerna i Word",
    "jamforelse.csv": "Jämförelsetabellen (CSV)",
    "forandringar.csv": "Förändringar mellan enkäterna (CSV)",
    "reliabilitet.csv": "Cronbachs alfa per index (CSV)",
}
_TYPES = {
    ".html": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".csv": "text/csv",
}
# The report is self-contained: its own <style> and embedded images, no script.
_REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"


def _folder():
    return project_root() / "rapport"


@blueprint.get("")
@needs_project
def index():
    check = project_check()
    headings = heading_overview(project_root(), check=check)
    required = [h for h in headings if h.required]
    files = [(name, text, (_folder() / name).stat()) for name, text in OUTPUTS.items() if (_folder() / name).is_file()]
    return render_template(
        "rapport.html.j2",
        headings=headings,
        inputs=check.inputs,
        refusal=build_refusal(check.inputs),
        input_pages=_input_pages(),
        filled=sum(h.status == "ifylld" for h in required),
        required=len(required),
        files=files,
    )


def _input_pages() -> dict[str, str]:
    """The page where each input is uploaded and checked."""
    pages = {"personalenkat": url_for("enkater.index")}
    for source in current_app.extensions["slutrapport_sources"]:
        pages[source.id] = url_for("kallor.index", source_id=source.id)
        for slot in source.files:
            pages.setdefault(slot.key[0], pages[source.id])
    return pages


@blueprint.post("/bygg")
@needs_project
def build():
    refusal = build_refusal(project_check().inputs)
    if refusal:  # the words the page shows above the button
        flash(refusal, "fel")
        return back("rapport.index")
    try:
        outcome = build_project(
            project_root(),
            out=_folder(),
            force=request.form.get("skriv_over") == "ja",
            draft=request.form.get("utkast") == "ja",
            surveys=state().surveys,
        )
        flash(f"Rapporten är byggd: {count_noun(len(outcome.paths), 'fil', 'filer')} i {_folder()}.", "ok")
        if outcome.warnings:
            flash(
                f"{count_noun(len(outcome.warnings), 'varning', 'varningar')} vid inläsningen (de står också i rapportens metodavsnitt):\n"
                + ValidationReport(list(outcome.warnings)).to_text(limit=10),
                "info",
            )
    except SlutrapportError as exc:
        show_error(exc)
    return back("rapport.index")


@blueprint.get("/fil/<name>")
@needs_project
def download(name: str):
    if name not in OUTPUTS or not (_folder() / name).is_file():
        abort(404)
    inline = request.args.get("visa") == "ja" and name == "rapport.html"
    response = send_file(
        _folder() / name,
        mimetype=_TYPES[name[name.rindex(".") :]],
        as_attachment=not inline,
        download_name=name,
        max_age=0,
    )
    if inline:
        response.headers["Content-Security-Policy"] = _REPORT_POLICY
    return response
