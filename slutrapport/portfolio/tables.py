"""The portfolio's tidy tables: pure functions of the collected bundles, fixed documented columns.

Every project is identified by ``projekt`` (``Projektets namn``) and
``projektperiod`` (``Projektperiod``). Numbers are taken from the bundles as
they are: nothing is recomputed, and a cell a bundle hides (``undertryckt``)
stays hidden with empty numbers. Shares are fractions 0–1, money kronor.

``projekt`` (:data:`PROJECT_COLUMNS`, ``portfolio_projekt.csv``), one row per project
    ``mall, mall_namn, skapad, schemaversion``; completeness ``kravda, ifyllda,
    saknade, ej_bedomda`` (required headings by status); the staff survey
    ``instrument, instrument_namn, enkater, jamforelsegrupp,
    signifikanta_minskningar`` (indices with a certain decline first → last);
    participants ``inskrivna, aktiva, avslutade, deltagare_undertryckt`` (period
    Totalt, kon Alla); goals ``mal_antal, mal_uppnadda, mal_ej_uppnadda,
    mal_osakra`` (and, last, ``mal_delvis``: qualitative goals the project judged partly met); economy ``budget_totalt, utfall_totalt, avvikelse_kr,
    avvikelse_procent`` (the ekonomi row Totalt × Totalt, else budget and
    outcome from ekonomi_nyckeltal) and ``kostnad_per_deltagare,
    kostnad_per_avslutad`` (ekonomi_nyckeltal). Empty when the bundle lacks the table.
``fullstandighet`` (:data:`COMPLETENESS_COLUMNS`), one row per project × required heading
    ``mall, mall_namn, projekt, projektperiod, ordning, rubrik_id, nummer, rubrik,
    status, saknas``: ``ordning`` is the heading's place among the required
    headings of the template (union over its bundles), ``status`` ``ifylld``,
    ``saknas`` or ``ej bedömd``, ``saknas`` what is missing ("; "-joined). Sorted
    by template, then projects by the number of missing headings (most first).
``personalenkat`` (:data:`SURVEY_COLUMNS`), one row per project × index, grupp Alla
    ``jamforelsegrupp`` (``id|min-max|positiva``; empty when the instrument is
    unknown) and ``jamforbar`` (at least two projects share it); the level at
    the last wave ``n_sista, medel_sista, andel_positiva_sista,
    undertryckt_sista``; the change first → last from ``forandringar``:
    ``parad, n_fran, n_till, n_par, diff_medel, p_corr_medel`` (the ordinal
    test: Wilcoxon or Mann–Whitney), ``diff_andel_positiva, ci_lag, ci_hog,
    p_corr_andel`` (the share test; the interval is for the share), and
    ``forandring_undertryckt`` (the first or last cell is hidden: the change is
    hidden too); ``signifikant_minskning`` = ``p_corr_medel < 0.05`` and
    the rank test's own direction downwards (the sign of its ``effekt``, the
    rank-biserial r; ``diff_medel`` only when a bundle has no ``effekt``), for a test of the project's primary family only
    (``familj`` ``primär``; a bundle before 1.2 has no ``familj`` and its
    ``p_corr`` is Holm over every test of the report, which is stricter).
``deltagare`` (:data:`PARTICIPANT_COLUMNS`): ``deltagare_flode`` rows of period Totalt.
``utfall`` (:data:`OUTCOME_COLUMNS`): ``deltagare_utfall`` rows of indelning nationell.
``mal`` (:data:`GOAL_COLUMNS`): ``maluppfyllelse`` as it is.
``ekonomi`` (:data:`ECONOMY_COLUMNS`): ``ekonomi`` rows of period Totalt (each kategori and Totalt).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from slutrapport.analysis.families import PRIMARY
from slutrapport.portfolio.collect import ALL, TOTAL, PortfolioBundle
from slutrapport.wording.survey import ORDINAL_TESTS, SHARE_TESTS, SIGNIFICANCE

__all__ = [
    "PROJECT_COLUMNS",
    "COMPLETENESS_COLUMNS",
    "SURVEY_COLUMNS",
    "PARTICIPANT_COLUMNS",
    "OUTCOME_COLUMNS",
    "GOAL_COLUMNS",
    "ECONOMY_COLUMNS",
    "TABLE_COLUMNS",
    "INTEGER_COLUMNS",
    "NOT_ASSESSED",
    "instrument_key",
    "completeness_table",
    "survey_table",
    "participants_table",
    "outcomes_table",
    "goals_table",
    "economy_table",
    "projects_table",
    "portfolio_tables",
]

KEY = ["projekt", "projektperiod"]
PROJECT_COLUMNS = KEY + [
    "mall", "mall_namn", "skapad", "schemaversion", "kravda", "ifyllda", "saknade", "ej_bedomda",
    "instrument", "instrument_namn", "enkater", "jamforelsegrupp", "signifikanta_minskningar",
    "inskrivna", "aktiva", "avslutade", "deltagare_undertryckt",
    "mal_antal", "mal_uppnadda", "mal_ej_uppnadda", "mal_osakra",
    "budget_totalt", "utfall_totalt", "avvikelse_kr", "avvikelse_procent", "kostnad_per_deltagare", "kostnad_per_avslutad",
    "mal_delvis",
]  # fmt: skip
COMPLETENESS_COLUMNS = ["mall", "mall_namn"] + KEY + ["ordning", "rubrik_id", "nummer", "rubrik", "status", "saknas"]
SURVEY_COLUMNS = [
    "jamforelsegrupp", "jamforbar", "instrument", "instrument_namn", "skala_min", "skala_max", "positiva", *KEY,
    "index_id", "index", "forsta_enkat", "sista_enkat", "n_sista", "medel_sista", "andel_positiva_sista",
    "undertryckt_sista", "parad", "n_fran", "n_till", "n_par", "diff_medel", "p_corr_medel", "diff_andel_positiva",
    "ci_lag", "ci_hog", "p_corr_andel", "forandring_undertryckt", "signifikant_minskning",
]  # fmt: skip
PARTICIPANT_COLUMNS = KEY + ["kon", "inskrivna", "aktiva", "avslutade", "undertryckt"]
OUTCOME_COLUMNS = KEY + ["kategori", "kon", "n", "andel", "undertryckt"]
GOAL_COLUMNS = KEY + ["id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"]
ECONOMY_COLUMNS = KEY + ["kategori", "budget", "utfall", "avvikelse_kr", "avvikelse_procent"]

#: table name → columns; the CSV file of a table is ``portfolio_<name>.csv``.
TABLE_COLUMNS = {
    "projekt": PROJECT_COLUMNS,
    "fullstandighet": COMPLETENESS_COLUMNS,
    "personalenkat": SURVEY_COLUMNS,
    "deltagare": PARTICIPANT_COLUMNS,
    "utfall": OUTCOME_COLUMNS,
    "mal": GOAL_COLUMNS,
    "ekonomi": ECONOMY_COLUMNS,
}
#: Count columns, written as whole numbers.
INTEGER_COLUMNS = frozenset({
    "kravda", "ifyllda", "saknade", "ej_bedomda", "enkater", "signifikanta_minskningar", "inskrivna", "aktiva",
    "avslutade", "mal_antal", "mal_uppnadda", "mal_ej_uppnadda", "mal_osakra", "mal_delvis", "ordning", "skala_min", "skala_max",
    "n_sista", "n_fran", "n_till", "n_par", "n", "taljare", "namnare",
})  # fmt: skip
NOT_ASSESSED = "ej bedömd"
_ORDER = ("ifylld", "saknas")



def _direction(row: dict[str, Any]) -> float:
    """The sign a rank test decided (its rank-biserial ``effekt``), not the mean's: answers can spread out."""
    for column in ("effekt", "diff_medel"):
        value = row.get(column)
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return 0.0


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def _key(bundle: PortfolioBundle) -> dict[str, str]:
    return {"projekt": bundle.name, "projektperiod": bundle.period}


def instrument_key(instrument: dict[str, Any] | None) -> str:
    """``id|min-max|positiva`` (e.g. ``samverkan|1-5|4,5``): projects are compared only within one key."""
    if instrument is None:
        return ""
    scale = instrument["skala"]
    return f"{instrument['id']}|{scale['min']}-{scale['max']}|{','.join(map(str, scale['positiva']))}"


# -- completeness --------------------------------------------------------------


def _required(bundle: PortfolioBundle) -> list[dict[str, Any]]:
    return [h for h in bundle.headings if h["kravs"]]


def completeness_table(bundles: list[PortfolioBundle]) -> pd.DataFrame:
    """Projects × required headings of their template (:data:`COMPLETENESS_COLUMNS`)."""
    by_template: dict[str, list[PortfolioBundle]] = {}
    for bundle in bundles:
        by_template.setdefault(bundle.template_id, []).append(bundle)
    rows = []
    for template_id in sorted(by_template):
        group = by_template[template_id]
        order: dict[str, int] = {}
        for bundle in group:
            for heading in _required(bundle):
                order.setdefault(heading["id"], len(order) + 1)

        def rank(bundle: PortfolioBundle, order: dict[str, int] = order) -> tuple:
            statuses = [(h["status"], order[h["id"]]) for h in _required(bundle)]
            missing = sorted(o for s, o in statuses if s == "saknas")
            unknown = sum(1 for s, _ in statuses if s not in _ORDER)
            return (-len(missing), -unknown, missing, bundle.name.casefold(), bundle.period)

        for bundle in sorted(group, key=rank):
            for heading in _required(bundle):
                status = heading["status"] if heading["status"] in _ORDER else NOT_ASSESSED
                rows.append(
                    {
                        "mall": template_id,
                        "mall_namn": bundle.template_name,
                        **_key(bundle),
                        "ordning": order[heading["id"]],
                        "rubrik_id": heading["id"],
                        "nummer": heading["nummer"],
                        "rubrik": heading["rubrik"],
                        "status": status,
                        "saknas": "; ".join(heading["saknas"] or []),
                    }
                )
    return _frame(rows, COMPLETENESS_COLUMNS)


# -- staff surveys -------------------------------------------------------------


def _change(rows: list[dict[str, Any]], tests: tuple[str, ...]) -> dict[str, Any] | None:
    return next((r for r in rows if r["test"] in tests), None)


def _survey_rows(bundle: PortfolioBundle, group: str) -> list[dict[str, Any]]:
    cells = bundle.tables.get("jamforelse", [])
    if not cells or not bundle.waves:
        return []
    first, last = bundle.waves[0], bundle.waves[-1]
    level = {(str(c["id"]), str(c["enkat"])): c for c in cells}
    changes: dict[str, list[dict[str, Any]]] = {}
    if first != last:
        for row in bundle.tables.get("forandringar", []):
            if row["fran"] == first and row["till"] == last:
                changes.setdefault(str(row["id"]), []).append(row)
    instrument = bundle.instrument
    scale = instrument["skala"] if instrument else None
    out = []
    for index_id, name in dict.fromkeys((str(c["id"]), str(c["text"])) for c in cells):
        at_last = level.get((index_id, last))
        at_first = level.get((index_id, first))
        hidden_last = at_last is None or bool(at_last["undertryckt"])
        hidden_change = hidden_last or at_first is None or bool(at_first["undertryckt"])
        ordinal = None if hidden_change else _change(changes.get(index_id, []), ORDINAL_TESTS)
        share = None if hidden_change else _change(changes.get(index_id, []), SHARE_TESTS)
        base = ordinal or share or {}
        interval = share or ordinal or {}
        decline = (
            ordinal is not None
            and ordinal.get("familj") in (None, PRIMARY)
            and ordinal["p_corr"] is not None
            and ordinal["p_corr"] < SIGNIFICANCE
            and _direction(ordinal) < 0
        )
        out.append(
            {
                "jamforelsegrupp": group,
                "jamforbar": False,
                "instrument": instrument["id"] if instrument else "",
                "instrument_namn": instrument["namn"] if instrument else "",
                "skala_min": scale["min"] if scale else None,
                "skala_max": scale["max"] if scale else None,
                "positiva": ",".join(map(str, scale["positiva"])) if scale else "",
                **_key(bundle),
                "index_id": index_id,
                "index": name,
                "forsta_enkat": first,
                "sista_enkat": last,
                "n_sista": None if hidden_last else at_last["n"],
                "medel_sista": None if hidden_last else at_last["medel"],
                "andel_positiva_sista": None if hidden_last else at_last["andel_positiva"],
                "undertryckt_sista": hidden_last,
                "parad": base.get("parad"),
                "n_fran": base.get("n_fran"),
                "n_till": base.get("n_till"),
                "n_par": base.get("n_par"),
                "diff_medel": base.get("diff_medel"),
                "p_corr_medel": ordinal["p_corr"] if ordinal else None,
                "diff_andel_positiva": base.get("diff_andel_positiva"),
                "ci_lag": interval.get("ci_lag"),
                "ci_hog": interval.get("ci_hog"),
                "p_corr_andel": share["p_corr"] if share else None,
                "forandring_undertryckt": hidden_change and first != last,
                "signifikant_minskning": decline,
            }
        )
    return out


def survey_table(bundles: list[PortfolioBundle]) -> pd.DataFrame:
    """Each index's level at the last wave and its change first → last, per project (:data:`SURVEY_COLUMNS`)."""
    rows = []
    for bundle in bundles:
        rows += _survey_rows(bundle, instrument_key(bundle.instrument) if bundle.instrument_known else "")
    table = _frame(rows, SURVEY_COLUMNS)
    if len(table):
        projects = table.drop_duplicates(KEY + ["jamforelsegrupp"])
        counts = projects[projects["jamforelsegrupp"] != ""].groupby("jamforelsegrupp").size()
        table["jamforbar"] = table["jamforelsegrupp"].map(counts).fillna(0).ge(2)
        table = table.sort_values(["jamforelsegrupp", "projekt", "projektperiod"], kind="stable", key=_casefold)
    return table.reset_index(drop=True)


def _casefold(column: pd.Series) -> pd.Series:
    return column.str.casefold() if column.dtype == object else column


# -- participants, goals, economy ----------------------------------------------


def _copy_rows(bundles: list[PortfolioBundle], table: str, columns: list[str]) -> pd.DataFrame:
    rows = [{**_key(b), **{c: r[c] for c in columns[2:]}} for b in bundles for r in b.tables.get(table, [])]
    return _frame(rows, columns)


def participants_table(bundles: list[PortfolioBundle]) -> pd.DataFrame:
    """Enrolled, active and finished participants for the whole project, per kon (:data:`PARTICIPANT_COLUMNS`)."""
    return _copy_rows(bundles, "deltagare_flode", PARTICIPANT_COLUMNS)


def outcomes_table(bundles: list[PortfolioBundle]) -> pd.DataFrame:
    """Finished participants' status in the national groups, per kon (:data:`OUTCOME_COLUMNS`)."""
    return _copy_rows(bundles, "deltagare_utfall", OUTCOME_COLUMNS)


def goals_table(bundles: list[PortfolioBundle]) -> pd.DataFrame:
    """Every project's goals and their attainment (:data:`GOAL_COLUMNS`)."""
    return _copy_rows(bundles, "maluppfyllelse", GOAL_COLUMNS)


def economy_table(bundles: list[PortfolioBundle]) -> pd.DataFrame:
    """Budget against outcome per kategori and in total, for the whole period (:data:`ECONOMY_COLUMNS`)."""
    return _copy_rows(bundles, "ekonomi", ECONOMY_COLUMNS)


# -- key figures ---------------------------------------------------------------


def _count(statuses: list[str | None], value: str | None) -> int:
    return sum(1 for s in statuses if s == value)


def _project_row(bundle: PortfolioBundle, declines: int) -> dict[str, Any]:
    statuses = [h["status"] for h in _required(bundle)]
    row: dict[str, Any] = {
        **_key(bundle),
        "mall": bundle.template_id,
        "mall_namn": bundle.template_name,
        "skapad": bundle.created,
        "schemaversion": bundle.schema_version,
        "kravda": len(statuses),
        "ifyllda": _count(statuses, "ifylld"),
        "saknade": _count(statuses, "saknas"),
        "ej_bedomda": sum(1 for s in statuses if s not in _ORDER),
        "instrument": bundle.instrument["id"] if bundle.instrument else None,
        "instrument_namn": bundle.instrument["namn"] if bundle.instrument else None,
        "enkater": len(bundle.waves) if bundle.has_survey else None,
        "jamforelsegrupp": instrument_key(bundle.instrument) if bundle.has_survey and bundle.instrument_known else None,
        "signifikanta_minskningar": declines if bundle.has_survey else None,
    }
    flow = next((r for r in bundle.tables.get("deltagare_flode", []) if r["kon"] == ALL), None)
    row |= {
        "inskrivna": flow["inskrivna"] if flow else None,
        "aktiva": flow["aktiva"] if flow else None,
        "avslutade": flow["avslutade"] if flow else None,
        "deltagare_undertryckt": flow["undertryckt"] if flow else None,
    }
    goals = bundle.tables.get("maluppfyllelse")
    outcome = [g["uppnatt"] for g in goals or []]
    row |= {
        "mal_antal": len(outcome) if goals is not None else None,
        "mal_uppnadda": _count(outcome, "ja") if goals is not None else None,
        "mal_ej_uppnadda": _count(outcome, "nej") if goals is not None else None,
        "mal_osakra": _count(outcome, "osäkert") if goals is not None else None,
        "mal_delvis": _count(outcome, "delvis") if goals is not None else None,  # 1.4: qualitative goals
    }
    total = next((r for r in bundle.tables.get("ekonomi", []) if r["kategori"] == TOTAL), None)
    figures = {r["matt"]: r["varde"] for r in bundle.tables.get("ekonomi_nyckeltal", [])}
    row |= {
        "budget_totalt": total["budget"] if total else figures.get("budget_totalt"),
        "utfall_totalt": total["utfall"] if total else figures.get("utfall_totalt"),
        "avvikelse_kr": total["avvikelse_kr"] if total else None,
        "avvikelse_procent": total["avvikelse_procent"] if total else None,
        "kostnad_per_deltagare": figures.get("kostnad_per_deltagare"),
        "kostnad_per_avslutad": figures.get("kostnad_per_avslutad"),
    }
    return row


def projects_table(bundles: list[PortfolioBundle], survey: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row of key figures per project, in the collection's order (:data:`PROJECT_COLUMNS`)."""
    survey = survey_table(bundles) if survey is None else survey
    declines = survey[survey["signifikant_minskning"].astype(bool)].groupby(KEY).size().to_dict() if len(survey) else {}
    rows = [_project_row(b, int(declines.get((b.name, b.period), 0))) for b in bundles]
    return _frame(rows, PROJECT_COLUMNS)


def portfolio_tables(bundles: list[PortfolioBundle]) -> dict[str, pd.DataFrame]:
    """Every tidy table of the portfolio by name (the keys of :data:`TABLE_COLUMNS`)."""
    survey = survey_table(bundles)
    return {
        "projekt": projects_table(bundles, survey),
        "fullstandighet": completeness_table(bundles),
        "personalenkat": survey,
        "deltagare": participants_table(bundles),
        "utfall": outcomes_table(bundles),
        "mal": goals_table(bundles),
        "ekonomi": economy_table(bundles),
    }
