"""Everything computed for one project, handed from the pipeline to the report model.

Each source of the report (staff survey, self-evaluation, participants,
economy …) adds one field. A field is ``None`` when the project has no such
data; the report then says what is missing under the heading that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slutrapport.analysis.economy import EconomyResults
from slutrapport.analysis.goals import GoalResults
from slutrapport.analysis.participants import ParticipantResults
from slutrapport.analysis.selfeval import SelfEvalResults
from slutrapport.analysis.socioeconomic import SocioeconomicResults
from slutrapport.analysis.survey import SurveyResults
from slutrapport.core.problems import Problem

__all__ = ["ProjectResults"]


@dataclass
class ProjectResults:
    """The analysed data of one project (all tables already anonymity-safe)."""

    survey: SurveyResults | None = None
    economy: EconomyResults | None = None  # ekonomi: budget against outcome
    socioeconomic: SocioeconomicResults | None = None  # socioekonomi: the socio-economic calculation
    self_evaluation: SelfEvalResults | None = None  # självvärderingen (forms under sjalvvardering:)
    participants: ParticipantResults | None = None  # the participant register (deltagare:)
    goals: GoalResults | None = None  # the goals (mal:), computed from the register
    warnings: list[Problem] = field(default_factory=list)  # shown to the user, not in the report
    #: source name → a Swedish message why it could not be read (``check`` names it under its headings)
    problems: dict[str, str] = field(default_factory=dict)
