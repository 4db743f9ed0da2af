"""Safe output: writers never leave their folder, and hostile texts (control characters, `$`, 300-character names) never break a file."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from matplotlib.text import Text
from openpyxl import load_workbook

from slutrapport.analysis.describe import CONTRACT_COLUMNS
from slutrapport.core.errors import OutputError
from slutrapport.core.outputs import MANIFEST, OutputFolder, safe_path, write_bytes_atomic, write_text_atomic
from slutrapport.core.safetext import FORBIDDEN_CHARACTERS, collect_repairs
from slutrapport.render import charts as charts_module
from slutrapport.render import comparison_csv, render_bundle, render_docx, render_excel, render_html
from slutrapport.render.chart_canvas import TextRun
from slutrapport.report.model import COUNT, MEAN, Chart, Column, DivergingChart, Paragraphs, Report, Section, Table, TextList
from tests.conftest import write_csv

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes exist on POSIX only")

# -- output paths -----------------------------------------------------------------------------------

ABSOLUTE = "<absolut>"  # stands for the absolute path of tmp_path / "utanfor.txt"
ESCAPING_NAMES = ["../utanfor.txt", "sub/../../utanfor.txt", "..\\utanfor.txt", "..", "", ".", ABSOLUTE]


def _writers(root: Path):
    """Every way the package writes an output file, as (name, call(name))."""
    return [
        ("OutputFolder.check", lambda name: OutputFolder(root).check([name])),
        ("OutputFolder.write", lambda name: OutputFolder(root).write(name, b"data")),
        ("write_bytes_atomic", lambda name: write_bytes_atomic(root / name, b"data", inside=root)),
        ("write_text_atomic", lambda name: write_text_atomic(root / name, "data", inside=root)),
    ]


@pytest.mark.parametrize("name", ESCAPING_NAMES)
def test_every_writer_refuses_a_name_that_leaves_the_folder(tmp_path, name):
    root = tmp_path / "ut"
    name = str(tmp_path / "utanfor.txt") if name == ABSOLUTE else name
    for writer, call in _writers(root):
        with pytest.raises(OutputError) as caught:
            call(name)
        message = str(caught.value)
        assert ("pekar ut ur mappen" in message or "inte en hel sökväg" in message), (writer, message)
        assert "Utdatafilen" in message and str(root) in message
    assert not (tmp_path / "utanfor.txt").exists()
    assert not root.exists() or not any(root.iterdir())


def test_odd_names_are_clear_errors(tmp_path):
    root = tmp_path / "ut"
    for _writer, call in _writers(root):
        with pytest.raises(OutputError, match="otillåtet tecken"):
            call("a\x00b.html")
    with pytest.raises(OutputError, match="otillåtet tecken"):
        write_bytes_atomic(root / "a\x00b.html", b"x")
    (root / "slinga").parent.mkdir(parents=True, exist_ok=True)
    (root / "slinga").symlink_to(root / "slinga")
    with pytest.raises(OutputError, match="Utdatafilen"):
        OutputFolder(root).check(["slinga/a.html"])


def test_a_name_inside_the_folder_is_written(tmp_path):
    root = tmp_path / "ut"
    folder = OutputFolder(root)
    folder.check(["figurer/a.png", "rapport.html", "./b.csv"])
    assert folder.write("figurer/a.png", b"png") == root / "figurer" / "a.png"
    assert write_text_atomic(root / "c.txt", "å", inside=root).read_text(encoding="utf-8") == "å"
    assert write_bytes_atomic(Path("d.txt"), b"d", inside=root) == root / "d.txt"  # relative to the folder
    (tmp_path / "lank").symlink_to(root, target_is_directory=True)
    resolved = (tmp_path / "lank").resolve() / "e.txt"  # the folder given through a link, the file resolved
    assert write_bytes_atomic(resolved, b"e", inside=tmp_path / "lank") == tmp_path / "lank" / "e.txt"
    assert json.loads((root / MANIFEST).read_text(encoding="utf-8")).keys() == {"figurer/a.png"}


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    root, outside = tmp_path / "ut", tmp_path / "annan"
    root.mkdir()
    outside.mkdir()
    (root / "lank").symlink_to(outside, target_is_directory=True)
    (root / "rapport.html").symlink_to(outside / "rapport.html")
    for writer, call in _writers(root):
        for name in ("lank/rapport.html", "rapport.html"):
            with pytest.raises(OutputError, match="hamnar utanför mappen") as caught:
                call(name)
            assert str(outside) in str(caught.value), writer
    assert list(outside.iterdir()) == []
    (root / "inne").mkdir()
    (root / "till-inne").symlink_to(root / "inne", target_is_directory=True)
    assert safe_path(root, "till-inne/a.txt") == root / "till-inne" / "a.txt"  # a link that stays inside is fine


def test_a_directory_where_a_file_is_expected_is_a_clear_error(tmp_path):
    root = tmp_path / "ut"
    (root / "rapport.html").mkdir(parents=True)
    for _writer, call in _writers(root):
        with pytest.raises(OutputError, match=r"rapport\.html är en mapp, men här ska en fil skrivas"):
            call("rapport.html")
    with pytest.raises(OutputError, match="är en mapp"):
        write_bytes_atomic(root / "rapport.html", b"x")  # without a folder to stay in, too
    assert (root / "rapport.html").is_dir()


def test_the_form_written_to_a_directory_is_a_clear_error(tmp_path):
    from slutrapport.pipeline.build import write_form

    target = tmp_path / "formular.xlsx"
    target.mkdir()
    with pytest.raises(OutputError, match=r"formular\.xlsx är en mapp"):
        write_form(target)


@posix_only
def test_a_pipe_in_the_output_folder_is_refused_without_waiting(tmp_path):
    root = tmp_path / "ut"
    root.mkdir()
    os.mkfifo(root / "rapport.html")
    os.mkfifo(root / MANIFEST)
    caught: list[BaseException] = []

    def run() -> None:
        try:
            OutputFolder(root).check(["rapport.html"])  # reading the manifest or the file would wait for a writer
        except OutputError as exc:
            caught.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "a pipe was opened"
    assert caught and "ingen vanlig fil (en namngiven pipe)" in str(caught[0])


# -- hostile texts ----------------------------------------------------------------------------------

BAD = "Org $A$ och $B$\x0bX\x01"
LONG = "Projektet för ett bättre samarbete mellan kommunen och regionen " * 5  # 320 characters
CLEAN_LONG = LONG.strip()


def _hostile_report() -> Report:
    data = pd.DataFrame(
        {"grupp": ["Alla", BAD, "Alla", BAD], "enkat": ["Start $x$", "Start $x$", "Slut\x0b", "Slut\x0b"],
         "value": [3.0, 3.5, 3.4, 4.0], "n": [10, 5, 10, 5], "low": [2.5, 3.0, 2.9, 3.5], "high": [3.5, 4.0, 3.9, 4.5]}
    )  # fmt: skip
    line = Chart("Index $x$ per enkät\x0b", data, ["Start $x$", "Slut\x0b"], "Medel $\\frac$", 1, 5)
    bars = DivergingChart("Fråga $\\alpha\x0b", ["Inte $alls$", "Helt\x0b"], [(BAD, [0.4, 0.6], 5)], None)
    table = Table(BAD, [Column(BAD), Column("n", COUNT), Column("Medel", MEAN, BAD)], [[BAD, 5, 3.5], ["fri\x0btext\ud800", 6, 4.0]], notes=[BAD])
    sections = [
        Section("inledning", "1", LONG + "\x0b", narrative="Text med vertikal tabb\x0boch $A$."),
        Section("resultat", "2", BAD, blocks=[table, line, bars, TextList(BAD, [BAD, "svar\x1f"]), Paragraphs([BAD])]),
        Section("resultat2", "3", LONG + " igen"),
    ]
    tidy = pd.DataFrame({"grupp": [BAD], "text": ["fri\x0btext"], "n": [5]})
    return Report(title=LONG + BAD, subtitle=BAD, facts={"Projekt": LONG, BAD: BAD}, sections=sections, generated="2026-01-31",
                  template_name=BAD, tables={"jamforelse": tidy})  # fmt: skip


def _all_texts(value) -> str:
    return value if isinstance(value, str) else ""


def test_excel_holds_the_hostile_texts_with_short_sheet_names_and_whole_titles():
    book = load_workbook(io.BytesIO(render_excel(_hostile_report())))
    names = book.sheetnames
    assert all(len(name) <= 31 for name in names) and len(set(names)) == len(names)
    assert names[0].startswith("1 Projektet") and names[0].endswith("…")
    assert book.worksheets[0]["A1"].value.rstrip() == f"1 {CLEAN_LONG}"  # the full title in the cell
    assert len(book.properties.title) <= 255 and book.properties.title.endswith("…")
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(FORBIDDEN_CHARACTERS.search(t) for t in texts)
    assert "Org $A$ och $B$ X" in texts and "fri text" in texts


def test_sheet_names_from_hostile_titles_are_allowed_by_excel():
    from openpyxl import Workbook

    from slutrapport.render.xlsx import sheet_name

    used: set[str] = set()
    titles = [LONG + "\x0b[]:*?/\\", "Org\x0bA\nB", "History", "'\x01'", "x" * 300, "x" * 300]
    names = [sheet_name(title, used) for title in titles]
    assert names[1] == "Org A B" and names[2] == "History (2)" and names[3] == "Blad"  # Excel keeps "History" for itself
    assert names[4] == "x" * 30 + "…" and names[5] == "x" * 27 + " (2)"
    assert all(0 < len(name) <= 31 and not FORBIDDEN_CHARACTERS.search(name) and not set(name) & set("[]:*?/\\") for name in names)
    book = Workbook()
    for name in names:
        book.create_sheet(name)
    assert load_workbook(io.BytesIO(_saved(book))).sheetnames[1:] == names


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_word_holds_the_hostile_texts_and_a_long_title_fits_its_property():
    document = Document(io.BytesIO(render_docx(_hostile_report())))
    title = document.core_properties.title
    assert len(title) <= 255 and title.endswith("…") and CLEAN_LONG.startswith(title[:-1].rstrip())
    paragraphs = [p.text.rstrip() for p in document.paragraphs]
    assert paragraphs[0] == LONG + "Org $A$ och $B$ X"  # the title page keeps the whole name
    assert f"1 {CLEAN_LONG}" in paragraphs and "Text med vertikal tabb och $A$." in paragraphs
    assert not any(FORBIDDEN_CHARACTERS.search(p) for p in paragraphs)


def test_html_csv_and_bundle_hold_the_hostile_texts():
    report = _hostile_report()
    html = render_html(report)
    html.encode("utf-8")  # no lone surrogate left
    assert not FORBIDDEN_CHARACTERS.search(html)
    assert "Org $A$ och $B$ X" in html and CLEAN_LONG in html
    table = pd.DataFrame([{column: None for column in CONTRACT_COLUMNS} | {"grupp": BAD, "text": "a\ud800\x0bb", "n": 5}])
    csv = comparison_csv(table).decode("utf-8")
    assert "Org $A$ och $B$ X" in csv and "a b" in csv and not FORBIDDEN_CHARACTERS.search(csv.replace("\n", ""))
    report.title = "Titel\ud800"
    assert json.loads(render_bundle(report).decode("utf-8"))["projekt"]["titel"] == "Titel\ufffd"


def test_every_writer_reports_its_repairs_once():
    report = _hostile_report()
    with collect_repairs() as repairs:
        render_excel(report)
        render_docx(report)
        render_html(report)
    distinct = repairs.count
    assert 0 < distinct < 20
    warning = repairs.warning("rapport")
    assert warning is not None and "vertikal tabb U+000B" in warning.meddelande
    with collect_repairs() as again:  # the same texts written once more are the same repairs
        render_excel(report)
        render_excel(report)
    assert 0 < again.count <= distinct


# -- charts -----------------------------------------------------------------------------------------


def _drawn_texts(chart, monkeypatch) -> list[tuple[str, bool]]:
    """Every text the chart's figure drew: (what is shown, whether it is mathtext)."""
    seen: list[tuple[str, bool]] = []
    real_png = charts_module._png

    def spy(fig) -> bytes:
        png = real_png(fig)  # draws the figure: the tick labels are set
        for text in fig.findobj(Text):
            if text.get_text():
                seen.append(text._preprocess_math(text.get_text()))
        for run in fig.findobj(TextRun):  # the texts a chart writes many of
            seen.extend(run.shown())
        return png

    monkeypatch.setattr(charts_module, "_png", spy)
    charts_module.forget_drawings()  # drawn anew, not taken from the cache of drawings
    assert charts_module.chart_png(chart)[:8] == b"\x89PNG\r\n\x1a\n"
    return seen


@pytest.mark.parametrize("kind", ["line", "bars"])
def test_chart_texts_with_dollars_and_control_characters_are_drawn_literally(kind, monkeypatch):
    report = _hostile_report()
    chart = next(b for b in report.sections[1].blocks if isinstance(b, Chart if kind == "line" else DivergingChart))
    texts = _drawn_texts(chart, monkeypatch)
    assert texts and not any(is_math for _, is_math in texts)
    shown = "\n".join(text for text, _ in texts)
    assert not FORBIDDEN_CHARACTERS.search(shown)
    expected = ["Org $A$ och $B$ X", "Index $x$ per enkät", "Start $x$", "Medel $\\frac$"] if kind == "line" else [
        "Org $A$ och $B$ X (n = 5)", "Fråga $\\alpha", "Inte $alls$"]  # fmt: skip
    for text in expected:
        assert text in shown, (text, shown)


def test_a_long_name_on_a_chart_is_shortened_and_the_text_alternative_keeps_it(monkeypatch):
    data = pd.DataFrame({"grupp": [LONG], "enkat": ["A"], "value": [3.0], "n": [5]})
    chart = Chart(LONG, data, ["A"], "Medel", 1, 5)
    texts = [text for text, _ in _drawn_texts(chart, monkeypatch)]
    assert max(len(line) for text in texts for line in text.split("\n")) <= 80
    assert CLEAN_LONG in charts_module.chart_alt_text(chart)


# -- the command line, end to end --------------------------------------------------------------------


def test_compare_with_control_characters_and_dollars_in_names_and_free_text(tmp_path, mini_instrument):
    from click.testing import CliRunner

    from slutrapport.cli import cli

    rows = [[f"Org $A$ och $B$\x0b{'x' * 300}" if i % 2 else "Annan org", f"k{i}", i % 5 + 1, (i + 1) % 5 + 1, (i + 2) % 5 + 1,
             f"Fritext $x$ med\x0bvertikal tabb och \x01 {i}"] for i in range(20)]  # fmt: skip
    later = [[*row[:2], row[3], row[4], row[2], row[5]] for row in rows]  # another wave's answers
    waves = [write_csv(tmp_path / "start.csv", rows), write_csv(tmp_path / "slut.csv", later)]
    out = tmp_path / "ut"
    args = ["compare", "--instrument", str(mini_instrument), *map(str, waves), "--labels", "Start $x$,Slut\x0b", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "oväntat fel" not in result.output
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} >= {"jamforelse.xlsx", "jamforelse.html", "jamforelse.csv"}
    book = load_workbook(out / "jamforelse.xlsx")
    assert all(len(name) <= 31 for name in book.sheetnames)
    html = (out / "jamforelse.html").read_text(encoding="utf-8")
    assert "Org $A$ och $B$" in html and "data:image/png;base64," in html and not FORBIDDEN_CHARACTERS.search(html)
