"""Swedish for people: the demo's report (html, docx, xlsx) names no internal file, YAML key or cell reference.

Every page the web tests render is checked the same way by the test client
(``tests/web/test_web.py``, ``Browser.page``, with :mod:`tests.web.plain_language`).
"""

from __future__ import annotations

import openpyxl
import pytest
from docx import Document

from slutrapport.core.plainwords import for_people
from slutrapport.core.swedish import count_noun
from tests.web.plain_language import plain_problems, visible_text


def test_the_demo_report_is_written_for_people(demo_dir):
    html = (demo_dir / "rapport.html").read_text(encoding="utf-8")
    assert not plain_problems(visible_text(html), html)
    document = Document(str(demo_dir / "rapport.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n" + "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert not plain_problems(text)


def test_the_demo_workbook_is_written_for_people(demo_dir):
    workbook = openpyxl.load_workbook(demo_dir / "rapport.xlsx", read_only=True)
    for sheet in workbook.worksheets:
        cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if isinstance(value, str)]
        # the data sheets name questions by id in their own column (a documented column, like fraga): only prose is checked
        prose = "\n".join(c for c in cells if " " in c)
        found = [p for p in plain_problems(prose) if not p.startswith("frågans id")]
        assert not found, (sheet.title, found)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("kolumn 'Formulär!C63': tom", "kolumn ”blad Formulär, rad 63”: tom"),
        ("frågan implementering_text (”Vad behöver hända …”) är obesvarad", "frågan ”Vad behöver hända …” är obesvarad"),
        ("närmast liknande fråga: q09 'Jag vet vem jag ska kontakta'", "närmast liknande fråga 9, ”Jag vet vem jag ska kontakta”"),
        ("ange den under deltagare: kolumner: i projekt.yaml om den heter något annat", "ange den i projektfilen om den heter något annat"),
        ("kategorisering saknas (i projekt.yaml: kompetenssatsning: kategorisering:)", "kategorisering saknas"),
        ('rubrikerna "Kön" och "Ålder"', "rubrikerna ”Kön” och ”Ålder”"),
        ("Vet ej räknas inte", "Vet ej räknas inte"),
    ],
)
def test_messages_are_reworded_for_people(message, expected):
    assert for_people(message) == expected


def test_plural_forms():
    assert [count_noun(n, "fil", "filer") for n in (0, 1, 2)] == ["0 filer", "1 fil", "2 filer"]
    assert count_noun(1, "varning", "varningar") == "1 varning"
