"""Blocks for Socialstyrelsen's sections 3.4 (Kategorisering) and 4 (Utbildningarnas omfattning).

The labels are the template's data (``block_installningar:`` in ``mall.yaml``),
printed as the funder prints them; only the year in a caption (``{ar}``) and
the project's own entries are filled in here. Every number comes from
:mod:`slutrapport.analysis.competence` as it is: an approximate count is shown
as the project wrote it ("Ca 60") with the footnote marker :data:`MARK` and a
note under the table saying what the mark means.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from slutrapport.analysis.competence import VOLUME_COLUMNS, TrainingVolume, categorisation, categorisation_groups, training_volume, volume_bands
from slutrapport.core.yamlschema import INVALID
from slutrapport.project.folder import PROJECT_FILE, Project
from slutrapport.report.model import COUNT, TEXT, Column, Table

__all__ = ["categorisation_section", "volume_section", "competence_tables", "report_year", "MARK", "APPROXIMATE_NOTE", "TICK"]

#: The footnote marker after an approximate count, and the note's default text (kompetenssatsning: fotnot: replaces it).
MARK = "*"
APPROXIMATE_NOTE = "Ungefärligt antal: siffran är en uppskattning, inte ett exakt antal. En summa med ett ungefärligt antal är också ungefärlig."
#: What a ticked box shows ("Sätt X här").
TICK = "X"
_YEAR_WORD = "året"  # the caption's {ar} when projekt.yaml gives no year
_YEAR = re.compile(r"\b(1[89][0-9]{2}|2[0-9]{3})\b")
#: The form's column labels when the template gives none (``utbildningarnas_omfattning: kolumner:``).
_VOLUME_LABELS = {
    "kurslangd": "Kurslängd",
    "kursdagar": "Antal kursdagar",
    "deltagare": "Deltagare totalt",
    "landsting": "varav anställda i landsting/region",
    "kommun": "varav anställda i kommun",
    "annan": "varav anställda hos annan huvudman",
    "utan_hogskoleexamen": "varav utan högskoleexamen",
}
_EMPLOYERS = ("landsting", "kommun", "annan")


def _source(project: Project) -> str:
    return str(project.root / PROJECT_FILE)


def report_year(project: Project) -> str | None:
    """The year the report covers: ``kompetenssatsning: ar:``, else the year of ``projekt: datum:``,
    else of the period's end (``projekt: period: slut:``); None when none is given."""
    own = project.competence.get("ar") if isinstance(project.competence, dict) else None
    if isinstance(own, int) and not isinstance(own, bool):
        return str(own)
    info = project.data.get("projekt") if isinstance(project.data.get("projekt"), dict) else {}
    period = info.get("period")
    candidates = [info.get("datum"), period.get("slut") if isinstance(period, dict) else period]
    for value in candidates:
        if isinstance(value, date):
            return str(value.year)
        found = _YEAR.findall(str(value)) if value not in (None, INVALID) else []
        if found:
            return found[-1]
    return None


def _caption(text: str, year: str | None) -> str:
    return text.replace("{ar}", year or _YEAR_WORD)


def categorisation_section(project: Project, settings: dict) -> tuple[list, str | None]:
    """One table per group of tick boxes (the template's captions and labels), or what is missing."""
    groups, tick_label = categorisation_groups(settings)
    table = categorisation(groups, project.competence.get("kategorisering"), _source(project))
    if table is None:
        return [], "kategorisering saknas"
    year = report_year(project)
    blocks = []
    for group in groups:
        rows = table[table["grupp"] == group.id]
        caption = _caption(group.caption, year) + (f" – {group.focus}" if group.focus else "")
        blocks.append(
            Table(
                caption=caption,
                columns=[Column(group.focus or "Alternativ"), Column(tick_label)],
                rows=[[_option_text(r.alternativ, r.ange), TICK if r.vald else ""] for r in rows.itertuples()],
            )
        )
    return blocks, None


def _option_text(label: str, own: Any) -> str:
    """The label as the form prints it, with the project's own text after a free-text option's label."""
    return label if own is None or pd.isna(own) else f"{label} {own}"


def _volume(project: Project, settings: dict) -> TrainingVolume | None:
    return training_volume(volume_bands(settings), project.competence.get("omfattning"), _source(project))


def _cell(volume: TrainingVolume, band: str, key: str, value: int) -> Any:
    """A count as a number, or an approximate one as written ("Ca 60*"; a total "ca 75*")."""
    if (band, key) not in volume.approximate:
        return value
    return f"{volume.written.get((band, key), f'ca {value}')}{MARK}"


def volume_section(project: Project, settings: dict) -> tuple[list, str | None]:
    """The table of section 4 with the template's column labels, or what is missing."""
    volume = _volume(project, settings)
    if volume is None:
        return [], "omfattning saknas"
    labels = _VOLUME_LABELS | {k: str(v) for k, v in (settings.get("kolumner") or {}).items() if v is not None}
    group = settings.get("anstallda")
    columns = [Column(labels[key], TEXT if key == "kurslangd" else COUNT, str(group) if group and key in _EMPLOYERS else None) for key in VOLUME_COLUMNS]
    rows = [[row["kurslangd"], *(_cell(volume, row["kurslangd"], key, int(row[key])) for key in VOLUME_COLUMNS[1:])] for _, row in volume.table.iterrows()]
    notes = []
    if volume.approximate:
        own = project.competence.get("fotnot")
        notes.append(f"{MARK} {str(own).strip() if own else APPROXIMATE_NOTE}")
    caption = str(settings.get("rubrik") or "Utbildningarnas omfattning per kurslängd")
    return [Table(caption, columns, rows, notes=notes)], None


def competence_tables(project: Project) -> dict[str, pd.DataFrame]:
    """The tidy tables of rapport.json and the Data sheets: ``kompetens_kategorisering`` and
    ``kompetens_omfattning`` (long, with ``ungefarligt``), for the blocks the template uses and the project fills in."""
    blocks = {b for h in project.template.all_headings() for b in h.blocks}
    tables: dict[str, pd.DataFrame] = {}
    if "kategorisering" in blocks:
        groups, _label = categorisation_groups(project.template.settings.get("kategorisering") or {})
        table = categorisation(groups, project.competence.get("kategorisering"), _source(project))
        if table is not None:
            tables["kompetens_kategorisering"] = table
    if "utbildningarnas_omfattning" in blocks:
        volume = _volume(project, project.template.settings.get("utbildningarnas_omfattning") or {})
        if volume is not None:
            tables["kompetens_omfattning"] = volume.long
    return tables
