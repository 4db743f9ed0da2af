"""The report model: a project's template headings filled with narratives and generated blocks.

:func:`project_report` places every generated block under the heading the
template names and computes the completeness of each heading;
:class:`BlockBuilder` builds one generated block, or says what it is missing
(the web page shows a data source's blocks with it). The staff-survey
comparison alone (``compare``) is :mod:`slutrapport.report.comparison`.
Renderers turn the model into HTML, Excel, Word and JSON.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from slutrapport.analysis.selfeval import SELFEVAL_COLUMNS, SelfEvalResults
from slutrapport.project.folder import PROJECT_FILE, Project
from slutrapport.project.templates import Heading
from slutrapport.report.blocks.competence import categorisation_section, competence_tables, volume_section
from slutrapport.report.blocks.economy import economy_section, socioeconomic_section
from slutrapport.report.blocks.goals import goal_blocks
from slutrapport.report.blocks.participants import participant_blocks
from slutrapport.report.blocks.selfeval import selfeval_blocks
from slutrapport.report.blocks.survey import summary_blocks, survey_blocks
from slutrapport.report.comparison import survey_instrument, survey_tables
from slutrapport.report.model import Completeness, Report, Section
from slutrapport.report.results import ProjectResults

__all__ = ["project_report", "BlockBuilder", "FILLED", "MISSING", "TEXT_MISSING"]

FILLED, MISSING = "ifylld", "saknas"
TEXT_MISSING = "text saknas"

def _economy_tables(results: ProjectResults) -> dict[str, pd.DataFrame]:
    """The economy and socio-economic contract tables of rapport.json and the Data sheets."""
    tables: dict[str, pd.DataFrame] = {}
    if results.economy is not None:
        tables |= {"ekonomi": results.economy.table, "ekonomi_nyckeltal": results.economy.key_figures}
        if results.economy.financing is not None:
            tables["ekonomi_finansiering"] = results.economy.financing
    if results.socioeconomic is not None:
        socio = results.socioeconomic
        tables |= {
            "socioekonomi_aktorer": socio.actors,
            "socioekonomi_lonsamhet": socio.profitability,
            "socioekonomi_nyckeltal": socio.key_figures,
            "socioekonomi_kanslighet": socio.sensitivity,
            "socioekonomi_aktorsresultat": socio.actor_results,
            "socioekonomi_sammanfattning": socio.summary,
        }
    return tables
def _selfeval_tables(results: SelfEvalResults | None) -> dict[str, pd.DataFrame]:
    return {} if results is None else {"sjalvvardering": results.ratings[SELFEVAL_COLUMNS]}


def _participant_tables(results: ProjectResults) -> dict[str, pd.DataFrame]:
    """The participant and goal tables by their ``rapport.json`` names."""
    tables: dict[str, pd.DataFrame] = {}
    if results.participants is not None:
        tables |= {
            "deltagare_flode": results.participants.flow,
            "deltagare_utfall": results.participants.outcome,
            "deltagare_forsorjning": results.participants.income,
            "deltagare_tid": results.participants.time,
            "deltagare_totaler": results.participants.totals,
        }
        for name, table in (("deltagare_uppfoljning", results.participants.follow_up), ("deltagare_platser", results.participants.places)):
            if table is not None:
                tables[name] = table
    if results.goals is not None:
        tables["maluppfyllelse"] = results.goals.table
    return tables


class BlockBuilder:
    """Builds each generated block and says what is missing when it cannot.

    Each block of :data:`~slutrapport.project.templates.BLOCKS` has one builder
    method in :attr:`BUILDERS` returning ``(blocks, missing)``; ``missing`` is
    a Swedish phrase for the completeness table, or None. A block whose data
    source could not be read (``ProjectResults.problems``) says so instead;
    :meth:`for_source` builds every block of one data source, whatever the template.
    """

    #: block → its builder method and the data source (key of ``ProjectResults.problems``) it uses
    BUILDERS = {
        "personalenkat": ("_survey", "personalenkat"),
        "personalenkat_sammanfattning": ("_survey_summary", "personalenkat"),
        "kategorisering": ("_categorisation", None),
        "utbildningarnas_omfattning": ("_training_volume", None),
        "ekonomi": ("_economy", "ekonomi"),
        "socioekonomi": ("_socioeconomic", "socioekonomi"),
        "socioekonomi_underlag": ("_socioeconomic_basis", "socioekonomi"),
        "socioekonomi_fore": ("_socioeconomic_before", "socioekonomi"),
        "socioekonomi_efter": ("_socioeconomic_after", "socioekonomi"),
        "socioekonomi_sammanfattning": ("_socioeconomic_in_brief", "socioekonomi"),
        "sjalvvardering": ("_self_evaluation", "sjalvvardering"),
        "deltagare": ("_participants", "deltagare"),
        "maluppfyllelse": ("_goals", "deltagare"),
    }

    def __init__(self, project: Project, results: ProjectResults) -> None:
        self.project, self.results = project, results
        self.source = str(project.root / PROJECT_FILE)

    def build(self, block: str) -> tuple[list, str | None]:
        method, source = self.BUILDERS[block]  # templates.py rejects unknown blocks
        if source is not None and source in self.results.problems:
            return [], self.results.problems[source]
        return getattr(self, method)(self.project.template.settings.get(block) or {})

    def for_source(self, source: str) -> list[tuple[str, list, str | None]]:
        """``(block, blocks, missing)`` for every block built from ``source`` (a ``ProjectResults.problems`` key), in :attr:`BUILDERS` order."""
        return [(block, *self.build(block)) for block, (_method, uses) in self.BUILDERS.items() if uses == source]

    _NO_SURVEY = "personalenkät saknas: inga enkätfiler har lagts till"

    def _survey(self, settings: dict) -> tuple[list, str | None]:
        if self.results.survey is None:
            return [], self._NO_SURVEY
        return survey_blocks(self.results.survey), None

    def _survey_summary(self, settings: dict) -> tuple[list, str | None]:
        if self.results.survey is None:
            return [], self._NO_SURVEY
        return summary_blocks(self.results.survey), None

    def _self_evaluation(self, settings: dict) -> tuple[list, str | None]:
        if self.results.self_evaluation is None:
            return [], "självvärdering saknas: inga ifyllda formulär har lagts till"
        return selfeval_blocks(self.results.self_evaluation), None

    def _categorisation(self, settings: dict) -> tuple[list, str | None]:
        return categorisation_section(self.project, settings)

    def _training_volume(self, settings: dict) -> tuple[list, str | None]:
        return volume_section(self.project, settings)

    def _economy(self, settings: dict) -> tuple[list, str | None]:
        return economy_section(self.results.economy, settings)

    def _socioeconomic(self, settings: dict) -> tuple[list, str | None]:
        return socioeconomic_section("socioekonomi", self.results.socioeconomic, settings)

    def _socioeconomic_basis(self, settings: dict) -> tuple[list, str | None]:
        return socioeconomic_section("socioekonomi_underlag", self.results.socioeconomic, settings)

    def _socioeconomic_before(self, settings: dict) -> tuple[list, str | None]:
        return socioeconomic_section("socioekonomi_fore", self.results.socioeconomic, settings)

    def _socioeconomic_after(self, settings: dict) -> tuple[list, str | None]:
        return socioeconomic_section("socioekonomi_efter", self.results.socioeconomic, settings)

    def _socioeconomic_in_brief(self, settings: dict) -> tuple[list, str | None]:
        return socioeconomic_section("socioekonomi_sammanfattning", self.results.socioeconomic, settings)
    _NO_REGISTER = "deltagarregister saknas"

    def _participants(self, settings: dict) -> tuple[list, str | None]:
        if self.results.participants is None:
            return [], self._NO_REGISTER
        return participant_blocks(self.results.participants), None

    def _goals(self, settings: dict) -> tuple[list, str | None]:
        if self.results.goals is None:
            if self.results.participants is None and self.project.data.get("mal"):
                return [], "måluppfyllelsen kan inte räknas: " + self._NO_REGISTER
            return [], "mål saknas: projektets mätbara mål är inte angivna"
        return goal_blocks(self.results.goals), None



def _section(heading: Heading, project: Project, blocks: BlockBuilder) -> tuple[Section, Completeness]:
    narrative = project.narrative(heading.id)
    content: list = []
    missing: list[str] = [] if narrative else [TEXT_MISSING]
    for block in heading.blocks:
        built, problem = blocks.build(block)
        content += built
        if problem and problem not in missing:  # two blocks of one source name its problem once
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


def project_report(project: Project, results: ProjectResults | None = None, draft: bool = False) -> Report:
    """The full report under the project's template headings, in the template's order."""
    results = results or ProjectResults()
    blocks = BlockBuilder(project, results)
    sections, completeness = [], []
    for heading in project.template.all_headings():
        section, status = _section(heading, project, blocks)
        sections.append(section)
        completeness.append(status)
    # The project's own funder (projekt: finansiar) names it; the template's funder only when the project gives none.
    funder = project.facts.get("Finansiär") or project.template.funder
    return Report(
        title=project.name,
        subtitle=f"Slutrapport · {funder}" if funder else "Slutrapport",
        facts=project.facts,
        sections=sections,
        generated=date.today().isoformat(),
        template_name=project.template.name,
        template_id=project.template.id,
        comparison=results.survey.comparison if results.survey is not None else None,
        completeness=completeness,
        draft=draft,
        tables=survey_tables(results.survey)
        | _selfeval_tables(results.self_evaluation)
        | _economy_tables(results)
        | _participant_tables(results)
        | competence_tables(project),
        instrument=survey_instrument(results.survey),
    )
