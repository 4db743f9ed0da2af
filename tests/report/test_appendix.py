"""The report and its appendix (issue 19): what moves, how it is numbered and referred to, and the detail levels."""

from __future__ import annotations

import pandas as pd
import pytest

from slutrapport.project.templates import load_template
from slutrapport.render.jinja import table_parts
from slutrapport.report.appendix import APPENDIX_SUBTITLE, FULL, SUMMARY, split_report
from slutrapport.report.model import MEAN, Chart, Column, Paragraphs, Report, Section, Subsection, Table, TextList, for_appendix


def _table(caption: str, appendix: bool = False) -> Table:
    return Table(caption, [Column("Grupp"), Column("Medel", MEAN)], [["Alla", 3.5]], appendix=appendix)


def _chart(title: str) -> Chart:
    data = pd.DataFrame({"grupp": ["Alla"], "enkat": ["Enkät 1"], "value": [3.0], "n": [10]})
    return Chart(title, data, ["Enkät 1"], "Medelvärde", 1, 5)


def _report() -> Report:
    survey = [
        Subsection("I korthet", [Paragraphs(["Meningen."]), _table("Översikt")]),
        Subsection("Index A", [Paragraphs(["Om A."]), *for_appendix(_table("A per grupp"), _chart("A över tid"), _table("A test"))]),
        Subsection("Index B", [Paragraphs(["Om B."]), *for_appendix(_table("B per grupp"), _chart("B över tid"))]),
        Subsection("Fritextsvar", [TextList("Vad fungerar?", ["Bra."])], appendix=True),
    ]
    return Report(
        title="Projektet",
        subtitle="Slutrapport",
        facts={"Projektets namn": "Projektet"},
        sections=[
            Section("sammanfattning", "1", "Sammanfattning", narrative="Text."),
            Section("personalenkat", "2", "Resultat personalenkät", blocks=survey),
            Section("ekonomi", "3", "Ekonomisk redovisning", blocks=[_table("Budget"), *for_appendix(Paragraphs(["Metod."]))]),
        ],
        generated="2026-12-06",
        template_name="Mallen",
        tables={"jamforelse": pd.DataFrame({"a": [1]})},
    )


def _texts(blocks: list) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Subsection):
            out += [f"# {block.title}", *_texts(block.blocks)]
        elif isinstance(block, Paragraphs):
            out += block.texts
        elif isinstance(block, Table):
            out.append(f"T {block.caption}")
        elif isinstance(block, Chart):
            out.append(f"D {block.title}")
        elif isinstance(block, TextList):
            out.append(f"L {block.title}")
    return out


def test_marked_blocks_move_to_the_appendix_numbered_and_referred_to():
    report = _report()
    main, appendix = split_report(report, SUMMARY)
    assert _texts(main.sections[1].blocks) == [
        "# I korthet", "Meningen.", "T Översikt",
        "# Index A", "Om A.", "Se bilagan, tabell 1–2 och diagram 1.",
        "# Index B", "Om B.", "Se bilagan, tabell 3 och diagram 2.",
        "Se bilagan, avsnitt 2 (”Fritextsvar”).",
    ]  # fmt: skip
    assert _texts(main.sections[2].blocks) == ["T Budget", "Se bilagan, avsnitt 3 (mer text)."]
    assert [(s.number, s.title) for s in appendix.sections] == [("2", "Resultat personalenkät"), ("3", "Ekonomisk redovisning")]
    assert _texts(appendix.sections[0].blocks) == [
        "# Index A", "T Tabell 1. A per grupp", "D Diagram 1. A över tid", "T Tabell 2. A test",
        "# Index B", "T Tabell 3. B per grupp", "D Diagram 2. B över tid",
        "# Fritextsvar", "L Vad fungerar?",
    ]  # fmt: skip
    assert appendix.subtitle == APPENDIX_SUBTITLE and appendix.title == "Projektet" and not appendix.tables
    assert not any(s.expects_text for s in appendix.sections)
    # the full report is unchanged: the workbook and rapport.json are written from it
    assert _texts(report.sections[1].blocks)[4:6] == ["Om A.", "T A per grupp"]
    assert main.tables is report.tables and main.facts == report.facts


def test_at_the_detail_level_full_nothing_moves_and_the_appendix_says_so():
    report = _report()
    main, appendix = split_report(report, FULL)
    assert main is report
    assert [s.title for s in appendix.sections] == ["Bilaga"]
    assert "detaljnivån full" in appendix.sections[0].blocks[0].texts[0]


def test_a_report_with_nothing_to_move_has_an_appendix_that_says_so():
    report = Report("P", "", {}, [Section("a", "1", "A", blocks=[_table("T")])], "2026-12-06")
    main, appendix = split_report(report)
    assert _texts(main.sections[0].blocks) == ["T T"]
    assert "inga tabeller eller diagram" in appendix.sections[0].blocks[0].texts[0]


def test_the_shipped_templates_ask_for_the_summary():
    for template_id in ("rar-slutrapport", "socialstyrelsen-kompetens", "extern-utvardering"):
        assert load_template(template_id).detail == SUMMARY


def test_a_template_can_ask_for_the_full_report_and_a_wrong_level_is_refused(tmp_path):
    from slutrapport.core.errors import ProjectError

    folder = tmp_path / "mallar" / "egen"
    folder.mkdir(parents=True)
    body = "id: egen\nnamn: Egen\ndetaljniva: {level}\nrubriker:\n  - {{id: a, rubrik: A}}\n"
    (folder / "mall.yaml").write_text(body.format(level="full"), encoding="utf-8")
    assert load_template("egen", [tmp_path / "mallar"]).detail == FULL
    (folder / "mall.yaml").write_text(body.format(level="kort"), encoding="utf-8")
    with pytest.raises(ProjectError) as error:
        load_template("egen", [tmp_path / "mallar"])
    assert "detaljniva" in str(error.value) and "rad 3" in str(error.value)


def _wide(waves: int, per_wave: int, tail: int = 0) -> Table:
    columns = [Column("Grupp")]
    for wave in range(1, waves + 1):
        columns += [Column(f"c{i}", MEAN, f"Enkät {wave}") for i in range(per_wave)]
    columns += [Column(f"t{i}") for i in range(tail)]
    return Table("Bred", columns, [])


@pytest.mark.parametrize(
    "table, parts",
    [
        (_wide(2, 5), [list(range(11))]),  # 11 columns fit
        (_wide(3, 5), [list(range(11)), [0, 11, 12, 13, 14, 15]]),  # two waves, then the third with the row labels
        (_wide(3, 4, tail=1), [list(range(9)), [0, 9, 10, 11, 12, 13]]),  # a column after the waves goes with the last
        (_wide(1, 12), [list(range(13))]),  # one group wider than the limit stays whole
        (Table("Utan grupper", [Column(str(i)) for i in range(14)], []), [list(range(14))]),
    ],
)
def test_a_table_too_wide_for_the_page_is_drawn_in_parts_of_whole_waves(table, parts):
    assert table_parts(table) == parts


def test_the_flag_of_build_overrides_the_template(tmp_path):
    """``--detaljniva full`` over the template's ``sammanfattning`` (the demo, built once for the session, has the default)."""
    from click.testing import CliRunner

    from slutrapport.cli import cli

    project = tmp_path / "p"
    assert CliRunner().invoke(cli, ["init", str(project)]).exit_code == 0
    (project / "texter" / "sammanfattning.md").write_text("Vår sammanfattning.\n", encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["build", str(project), "--out", str(out), "--detaljniva", "full"])
    assert result.exit_code == 0, result.output
    assert "bilaga.html" in result.output and "bilaga.docx" in result.output
    assert "detaljnivån full" in (out / "bilaga.html").read_text(encoding="utf-8")
    assert "Vår sammanfattning." in (out / "rapport.html").read_text(encoding="utf-8")
    refused = CliRunner().invoke(cli, ["build", str(project), "--detaljniva", "kort"])
    assert refused.exit_code != 0 and "kort" in refused.output and "sammanfattning" in refused.output
