"""Charts people can read: at most five series per chart or panel, n under every chart, a text alternative
with the chart's numbers (or the table that has them), and one colour-blind-safe palette for every chart.

The demo project's report model is built once for the module (analysis only, nothing written)."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text

from slutrapport.pipeline.demo import sample_project_dir
from slutrapport.pipeline.results import analyse_project
from slutrapport.portfolio import charts as forest_charts
from slutrapport.portfolio.model import ForestChart, ForestRow
from slutrapport.project.folder import load_project
from slutrapport.render import charts
from slutrapport.render.chart_canvas import TextRun
from slutrapport.report.build import project_report
from slutrapport.report.charting import MAX_SERIES, describe, line_panels, panel_series, series_count
from slutrapport.report.model import CHARTS, BarChart, Chart, DivergingChart, GroupedBarChart, StackedChart, Subsection, Table

WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]


def _blocks(blocks):
    for block in blocks:
        if isinstance(block, Subsection):
            yield from _blocks(block.blocks)
        else:
            yield block


@pytest.fixture(scope="module")
def demo_report():
    project = load_project(sample_project_dir())
    return project_report(project, analyse_project(project))


@pytest.fixture(scope="module")
def demo_charts(demo_report) -> list[tuple[object, list]]:
    """Every chart of the demo's report with the blocks of the subsection it stands in."""
    found = []

    def visit(blocks):
        for block in blocks:
            if isinstance(block, Subsection):
                visit(block.blocks)
            elif isinstance(block, CHARTS):
                found.append((block, blocks))

    for section in demo_report.sections:
        visit(section.blocks)
    return found


def test_every_chart_of_the_demo_has_at_most_five_series_per_panel(demo_charts):
    kinds = {type(chart) for chart, _ in demo_charts}
    assert {Chart, DivergingChart, BarChart, GroupedBarChart} <= kinds and len(demo_charts) == 27  # + the places per period
    too_many = [(chart.title, series_count(chart)) for chart, _ in demo_charts if series_count(chart) > MAX_SERIES]
    assert too_many == []
    # the self-evaluation's eleven sections are small multiples, one panel per section
    selfeval = next(chart for chart, _ in demo_charts if chart.title.startswith("Självvärdering"))
    assert selfeval.data["grupp"].nunique() == 11 and len(selfeval.panels) == 11 and panel_series(selfeval) == [1] * 11


def test_every_chart_of_the_demo_says_n_and_where_its_values_are(demo_charts):
    for chart, beside in demo_charts:
        assert chart.n_text.startswith("n = ") and chart.alt, chart.title
        if isinstance(chart, BarChart):  # each bar is labelled with its amount, and the text alternative gives all three
            assert chart.alt.count("\u00a0kr") == 3 and "avslutade deltagare" in chart.n_text
            continue
        captions = [block.caption for block in beside if isinstance(block, Table)]
        assert chart.values_table in captions, chart.title  # the table beside the chart gives its values
        assert f"Värdena står i tabellen ”{chart.values_table}”." in chart.alt


def test_the_index_charts_text_alternative_and_n_give_the_numbers(demo_charts):
    chart = next(chart for chart, _ in demo_charts if isinstance(chart, Chart) and chart.reference == "Alla")
    alla = chart.data[chart.data["grupp"] == "Alla"]
    # n per wave of Alla, as the table beside it has them
    expected = " och ".join(f"{int(n)} ({wave})" for wave, n in zip(alla["enkat"], alla["n"], strict=True)).replace(" och ", ", ", len(alla) - 2)
    assert chart.n_text.startswith(f"n = {expected} för Alla")
    first = alla.iloc[0]
    assert f"Alla: {first['enkat']} {first['value']:.1f} (n = {int(first['n'])})".replace(".", ",") in chart.alt


def _chart(groups: int, trend: bool = True) -> Chart:
    names = ["Alla"] + [f"Organisation {i}" for i in range(1, groups)]
    rows = [(g, w, 3 + 0.1 * i + 0.05 * j, 20 + i, 2.5 + 0.1 * i, 3.6 + 0.1 * i + 0.1 * j) for i, g in enumerate(names) for j, w in enumerate(WAVES)]
    data = pd.DataFrame(rows, columns=["grupp", "enkat", "value", "n", "low", "high"])
    line = pd.DataFrame({"enkat": WAVES, "value": [3.1, 3.2, 3.3], "low": [3.0, 3.1, 3.2], "high": [3.2, 3.3, 3.4], "test": "trend_lmm"})
    chart = Chart("Index A: medelvärde per enkät och grupp", data, WAVES, "Medelvärde", 1, 5, trend=line if trend else None,
                  panels=line_panels(names, "Alla", trend), reference="Alla")  # fmt: skip
    return describe(chart, "Index A: indexvärde per grupp och enkät")


def test_more_lines_than_five_become_small_multiples_with_alla_in_each():
    assert line_panels(["Alla", "A", "B", "C"], "Alla", trend=True) == [["Alla", "A", "B", "C"]]  # four lines and the trend
    assert line_panels(["Alla", "A", "B", "C", "D"], "Alla", trend=True) == [["Alla"], ["Alla", "A"], ["Alla", "B"], ["Alla", "C"], ["Alla", "D"]]
    assert line_panels(["Alla", "A", "B", "C", "D"], "Alla", trend=False) == [["Alla", "A", "B", "C", "D"]]
    assert line_panels(list("ABCDEF"), None) == [[g] for g in "ABCDEF"]
    chart = _chart(12)
    assert panel_series(chart) == [2] + [2] * 11  # Alla with its trend; each organisation with Alla
    # many groups: the text alternative names the panels and gives Alla's values, the table has the rest
    assert "Ett litet diagram per grupp (12 st)" in chart.alt and "Alla är en grå jämförelselinje" in chart.alt
    assert "Alla: Enkät 1 3,0 (n = 20)" in chart.alt and "Organisation 3: " not in chart.alt
    assert chart.alt.endswith("Värdena står i tabellen ”Index A: indexvärde per grupp och enkät”.")


def test_small_multiples_draw_one_panel_per_group_with_its_n(monkeypatch):
    seen: list = []
    real = charts._png

    def spy(fig) -> bytes:
        for child in fig.axes[0].get_children():  # the texts of the panels: text runs and any plain text, in order
            if isinstance(child, TextRun):
                seen.extend(child.texts())
            elif isinstance(child, Text):
                seen.append((*child.get_position(), child.get_text()))
        return real(fig)

    monkeypatch.setattr(charts, "_png", spy)
    charts.forget_drawings()
    assert charts.chart_png(_chart(12)).startswith(b"\x89PNG")
    texts = [text for _, _, text in seen if text]
    # one panel per group, named over it: Alla and eleven organisations in three rows of four
    assert [t for t in texts if t == "Alla" or t.startswith("Organisation")] == ["Alla"] + [f"Organisation {i}" for i in range(1, 12)]
    # the n of each wave under each panel (Alla's 20, Organisation 11's 31), in the order of the waves
    counts = [t for t in texts if t.isdigit()]
    assert len(counts) == 12 * 3 and counts[:3] == ["20", "20", "20"] and counts[-3:] == ["31", "31", "31"]
    x_of = {}
    for x, _, text in seen:
        x_of.setdefault(text, []).append(x)
    assert [x_of["20"][i] for i in range(3)] == [0, 1, 2]  # under the waves of the first panel
    # the waves' names once under the lowest panel of each column, the value axis beside each row's first panel
    assert texts.count("Enkät 1") == 4 and texts.count("Medelvärde") == 3 and texts.count("n") == 3


def _colours(fig) -> set[str]:
    """Every colour the chart's data is drawn in (lines, markers, bars, bands, texts in the axes)."""
    found: set[str] = set()
    for ax in fig.axes:
        for line in ax.lines:
            found |= {to_hex(line.get_color()), to_hex(line.get_markerfacecolor())}
        for patch in ax.patches:
            found.add(to_hex(patch.get_facecolor(), keep_alpha=False))
        for collection in ax.collections:
            found |= {to_hex(c, keep_alpha=False) for c in [*collection.get_facecolors(), *collection.get_edgecolors()]}
        for text in ax.texts:
            found.add(to_hex(text.get_color()))
        for run in ax.get_children():
            if isinstance(run, TextRun):
                found |= {to_hex(colour) for colour in run.colours()}
    return {colour.upper() for colour in found}


def _drawn(draw, chart, monkeypatch) -> set[str]:
    """The colours of the figure ``draw(chart)`` saves (as PNG through ``charts._png`` or ``Figure.savefig``)."""
    seen: list[set[str]] = []
    real_png, real_savefig = charts._png, Figure.savefig

    def png(fig):
        seen.append(_colours(fig))
        return real_png(fig)

    def savefig(fig, *args, **kwargs):
        seen.append(_colours(fig))
        return real_savefig(fig, *args, **kwargs)

    monkeypatch.setattr(charts, "_png", png)
    monkeypatch.setattr(Figure, "savefig", savefig)
    charts.forget_drawings()
    draw(chart)
    monkeypatch.setattr(charts, "_png", real_png)
    monkeypatch.setattr(Figure, "savefig", real_savefig)
    return seen[0]


def test_every_chart_takes_its_colours_from_the_one_palette(demo_charts, monkeypatch):
    allowed = {c.upper() for c in (*charts.PALETTE, *charts.NEUTRALS)}
    examples = [chart for chart, _ in demo_charts if isinstance(chart, (BarChart, DivergingChart))][:2]
    examples += [_chart(3), _chart(12), StackedChart("Roll", ["A", "B", "C"], [("Enkät 1", [0.6, 0.2, 0.2], 40)])]
    for chart in examples:
        chart.png = None
        colours = _drawn(charts.chart_png, chart, monkeypatch)
        palette = allowed | ({c.upper() for c in charts.diverging_colours(len(chart.categories))} if isinstance(chart, DivergingChart) else set())
        assert colours and colours <= palette, (chart.title, colours - palette)
    # the diverging scale runs from the palette's vermillion through grey to its blue
    assert charts.diverging_colours(5)[0] == charts.PALETTE[1] and charts.diverging_colours(5)[-1] == charts.PALETTE[0]
    assert charts.diverging_colours(5)[2] in charts.NEUTRALS
    # the portfolio's forest chart too, its flagged row with a marker of its own
    rows = [ForestRow("P1", 0.1, 0.0, 0.2), ForestRow("P2", -0.2, -0.3, -0.1, flagged=True)]
    colours = _drawn(forest_charts.forest_png, ForestChart("Förändring", rows, "Procentenheter", "säkerställd minskning"), monkeypatch)
    assert {charts.PALETTE[0], charts.PALETTE[1]} <= colours <= allowed, colours - allowed


def test_line_labels_are_black_text_beside_the_lines_own_marker(monkeypatch):
    chart = _chart(4)
    seen: list = []
    real = charts._png

    def spy(fig) -> bytes:
        ax = fig.axes[0]
        seen.extend((text.get_text(), to_hex(text.get_color())) for text in ax.texts)
        assert ax.get_legend() is None
        return real(fig)

    monkeypatch.setattr(charts, "_png", spy)
    charts.forget_drawings()
    charts.chart_png(chart)
    assert [text for text, _ in seen] == ["Alla (n 20, 20, 20)", "Organisation 1 (n 21, 21, 21)", "Organisation 2 (n 22, 22, 22)",
                                          "Organisation 3 (n 23, 23, 23)"]  # fmt: skip
    assert {colour for _, colour in seen} == {"#000000"}


def test_a_certain_change_is_marked_with_an_arrow_not_only_with_its_p_value(demo_report):
    tables = [b for s in demo_report.sections for b in _blocks(s.blocks) if isinstance(b, Table) and "förändringar mellan enkäterna" in b.caption]
    assert tables
    marks = []
    for table in tables:
        labels = [c.label for c in table.columns]
        assert labels[-1] == "Säkerställd" and any(note.startswith("Säkerställd: ↑ ja = statistiskt säkerställd ökning") for note in table.notes)
        family, p_corr, effect, test = labels.index("Familj"), labels.index("p (justerat)"), labels.index("Effekt"), labels.index("Test")
        for row in table.rows:
            certain = str(row[family]).startswith("primär") and row[p_corr] is not None and row[p_corr] < 0.05
            marks.append(row[-1])
            assert (row[-1] != "nej") == certain, row
            if certain and row[test] in ("Wilcoxons teckenrangtest", "Mann–Whitneys U-test"):  # a rank test's direction is its r's sign
                assert row[-1] == ("↑ ja" if row[effect] > 0 else "↓ ja"), row
    assert {"↑ ja", "nej"} <= set(marks) or {"↓ ja", "nej"} <= set(marks)  # the demo has certain changes and others
