"""The example instruments with several scales and question types, compared end to end with ``slutrapport compare``.

``data_samples/indikator.yaml`` (1–7, labelled end points only) has only scale
and free-text questions and is compared with today's reading and analysis.
``data_samples/blandad.yaml`` has every question type: its comparison needs
the reading of yes/no, choice and number answers and the analysis tables
``shares``/``share_tests``/``numeric``/``numeric_tests`` (issue 21), so those
tests are expected to fail until :class:`SurveyResults` has them, and must
pass from then on (``strict``).
"""

from __future__ import annotations

import importlib.util
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from slutrapport.analysis.survey import analyse_survey
from slutrapport.cli import cli
from slutrapport.report.blocks.survey import index_blocks
from slutrapport.report.model import Chart
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import SAMPLES


def _waves(name: str) -> list[Path]:
    return sorted((SAMPLES / name).glob("enkat*.csv"))


def _compare(name: str, out: Path):
    args = ["compare", "--instrument", str(SAMPLES / f"{name}.yaml"), *map(str, _waves(name)), "--out", str(out)]
    return CliRunner().invoke(cli, args)


def _text(page: str) -> str:
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&nbsp;", " ").replace("\u00a0", " ")


def test_the_generator_writes_the_committed_sample_files_byte_for_byte():
    spec = importlib.util.spec_from_file_location("generate_typer", SAMPLES / "generate_typer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.files()
    assert sorted(made) == [f"{name}/enkat{i}.csv" for name in ("blandad", "indikator") for i in (1, 2, 3)]
    for name, data in made.items():
        assert (SAMPLES / name).read_bytes() == data, name


def test_the_example_instruments_have_every_type_and_their_own_scales():
    mixed, indicator = load_instrument(SAMPLES / "blandad.yaml"), load_instrument(SAMPLES / "indikator.yaml")
    assert [q.kind for q in mixed.questions].count("skala") == 7
    assert {q.kind for q in mixed.questions} == {"skala", "janej", "enval", "flerval", "numerisk", "fritext"}
    assert mixed.index_scale("kontakt").label(1) == "Aldrig" and mixed.index_scale("installning").label(1) == "Instämmer inte alls"
    scale = indicator.scale
    assert (scale.min, scale.max, sorted(scale.positive)) == (1, 7, [5, 6, 7])
    assert [scale.label(v) for v in range(1, 8)] == ["Instämmer inte alls", "2", "3", "4", "5", "6", "Instämmer helt"]


@pytest.fixture(scope="module")
def indicator(tmp_path_factory):
    out = tmp_path_factory.mktemp("indikator") / "jamforelse"
    result = _compare("indikator", out)
    assert result.exit_code == 0, result.output
    return out


def test_the_indicator_survey_is_compared_with_its_end_point_labels_and_never_none(indicator):
    text = _text((indicator / "jamforelse.html").read_text(encoding="utf-8"))
    assert "None" not in text
    assert "Svaren ges på en skala från 1 (Instämmer inte alls) till 7 (Instämmer helt)" in text
    assert "Andel positiva är andelen svar 5–7 (7 = Instämmer helt)" in text
    assert "vars indexvärde är minst 5" in text
    assert "1 (Instämmer inte alls) 2 3 4 5 6 7 (Instämmer helt) n" in text  # the distribution table's header
    sheet = load_workbook(io.BytesIO((indicator / "jamforelse.xlsx").read_bytes()))["Resultat personalenkät"]
    assert not any(isinstance(c.value, str) and "None" in c.value for row in sheet.iter_rows() for c in row)


def test_the_indicator_surveys_trend_charts_span_its_seven_point_scale():
    results = analyse_survey(read_waves(_waves("indikator"), load_instrument(SAMPLES / "indikator.yaml")), 5)
    for index_id in results.survey.instrument.indices:
        chart = next(b for b in index_blocks(results, index_id) if isinstance(b, Chart))
        assert (chart.y_min, chart.y_max) == (1, 7)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    out = tmp_path_factory.mktemp("blandad") / "jamforelse"
    return out, _compare("blandad", out)


def test_the_mixed_survey_is_compared_with_a_section_for_every_question_type(mixed):
    out, result = mixed
    assert result.exit_code == 0, result.output
    text = _text((out / "jamforelse.html").read_text(encoding="utf-8"))
    for title in ("Ja/nej-frågor", "Frågor med ett svarsalternativ", "Frågor med flera svarsalternativ", "Frågor som besvaras med ett tal"):
        assert title in text
    assert "Andelen som svarade ja på ”Har du deltagit i en utbildning inom projektet?”" in text
    assert "Stapeldiagram: Vilken är din roll?" in (out / "jamforelse.html").read_text(encoding="utf-8")
    assert "summerar inte till 100 %" in text and "Nedre kvartil" in text
    assert "Aldrig Sällan Ibland Ofta Alltid n" in text  # the frequency index's distribution on its own scale
    assert "None" not in text
    workbook = load_workbook(io.BytesIO((out / "jamforelse.xlsx").read_bytes()))
    assert {"Data andelar", "Data andelstest", "Data talfrågor", "Data talfrågor test"} <= set(workbook.sheetnames)


def test_the_mixed_surveys_tables_hold_every_item_question():
    instrument = load_instrument(SAMPLES / "blandad.yaml")
    results = analyse_survey(read_waves(_waves("blandad"), instrument), 5)
    assert set(results.shares["fraga"]) == {"j01", "e01", "m01"}
    assert set(results.numeric["fraga"]) == {"n01"}
    assert {"j01", "e01", "m01"} <= set(results.share_tests["fraga"]) and set(results.numeric_tests["fraga"]) == {"n01"}
