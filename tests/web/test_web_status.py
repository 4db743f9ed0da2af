"""The Texter and Rapport pages show the statuses ``slutrapport check`` computes, for the demo and for a new project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from slutrapport.pipeline import check_project
from slutrapport.pipeline.status import MISSING, OPTIONAL, build_refusal, heading_detail, heading_status
from slutrapport.project.folder import init_project
from slutrapport.web import create_app
from tests.conftest import SAMPLES
from tests.web.test_web import TOKEN, Browser


def _statuses(page: str, prefix: str) -> dict[str, str]:
    rows = re.findall(rf'<tr[^>]*data-testid="{prefix}-([^"]+)">(.*?)</tr>', page, re.S)
    return {key: re.search(r'data-status="([^"]+)"', row).group(1) for key, row in rows}


@pytest.fixture(params=["demo", "nytt"])
def folder(request, tmp_path) -> Path:
    root = tmp_path / request.param
    if request.param == "demo":
        shutil.copytree(SAMPLES, root)
    else:
        init_project(root)
    return root


def test_texter_and_rapport_pages_show_the_statuses_of_check(folder, tmp_path):
    check = check_project(folder)
    expected = {h.id: heading_status(h) for h in check.headings}
    browser = Browser(create_app(folder, token=TOKEN, start_dir=tmp_path))
    texter, rapport = browser.page("/texter"), browser.page("/rapport")
    assert _statuses(texter, "rubrik") == expected
    assert _statuses(rapport, "rubrik") == expected
    assert _statuses(rapport, "indata") == {i.id: i.status for i in check.inputs}
    for heading in check.headings:  # the words beside the badge are check's words too
        row = re.search(rf'data-testid="rubrik-{heading.id}">(.*?)</tr>', texter, re.S).group(1)
        assert heading_detail(heading).split(";")[0].replace("”", "") in row.replace("”", "")


@pytest.mark.parametrize("template, socioeconomic", [("rar-slutrapport", OPTIONAL), ("extern-utvardering", MISSING)])
def test_a_new_project_has_no_contradicting_badges(tmp_path, template, socioeconomic):
    root = tmp_path / "nytt"
    init_project(root, template)
    check = check_project(root)
    inputs = {i.id: i for i in check.inputs}
    # the socio-economic calculation is optional unless the template's headings need it (the evaluation's do)
    assert inputs["socioekonomi"].status == socioeconomic
    assert inputs["personalenkat"].status == MISSING
    assert {heading_status(h) for h in check.headings if not h.required} <= {OPTIONAL, "ifylld"}
    for heading in check.headings:
        detail = heading_detail(heading)
        assert not (heading_status(heading) == "ifylld" and "text saknas" in detail), detail
    assert build_refusal(check.inputs) is None  # nothing has errors: a draft can be built


def test_the_demo_with_a_broken_survey_file_refuses_the_build_in_the_pages_words(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(SAMPLES, root)
    (root / "enkater" / "enkat2_microsoft_forms.xlsx").write_bytes(b"Organisation,Kod\nAF,1\n")
    check = check_project(root)
    refusal = build_refusal(check.inputs)
    assert refusal and refusal.startswith("Rapporten kan inte byggas förrän felen i indata är rättade. Personalenkät:")
    assert "slutrapport validate" not in refusal  # no command for the page's reader
    browser = Browser(create_app(root, token=TOKEN, start_dir=tmp_path))
    assert _statuses(browser.page("/rapport"), "indata")["personalenkat"] == "fel"
