"""The HTML table body is written in Python (``table_rows``), as the template wrote it: a row heading first,
each cell formatted by its kind, hidden cells as "–", every text cleaned and escaped."""

from __future__ import annotations

from slutrapport.render.html import render_html
from slutrapport.render.jinja import table_parts, table_rows
from slutrapport.report.model import COUNT, MEAN, PROTECTED, Column, Hidden, Report, Section, Table


def _table(rows: int = 3) -> Table:
    columns = [Column("Grupp"), Column("n", COUNT), Column("Medel", MEAN)]
    body = [["<b>Org</b> & \x0bA", 12, 3.25], ["Soc", Hidden(PROTECTED), None]] + [[f"G{i}", i, 2.0] for i in range(rows - 2)]
    return Table("Tabell", columns, body)


def test_rows_are_cells_formatted_cleaned_and_escaped():
    html = str(table_rows(_table(), [0, 1, 2]))
    first, second, third = html.split("    </tr>\n")[:3]
    assert first == (  # the vertical tab a space
        '    <tr>\n<th scope="row">&lt;b&gt;Org&lt;/b&gt; &amp;  A</th><td class="count">12</td><td class="mean">3,2</td>'
    )
    assert second == '    <tr>\n<th scope="row">Soc</th><td class="count">–</td><td class="mean"></td>'
    assert third.endswith('<td class="mean">2,0</td>')
    assert table_rows(_table(), [0, 2]).count("<td") == 3  # one part of a table: only its columns


def test_a_table_of_thousands_of_rows_is_rendered_whole():
    table = _table(3000)
    section = Section("resultat", "1", "Resultat", blocks=[table], expects_text=False)
    html = render_html(Report("Rapport", "", {}, [section], "2026-01-01"))
    assert html.count("<tr>") == 3001 and html.count('<th scope="row">') == 3000
    assert table_parts(table) == [[0, 1, 2]]
