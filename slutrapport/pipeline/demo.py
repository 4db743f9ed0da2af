"""The bundled sample project and the demo built from it (``slutrapport demo``)."""

from __future__ import annotations

import tempfile
from importlib.resources import files
from pathlib import Path

from slutrapport.core.errors import ProjectError
from slutrapport.core.outputs import write_bytes_atomic
from slutrapport.pipeline.build import Outcome, build_portfolio, build_project
from slutrapport.pipeline.results import analyse_project
from slutrapport.project.folder import load_project
from slutrapport.render.bundle import render_bundle
from slutrapport.report.build import project_report

__all__ = ["sample_project_dir", "build_demo"]


def sample_project_dir() -> Path:
    """The bundled sample project: package data ``_data_samples`` in a wheel, ``data_samples/`` beside the package in a checkout."""
    package = Path(str(files("slutrapport")))
    for folder in (package / "_data_samples", package.parent / "data_samples"):
        if folder.is_dir():
            return folder
    raise ProjectError("Exempelprojektet (data_samples) saknas i installationen.")


def build_demo(out: Path = Path("demo-rapport"), force: bool = False, draft: bool = False, detail: str | None = None) -> Outcome:
    """Build the report and its appendix from the bundled sample project into ``out`` (``detail``: see
    :func:`~slutrapport.pipeline.build.build_project`), and a demo portfolio into ``out/portfolj``."""
    outcome = build_project(sample_project_dir(), out=out, force=force, draft=draft, detail=detail)
    portfolio = _demo_portfolio(Path(out), force)
    return Outcome(outcome.paths + portfolio.paths, outcome.warnings)


def _demo_portfolio(out: Path, force: bool) -> Outcome:
    """The sample project's bundle and two variants' (built in a temporary folder) as a portfolio."""
    from slutrapport.portfolio.demo import write_demo_variants

    with tempfile.TemporaryDirectory(prefix="slutrapport-demo-") as tmp:
        bundles = [out / "rapport.json"]
        for folder in write_demo_variants(Path(tmp), sample_project_dir()):
            project = load_project(folder)
            path = folder / "rapport" / "rapport.json"
            write_bytes_atomic(path, render_bundle(project_report(project, analyse_project(project))), inside=folder)
            bundles.append(path)
        return build_portfolio(bundles, out=out / "portfolj", force=force)
