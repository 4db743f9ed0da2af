"""Bundles (rapport.json) for portfolio tests, built the way ``build`` writes them.

:func:`bundle` renders a real :class:`~slutrapport.report.model.Report` with
:func:`~slutrapport.render.bundle.render_bundle` (headings, completeness,
comparison and change tables, instrument) and adds the participant, goal and
economy tables of the contract (:func:`contract_tables`), which ``build``
writes once the participant and economy sources are merged. Every number is
chosen here so that tests can check the portfolio against it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from slutrapport.analysis.changes import CHANGE_COLUMNS
from slutrapport.analysis.describe import CONTRACT_COLUMNS
from slutrapport.render.bundle import render_bundle
from slutrapport.report.model import Completeness, Report, Section

RAR = "rar-slutrapport"
SOS = "socialstyrelsen-kompetens"
SAMVERKAN = {"id": "samverkan", "namn": "Personalenkät om samverkan", "min": 1, "max": 5, "positiva": [4, 5]}

#: (id, rubrik, kravs) of a short RAR-like template
HEADINGS = [("sammanfattning", "Sammanfattning", True), ("uppdraget", "Uppdraget", True), ("ekonomi", "Ekonomisk redovisning", True),
            ("personalenkat", "Resultat personalenkät", True), ("bilaga", "Bilaga", False)]  # fmt: skip


def _table(columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"kolumner": columns, "rader": rows}


def contract_tables(
    enrolled: tuple[int, int, int] = (40, 22, 18),
    active: tuple[int, int, int] = (10, 6, 4),
    finished: tuple[int, int, int] = (30, 16, 14),
    hidden_kon: tuple[str, ...] = (),
    budget: tuple[float, float] = (2_000_000, 200_000),
    outcome: tuple[float, float] = (1_900_000, 230_000),
    cost_per_participant: float | None = 53_250.0,
) -> dict[str, dict[str, Any]]:
    """Participant, goal and economy tables as the contract describes them (kon Alla, Kvinnor, Män)."""
    flow = []
    for number, kon in enumerate(("Alla", "Kvinnor", "Män")):
        hidden = kon in hidden_kon
        values = [None, None, None] if hidden else [enrolled[number], active[number], finished[number]]
        flow.append(["2025 H1", kon, *([None, None, None] if hidden else [enrolled[number] // 2, active[number], finished[number] // 2]), hidden])
        flow.append(["Totalt", kon, *values, hidden])
    categories = ["förvärvsarbete", "studier", "aktivt arbetssökande", "övriga"]
    shares = [[12, 6, 8, 4], [7, 3, 4, 2], [5, 3, 4, 2]]  # Alla 30 = 12 + 6 + 8 + 4; Kvinnor 16; Män 14
    result = [["status", "Arbete", "Alla", 12, 12 / 30, False]]
    for number, kon in enumerate(("Alla", "Kvinnor", "Män")):
        counts = [n * finished[number] // sum(shares[number]) for n in shares[number]]  # the shares above, of other totals
        for category, n in zip(categories, counts, strict=True):
            hidden = kon in hidden_kon
            result.append(["nationell", category, kon, None if hidden else n, None if hidden else n / finished[number], hidden])
    goals = [
        ["m1", "60 % går vidare till arbete eller studier", "andel", 0.6, 18, 30, 0.6, 0.423, 0.755, "osäkert"],
        ["m2", "Minst 35 deltagare", "antal", 35, None, None, enrolled[0], None, None, "ja"],
        ["m3", "Hälften av männen i arbete", "andel", 0.5, 5, 14, 5 / 14, 0.163, 0.612, "nej"],
    ]
    economy = []
    for category, planned, spent in (("Personal", budget[0], outcome[0]), ("Lokal", budget[1], outcome[1])):
        economy.append([category, "2025", planned / 2, spent / 2, (spent - planned) / 2, (spent - planned) / planned])
        economy.append([category, "Totalt", planned, spent, spent - planned, (spent - planned) / planned])
    total_budget, total_outcome = sum(budget), sum(outcome)
    economy.append(["Totalt", "Totalt", total_budget, total_outcome, total_outcome - total_budget, (total_outcome - total_budget) / total_budget])
    figures = [["budget_totalt", total_budget], ["utfall_totalt", total_outcome], ["deltagare", enrolled[0]], ["avslutade", finished[0]],
               ["kostnad_per_deltagare", cost_per_participant],
               ["kostnad_per_avslutad", None if cost_per_participant is None else total_outcome / finished[0]]]  # fmt: skip
    return {
        "deltagare_flode": _table(["period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"], flow),
        "deltagare_utfall": _table(["indelning", "kategori", "kon", "n", "andel", "undertryckt"], result),
        "maluppfyllelse": _table(["id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"], goals),
        "ekonomi": _table(["kategori", "period", "budget", "utfall", "avvikelse_kr", "avvikelse_procent"], economy),
        "ekonomi_nyckeltal": _table(["matt", "varde"], figures),
    }


def survey_tables(
    waves: tuple[str, ...] = ("Enkät 1", "Enkät 2"),
    levels: dict[str, tuple[str, list[tuple[int, float, float] | None]]] | None = None,
    changes: dict[str, tuple[float, ...]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``jamforelse`` and ``forandringar``. ``levels``: index → (name, per wave (n, medel, andel) or None = hidden);
    ``changes``: index → (diff_medel, p_corr wilcoxon, diff_andel, ci_lag, ci_hog, p_corr mcnemar[, effekt wilcoxon]),
    first → last; the rank test's effect defaults to ±0.3 in the direction of ``diff_medel``."""
    levels = levels or {"a": ("Index A", [(20, 3.5, 0.5), (18, 3.8, 0.61)]), "b": ("Index B", [(20, 4.0, 0.7), (18, 3.6, 0.4)])}
    changes = changes if changes is not None else {"a": (0.3, 0.2, 0.11, -0.05, 0.27, 0.4), "b": (-0.4, 0.01, -0.3, -0.5, -0.1, 0.02)}
    rows = []
    for index, (name, cells) in levels.items():
        for wave, cell in zip(waves, cells, strict=True):
            hidden = cell is None
            n, mean, share = (None, None, None) if hidden else cell
            rows.append({"niva": "index", "id": index, "text": name, "grupp": "Alla", "enkat": wave, "n": n, "medel": mean,
                         "sd": None if hidden else 0.7, "median": None if hidden else mean, "andel_positiva": share,
                         "undertryckt": hidden})  # fmt: skip
            rows.append({"niva": "index", "id": index, "text": name, "grupp": "AF", "enkat": wave, "n": None, "medel": None,
                         "sd": None, "median": None, "andel_positiva": None, "undertryckt": True})  # fmt: skip
            rows.append({"niva": "fraga", "id": "q1", "text": "Fråga ett", "grupp": "Alla", "enkat": wave, "n": 20, "medel": 9.9,
                         "sd": 0.1, "median": 9.9, "andel_positiva": 0.99, "undertryckt": False})  # fmt: skip
    comparison = pd.DataFrame(rows).reindex(columns=list(CONTRACT_COLUMNS))
    change_rows = []
    first, last = waves[0], waves[-1]
    for index, (diff, p, share, low, high, p_share, *effect) in changes.items():
        rank_effect = effect[0] if effect else (0.3 if diff >= 0 else -0.3)
        base = {"niva": "index", "id": index, "grupp": "Alla", "fran": first, "till": last, "parad": True, "n_fran": 20,
                "n_till": 18, "n_par": 15, "diff_medel": diff, "diff_andel_positiva": share, "ci_lag": low, "ci_hog": high,
                "statistika": 10.0, "p_unc": p / 2}  # fmt: skip
        primary, exploratory = {"familj": "primär", "justering": "holm"}, {"familj": "utforskande", "justering": "bh"}
        change_rows.append(base | primary | {"test": "wilcoxon", "p_corr": p, "effekt": rank_effect, "effektmatt": "rangbiserial"})
        change_rows.append(base | exploratory | {"test": "mcnemar", "p_corr": p_share, "effekt": share, "effektmatt": "andelsskillnad"})
        change_rows.append(base | exploratory | {"grupp": "AF", "test": "wilcoxon", "p_corr": 0.001, "diff_medel": -9.0})
    return comparison, pd.DataFrame(change_rows).reindex(columns=CHANGE_COLUMNS)


def bundle(
    name: str,
    period: str = "2025-01-01 – 2026-06-30",
    *,
    template: str = RAR,
    headings: list[tuple[str, str, bool]] = HEADINGS,
    missing: tuple[str, ...] = (),
    instrument: dict[str, Any] | None = SAMVERKAN,
    survey: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    waves: tuple[str, ...] = ("Enkät 1", "Enkät 2"),
    contract: dict[str, dict[str, Any]] | None = None,
    created: str = "2026-06-30",
    version: str = "1.2",
    facts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One bundle as ``build`` writes it; ``missing`` are the heading ids without content."""
    sections, completeness = [], []
    for heading_id, title, required in headings:
        filled = heading_id not in missing
        sections.append(Section(id=heading_id, number=str(len(sections) + 1), title=title, required=required,
                                narrative=f"Text om {title.lower()}." if filled else None))  # fmt: skip
        completeness.append(Completeness(heading_id, str(len(completeness) + 1), title, required,
                                         "ifylld" if filled else "saknas", [] if filled else ["text saknas"]))  # fmt: skip
    tables = {}
    if instrument is not None or survey is not None:
        comparison, changes = survey or survey_tables(waves)
        tables = {"jamforelse": comparison, "forandringar": changes}
    info = None
    if instrument is not None:
        info = {"id": instrument["id"], "namn": instrument["namn"],
                "skala": {"min": instrument["min"], "max": instrument["max"], "positiva": instrument["positiva"]},
                "enkater": [{"etikett": w, "datum": None} for w in waves]}  # fmt: skip
    report = Report(
        title=name,
        subtitle="Slutrapport",
        facts=facts if facts is not None else {"Projektets namn": name, "Projektperiod": period, "Projektägare": "Storsjö kommun"},
        sections=sections,
        generated=created,
        template_name={RAR: "Slutrapport enligt RAR Sörmlands mall", SOS: "Slutrapport för kompetenssatsning"}.get(template, template),
        template_id=template,
        completeness=completeness,
        tables=tables,
        instrument=info,
    )
    data = json.loads(render_bundle(report))
    data["tabeller"] |= contract or {}
    data["schema_version"] = version
    if version == "1.0":
        del data["personalenkat"]
    if version in ("1.0", "1.1") and "jamforelse" in data["tabeller"]:  # before 1.2: why a cell was hidden
        table = data["tabeller"]["jamforelse"]
        hidden = table["kolumner"].index("undertryckt")
        table["kolumner"].append("orsak")
        for row in table["rader"]:
            row.append("för få svar" if row[hidden] else "")
    return data


def write_bundle(path: Path, data: dict[str, Any]) -> Path:
    """Write a bundle as ``rapport.json`` (``path`` is the file or its folder)."""
    path = Path(path)
    if path.suffix != ".json":
        path = path / "rapport.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
