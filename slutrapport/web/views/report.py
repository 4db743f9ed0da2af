"""Rapport: the completeness check, building the report and downloading HTML, Excel, Word and JSON."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, render_template, request, send_file, url_for

from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import count_noun
from slutrapport.pipeline import build_project
from slutrapport.pipeline.status import build_refusal
from slutrapport.web.views.common import back, needs_project, project_check, project_root, state
from slutrapport.web.workspace import heading_overview

__all__ = ["blueprint", "OUTPUTS", "BUILD_JOB"]

BUILD_JOB = "bygg"

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
    job = _build_job()
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
        job=job,
    )


def _input_pages() -> dict[str, str]:
    """The page where each input is uploaded and checked."""
    pages = {"personalenkat": url_for("enkater.index")}
    for source in current_app.extensions["slutrapport_sources"]:
        pages[source.id] = url_for("kallor.index", source_id=source.id)
        for slot in source.files:
            pages.setdefault(slot.key[0], pages[source.id])
    return pages


def _build_work(root, out, force: bool, draft: bool, surveys):
    """The report build as a job's work (:mod:`slutrapport.web.jobs`): its messages in place of the page's flashes."""

    def work(progress) -> list:
        outcome = build_project(root, out=out, force=force, draft=draft, surveys=surveys, progress=progress)
        messages = [("ok", f"Rapporten är byggd: {count_noun(len(outcome.paths), 'fil', 'filer')} i {out}.")]
        if outcome.warnings:
            messages.append(
                (
                    "info",
                    f"{count_noun(len(outcome.warnings), 'varning', 'varningar')} vid inläsningen (de står också i rapportens metodavsnitt):\n"
                    + ValidationReport(list(outcome.warnings)).to_text(limit=10),
                )
            )
        return messages

    return work


@blueprint.post("/bygg")
@needs_project
def build():
    """Start the build in the background (or join the running one) and go back to the page, which shows its progress."""
    refusal = build_refusal(project_check().inputs)
    wants_json = request.accept_mimetypes.best == "application/json"  # the page's script
    if refusal:  # the words the page shows above the button
        flash(refusal, "fel")
        return jsonify(klar=True, ladda_om=True) if wants_json else back("rapport.index")
    work = _build_work(project_root(), _folder(), request.form.get("skriv_over") == "ja", request.form.get("utkast") == "ja", state().surveys)
    job, _started = state().jobs.start(project_root(), BUILD_JOB, work)
    if wants_json:
        return jsonify(job.status() | {"adress": url_for("jobb.status", job_id=job.id)})
    return back("rapport.index")


def _build_job():
    """The running build (the page shows its steps), else None after flashing the messages of a finished one not shown yet.

    Whether it runs is read once: a build that ends while the page renders is still shown as running, and
    the page's script (or the page's reload) then shows its messages.
    """
    job = state().jobs.latest(project_root(), BUILD_JOB)
    if job is None or job.running:
        return job
    if not job.shown:
        job.shown = True
        for kind, text in job.messages:
            flash(text, kind)
    return None


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
