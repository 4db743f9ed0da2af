"""The two numbers the socio-economic calculation needs besides its parameter file: finished participants and cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.sources.economy.problems import EconomyValidationError

if TYPE_CHECKING:
    from slutrapport.sources.economy.socioeconomic import SocioeconomicParameters

__all__ = ["CalculationBasis", "resolve_basis"]


@dataclass(frozen=True)
class CalculationBasis:
    """The two numbers the calculation needs besides the file, and where they come from (Swedish)."""

    finished: int
    finished_source: str
    project_cost: float
    cost_source: str


def resolve_basis(params: SocioeconomicParameters, finished: int | None = None, project_cost: float | None = None) -> CalculationBasis:
    """The finished participants and project cost the calculation uses.

    The parameter file's own ``avslutade:`` and ``projektkostnad:`` win (an
    evaluator's stated basis); otherwise the participant register's count
    (``finished``) and the budget's total utfall (``project_cost``) are used.
    A file value that differs from the register adds a warning to
    ``params.report``. Raises :class:`EconomyValidationError` when a number is
    known from nowhere.
    """
    report = ValidationReport()
    count, count_source = params.finished, "parameterfilen"
    if count is None and finished is not None:
        count, count_source = finished, "deltagarregistret"
    elif count is not None and finished is not None and count != finished:
        params.report.add(
            params.source, "avslutade", f"parameterfilen anger {count} avslutade deltagare men deltagarregistret {finished}; "
            "beräkningen använder parameterfilens antal", kolumn="avslutade", varde=count, allvar=WARNING,
        )  # fmt: skip
    if count is None:
        report.add(params.source, "avslutade", "antalet avslutade deltagare saknas: ange avslutade: i parameterfilen "
                   "(eller läs in deltagarregistret)", kolumn="avslutade")  # fmt: skip
    cost, cost_source = params.project_cost, "parameterfilen"
    if cost is None and project_cost is not None:
        cost, cost_source = project_cost, "utfallet i den ekonomiska redovisningen"
    if cost is None:
        report.add(params.source, "projektkostnad", "projektkostnaden saknas: ange projektkostnad: i parameterfilen "
                   "(eller ekonomi: i projekt.yaml, så används utfallet)", kolumn="projektkostnad")  # fmt: skip
    if not report.valid:
        raise EconomyValidationError(report, f"Parameterfilen {params.source}")
    return CalculationBasis(int(count), count_source, float(cost), cost_source)
