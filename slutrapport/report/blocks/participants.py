"""Blocks for the participant section (Individperspektiv, 6.4 Brukare …); the goal table is :mod:`.goals`.

Only reshaping happens here: every number comes from
:class:`~slutrapport.analysis.participants.ParticipantResults` or
:class:`~slutrapport.analysis.goals.GoalResults` as it is, every sentence from
:mod:`slutrapport.wording.survey`. A hidden count becomes
:class:`~.model.Hidden`, shown as "–".
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.participants import NATIONAL, STATUS, ParticipantResults
from slutrapport.report.blocks.participant_results import follow_up_blocks, places_blocks, totals_table
from slutrapport.report.model import COUNT, MEAN, PROTECTED, SHARE, Column, Paragraphs, Subsection, Table, TextList, for_appendix
from slutrapport.sources.register.participants import NATIONAL_INCOME, NATIONAL_STATUS
from slutrapport.wording.participants import participant_summary

__all__ = ["participant_blocks"]

_HIDDEN = PROTECTED
_PERIOD_WORDS = {"halvar": "halvår", "kvartal": "kvartal", "ar": "år", "manad": "månad"}
#: The period in its definite form and "the last period" (månad is a common-gender word: månaden, den sista månaden).
_PERIOD_DEFINITE = {
    "halvar": ("halvåret", "det sista halvåret"),
    "kvartal": ("kvartalet", "det sista kvartalet"),
    "ar": ("året", "det sista året"),
    "manad": ("månaden", "den sista månaden"),
}
_GENDER_CAPTIONS = {"Alla": "alla", "Kvinnor": "kvinnor", "Män": "män", "Annat/ej angivet": "annat eller ej angivet kön"}


def _value(row: pd.Series, column: str):
    if bool(row["undertryckt"]):
        return _HIDDEN
    value = row[column]
    return None if pd.isna(value) else value


def _hidden_note(min_n: int) -> str:
    return (
        f"– = dolt: färre än {min_n} deltagare, eller dolt för att ett litet antal annars skulle kunna räknas fram "
        "ur totalerna eller ur andra tabeller."
    )


def _notes(frames: list[pd.DataFrame], min_n: int, extra: list[str] | None = None) -> list[str]:
    notes = list(extra or [])
    if any(bool(frame["undertryckt"].any()) for frame in frames):
        notes.append(_hidden_note(min_n))
    return notes


def _flow_table(results: ParticipantResults) -> Table:
    flow = results.flow
    columns = [Column("Period")]
    for gender in results.genders:
        columns += [Column("Inskrivna", COUNT, gender), Column("Aktiva", COUNT, gender), Column("Avslutade", COUNT, gender)]
    rows = []
    for period in dict.fromkeys(flow["period"]):
        cells: list = [period]
        for gender in results.genders:
            row = flow[(flow["period"] == period) & (flow["kon"] == gender)].iloc[0]
            cells += [_value(row, c) for c in ("inskrivna", "aktiva", "avslutade")]
        rows.append(cells)
    word = _PERIOD_WORDS[results.period]
    definite, last = _PERIOD_DEFINITE[results.period]
    definition = (
        f"Inskrivna och avslutade = under {definite}; aktiva = inskrivna och inte avslutade vid {definite}s slut "
        f"(för {last} och Totalt: vid rapportdatumet {results.report_date.isoformat()})."
    )
    return Table(
        caption=f"Inskrivna, aktiva och avslutade deltagare per {word} och kön",
        columns=columns,
        rows=rows,
        notes=_notes([flow], results.min_n, [definition]),
        sheet_title="Deltagare per period",
    )


def _outcome_table(results: ParticipantResults, division: str, caption: str) -> Table:
    outcome = results.outcome[results.outcome["indelning"] == division]
    finished = results.time.set_index("kon")  # n = the finished participants of each kön
    columns = [Column("Status vid avslut" if division == STATUS else "Sysselsättning vid avslut")]
    for gender in results.genders:
        columns += [Column("Antal", COUNT, gender), Column("Andel", SHARE, gender)]
    rows = []
    for category in dict.fromkeys(outcome["kategori"]):
        cells: list = [category]
        for gender in results.genders:
            row = outcome[(outcome["kategori"] == category) & (outcome["kon"] == gender)].iloc[0]
            cells += [_value(row, "n"), _value(row, "andel")]
        rows.append(cells)
    total: list = ["Avslutade totalt"]
    for gender in results.genders:
        row = finished.loc[gender]
        total += [_value(row, "n"), None]
    rows.append(total)
    extra = ["Andel = andel av de avslutade deltagarna av samma kön; visas inte när antalet avslutade är dolt."]
    return Table(caption=caption, columns=columns, rows=rows, notes=_notes([outcome], results.min_n, extra))


def _grouping_list(groups: dict[str, str], national: tuple[str, ...], title: str) -> TextList:
    items = []
    for group in national:
        members = [name for name, g in groups.items() if g == group]
        items.append(f"{group}: {', '.join(members) if members else '(inga kategorier)'}")
    return TextList(title, items)


def _income_tables(results: ParticipantResults) -> list:
    income = results.income
    blocks: list = []
    for gender in results.genders:
        rows = []
        for before in NATIONAL_INCOME:
            cells: list = [before]
            for after in NATIONAL_STATUS:
                row = income[(income["fore"] == before) & (income["efter"] == after) & (income["kon"] == gender)].iloc[0]
                cells.append(_value(row, "n"))
            rows.append(cells)
        part = income[income["kon"] == gender]
        blocks.append(
            Table(
                caption=f"Försörjning vid inskrivning och sysselsättning vid avslut, avslutade deltagare: {_GENDER_CAPTIONS[gender]}",
                columns=[Column("Försörjning vid inskrivning"), *[Column(after, COUNT, "Sysselsättning vid avslut") for after in NATIONAL_STATUS]],
                rows=rows,
                notes=_notes([part], results.min_n),
                appendix=len(blocks) > 0,  # all participants in the report itself, women and men in the appendix
            )
        )
    blocks += for_appendix(_grouping_list(results.income_groups, NATIONAL_INCOME, "Så räknas försörjningen in i grupperna"))
    return blocks


def _time_table(results: ParticipantResults) -> Table:
    time = results.time
    columns = [Column("Kön"), Column("Avslutade", COUNT), Column("Dagar i projektet, medel", MEAN), Column("Dagar i projektet, median", MEAN)]
    if results.has_meetings:
        columns.append(Column("Möten per deltagare, medel", MEAN))
    rows = []
    for gender in results.genders:
        row = time[time["kon"] == gender].iloc[0]
        cells = [gender, _value(row, "n"), _value(row, "medel_dagar"), _value(row, "median_dagar")]
        if results.has_meetings:
            cells.append(_value(row, "moten_medel"))
        rows.append(cells)
    extra = ["Dagar = kalenderdagar från inskrivningsdatum till avslutsdatum."]
    if results.has_meetings:
        extra.append("Möten räknas för de avslutade deltagare som har ett antal möten i registret.")
    return Table(caption="Tid i projektet och antal möten, avslutade deltagare", columns=columns, rows=rows,
                 notes=_notes([time], results.min_n, extra))  # fmt: skip


def _age_table(results: ParticipantResults) -> Table | None:
    ages = results.ages
    if ages is None or ages.empty:
        return None
    rows = []
    for group in dict.fromkeys(ages["aldersgrupp"]):
        cells: list = [group]
        for gender in results.genders:
            cells.append(_value(ages[(ages["aldersgrupp"] == group) & (ages["kon"] == gender)].iloc[0], "n"))
        rows.append(cells)
    return Table(
        caption="Inskrivna deltagare per åldersgrupp och kön",
        columns=[Column("Åldersgrupp"), *[Column(gender, COUNT, "Antal inskrivna") for gender in results.genders]],
        rows=rows,
        notes=_notes([ages], results.min_n),
    )


def _method(results: ParticipantResults) -> list:
    texts = [
        (
            f"Tabellerna bygger på deltagarregistret {results.file}, en rad per deltagare, med uppgifterna fram till "
            f"rapportdatumet {results.report_date.isoformat()}. Registret innehåller inga namn eller personnummer."
        ),
        (
            "Statusen vid avslut redovisas både med projektets egna kategorier och med den nationella uppföljningens "
            "indelning (förvärvsarbete, studier, aktivt arbetssökande och övriga). Försörjningen vid inskrivning "
            "grupperas som ohälsa, arbetsmarknadsstöd, ekonomiskt bistånd och ingen offentlig försörjning."
        ),
        (
            (
                "Hela projektets antal (inskrivna, aktiva, avslutade och de avslutade per status) visas även när de är små: "
                "ett antal för hela projektet pekar inte ut någon. I uppdelningarna per kön, ålder, period och enhet visas "
                f"inte antal med färre än {results.min_n} deltagare. "
                if results.show_totals
                else f"Antal med färre än {results.min_n} deltagare visas inte. "
            )
            + "Eftersom tabellerna hänger ihop (kvinnor och män blir alla, perioderna blir totalen, statusarna blir de "
            "nationella grupperna och de avslutade) döljs också så många andra tal att inget dolt antal går att räkna fram "
            "ur de tal som visas, i någon av tabellerna."
        ),
    ]
    if results.anonymous:
        texts.append("I tabellerna ingår också deltagare som inte har samtyckt till registrering och som därför räknas anonymt.")
    blocks: list = [Paragraphs(texts), _grouping_list(results.status_groups, NATIONAL_STATUS, "Så räknas statusarna in i de nationella grupperna")]
    if results.warnings:
        items = [(f"rad {p.rad}, " if p.rad is not None else "") + (f"kolumn ”{p.kolumn}”: " if p.kolumn else "") + p.meddelande for p in results.warnings]
        blocks.append(TextList(f"Anmärkningar vid inläsningen av {results.file}", items))
    return blocks


def participant_blocks(results: ParticipantResults) -> list:
    """The participant section: summary, flow, outcome, försörjning → status, time, age, method."""
    outcome_blocks: list = [
        _outcome_table(results, STATUS, "Status vid avslut per kön, avslutade deltagare"),
        # the whole project's national groups stand in the totals table; per kön in the appendix
        *for_appendix(_outcome_table(results, NATIONAL, "Sysselsättning vid avslut enligt den nationella uppföljningen, avslutade deltagare")),
    ]
    blocks: list = [
        Subsection("Deltagarna i korthet", [Paragraphs(participant_summary(results))]),
        Subsection("Hela projektets resultat", [totals_table(results)]),
        Subsection("Inskrivna, aktiva och avslutade deltagare", [_flow_table(results)]),
        *places_blocks(results),
        Subsection("Status vid avslut", outcome_blocks),
        *follow_up_blocks(results),
        Subsection("Försörjning före och sysselsättning efter", _income_tables(results)),
        Subsection("Tid i projektet", [_time_table(results)], appendix=True),
    ]
    ages = _age_table(results)
    if ages is not None:
        blocks.append(Subsection("Ålder", [ages], appendix=True))
    blocks.append(Subsection("Om deltagarregistret", _method(results), appendix=True))
    return blocks
