"""The participant register: reading and validation, every table against hand-computed counts, and suppression.

The suppression is checked independently of :mod:`slutrapport.analysis.table_suppression`:
the test writes its own equations between the published numbers and asks a linear
program (scipy's ``linprog``) how far every hidden count could move with every shown
number fixed and no count negative.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from scipy.optimize import linprog

from slutrapport.analysis.participants import TOTAL, age_group, analyse_participants, periods
from slutrapport.analysis.table_suppression import CellSystem
from slutrapport.cli import cli
from slutrapport.sources.register.participants import LOST, NATIONAL_INCOME, NATIONAL_STATUS, RegisterValidationError, follow_up_date, read_register
from slutrapport.sources.register.places import PlacesPlan
from slutrapport.sources.register.values import ValueProblem, parse_date, parse_gender
from tests.conftest import SAMPLES

HEADER = ["Deltagar-ID", "Kön", "Ålder", "Inskrivningsdatum", "Avslutsdatum", "Försörjning", "Status vid avslut", "Antal möten"]
PERIOD = (date(2025, 1, 1), date(2025, 12, 31))

# The hand-computed register (days between dates written out in _DAYS below).
HAND = [
    ["1", "K", "34", "2025-01-10", "2025-03-10", "försörjningsstöd", "arbete", "10"],
    ["2", "Kvinna", "22", "2025-02-01", "2025-08-01", "A-kassa", "Studier", "5"],
    ["3", "kvinna", "45", "2025-03-15", "", "sjukpenning", "", "3"],
    ["4", "K", "51", "2025-07-01", "2025-12-01", "Lön", "Arbete", "8"],
    ["5", "M", "29", "2025-01-20", "2025-06-30", "Försörjningsstöd", "avbrott", "2"],
    ["6", "Man", "38", "2025-04-01", "2025-10-15", "aktivitetsersättning", "arbetssökande", "12"],
    ["7", "man", "61", "2025-08-01", "", "ingen", "", "4"],
    ["8", "M", "19", "2025-09-01", "2025-09-30", "ekonomiskt bistånd", "behöver långsiktigt stöd", ""],
    ["9", "annat", "27", "2025-05-05", "2025-11-05", "a-kassa", "arbete", "6"],
]


def write_register(folder: Path, rows: list[list[str]], header: list[str] = HEADER, name: str = "deltagare.csv",
                   encoding: str = "cp1252", sep: str = ";") -> Path:  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows([header, *rows])  # as Excel saves it
    (folder / name).write_bytes(buffer.getvalue().encode(encoding))
    return folder / name


def register(folder: Path, rows: list[list[str]], spec: dict | None = None, **kwargs):
    write_register(folder, rows, **kwargs)
    return read_register({"fil": kwargs.get("name", "deltagare.csv"), **(spec or {})}, folder, PERIOD)


def problems(folder: Path, rows: list[list[str]], spec: dict | None = None, **kwargs) -> list:
    with pytest.raises(RegisterValidationError) as info:
        register(folder, rows, spec, **kwargs)
    return info.value.report.problems


def cell(table: pd.DataFrame, column: str, **where):
    rows = table
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, where
    value = rows[column].iloc[0]
    return None if pd.isna(value) else value


# -- values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected, had_time",
    [
        ("2025-03-01", date(2025, 3, 1), False),
        ("2025-03-01 00:00", date(2025, 3, 1), False),  # Excel/SUS export
        ("2025-03-01T00:00:00", date(2025, 3, 1), False),
        ("2025-03-01 14:30", date(2025, 3, 1), True),
        ("2025/3/1", date(2025, 3, 1), False),
        ("20250301", date(2025, 3, 1), False),
        ("1 mars 2025", date(2025, 3, 1), False),
        ("1 mar. 2025", date(2025, 3, 1), False),
        ("  ", None, False),
    ],
)
def test_dates_in_swedish_and_iso_forms(text, expected, had_time):
    assert parse_date(text) == (expected, had_time)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("1/3/2025", "tvetydigt"),
        ("01-03-2025", "tvetydigt"),
        ("3/1/25", "tvetydigt"),
        ("250301", "ÅÅMMDD och DDMMÅÅ"),
        ("45717", "motsvarar det 2025-03-01"),  # Excel serial 45717 = 1899-12-30 + 45717 days
        ("2025-02-30", "finns inte"),
        ("1825-03-01", "orimligt årtal"),
        ("snart", "kan inte läsas"),
    ],
)
def test_bad_and_ambiguous_dates_are_refused(text, fragment):
    with pytest.raises(ValueProblem, match=re.escape(fragment)):
        parse_date(text)


@pytest.mark.parametrize(
    "text, gender",
    [("kvinna", "Kvinnor"), ("K", "Kvinnor"), (" Kvinnor ", "Kvinnor"), ("f", "Kvinnor"), ("Man", "Män"), ("m", "Män"),
     ("MÄN", "Män"), ("annat", "Annat/ej angivet"), ("Vill ej ange", "Annat/ej angivet"), ("", "Annat/ej angivet")],
)  # fmt: skip
def test_gender_spellings(text, gender):
    assert parse_gender(text) == gender


def test_unknown_gender_is_an_error():
    with pytest.raises(ValueProblem, match="okänt kön 'kvinnlig man'"):
        parse_gender("kvinnlig man")


def test_periods_and_age_groups():
    assert [p[0] for p in periods("halvar", date(2025, 3, 1), date(2026, 6, 30))] == ["2025 H1", "2025 H2", "2026 H1"]
    assert periods("kvartal", date(2025, 2, 1), date(2025, 7, 1)) == [
        ("2025 K1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025 K2", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025 K3", date(2025, 7, 1), date(2025, 9, 30)),
    ]
    assert [p[0] for p in periods("ar", date(2025, 12, 31), date(2026, 1, 1))] == ["2025", "2026"]
    assert [p[0] for p in periods("manad", date(2025, 11, 5), date(2026, 1, 2))] == ["2025-11", "2025-12", "2026-01"]
    assert [age_group(a, (25, 35, 50)) for a in (19, 25, 34, 35, 49, 50, 64)] == [
        "under 25 år", "25–34 år", "25–34 år", "35–49 år", "35–49 år", "50 år och äldre", "50 år och äldre"
    ]  # fmt: skip


# -- reading ---------------------------------------------------------------------------


def test_swedish_excel_csv_is_read_and_normalised(tmp_path):
    result = register(tmp_path, HAND)
    table = result.table
    assert len(table) == 9 and result.file == "deltagare.csv"
    assert table["kon"].tolist() == ["Kvinnor"] * 4 + ["Män"] * 4 + ["Annat/ej angivet"]
    assert table.loc[1, "status"] == "studier" and table.loc[1, "forsorjning"] == "a-kassa"
    assert table.loc[7, "forsorjning"] == "försörjningsstöd"  # built-in alias "ekonomiskt bistånd"
    assert pd.isna(table.loc[2, "avslut"]) and pd.isna(table.loc[2, "status"])
    assert table["rad"].tolist() == list(range(2, 11))
    assert result.report_date == PERIOD[1] and result.period == "halvar"
    assert [p.kontroll for p in result.report.problems] == ["saknat värde"]  # möten missing for finished row 9
    assert "rad 9" in result.report.problems[0].meddelande


def test_xlsx_with_date_cells_and_mapped_headings(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Löpnummer", "Kön", "Startdatum", "Slutdatum", "Huvudsaklig försörjning före", "Sysselsättning efter insats"])
    ws.append(["a1", "K", datetime(2025, 3, 1), datetime(2025, 9, 1), "Försörjningsstöd", "Jobb"])
    ws.append(["a2", "M", datetime(2025, 4, 1), None, "Lön", None])
    wb.save(tmp_path / "sus.xlsx")
    spec = {
        "fil": "sus.xlsx",
        "kolumner": {"Huvudsaklig försörjning före": "forsorjning", "Sysselsättning efter insats": "status"},
        "kategorier": {"alias": {"jobb": "arbete"}},
    }
    result = read_register(spec, tmp_path, PERIOD)
    assert result.table["inskrivning"].tolist() == [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-01")]
    assert result.table["status"].tolist()[0] == "arbete"
    assert not result.has_meetings and not result.has_age


def test_own_categories_and_national_groups_from_the_project_file(tmp_path):
    rows = [["1", "K", "30", "2025-01-10", "2025-05-01", "FBS", "Praktik", "3"]]
    spec = {"kategorier": {"status": {"Praktik": "aktivt arbetssökande", "Anställning": "förvärvsarbete"},
                           "forsorjning": {"FBS": "ekonomiskt bistånd"}}}  # fmt: skip
    result = register(tmp_path, rows, spec)
    assert result.status_groups == {"Praktik": "aktivt arbetssökande", "Anställning": "förvärvsarbete"}
    assert result.table.loc[0, "status"] == "Praktik"
    wrong = problems(tmp_path, rows, {"kategorier": {"status": {"Praktik": "sysselsatt"}}})
    assert wrong[0].fil == "projekt.yaml" and "okänd nationell grupp" in wrong[0].meddelande
    assert wrong[0].kolumn == "deltagare: kategorier: status: Praktik" and wrong[0].varde == "sysselsatt"


def test_validation_names_file_row_column_and_value(tmp_path):
    rows = [
        ["1", "K", "30", "2025-03-01", "2025-02-01", "lön", "arbete", "2"],  # avslut before inskrivning
        ["1", "M", "31", "2025-03-01", "", "lön", "", "2"],  # duplicate id
        ["2", "M", "32", "2025-03-01", "2025-04-01", "lönn", "semester", "2"],  # unknown categories
        ["3", "K", "33", "1/3/2025", "", "lön", "arbete", "2"],  # ambiguous date; status without avslut
        ["4", "K", "33", "2025-03-01", "2025-05-01", "lön", "", "2"],  # avslut without status
        ["19850101-1234", "K", "33", "2025-03-01", "", "lön", "", "2"],  # a personnummer as id
        ["5", "Q", "33", "2025-03-01", "2026-02-01", "lön", "arbete", "-1"],  # kön, after the report date, möten
    ]
    listed = [p for p in problems(tmp_path, rows) if p.allvar == "fel"]
    found = {(p.rad, p.kontroll, p.kolumn): p for p in listed}
    assert len(found) == len(listed) == 11
    order = found[(2, "datumordning", "Avslutsdatum")]
    assert (order.fil, order.varde) == ("deltagare.csv", "2025-02-01") and "före inskrivningsdatum 2025-03-01" in order.meddelande
    duplicate = found[(3, "dubblerat id", "Deltagar-ID")]
    assert duplicate.varde == "1" and "rad 2" in duplicate.meddelande
    income = found[(4, "okänd kategori", "Försörjning")]
    assert income.varde == "lönn" and "Menar du 'lön'?" in income.meddelande
    assert found[(4, "okänd kategori", "Status vid avslut")].varde == "semester"
    assert "tvetydigt" in found[(5, "ogiltigt datum", "Inskrivningsdatum")].meddelande
    assert found[(5, "avslutsdatum saknas", "Avslutsdatum")].varde == "arbete"
    assert (6, "status saknas", "Status vid avslut") in found
    hidden = found[(7, "personnummer", "Deltagar-ID")]
    assert "1234" not in hidden.varde and "pseudonyma" in hidden.meddelande
    assert {(8, "okänt kön", "Kön"), (8, "efter rapportdatum", "Avslutsdatum"), (8, "ogiltigt tal", "Antal möten")} <= set(found)


def test_missing_required_column_and_unknown_columns(tmp_path):
    header = ["Deltagar-ID", "Kön", "Inskrivningsdatum", "Avslutsdatum", "Status vid avslut", "Namn"]
    found = problems(tmp_path, [["1", "K", "2025-01-10", "", "", "Anna"]], header=header)
    assert [(p.kontroll, p.allvar) for p in found] == [("okänd kolumn", "varning"), ("saknad kolumn", "fel")]
    assert found[0].kolumn == "Namn" and found[0].varde is None  # the column is named, never its values
    assert "försörjning" in found[1].meddelande and "kolumner:" in found[1].meddelande


def test_participants_without_consent_may_lack_an_id(tmp_path):
    header = HEADER + ["Samtycke"]
    rows = [["", "K", "30", "2025-02-01", "", "lön", "", "1", "nej"], ["", "M", "30", "2025-02-01", "", "lön", "", "1", "nej"]]
    result = register(tmp_path, rows, header=header)
    assert result.table["anonym"].all() and len(result.table) == 2
    found = problems(tmp_path, [["", "K", "30", "2025-02-01", "", "lön", "", "1", "ja"]], header=header)
    assert found[0].kontroll == "saknat värde" and "samtycke nej" in found[0].meddelande


def test_dates_before_project_start_warn_and_blank_rows_are_skipped(tmp_path):
    rows = [["1", "K", "30", "2024-12-01", "", "lön", "", "1"], [""] * 8, ["2", "M", "30", "2025-02-01", "", "lön", "", "1"]]
    result = register(tmp_path, rows)
    assert len(result.table) == 2 and result.table["rad"].tolist() == [2, 4]
    assert [(p.rad, p.kontroll, p.allvar) for p in result.report.problems] == [(2, "före projektstart", "varning")]


# -- tables against hand-computed counts -----------------------------------------------


@pytest.fixture
def hand(tmp_path):
    return analyse_participants(register(tmp_path, HAND), min_n=1)  # min_n 1: nothing is hidden


def test_flow_per_half_year_and_kon(hand):
    flow = hand.flow
    assert list(flow.columns) == ["period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"]
    assert hand.genders == ["Alla", "Kvinnor", "Män", "Annat/ej angivet"]
    expected = {
        # Alla H1: enrolled 1,2,3,5,6,9; finished 1 (Mar 10), 5 (Jun 30); active on Jun 30: 2,3,6,9
        ("2025 H1", "Alla"): (6, 4, 2),
        # Alla H2: enrolled 4,7,8; finished 2,4,6,8,9; active on Dec 31: 3,7 (= 4 + 3 - 5)
        ("2025 H2", "Alla"): (3, 2, 5),
        (TOTAL, "Alla"): (9, 2, 7),
        ("2025 H1", "Kvinnor"): (3, 2, 1),
        ("2025 H2", "Kvinnor"): (1, 1, 2),
        (TOTAL, "Kvinnor"): (4, 1, 3),
        ("2025 H1", "Män"): (2, 1, 1),
        ("2025 H2", "Män"): (2, 1, 2),
        (TOTAL, "Män"): (4, 1, 3),
        ("2025 H1", "Annat/ej angivet"): (1, 1, 0),
        ("2025 H2", "Annat/ej angivet"): (0, 0, 1),
        (TOTAL, "Annat/ej angivet"): (1, 0, 1),
    }
    for (period, gender), numbers in expected.items():
        row = flow[(flow["period"] == period) & (flow["kon"] == gender)].iloc[0]
        assert (row["inskrivna"], row["aktiva"], row["avslutade"]) == numbers, (period, gender)
    assert not flow["undertryckt"].any()
    assert hand.enrolled == 9 and hand.finished == 7 and hand.active == 2


def test_outcome_counts_and_shares(hand):
    outcome = hand.outcome
    # finished: 1 arbete K, 2 studier K, 4 arbete K, 5 avbrott M, 6 arbetssökande M, 8 behöver M, 9 arbete annat
    assert cell(outcome, "n", indelning="status", kategori="arbete", kon="Alla") == 3
    assert cell(outcome, "andel", indelning="status", kategori="arbete", kon="Alla") == pytest.approx(3 / 7)
    assert cell(outcome, "andel", indelning="status", kategori="arbete", kon="Kvinnor") == pytest.approx(2 / 3)
    assert cell(outcome, "n", indelning="status", kategori="insats hos AF", kon="Alla") == 0
    national = outcome[(outcome["indelning"] == "nationell") & (outcome["kon"] == "Alla")]
    assert dict(zip(national["kategori"], national["n"], strict=True)) == {
        "förvärvsarbete": 3, "studier": 1, "aktivt arbetssökande": 1, "övriga": 2,  # övriga = avbrott + behöver
    }  # fmt: skip
    assert cell(outcome, "andel", indelning="nationell", kategori="övriga", kon="Män") == pytest.approx(2 / 3)


def test_income_before_and_status_after(hand):
    income = hand.income
    everyone = income[income["kon"] == "Alla"]
    assert len(everyone) == len(NATIONAL_INCOME) * len(NATIONAL_STATUS)
    counts = {(r.fore, r.efter): r.n for r in everyone.itertuples() if r.n}
    assert counts == {
        ("ekonomiskt bistånd", "förvärvsarbete"): 1,  # 1: försörjningsstöd → arbete
        ("arbetsmarknadsstöd", "studier"): 1,  # 2: a-kassa → studier
        ("ingen offentlig försörjning", "förvärvsarbete"): 1,  # 4: lön → arbete
        ("ekonomiskt bistånd", "övriga"): 2,  # 5: försörjningsstöd → avbrott; 8: ekonomiskt bistånd → behöver
        ("ohälsa", "aktivt arbetssökande"): 1,  # 6: aktivitetsersättning → arbetssökande
        ("arbetsmarknadsstöd", "förvärvsarbete"): 1,  # 9: a-kassa → arbete
    }
    assert cell(income, "n", fore="ekonomiskt bistånd", efter="övriga", kon="Män") == 2


def test_time_in_project_and_meetings(hand):
    time = hand.time
    # days: 1: 59 (21+28+10), 2: 181, 4: 153, 5: 161, 6: 197, 8: 29, 9: 184; sum 964
    assert cell(time, "n", kon="Alla") == 7
    assert cell(time, "medel_dagar", kon="Alla") == pytest.approx(964 / 7)
    assert cell(time, "median_dagar", kon="Alla") == 161  # 29 59 153 [161] 181 184 197
    assert cell(time, "moten_medel", kon="Alla") == pytest.approx(43 / 6)  # 10+5+8+2+12+6; row 9 has none
    assert cell(time, "medel_dagar", kon="Kvinnor") == pytest.approx((59 + 181 + 153) / 3)
    assert cell(time, "median_dagar", kon="Män") == 161  # 29 161 197
    assert cell(time, "moten_medel", kon="Män") == pytest.approx((2 + 12) / 2)


def test_age_groups(hand):
    ages = hand.ages
    # ages 34 22 45 51 29 38 61 19 27 → under 25: 22, 19; 25–34: 34, 29, 27; 35–49: 45, 38; 50+: 51, 61
    assert dict(zip(ages[ages["kon"] == "Alla"]["aldersgrupp"], ages[ages["kon"] == "Alla"]["n"], strict=True)) == {
        "under 25 år": 2, "25–34 år": 3, "35–49 år": 2, "50 år och äldre": 2,
    }  # fmt: skip


def test_quarters_and_an_explicit_report_date(tmp_path):
    result = analyse_participants(register(tmp_path, HAND, {"period": "kvartal", "rapportdatum": "2025-12-31"}), 1)
    flow = result.flow
    assert list(dict.fromkeys(flow["period"])) == ["2025 K1", "2025 K2", "2025 K3", "2025 K4", TOTAL]
    # K3 (Jul–Sep): enrolled 4, 7, 8; finished 2 (Aug 1), 8 (Sep 30)
    assert cell(flow, "inskrivna", period="2025 K3", kon="Alla") == 3
    assert cell(flow, "avslutade", period="2025 K3", kon="Alla") == 2


@pytest.mark.parametrize(
    ("period", "definite", "last"),
    [
        ("manad", "månaden", "den sista månaden"),
        ("kvartal", "kvartalet", "det sista kvartalet"),
        ("halvar", "halvåret", "det sista halvåret"),
        ("ar", "året", "det sista året"),
    ],
)
def test_the_flow_table_names_its_period_in_correct_swedish(tmp_path, period, definite, last):
    from slutrapport.report.blocks.participants import participant_blocks

    result = analyse_participants(register(tmp_path, HAND, {"period": period, "rapportdatum": "2025-12-31"}), 1)
    tables = [b for sub in participant_blocks(result) for b in getattr(sub, "blocks", [])]
    table = next(t for t in tables if getattr(t, "caption", "").startswith("Inskrivna, aktiva och avslutade"))
    note = " ".join(table.notes)
    assert f"under {definite};" in note and f"vid {definite}s slut" in note and f"för {last} och Totalt" in note
    assert "månadet" not in note and "månadets" not in note


# -- suppression -------------------------------------------------------------------


def test_small_gender_cell_and_its_complement_are_hidden():
    # Kvinnor 3 is under 5; Män 9 must be hidden too, or Kvinnor = Alla (12) - Män (9).
    system = CellSystem()
    system.add("alla", 12, tier=1)
    system.add("k", 3)
    system.add("m", 9)
    system.add_sum("alla", ["k", "m"], protect=True)
    assert system.derivable({"k"}) == ["k"]
    assert system.suppress(5) == {"k": "för få deltagare", "m": "skyddar en mindre grupp"}


def test_a_two_by_two_table_gets_a_cycle_of_complements():
    # rows a, b; columns x, y; margins shown. a·x = 2 is small: hiding a·y, b·x and b·y closes the cycle.
    system = CellSystem()
    values = {("a", "x"): 2, ("a", "y"): 7, ("b", "x"): 8, ("b", "y"): 9}
    for key, value in values.items():
        system.add(key, value)
    for key, parts in {"a": [("a", "x"), ("a", "y")], "b": [("b", "x"), ("b", "y")],
                       "x": [("a", "x"), ("b", "x")], "y": [("a", "y"), ("b", "y")]}.items():  # fmt: skip
        system.add(key, sum(values[p] for p in parts), tier=5)
        system.add_sum(key, parts)
    hidden = system.suppress(5)
    assert set(hidden) == set(values) and not system.derivable(hidden)


def test_a_wrong_relation_is_a_programming_error():
    system = CellSystem()
    system.add("t", 5)
    system.add("p", 4)
    with pytest.raises(ValueError, match="off by"):
        system.add_sum("t", ["p"])


def _true_counts(register, genders, units=()):
    """Every published count computed directly from the register rows (independent of the analysis).

    ``units``: the units of the places table (``platser: enheter:`` and the register's column enhet).
    """
    table = register.table
    values = {}
    groups = register.status_groups
    spans = periods(register.period, min(register.start_date or date.max, table["inskrivning"].min().date()), register.report_date)
    for gender in genders:
        rows = [r for r in table.itertuples() if gender == "Alla" or r.kon == gender]
        for label, start, end in spans:
            moment = min(end, register.report_date)
            values[("flode", label, gender, "inskrivna")] = sum(start <= r.inskrivning.date() <= end for r in rows)
            values[("flode", label, gender, "avslutade")] = sum(pd.notna(r.avslut) and start <= r.avslut.date() <= end for r in rows)
            values[("flode", label, gender, "aktiva")] = sum(
                r.inskrivning.date() <= moment and (pd.isna(r.avslut) or r.avslut.date() > moment) for r in rows
            )
        finished = [r for r in rows if pd.notna(r.avslut)]
        values[("flode", TOTAL, gender, "inskrivna")] = len(rows)
        values[("flode", TOTAL, gender, "avslutade")] = len(finished)
        values[("flode", TOTAL, gender, "aktiva")] = len(rows) - len(finished)
        for status in groups:
            values[("status", status, gender)] = sum(r.status == status for r in finished)
        for group in NATIONAL_STATUS:
            values[("nationell", group, gender)] = sum(groups[r.status] == group for r in finished)
            for before in NATIONAL_INCOME:
                values[("forsorjning", before, group, gender)] = sum(
                    groups[r.status] == group and register.income_groups[r.forsorjning] == before for r in finished
                )
        for months in register.follow_up:  # due when the months have passed at the report date; LOST or blank = bortfall
            due = [r for r in finished if follow_up_date(r.avslut.date(), months) <= register.report_date]
            written = [getattr(r, f"status_{months}man") for r in due]
            followed = [v for v in written if isinstance(v, str) and v != LOST]  # blank: None or NaN
            values[("uppfoljning", months, "uppföljda", gender)] = len(followed)
            values[("uppfoljning", months, "ej uppföljda än", gender)] = len(finished) - len(due)
            values[("uppfoljning", months, "bortfall", gender)] = len(due) - len(followed)
            for status in groups:
                values[("uppf_status", months, status, gender)] = followed.count(status)
            for group in NATIONAL_STATUS:
                values[("uppf_nationell", months, group, gender)] = sum(groups[s] == group for s in followed)
    for label, start, end in spans:
        moment = min(end, register.report_date)
        for unit in units:
            rows = [r for r in table.itertuples() if (r.enhet if isinstance(r.enhet, str) else "enhet saknas") == unit]
            values[("enhet", label, unit, "inskrivna")] = sum(start <= r.inskrivning.date() <= end for r in rows)
            values[("enhet", label, unit, "aktiva")] = sum(
                r.inskrivning.date() <= moment and (pd.isna(r.avslut) or r.avslut.date() > moment) for r in rows
            )
    return values, [s[0] for s in spans]


def _cell_key(name: str, r) -> tuple:
    if name == "outcome":
        return ("status" if r.indelning == "status" else "nationell", r.kategori, r.kon)
    return ("forsorjning", r.fore, r.efter, r.kon)


def _published(results):
    """What a reader sees: the published count of every cell, or None when hidden."""
    shown = {}
    for r in results.flow.itertuples():
        for column in ("inskrivna", "aktiva", "avslutade"):
            shown[("flode", r.period, r.kon, column)] = None if r.undertryckt else int(getattr(r, column))
    for name, table in (("outcome", results.outcome), ("income", results.income)):
        for r in table.itertuples():
            shown[_cell_key(name, r)] = None if r.undertryckt else int(r.n)
    for r in results.time.itertuples():  # n = finished participants of the kön
        if not r.undertryckt:
            shown[("flode", TOTAL, r.kon, "avslutade")] = int(r.n)
    prefixes = {"uppfoljning": "uppfoljning", "status": "uppf_status", "nationell": "uppf_nationell"}
    for r in results.follow_up.itertuples() if results.follow_up is not None else ():
        shown[(prefixes[r.indelning], r.manader, r.kategori, r.kon)] = None if r.undertryckt else int(r.n)
    for r in results.places.itertuples() if results.places is not None else ():
        for column in ("inskrivna", "aktiva"):
            key = ("flode", r.period, "Alla", column) if r.enhet == "Alla" else ("enhet", r.period, r.enhet, column)
            number = None if r.undertryckt else int(getattr(r, column))
            assert r.enhet != "Alla" or number is None or number == shown[key], key  # the same cell as in the flow table
            shown[key] = shown.get(key) if r.enhet == "Alla" and number is None else number
    return shown


def _equations(register, genders, labels, units=()):
    """Every relation between the published counts, written independently of the analysis."""
    parts = genders[1:]
    equations = []

    def total(key, items):
        equations.append({key: -1, **{i: 1 for i in items}})

    for row in [*labels, TOTAL]:
        for column in ("inskrivna", "aktiva", "avslutade"):
            total(("flode", row, "Alla", column), [("flode", row, g, column) for g in parts])
    for gender in genders:
        for column in ("inskrivna", "avslutade"):
            total(("flode", TOTAL, gender, column), [("flode", p, gender, column) for p in labels])
        for i, label in enumerate(labels):  # aktiva = previous aktiva + inskrivna - avslutade
            stock = {("flode", label, gender, "aktiva"): 1, ("flode", label, gender, "inskrivna"): -1, ("flode", label, gender, "avslutade"): 1}
            if i:
                stock[("flode", labels[i - 1], gender, "aktiva")] = -1
            equations.append(stock)
        equations.append({("flode", TOTAL, gender, c): s for c, s in (("aktiva", 1), ("inskrivna", -1), ("avslutade", 1))})
        finished = ("flode", TOTAL, gender, "avslutade")
        total(finished, [("status", s, gender) for s in register.status_groups])
        total(finished, [("nationell", g, gender) for g in NATIONAL_STATUS])
        for group in NATIONAL_STATUS:
            members = [("status", s, gender) for s, g in register.status_groups.items() if g == group]
            if members:
                total(("nationell", group, gender), members)
            total(("nationell", group, gender), [("forsorjning", b, group, gender) for b in NATIONAL_INCOME])
    for status in register.status_groups:
        total(("status", status, "Alla"), [("status", status, g) for g in parts])
    for group in NATIONAL_STATUS:
        total(("nationell", group, "Alla"), [("nationell", group, g) for g in parts])
        for before in NATIONAL_INCOME:
            total(("forsorjning", before, group, "Alla"), [("forsorjning", before, group, g) for g in parts])
    groups = ("uppföljda", "ej uppföljda än", "bortfall")
    for months in register.follow_up:  # finished = followed + not due + lost; followed = Σ statuses = Σ national groups
        for gender in genders:
            followed = ("uppfoljning", months, "uppföljda", gender)
            total(("flode", TOTAL, gender, "avslutade"), [("uppfoljning", months, name, gender) for name in groups])
            total(followed, [("uppf_status", months, s, gender) for s in register.status_groups])
            total(followed, [("uppf_nationell", months, g, gender) for g in NATIONAL_STATUS])
            for group in NATIONAL_STATUS:
                members = [("uppf_status", months, s, gender) for s, g in register.status_groups.items() if g == group]
                if members:
                    total(("uppf_nationell", months, group, gender), members)
        keys = [("uppfoljning", months, n) for n in groups] + [("uppf_status", months, s) for s in register.status_groups]
        for key in keys + [("uppf_nationell", months, g) for g in NATIONAL_STATUS]:
            total((*key, "Alla"), [(*key, g) for g in parts])
    for label in labels if units else ():  # the units add up to the project's count of the period
        for column in ("inskrivna", "aktiva"):
            total(("flode", label, "Alla", column), [("enhet", label, unit, column) for unit in units])
    return equations


def _project_total(key: tuple) -> bool:
    """A count of the whole project: no breakdown by kön or period (shown however small with totaler: visa)."""
    if key[0] == "flode":
        return key[1] == TOTAL and key[2] == "Alla"
    return key[0] in ("status", "nationell", "uppfoljning", "uppf_status", "uppf_nationell") and key[-1] == "Alla"


def assert_nothing_hidden_can_be_computed(register, results, min_n):
    """Every hidden small count (1 to min_n - 1) keeps a range of values (LP with counts >= 0).

    A larger count hidden as a complement or with its row may be computable: it identifies nobody.
    With the project totals shown (``results.show_totals``) they are shown whatever their size, and the
    attacker knows them: every breakdown cell must still keep its range.
    """
    units = [] if results.places is None else [u for u in dict.fromkeys(results.places["enhet"]) if u != "Alla"]
    values, labels = _true_counts(register, results.genders, units)
    shown = _published(results)
    public = {k for k in values if results.show_totals and _project_total(k)}
    for key in public:  # the project totals are all shown
        assert shown[key] == values[key], key
    equations = _equations(register, results.genders, labels, units)
    for equation in equations:  # the test's equations hold for the true counts
        assert sum(c * values[k] for k, c in equation.items()) == 0, equation
    keys = list(values)
    index = {k: i for i, k in enumerate(keys)}
    matrix = np.zeros((len(equations), len(keys)))
    for row, equation in enumerate(equations):
        for key, coefficient in equation.items():
            matrix[row, index[key]] = coefficient

    def value_range(key, bounds):
        objective = np.zeros(len(keys))
        objective[index[key]] = 1
        low = linprog(objective, A_eq=matrix, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        assert low.status == 0 and high.status == 0
        return -high.fun - low.fun

    known = [(values[k], values[k]) if k in public else (0, None) for k in keys]  # a reader who knows only the totals
    for key, value in shown.items():  # what is shown is right, and a small count is shown only when the totals give it
        assert value is None or value == values[key], key
        if value is not None and 0 < value < min_n and key not in public:
            assert value_range(key, known) < 0.5, f"{key} = {value} is shown and is not given by the project totals"
    bounds = [(shown[k], shown[k]) if shown.get(k) is not None else (0, None) for k in keys]
    hidden = [k for k in keys if shown.get(k) is None and 0 < values[k] < min_n]  # the small counts to protect
    # ... except those the project totals alone give (e.g. the last period's aktiva = aktiva at the report date)
    hidden = [k for k in hidden if not (public and value_range(k, known) < 0.5)]
    for key in hidden:
        assert value_range(key, bounds) > 0.5, f"{key} = {values[key]} can be computed from the shown numbers"
    outcome = results.outcome  # a share never reveals a hidden count or a hidden total
    assert outcome.loc[outcome["undertryckt"], "andel"].isna().all()
    for gender in results.genders:
        if shown.get(("flode", TOTAL, gender, "avslutade")) is None:
            assert outcome.loc[outcome["kon"] == gender, "andel"].isna().all()
    for name, table, key in (("outcome", results.outcome, ["indelning", "kategori"]), ("income", results.income, ["fore", "efter"])):
        for _, rows in table.groupby(key):  # hidden kön cells of a shown Alla hold 0 or at least min_n
            if rows[rows["kon"] == "Alla"]["undertryckt"].iloc[0]:
                continue
            alla = rows[rows["kon"] == "Alla"].iloc[0]
            if name == "outcome" and results.show_totals and int(alla["n"]) < min_n:
                continue  # a small public total already says its kön cells are small
            secret = rows[(rows["kon"] != "Alla") & rows["undertryckt"]]
            true = sum(values[_cell_key(name, r)] for r in secret.itertuples())
            assert true == 0 or true >= min_n, rows.iloc[0][key].tolist()
    return hidden


def test_demo_register_hides_nothing_that_can_be_computed():
    from slutrapport.project.folder import load_project
    from slutrapport.sources.register.participants import project_dates

    project = load_project(SAMPLES)
    register_ = read_register(project.data["deltagare"], project.root, project_dates(project.data))
    results = analyse_participants(register_, project.min_n)
    hidden = assert_nothing_hidden_can_be_computed(register_, results, project.min_n)
    assert len(hidden) > 10  # the sample has small cells, so suppression shows
    assert cell(results.flow, "inskrivna", period=TOTAL, kon="Alla") == 52


STATUSES = ["arbete", "studier", "arbetssökande", "insats hos AF", "annat projekt", "sjukskriven", "behöver långsiktigt stöd", "avbrott"]
INCOMES = ["försörjningsstöd", "a-kassa", "sjukpenning", "lön", "ingen", "aktivitetsstöd"]


@pytest.mark.parametrize("seed", range(6))
def test_random_registers_hide_nothing_that_can_be_computed(tmp_path, seed):
    rng = random.Random(seed)
    rows = []
    for number in range(rng.randint(15, 70)):
        start = date(2025, 1, 1).toordinal() + rng.randint(0, 330)
        finished = rng.random() < 0.7 and start + 20 < date(2025, 12, 31).toordinal()
        end = date.fromordinal(rng.randint(start + 5, date(2025, 12, 31).toordinal())).isoformat() if finished else ""
        gender = rng.choices(["K", "M", "annat"], weights=[10, 10, 1 if seed % 2 else 0])[0]
        rows.append([f"p{number}", gender, str(rng.randint(18, 64)), date.fromordinal(start).isoformat(), end,
                     rng.choice(INCOMES), rng.choice(STATUSES) if end else "", str(rng.randint(1, 30))])  # fmt: skip
    register_ = register(tmp_path, rows, {"period": rng.choice(["halvar", "kvartal"])})
    results = analyse_participants(register_, 5)
    assert_nothing_hidden_can_be_computed(register_, results, 5)


def test_a_rare_gender_category_is_not_revealed_by_alla_minus_the_others(tmp_path):
    rows = [[str(i), "K" if i % 2 else "M", "30", "2025-02-01", "2025-06-01", "lön", "arbete", "1"] for i in range(20)]
    rows.append(["x", "annat", "30", "2025-02-01", "2025-06-01", "lön", "arbete", "1"])
    register_ = register(tmp_path, rows)
    results = analyse_participants(register_, 5)
    assert results.genders[-1] == "Annat/ej angivet"
    assert cell(results.outcome, "undertryckt", indelning="status", kategori="arbete", kon="Annat/ej angivet")
    assert cell(results.outcome, "undertryckt", indelning="status", kategori="arbete", kon="Kvinnor") or cell(
        results.outcome, "undertryckt", indelning="status", kategori="arbete", kon="Män"
    )
    assert_nothing_hidden_can_be_computed(register_, results, 5)


# -- the report ----------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo(demo_dir):
    return demo_dir  # `slutrapport demo` built once for the session (the fixture checks its exit code)


def test_demo_fills_individperspektiv_in_every_format(demo):
    html = (demo / "rapport.html").read_text(encoding="utf-8")
    section = html[html.index('id="individperspektiv"') : html.index('id="sekundara-effekter"')]
    for text in ("Inskrivna, aktiva och avslutade deltagare per halvår och kön", "Status vid avslut per kön",
                 "Försörjning vid inskrivning och sysselsättning vid avslut",
                 "skrevs 52 deltagare in", "Måluppfyllelse", "Grund för bedömningen", "– = dolt"):  # fmt: skip
        assert text in section, text
    assert re.search(r'<th scope="row">Totalt</th><td class="count">52</td><td class="count">14</td><td class="count">38</td>', section)
    assert "Tid i projektet och antal möten" in (demo / "bilaga.html").read_text(encoding="utf-8")  # the detail in the bilaga
    data = json.loads((demo / "rapport.json").read_text(encoding="utf-8"))
    for name in ("deltagare_flode", "deltagare_utfall", "deltagare_forsorjning", "deltagare_tid", "maluppfyllelse"):
        assert data["tabeller"][name]["rader"], name
    flow = data["tabeller"]["deltagare_flode"]
    rows = [dict(zip(flow["kolumner"], r, strict=True)) for r in flow["rader"]]
    assert {"period": "Totalt", "kon": "Alla", "inskrivna": 52, "aktiva": 14, "avslutade": 38, "undertryckt": False} in rows
    assert all(r["inskrivna"] is None and r["aktiva"] is None for r in rows if r["undertryckt"])
    from openpyxl import load_workbook

    sheets = load_workbook(demo / "rapport.xlsx").sheetnames
    assert {"Data deltagare", "Data utfall", "Data försörjning", "Data tid i projektet", "Data måluppfyllelse"} <= set(sheets)


def test_demo_shows_follow_up_places_and_funding_in_every_format(demo):
    data = json.loads((demo / "rapport.json").read_text(encoding="utf-8"))
    tables = data["tabeller"]

    def rows(name):
        return [dict(zip(tables[name]["kolumner"], r, strict=True)) for r in tables[name]["rader"]]

    totals = {(r["indelning"], r["kategori"]): r for r in rows("deltagare_totaler")}
    assert totals[("deltagare", "inskrivna")]["n"] == 52 and not any(r["undertryckt"] for r in totals.values())
    assert totals[("status", "sjukskriven")]["n"] == 2  # under 5, shown: a count of the whole project
    follow = {(r["manader"], r["indelning"], r["kategori"]): r for r in rows("deltagare_uppfoljning") if r["kon"] == "Alla"}
    groups = [follow[(6, "uppfoljning", k)]["n"] for k in ("uppföljda", "ej uppföljda än", "bortfall")]
    assert sum(groups) == 38 and groups[0] > 0  # every finished participant in one group
    places = {(r["period"], r["enhet"]): r for r in rows("deltagare_platser")}
    assert places[("2025 H1", "Alla")]["platser"] == 18 and places[("2025 H2", "Storsjö")]["platser"] == 13
    funding = rows("ekonomi_finansiering")
    assert funding[-1] == {"part": "Totalt", "budget": 4080000.0, "andel_budget": 1.0, "utfall": 3966250.0, "andel_utfall": 1.0}
    html = (demo / "rapport.html").read_text(encoding="utf-8")
    for text in ("Hela projektet: deltagare och status vid avslut", "Uppföljning 6 månader efter avslut, avslutade deltagare",
                 "Planerade platser och deltagare per period", "Stapeldiagram: Planerade platser och aktiva deltagare", "Finansiering per part"):  # fmt: skip
        assert text in html, text
    from docx import Document
    from openpyxl import load_workbook

    word = "\n".join(p.text for p in Document(demo / "rapport.docx").paragraphs)
    assert "Uppföljning 12 månader efter avslut" in word and "Finansiering per part" in word
    assert {"Data hela projektet", "Data uppföljning", "Data platser", "Data finansiering"} <= set(load_workbook(demo / "rapport.xlsx").sheetnames)


def test_no_participant_id_reaches_any_output(demo):
    ids = {line.split(";")[0] for line in (SAMPLES / "deltagare.csv").read_text(encoding="cp1252").splitlines()[1:]}
    assert len(ids) == 52
    from openpyxl import load_workbook

    wb = load_workbook(demo / "rapport.xlsx")
    cells = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    for text in ((demo / "rapport.html").read_text(encoding="utf-8"), (demo / "rapport.json").read_text(encoding="utf-8"), cells):
        assert not [i for i in ids if i in text]


def participants_only(tmp_path: Path, template: str = "rar-slutrapport") -> Path:
    """The sample project without its staff survey (quicker to build), with ``template``."""
    import yaml

    project = tmp_path / template
    shutil.copytree(SAMPLES, project)
    config = yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))
    del config["personalenkat"]
    config["mall"] = template
    (project / "projekt.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return project


def test_check_names_register_errors_and_validate_lists_them(tmp_path):
    project = participants_only(tmp_path)
    path = project / "deltagare.csv"
    text = path.read_text(encoding="cp1252").replace("VF-002;", "VF-001;", 1)
    path.write_bytes(text.encode("cp1252"))
    check = run("check", project)
    assert "✗ 7 Individperspektiv: text saknas; deltagarregistret eller målen har 1 fel (kör slutrapport validate" in check.output
    validate = run("validate", project)
    assert validate.exit_code == 1 and "dubblerat id" in validate.output and "id:t finns redan på rad 2" in validate.output
    build = run("build", project)
    assert build.exit_code == 1 and build.output.startswith("Fel: Deltagarregistret innehåller 1 fel")


@pytest.mark.parametrize(
    "template, headings",
    [
        ("socialstyrelsen-kompetens", {"resultat-brukare": "Status vid avslut per kön", "mal-lage-utveckling": "Projektets mål och utfall"}),
        ("extern-utvardering", {"deltagarresultat": "Status vid avslut per kön"}),
    ],
)
def test_other_templates_place_the_blocks(tmp_path, template, headings):
    project = participants_only(tmp_path, template)
    assert run("build", project).exit_code == 0
    html = (project / "rapport" / "rapport.html").read_text(encoding="utf-8")
    for heading, text in headings.items():
        start = html.index(f'id="{heading}"')
        end = html.find('<section class="avsnitt"', start)
        assert text in html[start : end if end > 0 else None], heading


def test_missing_register_is_named_in_the_completeness_check(tmp_path):
    project = tmp_path / "p"
    assert run("init", project).exit_code == 0
    output = run("check", project).output
    assert "Individperspektiv: text saknas; deltagarregister saknas (i projekt.yaml: deltagare: fil:); mål saknas" in output


def test_init_example_of_the_register_and_goals_works_when_uncommented(tmp_path):
    project = tmp_path / "p"
    assert run("init", project).exit_code == 0
    config = (project / "projekt.yaml").read_text(encoding="utf-8")
    start = config.index("# deltagare:")
    yaml_line = re.compile(r"^# (deltagare:|mal:|\s)")  # the example, not the explanations above it
    block = "\n".join(line[2:] if yaml_line.match(line) else line for line in config[start:].splitlines())
    (project / "projekt.yaml").write_text(config[:start] + block + "\n", encoding="utf-8")
    year = date.today().year - 1  # init writes this year's period; the register ends before it
    rows = [[str(i), "KM"[i % 2], "30", f"{year}-02-01", f"{year}-06-01", "lön", ["arbete", "studier"][i // 2 % 2], "3"] for i in range(24)]
    write_register(project, rows, header=[*HEADER[:5], "Huvudsaklig försörjning före", *HEADER[6:]])
    result = run("build", project)
    assert result.exit_code == 0, result.output
    data = json.loads((project / "rapport" / "rapport.json").read_text(encoding="utf-8"))
    goals = [dict(zip(data["tabeller"]["maluppfyllelse"]["kolumner"], r, strict=True)) for r in data["tabeller"]["maluppfyllelse"]["rader"]]
    # 24 of 24 finished reached arbete or studier (Wilson interval 86–100 % > 40 %); 24 enrolled < 25
    assert [(g["taljare"], g["namnare"], g["uppnatt"]) for g in goals] == [(24, 24, "ja"), (24, None, "nej")]
    assert math.isclose(goals[0]["malvarde"], 0.4) and goals[1]["utfall"] == 24


def test_hostile_category_names_and_goal_texts_stay_text(tmp_path):
    from openpyxl import load_workbook

    project = tmp_path / "p"
    script, formula = "<script>alert(1)</script>", '=HYPERLINK("http://evil.example","x")'
    config = {
        "projekt": {"namn": "P", "period": {"start": "2025-01-01", "slut": "2025-12-31"}},
        "deltagare": {"fil": "deltagare.csv", "kategorier": {"status": {script: "förvärvsarbete", formula: "övriga"}}},
        "mal": [{"mal": "<b>fetstil</b>", "matt": "andel", "kategorier": [script], "malvarde": "10 %"}],
    }
    project.mkdir()
    (project / "projekt.yaml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    rows = [[str(i), "KM"[i % 2], "30", "2025-02-01", "2025-06-01", "lön", [script, formula][i % 3 == 0], "2"] for i in range(24)]
    write_register(project, rows, encoding="utf-8", sep=",")
    result = run("build", project)
    assert result.exit_code == 0, result.output
    html = (project / "rapport" / "rapport.html").read_text(encoding="utf-8")
    assert script not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<b>fetstil</b>" not in html
    wb = load_workbook(project / "rapport" / "rapport.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_bundle_empties_the_numbers_of_a_hidden_participant_row_even_if_handed_some():
    from slutrapport.render.bundle import render_bundle
    from slutrapport.report.model import Report

    flow = pd.DataFrame([["2025 H1", "Kvinnor", 3, 2, 1, True], ["Totalt", "Alla", 9, 2, 7, None]],
                        columns=["period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"])  # fmt: skip
    report = Report(title="T", subtitle="", facts={}, sections=[], generated="2026-01-01", tables={"deltagare_flode": flow})
    rows = json.loads(render_bundle(report))["tabeller"]["deltagare_flode"]["rader"]
    assert rows == [["2025 H1", "Kvinnor", None, None, None, True], ["Totalt", "Alla", None, None, None, True]]


# -- project totals shown, breakdowns protected (sekretess: deltagare: totaler:) ------------------------

# 14 participants, all finished, as in seed 000: 2 to work, 1 to an AF programme, 1 to studies, 2 to another
# project, 6 in need of long-term support, 2 on sick leave. Kvinnor 8, Män 6.
SMALL = [("K", "arbete"), ("M", "arbete"), ("K", "insats hos AF"), ("M", "studier"), ("K", "annat projekt"),
         ("M", "annat projekt"), *[("K", "behöver långsiktigt stöd")] * 4, *[("M", "behöver långsiktigt stöd")] * 2,
         ("K", "sjukskriven"), ("M", "sjukskriven")]  # fmt: skip


def _small_register(tmp_path):
    rows = [[str(i + 1), kon, "40", "2025-02-01", "2025-09-01", "försörjningsstöd", status, "4"] for i, (kon, status) in enumerate(SMALL)]
    return register(tmp_path, rows)


def test_fourteen_participants_show_every_project_count_and_share(tmp_path):
    register_ = _small_register(tmp_path)
    results = analyse_participants(register_, 5)
    totals = results.totals
    assert not totals["undertryckt"].any()
    assert cell(totals, "n", indelning="deltagare", kategori="inskrivna") == 14
    assert cell(totals, "n", indelning="deltagare", kategori="avslutade") == 14
    expected = {"arbete": 2, "studier": 1, "insats hos AF": 1, "annat projekt": 2, "behöver långsiktigt stöd": 6, "sjukskriven": 2}
    for status, n in expected.items():  # hand count of SMALL; share = n / 14 finished
        assert cell(totals, "n", indelning="status", kategori=status) == n
        assert cell(totals, "andel", indelning="status", kategori=status) == pytest.approx(n / 14)
        assert cell(results.outcome, "n", indelning="status", kategori=status, kon="Alla") == n
    nationell = {"förvärvsarbete": 2, "studier": 1, "aktivt arbetssökande": 1, "övriga": 10}
    for group, n in nationell.items():
        assert cell(totals, "n", indelning="nationell", kategori=group) == n
    # the kön breakdown: Kvinnor arbete = 1 is hidden, and with it everything it could be derived from
    assert cell(results.outcome, "undertryckt", indelning="status", kategori="arbete", kon="Kvinnor")
    assert cell(results.outcome, "undertryckt", indelning="status", kategori="arbete", kon="Män")  # = 2 - Kvinnor
    hidden = assert_nothing_hidden_can_be_computed(register_, results, 5)
    assert ("status", "arbete", "Kvinnor") in hidden


def test_totals_dolj_suppresses_the_project_counts_as_before(tmp_path):
    register_ = _small_register(tmp_path)
    results = analyse_participants(register_, 5, show_totals=False)
    assert not results.show_totals
    assert cell(results.totals, "undertryckt", indelning="status", kategori="arbete")  # 2 < 5
    assert cell(results.totals, "n", indelning="deltagare", kategori="inskrivna") == 14
    assert_nothing_hidden_can_be_computed(register_, results, 5)


def test_project_counts_are_never_suppressed(tmp_path):
    from slutrapport.analysis.participants import project_counts

    counts = project_counts(_small_register(tmp_path))
    assert cell(counts, "n", indelning="status", kategori="studier") == 1
    assert cell(counts, "n", indelning="deltagare", kategori="aktiva") == 0
    assert not counts["undertryckt"].any()


# -- follow-up after avslut, units and places ----------------------------------------------------------

FOLLOW_HEADER = [*HEADER, "Enhet", "Status 6 månader", "Status 12 månader"]
#: Report date 2025-12-31 (PERIOD). 6 months after avslut: due for avslut up to 2025-06-30; 12 months: none due.
FOLLOW = [
    ["1", "K", "30", "2025-01-10", "2025-03-10", "lön", "arbete", "3", "Ale", "arbete", ""],  # followed: arbete
    ["2", "K", "30", "2025-01-10", "2025-04-01", "lön", "studier", "3", "Ale", "Studier", ""],  # followed: studier
    ["3", "M", "30", "2025-01-10", "2025-05-20", "lön", "avbrott", "3", "Kungälv", "", ""],  # due, blank: bortfall
    ["4", "M", "30", "2025-01-10", "2025-06-30", "lön", "arbete", "3", "Kungälv", "ej nådd", ""],  # due, not reached: bortfall
    ["5", "K", "30", "2025-02-01", "2025-07-01", "lön", "arbete", "3", "Kungälv", "", ""],  # 2026-01-01 > report date: not due
    ["6", "M", "30", "2025-02-01", "2025-09-01", "lön", "sjukskriven", "3", "", "arbete", ""],  # early: warned, not due
    ["7", "K", "30", "2025-03-01", "", "lön", "", "3", "Ale", "", ""],  # active
]


def test_follow_up_counts_by_hand(tmp_path):
    register_ = register(tmp_path, FOLLOW, header=FOLLOW_HEADER)
    assert register_.follow_up == (6, 12) and register_.has_unit
    assert [p.kontroll for p in register_.report.warnings()] == ["uppföljning före sin tid"]
    results = analyse_participants(register_, 1)  # threshold 1: nothing hidden, every count checked
    table = results.follow_up

    def count(months, division, category, kon="Alla"):
        return cell(table, "n", manader=months, indelning=division, kategori=category, kon=kon)

    assert (count(6, "uppfoljning", "uppföljda"), count(6, "uppfoljning", "ej uppföljda än"), count(6, "uppfoljning", "bortfall")) == (2, 2, 2)
    assert (count(12, "uppfoljning", "uppföljda"), count(12, "uppfoljning", "ej uppföljda än")) == (0, 6)
    assert count(6, "status", "arbete") == 1 and count(6, "status", "studier") == 1 and count(6, "nationell", "förvärvsarbete") == 1
    assert count(6, "uppfoljning", "bortfall", "Män") == 2 and count(6, "uppfoljning", "uppföljda", "Kvinnor") == 2
    assert cell(table, "andel", manader=6, indelning="uppfoljning", kategori="uppföljda", kon="Alla") == pytest.approx(2 / 6)
    assert cell(table, "andel", manader=6, indelning="status", kategori="arbete", kon="Alla") == pytest.approx(1 / 2)


def test_follow_up_without_avslut_is_an_error_naming_row_and_column(tmp_path):
    rows = [*FOLLOW[:6], ["7", "K", "30", "2025-03-01", "", "lön", "", "3", "Ale", "arbete", ""]]
    found = problems(tmp_path, rows, header=FOLLOW_HEADER)
    assert [(p.rad, p.kolumn, p.varde, p.kontroll) for p in found if p.allvar == "fel"] == [(8, "Status 6 månader", "arbete", "uppföljning utan avslut")]
    rows = [*FOLLOW[:6], ["7", "K", "30", "2025-03-01", "2025-04-01", "lön", "arbete", "3", "Ale", "jobbar", ""]]
    found = problems(tmp_path, rows, header=FOLLOW_HEADER)
    assert [(p.rad, p.kolumn, p.varde) for p in found if p.allvar == "fel"] == [(8, "Status 6 månader", "jobbar")]


def test_places_per_period_and_unit_by_hand(tmp_path):
    register_ = register(tmp_path, FOLLOW, header=FOLLOW_HEADER)
    plan = PlacesPlan(total=6, periods={"2025 H1": 8}, units={"Ale": 3, "Kungälv": 4, "Borås": 2})
    places = analyse_participants(register_, 1, places=plan).places
    # 2025 H1: all 7 enrolled; active 2025-06-30: 4 (enrolled, avslut after 06-30) = 5, 6, 7 and 4? 4 ended on 06-30 → not active
    assert cell(places, "platser", period="2025 H1", enhet="Alla") == 8 and cell(places, "inskrivna", period="2025 H1", enhet="Alla") == 7
    assert cell(places, "aktiva", period="2025 H1", enhet="Alla") == 3
    assert cell(places, "belaggning", period="2025 H1", enhet="Alla") == pytest.approx(3 / 8)
    assert cell(places, "aktiva", period="2025 H2", enhet="Alla") == 1 and cell(places, "platser", period="2025 H2", enhet="Alla") == 6
    assert cell(places, "aktiva", period="2025 H1", enhet="Ale") == 1 and cell(places, "aktiva", period="2025 H1", enhet="Kungälv") == 1
    assert cell(places, "aktiva", period="2025 H1", enhet="enhet saknas") == 1 and cell(places, "platser", period="2025 H1", enhet="Ale") == 3
    assert cell(places, "inskrivna", period="2025 H1", enhet="Borås") == 0  # planned, nobody in the register
    with pytest.raises(RegisterValidationError) as info:
        analyse_participants(register_, 1, places=PlacesPlan(total=6, periods={"2025 H3": 8}))
    problem = info.value.report.problems[0]
    assert (problem.fil, problem.kolumn, problem.varde) == ("projekt.yaml", "platser: perioder: 2025 H3", "2025 H3")
    assert "2025 H1, 2025 H2" in problem.meddelande
    # a later period is no error (a delrapport ends before the project): it is not compared yet
    later = analyse_participants(register_, 1, places=PlacesPlan(total=6, periods={"2026 H1": 8})).places
    assert list(dict.fromkeys(later["period"])) == ["2025 H1", "2025 H2"]


@pytest.mark.parametrize("seed", range(4))
def test_random_registers_with_follow_up_and_units_hide_nothing_that_can_be_computed(tmp_path, seed):
    rng = random.Random(100 + seed)
    rows = []
    for number in range(rng.randint(12, 45)):
        start = date(2025, 1, 1).toordinal() + rng.randint(0, 200)
        finished = rng.random() < 0.75
        end = date.fromordinal(rng.randint(start + 5, date(2025, 12, 31).toordinal())) if finished else None
        follow = ""
        if end is not None and follow_up_date(end, 6) <= PERIOD[1]:
            follow = rng.choice([*STATUSES[:5], "", "ej nådd"])
        rows.append([f"p{number}", rng.choice(["K", "M"]), "30", date.fromordinal(start).isoformat(), end.isoformat() if end else "",
                     rng.choice(INCOMES), rng.choice(STATUSES) if end else "", "2", rng.choice(["Ale", "Kungälv", "Lerum"]), follow, ""])  # fmt: skip
    register_ = register(tmp_path, rows, header=FOLLOW_HEADER)
    results = analyse_participants(register_, 5, places=PlacesPlan(total=20, units={"Ale": 8, "Kungälv": 12}))
    assert results.follow_up is not None and results.places is not None
    assert_nothing_hidden_can_be_computed(register_, results, 5)
