"""The activity log (aktiviteter:): reading, counting and every problem named by file, row, column and value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from slutrapport.sources.activities.log import ActivityValidationError, activity_key, read_activities


def _log(folder: Path, text: str, name: str = "aktiviteter.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(folder: Path, spec, **kwargs) -> list:
    with pytest.raises(ActivityValidationError) as info:
        read_activities(spec, folder, **kwargs)
    assert "Aktivitetsloggen innehåller" in str(info.value)
    return info.value.report.errors()


def test_types_are_matched_folded_and_rows_count_their_antal(tmp_path):
    _log(
        tmp_path,
        "Datum;Typ;Antal;Kommentar\n2025-02-03;Informationsträff;;Medborgarhuset\n2025-03-03;informationstraff;;\n"
        "2025-04-01;Arbetsgivarkontakt;2;\n\n2025-09-01;arbetsgivar-kontakt;1;\n",
    )
    log = read_activities("aktiviteter.csv", tmp_path, date(2026, 6, 30), date(2025, 1, 1))
    assert log.count("informationsträff") == 2 and log.count("INFORMATIONSTRAFF") == 2
    assert log.count("arbetsgivarkontakt") == 3  # 2 + 1, the blank row skipped
    assert log.count("arbetsgivarkontakt", date(2025, 5, 1), date(2025, 12, 31)) == 1  # both days included
    assert log.count("utbildningsdag") == 0
    assert log.types() == {"informationstraff": "Informationsträff", "arbetsgivarkontakt": "Arbetsgivarkontakt"}
    assert [p.meddelande for p in log.report.problems if p.allvar == "info"] == ["kolumnerna Kommentar används inte"]
    assert activity_key(" Utbildnings_dag ") == "utbildningsdag"


def test_an_xlsx_log_with_own_headings(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["När", "Vad"])
    sheet.append([date(2025, 3, 1), "Utbildningsdag"])
    book.save(tmp_path / "logg.xlsx")
    log = read_activities({"fil": "logg.xlsx", "kolumner": {"När": "datum", "Vad": "typ"}}, tmp_path)
    assert log.count("utbildningsdag") == 1 and log.file == "logg.xlsx"


def test_bad_rows_name_file_row_column_and_value(tmp_path):
    _log(
        tmp_path,
        "Datum;Typ;Antal\n2025-13-01;Informationsträff;\n2025-03-01;;\n2027-01-01;Utbildningsdag;\n2025-03-02;Utbildningsdag;0\n"
        "01/02/2025;Utbildningsdag;\n",
    )
    found = _problems(tmp_path, "aktiviteter.csv", report_date=date(2026, 6, 30))
    assert [(p.fil, p.rad, p.kolumn, p.varde) for p in found] == [
        ("aktiviteter.csv", 2, "Datum", "2025-13-01"),
        ("aktiviteter.csv", 3, "Typ", ""),
        ("aktiviteter.csv", 4, "Datum", "2027-01-01"),
        ("aktiviteter.csv", 5, "Antal", "0"),
        ("aktiviteter.csv", 6, "Datum", "01/02/2025"),
    ]
    messages = [p.meddelande for p in found]
    assert "finns inte i kalendern" in messages[0] and messages[1] == "typen av aktivitet saknas"
    assert messages[2] == "datumet är efter rapportdatumet 2026-06-30" and "minst 1" in messages[3] and "tvetydigt" in messages[4]


def test_a_date_before_the_start_is_a_warning(tmp_path):
    _log(tmp_path, "Datum,Typ\n2024-12-01,Informationsträff\n")
    log = read_activities({"fil": "aktiviteter.csv"}, tmp_path, start=date(2025, 1, 1))
    assert [(p.allvar, p.rad, p.meddelande) for p in log.report.warnings()] == [("varning", 2, "datumet är före projektets start 2025-01-01")]


def test_missing_columns_files_and_bad_settings(tmp_path):
    _log(tmp_path, "Dag;Beskrivning\n2025-02-01;x\n")
    found = _problems(tmp_path, "aktiviteter.csv")
    assert [(p.kolumn, p.kontroll) for p in found] == [("typ", "kolumn saknas")] and "aktiviteter: kolumner:" in found[0].meddelande
    found = _problems(tmp_path, {"fil": "saknas.csv"})
    assert [(p.fil, p.kolumn, p.varde) for p in found] == [("projekt.yaml", "aktiviteter: fil", "saknas.csv")]
    found = _problems(tmp_path, {"fil": "aktiviteter.csv", "farg": "röd"})
    assert [p.kolumn for p in found] == ["aktiviteter: farg"]
    found = _problems(tmp_path, {"kolumner": {}})
    assert [p.kolumn for p in found] == ["aktiviteter"]
