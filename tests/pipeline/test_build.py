"""Building writes exactly the files it names, and refuses an edited output before doing the work."""

from __future__ import annotations

import shutil

import pytest

from slutrapport.core.errors import OutputError
from slutrapport.pipeline import build as build_module
from slutrapport.pipeline import build_project, compare_files, sample_project_dir
from slutrapport.pipeline import results as results_module
from slutrapport.pipeline.build import COMPARE_FILES, REPORT_FILES
from tests.conftest import SAMPLE_WAVES


def test_the_demo_build_wrote_exactly_the_report_files(demo_dir):
    written = {p.name for p in demo_dir.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert written == set(REPORT_FILES)


def test_compare_wrote_exactly_the_compare_files(sample_compare):
    written = {p.name for p in sample_compare.folder.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert written == set(COMPARE_FILES)


def _no_analysis(*_args, **_kwargs):
    raise AssertionError("the analysis ran although the output folder would be refused")


def test_an_edited_report_is_refused_before_the_project_is_analysed(tmp_path, demo_dir, monkeypatch):
    out = tmp_path / "rapport"
    shutil.copytree(demo_dir, out, ignore=shutil.ignore_patterns("portfolj"))
    (out / "forandringar.csv").write_text("ändrad av användaren", encoding="utf-8")
    monkeypatch.setattr(results_module, "analyse_project", _no_analysis)  # build_project imports it when it runs
    with pytest.raises(OutputError, match="forandringar.csv"):
        build_project(sample_project_dir(), out=out)
    assert (out / "forandringar.csv").read_text(encoding="utf-8") == "ändrad av användaren"


def test_an_edited_comparison_is_refused_before_the_files_are_read(tmp_path, sample_compare, monkeypatch):
    out = tmp_path / "jamforelse"
    shutil.copytree(sample_compare.folder, out)
    (out / "jamforelse.html").write_text("<p>egen</p>", encoding="utf-8")
    monkeypatch.setattr(build_module, "read_waves", _no_analysis)
    with pytest.raises(OutputError, match="jamforelse.html"):
        compare_files("samverkan", SAMPLE_WAVES, out=out)
