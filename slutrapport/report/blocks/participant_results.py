"""Blocks for the whole project's participant counts, the follow-up after avslut and the planned places.

Only reshaping happens here: every number comes from
:class:`~slutrapport.analysis.participants.ParticipantResults` as it is
(``totals``, ``follow_up``, ``places``), every sentence from
:mod:`slutrapport.wording.participant_results`. A hidden count becomes
:data:`~.model.PROTECTED`, shown as "–".
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.participants import NATIONAL, STATUS, ParticipantResults
from slutrapport.report.charting import describe
from slutrapport.report.model import COUNT, PROTECTED, SHARE, Column, GroupedBarChart, Paragraphs, Subsection, Table, for_appendix
from slutrapport.wording.participant_results import follow_up_sentences, places_sentences

__all__ = ["totals_table", "follow_up_blocks", "places_blocks"]

_FLOW_LABELS = {"inskrivna": "Inskrivna", "aktiva": "Aktiva vid rapportdatumet", "avslutade": "Avslutade"}
_GROUP_LABELS = {"uppföljda": "Uppföljda", "ej uppföljda än": "Ej uppföljda än (tiden har inte gått)", "bortfall": "Bortfall"}


def _value(row, column: str):
    if bool(row["undertryckt"]):
        return PROTECTED
    value = row[column]
    return None if pd.isna(value) else value


def _hidden_note(frame: pd.DataFrame, min_n: int) -> list[str]:
    if not bool(frame["undertryckt"].any()):
        return []
    return [f"– = dolt: färre än {min_n} deltagare, eller dolt för att ett litet antal annars skulle kunna räknas fram ur andra tal."]


def totals_table(results: ParticipantResults) -> Table:
    """Enrolled, active and finished participants and the finished per status, for the whole project, with shares."""
    totals = results.totals
    rows = []
    for r in totals[totals["indelning"] == "deltagare"].to_dict("records"):
        rows.append([_FLOW_LABELS[r["kategori"]], _value(r, "n"), _value(r, "andel")])
    for division, prefix in ((STATUS, "Status vid avslut"), (NATIONAL, "Nationell grupp")):
        for r in totals[totals["indelning"] == division].to_dict("records"):
            rows.append([f"{prefix}: {r['kategori']}", _value(r, "n"), _value(r, "andel")])
    notes = ["Andel: aktiva och avslutade av de inskrivna, statusar och nationella grupper av de avslutade."]
    if results.show_totals:
        notes.append("Hela projektets antal visas även när de är små; uppdelningarna per kön, ålder, period och enhet skyddas.")
    return Table(caption="Hela projektet: deltagare och status vid avslut", columns=[Column("Deltagare"), Column("Antal", COUNT),
                 Column("Andel", SHARE)], rows=rows, notes=notes + _hidden_note(totals, results.min_n),
                 sheet_title="Deltagare hela projektet")  # fmt: skip


def _follow_up_table(results: ParticipantResults, months: int, division: str) -> Table:
    table = results.follow_up
    part = table[(table["manader"] == months) & (table["indelning"] == division)]
    heading = {"uppfoljning": "Uppföljning", STATUS: "Status", NATIONAL: "Sysselsättning"}[division]
    columns = [Column(heading)]
    for gender in results.genders:
        columns += [Column("Antal", COUNT, gender), Column("Andel", SHARE, gender)]
    rows = []
    for category in dict.fromkeys(part["kategori"]):
        cells: list = [_GROUP_LABELS.get(category, category)]
        for gender in results.genders:
            row = part[(part["kategori"] == category) & (part["kon"] == gender)].iloc[0]
            cells += [_value(row, "n"), _value(row, "andel")]
        rows.append(cells)
    if division == "uppfoljning":
        caption = f"Uppföljning {months} månader efter avslut, avslutade deltagare"
        extra = [f"Andel av de avslutade deltagarna av samma kön. Ej uppföljda än: {months} månader efter avslut hade inte gått vid "
                 f"rapportdatumet {results.report_date.isoformat()}. Bortfall: tiden har gått men ingen status finns, eller "
                 "deltagaren nåddes inte."]  # fmt: skip
    else:
        which = "med projektets kategorier" if division == STATUS else "enligt den nationella uppföljningen"
        caption = f"Status {months} månader efter avslut {which}, uppföljda deltagare"
        extra = ["Andel av de uppföljda deltagarna av samma kön."]
    return Table(caption=caption, columns=columns, rows=rows, notes=extra + _hidden_note(part, results.min_n),
                 sheet_title=f"Uppföljning {months} mån" + ("" if division == "uppfoljning" else f" {division}"))  # fmt: skip


def follow_up_blocks(results: ParticipantResults) -> list:
    """One subsection per follow-up (6, 12 months): sentences, the groups, the status and the national groups."""
    table = results.follow_up
    if table is None or table.empty:
        return []
    blocks = []
    for months in dict.fromkeys(table["manader"]):
        months = int(months)
        blocks.append(Subsection(f"Uppföljning {months} månader efter avslut", [
            Paragraphs(follow_up_sentences(table, months)),
            _follow_up_table(results, months, "uppfoljning"),  # the groups in the report, the statuses in the appendix
            *for_appendix(*(_follow_up_table(results, months, division) for division in (STATUS, NATIONAL))),
        ]))  # fmt: skip
    return blocks


def places_blocks(results: ParticipantResults) -> list:
    """The planned places against the enrolled and active participants per period (and unit), as a table and a chart."""
    places = results.places
    if places is None or places.empty:
        return []
    units = places["enhet"].nunique() > 1
    columns = [Column("Period"), *([Column("Enhet")] if units else []), Column("Planerade platser", COUNT),
               Column("Inskrivna under perioden", COUNT), Column("Aktiva vid periodens slut", COUNT), Column("Beläggning", SHARE)]  # fmt: skip
    rows = []
    for r in places.to_dict("records"):
        planned = None if pd.isna(r["platser"]) else r["platser"]
        rows.append([r["period"], *([r["enhet"]] if units else []), planned, _value(r, "inskrivna"), _value(r, "aktiva"), _value(r, "belaggning")])
    notes = [f"Beläggning = aktiva vid periodens slut delat med planerade platser (sista perioden: vid rapportdatumet {results.report_date.isoformat()})."]
    table = Table(caption="Planerade platser och deltagare per period", columns=columns, rows=rows,
                  notes=notes + _hidden_note(places, results.min_n), sheet_title="Platser")  # fmt: skip
    project = places[places["enhet"] == "Alla"]
    chart = GroupedBarChart(
        title="Planerade platser och aktiva deltagare vid periodens slut",
        labels=list(project["period"]),
        series=[
            ("Planerade platser", [None if pd.isna(v) else float(v) for v in project["platser"]]),
            ("Aktiva deltagare", [None if h or pd.isna(v) else float(v) for v, h in zip(project["aktiva"], project["undertryckt"], strict=True)]),
        ],
        y_label="Antal",
        notes=["Hela projektet. En period utan stapel för aktiva: antalet är dolt av anonymitetsskäl."] if project["undertryckt"].any() else [],
    )
    n = "n = de aktiva deltagarna i hela projektet vid varje periods slut (antalen står i tabellen)."
    describe(chart, table.caption, n)
    return [Subsection("Platser och beläggning", [Paragraphs(places_sentences(places)), chart, *for_appendix(table)])]
