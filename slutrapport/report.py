"""The report model: a project's template headings filled with narratives and generated blocks.

:func:`project_report` places every generated block under the heading the
template names and computes the completeness of each heading;
:func:`comparison_report` is the staff-survey comparison alone (``compare``).
Renderers turn the model into HTML, Excel, Word and JSON.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .analysis.competence import categorisation, training_volume
from .analysis.survey import SurveyResults
from .project import PROJECT_FILE, Project
from .render.model import COUNT, TEXT, Column, Completeness, Report, Section, Table
from .render.survey_blocks import summary_blocks, survey_blocks
from .templates import Heading

__all__ = ["project_report", "comparison_report", "FILLED", "MISSING", "TEXT_MISSING"]

FILLED, MISSING = "ifylld", "saknas"
TEXT_MISSING = "text saknas"

_VOLUME_LABELS = {
    "kurslangd": ("Kurslängd", TEXT),
    "kursdagar": ("Antal kursdagar", COUNT),
    "deltagare": ("Deltagare totalt", COUNT),
    "landsting": ("varav anställda i landsting/region", COUNT),
    "kommun": ("varav anställda i kommun", COUNT),
    "annan": ("varav anställda hos annan huvudman", COUNT),
    "utan_hogskoleexamen": ("varav utan högskoleexamen", COUNT),
}


def _tables(results: SurveyResults | None) -> dict[str, pd.DataFrame]:
    if results is None:
        return {}
    return {
        "jamforelse": results.comparison,
        "forandringar": results.changes,
        "reliabilitet": results.reliability,
        "gruppskillnader": results.group_tests,
    }


def comparison_report(results: SurveyResults, title: str = "Jämförelse av personalenkäter") -> Report:
    """A report with only the staff-survey comparison (for ``compare``)."""
    section = Section(id="personalenkat", number=None, title="Resultat personalenkät", blocks=survey_blocks(results), expects_text=False)
    return Report(
        title=title,
        subtitle=results.survey.instrument.name,
        facts={},
        sections=[section],
        generated=date.today().isoformat(),
        comparison=results.comparison,
        tables=_tables(results),
    )


class _Blocks:
    """Builds each generated block once and says what is missing when it cannot."""

    def __init__(self, project: Project, results: SurveyResults | None) -> None:
        self.project, self.results = project, results
        self.source = str(project.root / PROJECT_FILE)

    def build(self, block: str) -> tuple[list, str | None]:
        if block in ("personalenkat", "personalenkat_sammanfattning"):
            if self.results is None:
                return [], "personalenkät saknas: inga enkätfiler under personalenkat: enkater: i projekt.yaml"
            return (survey_blocks if block == "personalenkat" else summary_blocks)(self.results), None
        settings = self.project.template.settings.get(block) or {}
        competence = self.project.competence
        if block == "kategorisering":
            table = categorisation(settings, competence.get("kategorisering"), self.source)
            if table is None:
                return [], "kategorisering saknas i projekt.yaml (kompetenssatsning: kategorisering:)"
            return [self._categorisation_table(table, group) for group in dict.fromkeys(table["grupp"])], None
        if block == "utbildningarnas_omfattning":
            table = training_volume(list(settings.get("kurslangder") or []), competence.get("omfattning"), self.source)
            if table is None:
                return [], "omfattning saknas i projekt.yaml (kompetenssatsning: omfattning:)"
            columns = [Column(*_VOLUME_LABELS[c]) for c in table.columns]
            return [Table("Utbildningarnas omfattning per kurslängd", columns, table.values.tolist())], None
        raise AssertionError(f"unknown block {block}")  # templates.py rejects unknown blocks

    @staticmethod
    def _categorisation_table(table: pd.DataFrame, group: str) -> Table:
        rows = table[table["grupp"] == group]
        return Table(
            caption=group,
            columns=[Column("Alternativ"), Column("Ingår")],
            rows=[[r.alternativ, "☒ Ja" if r.vald else "☐ Nej"] for r in rows.itertuples()],
        )


def _section(heading: Heading, project: Project, blocks: _Blocks) -> tuple[Section, Completeness]:
    narrative = project.narrative(heading.id)
    content: list = []
    missing: list[str] = [] if narrative else [TEXT_MISSING]
    for block in heading.blocks:
        built, problem = blocks.build(block)
        content += built
        if problem:
            missing.append(problem)
    section = Section(
        id=heading.id,
        number=heading.number,
        title=heading.title,
        required=heading.required,
        help=heading.help,
        narrative=narrative,
        blocks=content,
        level=heading.level,
    )
    status = FILLED if (narrative or content) else MISSING
    return section, Completeness(heading.id, heading.number, heading.title, heading.required, status, missing)


def project_report(project: Project, results: SurveyResults | None, draft: bool = False) -> Report:
    """The full report under the project's template headings, in the template's order."""
    blocks = _Blocks(project, results)
    sections, completeness = [], []
    for heading in project.template.all_headings():
        section, status = _section(heading, project, blocks)
        sections.append(section)
        completeness.append(status)
    funder = project.template.funder
    return Report(
        title=project.name,
        subtitle=f"Slutrapport · {funder}" if funder else "Slutrapport",
        facts=project.facts,
        sections=sections,
        generated=date.today().isoformat(),
        template_name=project.template.name,
        template_id=project.template.id,
        comparison=results.comparison if results is not None else None,
        completeness=completeness,
        draft=draft,
        tables=_tables(results),
    )
