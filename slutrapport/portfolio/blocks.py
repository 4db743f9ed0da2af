"""The portfolio model from the tidy portfolio tables: only reshaping, no statistics.

:func:`portfolio_model` builds the overview sections (key figures,
completeness, staff surveys, participants and goals, economy, problems) and
one page per project with the same blocks in the same order for every
project. Every number comes from :mod:`.tables` as it is; sentences come from
:mod:`slutrapport.wording.portfolio`. A cell hidden in a bundle is a
:class:`~slutrapport.report.model.Hidden` (shown as "–"), a value the bundle
does not have is ``None`` (an empty cell).
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

import pandas as pd

from slutrapport.core.problems import ValidationReport
from slutrapport.portfolio.collect import ALL, Collection
from slutrapport.portfolio.model import DIFF_MONEY, DIFF_PERCENT, MONEY, SHARE_RANGE, STATUS, ForestChart, ForestRow, Portfolio, Typed
from slutrapport.report.model import (
    COUNT,
    DIFF_MEAN,
    DIFF_SHARE,
    INTERVAL,
    MEAN,
    PROTECTED,
    PVALUE,
    SHARE,
    TEXT,
    Column,
    Paragraphs,
    Section,
    Subsection,
    Table,
)
from slutrapport.wording import portfolio as wording

__all__ = ["portfolio_model", "HIDDEN_NOTE"]

HIDDEN_NOTE = (
    "– = skyddat i projektets rapport av anonymitetsskäl. "
    "Tom ruta = uppgiften finns inte i rapportfilen."
)
_HIDDEN = PROTECTED
_KON_ORDER = {ALL: 0, "Kvinnor": 1, "Män": 2}


def _v(value: Any) -> Any:
    """A table value for the model: NaN/NA → None, numpy scalars → Python."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _shown(value: Any, hidden: Any) -> Any:
    return _HIDDEN if bool(_v(hidden)) else _v(value)


def _same(name: str) -> str:
    return " ".join(name.split()).casefold()


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts with NaN/NA as None (faster than DataFrame rows for hundreds of projects)."""
    return [{k: _v(v) for k, v in row.items()} for row in table.to_dict("records")]


class _Builder:
    def __init__(self, tables: dict[str, pd.DataFrame], collection: Collection) -> None:
        self.collection = collection
        self.r = {name: _records(table) for name, table in tables.items()}
        self.by_project: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {}
        for name, records in self.r.items():
            grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for record in records:
                grouped.setdefault((record["projekt"], record["projektperiod"]), []).append(record)
            self.by_project[name] = grouped
        names = Counter(_same(r["projekt"]) for r in self.r["projekt"])
        self.labels = {
            (r["projekt"], r["projektperiod"]): (
                f"{r['projekt']} ({r['projektperiod']})" if names[_same(r["projekt"])] > 1 and r["projektperiod"] else r["projekt"]
            )
            for r in self.r["projekt"]
        }
        self.anchors = {key: f"projekt-{number}" for number, key in enumerate(self.labels, start=1)}

    def label(self, row: dict[str, Any]) -> str:
        return self.labels[(row["projekt"], row["projektperiod"])]

    def rows_of(self, table: str, key: tuple[str, str]) -> list[dict[str, Any]]:
        return self.by_project[table].get(key, [])

    # -- overview --------------------------------------------------------------

    def overview(self) -> Section:
        projects = self.r["projekt"]
        complete = sum(1 for r in projects if r["saknade"] == 0 and r["ej_bedomda"] == 0)
        left_out = self.collection.found - len(projects)
        templates = len({r["mall"] for r in projects})
        texts = wording.overview_sentences(len(projects), templates, complete, self.collection.found, left_out)
        columns = [
            Column("Projekt"), Column("Mall"),
            Column("Ifyllda", COUNT, "Obligatoriska rubriker"), Column("Krävda", COUNT, "Obligatoriska rubriker"),
            Column("Minskningar", COUNT, "Personalenkät"),
            Column("Inskrivna", COUNT, "Deltagare"), Column("Avslutade", COUNT, "Deltagare"),
            Column("Uppnådda", COUNT, "Mål"), Column("Totalt", COUNT, "Mål"),
            Column("Budget", MONEY, "Ekonomi"), Column("Utfall", MONEY, "Ekonomi"),
            Column("Avvikelse", DIFF_MONEY, "Ekonomi"), Column("Avvikelse %", DIFF_PERCENT, "Ekonomi"),
            Column("Per deltagare", MONEY, "Kostnad"), Column("Per avslutad", MONEY, "Kostnad"),
        ]  # fmt: skip
        rows = [
            [
                self.label(r), r["mall"], r["ifyllda"], r["kravda"], r["signifikanta_minskningar"],
                _shown(r["inskrivna"], r["deltagare_undertryckt"]), _shown(r["avslutade"], r["deltagare_undertryckt"]),
                r["mal_uppnadda"], r["mal_antal"], r["budget_totalt"], r["utfall_totalt"], r["avvikelse_kr"],
                r["avvikelse_procent"], r["kostnad_per_deltagare"], r["kostnad_per_avslutad"],
            ]
            for r in projects
        ]  # fmt: skip
        notes = [
            "Minskningar: antal index i personalenkäten med en statistiskt säkerställd minskning från den första "
            "till den sista enkäten (projektets primära test, Holm-justerat p < 0,05).",
            HIDDEN_NOTE,
        ]
        table = Table("Nyckeltal per projekt", columns, rows, notes=notes, sheet_title="Översikt")
        return Section(id="oversikt", number="1", title="Översikt", blocks=[Paragraphs(texts), table], expects_text=False)

    # -- completeness ----------------------------------------------------------

    def completeness(self) -> Section:
        records = self.r["fullstandighet"]
        blocks: list = [Paragraphs([
            "Rubrikerna som projektets mall kräver: ✓ = ifylld (text eller beräknat innehåll), ✗ = saknas, "
            "? = inte bedömd, tom ruta = rubriken finns inte i projektets version av mallen. Projekt med olika mallar "
            "visas i var sin tabell, sorterade efter hur många rubriker som saknas (flest först)."
        ])]  # fmt: skip
        by_template: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_template.setdefault(record["mall"], []).append(record)
        for template_id, rows in by_template.items():
            blocks.append(Subsection(f"{rows[0]['mall_namn']} ({template_id})", [self._matrix(template_id, rows)]))
        if not records:
            blocks.append(Paragraphs(["Ingen av rapporterna har obligatoriska rubriker."]))
        return Section(id="fullstandighet", number="2", title="Fullständighet", blocks=blocks, expects_text=False)

    def _matrix(self, template_id: str, rows: list[dict[str, Any]]) -> Table:
        headings = sorted({r["ordning"]: r for r in reversed(rows)}.values(), key=lambda r: r["ordning"])
        labels = [h["nummer"] or h["rubrik"] for h in headings]
        columns = [Column("Projekt"), Column("Saknas", COUNT)] + [Column(label, STATUS, "Rubriker") for label in labels]
        projects: dict[tuple[str, str], dict[int, str]] = {}
        for r in rows:
            projects.setdefault((r["projekt"], r["projektperiod"]), {})[r["ordning"]] = r["status"]
        body = [
            [self.labels[key], sum(1 for v in status.values() if v == "saknas")] + [status.get(h["ordning"]) for h in headings]
            for key, status in projects.items()
        ]
        legend = "; ".join(f"{label} = {h['rubrik']}" for label, h in zip(labels, headings, strict=True) if label != h["rubrik"])
        notes = [f"Rubriker: {legend}."] if legend else []
        return Table(f"Obligatoriska rubriker, {template_id}", columns, body, notes=notes)

    # -- staff surveys ---------------------------------------------------------

    _SURVEY_COLUMNS = (
        Column("Sista enkät"), Column("n", COUNT, "Sista enkäten"), Column("Medel", MEAN, "Sista enkäten"),
        Column("Andel positiva", SHARE, "Sista enkäten"),
        Column("Medel", DIFF_MEAN, "Förändring första → sista enkäten"), Column("p", PVALUE, "Förändring första → sista enkäten"),
        Column("Andel positiva", DIFF_SHARE, "Förändring första → sista enkäten"),
        Column("95 % KI", INTERVAL, "Förändring första → sista enkäten"),
        Column("Säkerställd minskning", TEXT, "Förändring första → sista enkäten"),
    )  # fmt: skip
    _SURVEY_NOTES = (
        "Förändring: skillnaden i medelvärde (p: Wilcoxons eller Mann–Whitneys test, justerat inom sin familj i projektets "
        "rapport) och i andel positiva med 95 % konfidensintervall (Newcombe), för alla svarande.",
        "Säkerställd minskning: rangtestet visar en förskjutning nedåt och p < 0,05 i projektets primära familj av test (Holm-justerat); "
        "ett index som inte är primärt i projektets rapport (statistik: primar: fragor) markeras aldrig.",
        HIDDEN_NOTE,
    )

    @staticmethod
    def _survey_cells(r: dict[str, Any]) -> list:
        level, change = r["undertryckt_sista"], r["forandring_undertryckt"]
        if bool(change):
            interval: Any = _HIDDEN
        else:
            interval = (r["ci_lag"], r["ci_hog"]) if r["ci_lag"] is not None and r["ci_hog"] is not None else None
        return [
            r["sista_enkat"], _shown(r["n_sista"], level), _shown(r["medel_sista"], level),
            _shown(r["andel_positiva_sista"], level), _shown(r["diff_medel"], change), _shown(r["p_corr_medel"], change),
            _shown(r["diff_andel_positiva"], change), interval, "ja ▼" if r["signifikant_minskning"] else "",
        ]  # fmt: skip

    def surveys(self) -> Section:
        records = self.r["personalenkat"]
        if not records:
            blocks: list = [Paragraphs(["Ingen av rapporterna innehåller resultat från en personalenkät."])]
            return Section(id="personalenkat", number="3", title="Personalenkäter", blocks=blocks, expects_text=False)
        declines = [(self.label(r), r["index"], r["diff_medel"], r["p_corr_medel"]) for r in records if r["signifikant_minskning"]]
        blocks = [Paragraphs(wording.decline_sentences(declines))]
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in records:
            if r["jamforbar"]:
                groups.setdefault(r["jamforelsegrupp"], []).append(r)
        sizes = {g: len({(r["projekt"], r["projektperiod"]) for r in rows}) for g, rows in groups.items()}
        for group in sorted(groups, key=lambda g: (-sizes[g], g)):
            blocks.append(self._survey_group(groups[group], sizes[group]))
        others = list({(r["projekt"], r["projektperiod"]): r for r in reversed(records) if not r["jamforbar"]}.values())[::-1]
        if others:
            blocks.append(Subsection("Personalenkäter som inte jämförs med andra projekts", [self._other_instruments(others)]))
        return Section(id="personalenkat", number="3", title="Personalenkäter", blocks=blocks, expects_text=False)

    def _survey_group(self, rows: list[dict[str, Any]], projects: int) -> Subsection:
        first = rows[0]
        low, high = int(first["skala_min"]), int(first["skala_max"])
        blocks: list = [Paragraphs([wording.survey_group_sentence(
            projects, first["instrument_namn"], first["instrument"], low, high, first["positiva"]
        )])]  # fmt: skip
        by_index: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            by_index.setdefault(r["index_id"], []).append(r)
        for cells in by_index.values():
            name = cells[0]["index"]
            body = [[self.label(r)] + self._survey_cells(r) for r in cells]
            table = Table(f"{name}: nivå vid sista enkäten och förändring", [Column("Projekt"), *self._SURVEY_COLUMNS], body,
                          notes=list(self._SURVEY_NOTES))  # fmt: skip
            blocks.append(Subsection(name, [table, self._forest(name, cells)]))
        return Subsection(f"{first['instrument_namn']} (skala {low}–{high})", blocks)

    def _forest(self, name: str, cells: list[dict[str, Any]]) -> ForestChart:
        rows, hidden = [], []
        for r in cells:
            if r["forandring_undertryckt"] or r["diff_andel_positiva"] is None:
                hidden.append(self.label(r))
                continue
            rows.append(ForestRow(self.label(r), float(r["diff_andel_positiva"]), r["ci_lag"], r["ci_hog"], bool(r["signifikant_minskning"])))
        return ForestChart(
            title=f"{name}: förändring i andel positiva, första till sista enkäten",
            rows=rows,
            x_label="Förändring i andel positiva (procentenheter)",
            flag_label="säkerställd minskning av medelvärdet (primärt test, Holm-justerat p < 0,05)",
            hidden=hidden,
        )

    def _other_instruments(self, others: list[dict[str, Any]]) -> Table:
        columns = [Column("Projekt"), Column("Instrument"), Column("Skala"), Column("Enkäter"), Column("Varför inte jämförd")]
        body = []
        for r in others:
            if not r["jamforelsegrupp"]:
                instrument, scale = "okänt", ""
                reason = "rapportfilen anger inte vilket instrument och vilken skala enkäten hade"
            else:
                instrument = f"{r['instrument_namn']} ({r['instrument']})"
                scale = f"{int(r['skala_min'])}–{int(r['skala_max'])}, positiva {r['positiva'].replace(',', ', ')}"
                reason = "inget annat projekt i portföljen använde samma instrument och skala"
            body.append([self.label(r), instrument, scale, f"{r['forsta_enkat']} – {r['sista_enkat']}", reason])
        notes = ["Projektens egna resultat finns på projektsidorna; de läggs aldrig på en gemensam skala med andra projekts."]
        return Table("Projekt med andra instrument", columns, body, notes=notes)

    # -- participants and goals ------------------------------------------------

    @staticmethod
    def _kons(rows: list[dict[str, Any]]) -> list[str]:
        return sorted(dict.fromkeys(r["kon"] for r in rows), key=lambda k: (_KON_ORDER.get(k, 3), k))

    @staticmethod
    def _flow_cell(row: dict[str, Any] | None, column: str) -> Any:
        return None if row is None else _shown(row[column], row["undertryckt"])

    def participants(self) -> Section:
        flow, outcome, goals = self.r["deltagare"], self.r["utfall"], self.r["mal"]
        blocks: list = []
        lacking = [label for key, label in self.labels.items() if not self.rows_of("deltagare", key)]
        if lacking:
            blocks.append(Paragraphs([f"Uppgifter om deltagare saknas i rapportfilerna för: {', '.join(lacking)}."]))
        if flow:
            kons = self._kons(flow)
            columns = ([Column("Projekt")] + [Column(k, COUNT, "Inskrivna") for k in kons] + [Column(k, COUNT, "Avslutade") for k in kons]
                       + [Column(ALL, COUNT, "Aktiva")])  # fmt: skip
            body = []
            for key, rows in self.by_project["deltagare"].items():
                by_kon = {r["kon"]: r for r in rows}
                cells = [self._flow_cell(by_kon.get(k), "inskrivna") for k in kons] + [self._flow_cell(by_kon.get(k), "avslutade") for k in kons]
                body.append([self.labels[key]] + cells + [self._flow_cell(by_kon.get(ALL), "aktiva")])
            blocks.append(Table("Deltagare per projekt och kön, hela projekttiden", columns, body, notes=[HIDDEN_NOTE]))
        if outcome:
            blocks.append(self._outcome_table(outcome, with_project=True))
        blocks.append(self._cost_table())
        if goals:
            blocks.append(self._goal_table(goals, with_project=True))
        else:
            blocks.append(Paragraphs(["Ingen av rapporterna anger mål med måluppfyllelse."]))
        return Section(id="deltagare", number="4", title="Deltagare och mål", blocks=blocks, expects_text=False)

    def _outcome_table(self, outcome: list[dict[str, Any]], with_project: bool) -> Table:
        categories = list(dict.fromkeys(r["kategori"] for r in outcome))
        columns = ([Column("Projekt")] if with_project else []) + [Column("Kön")] + [Column(c, SHARE, "Andel av avslutade") for c in categories]
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in outcome:
            grouped.setdefault((r["projekt"], r["projektperiod"]), []).append(r)
        body = []
        for key, rows in grouped.items():
            for kon in self._kons(rows):
                cells = {r["kategori"]: _shown(r["andel"], r["undertryckt"]) for r in rows if r["kon"] == kon}
                body.append(([self.labels[key]] if with_project else []) + [kon] + [cells.get(c) for c in categories])
        return Table("Utfall vid avslut i de nationella grupperna", columns, body, notes=[HIDDEN_NOTE])

    def _cost_table(self) -> Table:
        columns = [Column("Projekt"), Column("Utfall", MONEY), Column("Inskrivna", COUNT), Column("Avslutade", COUNT),
                   Column("Kostnad per deltagare", MONEY), Column("Kostnad per avslutad deltagare", MONEY)]  # fmt: skip
        body = [
            [self.label(r), r["utfall_totalt"], _shown(r["inskrivna"], r["deltagare_undertryckt"]),
             _shown(r["avslutade"], r["deltagare_undertryckt"]), r["kostnad_per_deltagare"], r["kostnad_per_avslutad"]]
            for r in self.r["projekt"]
        ]  # fmt: skip
        notes = ["Kostnaderna per deltagare är projektens egna nyckeltal; de visas inte när antalet deltagare är dolt.", HIDDEN_NOTE]
        return Table("Kostnad per deltagare", columns, body, notes=notes)

    def _goal_table(self, goals: list[dict[str, Any]], with_project: bool) -> Table:
        columns = ([Column("Projekt")] if with_project else []) + [
            Column("Mål"), Column("Målvärde", MEAN), Column("Utfall", MEAN), Column("Täljare", COUNT), Column("Nämnare", COUNT),
            Column("95 % KI", SHARE_RANGE), Column("Uppnått"),
        ]  # fmt: skip
        body = []
        for r in goals:
            kind = SHARE if r["matt"] in ("andel", "andel_svar") else COUNT
            interval = (r["ci_lag"], r["ci_hog"]) if kind == SHARE and r["ci_lag"] is not None and r["ci_hog"] is not None else None
            cells = [r["mal"], Typed(r["malvarde"], kind), Typed(r["utfall"], kind), r["taljare"], r["namnare"], interval, r["uppnatt"]]
            body.append(([self.label(r)] if with_project else []) + cells)
        notes = ["Mål som andel: utfall = täljare / nämnare med 95 % konfidensintervall (Wilson). "
                 "Uppnått: ja eller nej (utfallet mot målvärdet), delvis (projektets egen bedömning av ett kvalitativt mål) "
                 "eller osäkert (utfallet är dolt eller saknar underlag). I rapporter före schemaversion 1.4 betyder osäkert "
                 "också att intervallet omfattar målvärdet."]  # fmt: skip
        return Table("Måluppfyllelse per mål", columns, body, notes=notes)

    # -- economy -----------------------------------------------------------------

    _ECONOMY_COLUMNS = (Column("Budget", MONEY), Column("Utfall", MONEY), Column("Avvikelse", DIFF_MONEY), Column("Avvikelse %", DIFF_PERCENT))

    @staticmethod
    def _economy_cells(r: dict[str, Any]) -> list:
        return [r["budget"], r["utfall"], r["avvikelse_kr"], r["avvikelse_procent"]]

    def economy(self) -> Section:
        projects = self.r["projekt"]
        blocks: list = []
        lacking = [self.label(r) for r in projects if r["budget_totalt"] is None]
        if lacking:
            blocks.append(Paragraphs([f"Ekonomisk redovisning saknas i rapportfilerna för: {', '.join(lacking)}."]))
        body = [
            [self.label(r), r["budget_totalt"], r["utfall_totalt"], r["avvikelse_kr"], r["avvikelse_procent"]]
            for r in projects
            if r["budget_totalt"] is not None
        ]
        if body:
            notes = ["Avvikelse = utfall − budget; i procent av budgeten."]
            blocks.append(Table("Budget och utfall per projekt, hela projekttiden", [Column("Projekt"), *self._ECONOMY_COLUMNS], body, notes=notes))
        if self.r["ekonomi"]:
            rows = [[self.label(r), r["kategori"]] + self._economy_cells(r) for r in self.r["ekonomi"]]
            blocks.append(Table("Budget och utfall per kostnadsslag", [Column("Projekt"), Column("Kostnadsslag"), *self._ECONOMY_COLUMNS], rows))
        return Section(id="ekonomi", number="5", title="Ekonomi", blocks=blocks, expects_text=False)

    # -- problems --------------------------------------------------------------

    def problems(self) -> Section | None:
        report: ValidationReport = self.collection.report
        if not report.problems:
            return None
        ordered = report.errors() + report.warnings()
        body = [[p.fil, p.allvar, p.kolumn or "", p.meddelande] for p in ordered]
        columns = [Column("Fil"), Column("Allvar"), Column("Tabell/kolumn"), Column("Meddelande")]
        text = Paragraphs([f"{len(report.errors())} fel och {len(report.warnings())} varningar. En fil med fel ingår inte "
                           "i portföljen; de andra filerna ingår."])  # fmt: skip
        return Section(id="problem", number="6", title="Problem vid inläsningen", blocks=[text, Table("Problem", columns, body)], expects_text=False)

    # -- one page per project --------------------------------------------------

    def page(self, key: tuple[str, str], bundle: Any) -> Section:
        project = self.rows_of("projekt", key)[0]
        facts = bundle.facts
        info = [
            ["Projektperiod", key[1]],
            ["Projektägare", facts.get("Projektägare") or ""],
            ["Finansiär", facts.get("Finansiär") or ""],
            ["Mall", f"{bundle.template_name} ({bundle.template_id})"],
            ["Rapporten skapad", bundle.created],
        ]
        blocks = [
            Table("Projektuppgifter", [Column("Uppgift"), Column("Värde")], info),
            Subsection("Fullständighet", self._page_completeness(key, project)),
            Subsection("Personalenkät", self._page_survey(key)),
            Subsection("Deltagare", self._page_participants(key, project)),
            Subsection("Mål", self._page_goals(key, project)),
            Subsection("Ekonomi", self._page_economy(key, project)),
        ]
        return Section(id=self.anchors[key], number=None, title=self.labels[key], blocks=blocks, expects_text=False)

    @staticmethod
    def _heading(r: dict[str, Any]) -> str:
        return f"{r['nummer']} {r['rubrik']}" if r["nummer"] else r["rubrik"]

    def _page_completeness(self, key: tuple[str, str], project: dict[str, Any]) -> list:
        rows = self.rows_of("fullstandighet", key)
        missing = [self._heading(r) for r in rows if r["status"] == "saknas"]
        text = wording.completeness_sentence(project["kravda"], project["ifyllda"], missing, project["ej_bedomda"])
        body = [[self._heading(r), r["status"], r["saknas"]] for r in rows]
        table = Table("Obligatoriska rubriker", [Column("Rubrik"), Column("Status", STATUS), Column("Vad saknas")], body)
        return [Paragraphs([text]), table]

    def _page_survey(self, key: tuple[str, str]) -> list:
        rows = self.rows_of("personalenkat", key)
        if not rows:
            return [Paragraphs(["Rapporten innehåller inga resultat från en personalenkät."])]
        first = rows[0]
        if first["instrument"]:
            name = f"{first['instrument_namn']} ({first['instrument']}, skala {int(first['skala_min'])}–{int(first['skala_max'])})"
        else:
            name = "okänt instrument (anges inte i rapportfilen)"
        text = f"Instrument: {name}. Första enkäten: {first['forsta_enkat']}; sista enkäten: {first['sista_enkat']}."
        body = [[r["index"]] + self._survey_cells(r) for r in rows]
        table = Table("Index för alla svarande", [Column("Index"), *self._SURVEY_COLUMNS], body, notes=list(self._SURVEY_NOTES))
        return [Paragraphs([text]), table]

    def _page_participants(self, key: tuple[str, str], project: dict[str, Any]) -> list:
        flow = self.rows_of("deltagare", key)
        if not flow:
            return [Paragraphs(["Rapporten innehåller inga uppgifter om deltagare."])]
        hidden = bool(project["deltagare_undertryckt"])
        blocks: list = [Paragraphs([wording.participants_sentence(project["inskrivna"], project["avslutade"], hidden)])]
        by_kon = {r["kon"]: r for r in flow}
        body = [[kon] + [_shown(by_kon[kon][c], by_kon[kon]["undertryckt"]) for c in ("inskrivna", "aktiva", "avslutade")] for kon in self._kons(flow)]
        columns = [Column("Kön"), Column("Inskrivna", COUNT), Column("Aktiva", COUNT), Column("Avslutade", COUNT)]
        blocks.append(Table("Deltagare, hela projekttiden", columns, body, notes=[HIDDEN_NOTE]))
        outcome = self.rows_of("utfall", key)
        if outcome:
            blocks.append(self._outcome_table(outcome, with_project=False))
        costs = [["Kostnad per deltagare", project["kostnad_per_deltagare"]], ["Kostnad per avslutad deltagare", project["kostnad_per_avslutad"]]]
        blocks.append(Table("Kostnad per deltagare", [Column("Nyckeltal"), Column("Kronor", MONEY)], costs))
        return blocks

    def _page_goals(self, key: tuple[str, str], project: dict[str, Any]) -> list:
        if project["mal_antal"] is None:
            return [Paragraphs(["Rapporten innehåller inga mål med måluppfyllelse."])]
        text = wording.goals_sentence(
            project["mal_antal"], project["mal_uppnadda"], project["mal_ej_uppnadda"], project["mal_osakra"], project.get("mal_delvis") or 0
        )
        goals = self.rows_of("mal", key)
        return [Paragraphs([text])] + ([self._goal_table(goals, with_project=False)] if goals else [])

    def _page_economy(self, key: tuple[str, str], project: dict[str, Any]) -> list:
        economy = self.rows_of("ekonomi", key)
        if not economy and project["budget_totalt"] is None:
            return [Paragraphs(["Rapporten innehåller ingen ekonomisk redovisning."])]
        text = wording.economy_sentence(project["budget_totalt"], project["utfall_totalt"], project["avvikelse_kr"], project["avvikelse_procent"])
        blocks: list = [Paragraphs([text])]
        if economy:
            body = [[r["kategori"]] + self._economy_cells(r) for r in economy]
            blocks.append(Table("Budget och utfall per kostnadsslag", [Column("Kostnadsslag"), *self._ECONOMY_COLUMNS], body))
        return blocks


def portfolio_model(tables: dict[str, pd.DataFrame], collection: Collection, generated: str | None = None) -> Portfolio:
    """The portfolio document: overview sections, one page per project and the problems found."""
    builder = _Builder(tables, collection)
    sections = [builder.overview(), builder.completeness(), builder.surveys(), builder.participants(), builder.economy()]
    problems = builder.problems()
    if problems is not None:
        sections.append(problems)
    bundles = {(b.name, b.period): b for b in collection.bundles}
    pages = [builder.page(key, bundles[key]) for key in builder.labels]
    templates = Counter(b.template_id for b in collection.bundles)
    facts = {
        "Projekt": str(len(collection.bundles)),
        "Mallar": ", ".join(f"{t} ({n})" for t, n in sorted(templates.items())),
        "Rapportfiler": f"{collection.found} hittade, {len(collection.bundles)} ingår",
    }
    if collection.template:
        facts["Urval"] = f"bara projekt med mallen {collection.template} (--template)"
    return Portfolio(
        title="Projektportfölj",
        subtitle=f"Jämförelse av {len(collection.bundles)} slutrapporter",
        generated=generated or date.today().isoformat(),
        facts=facts,
        sections=sections,
        pages=pages,
        tables=tables,
        problems=collection.report,
    )

