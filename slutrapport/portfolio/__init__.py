"""The funder's portfolio: many projects' bundles (``rapport.json``) compared in one document.

Data flows one way: bundle files → :mod:`.collect` (find, read, check,
de-duplicate; every problem in a ``ValidationReport``) → :mod:`.tables` (tidy
tables with fixed columns) → :mod:`.blocks` (the model: overview sections and
one page per project) → :mod:`.render` (``portfolio.html``, ``portfolio.xlsx``
and the CSV files named in :data:`~.render.CSV_FILES`).
"""

from __future__ import annotations

from pathlib import Path

from slutrapport.core.problems import ValidationReport
from slutrapport.core.progress import ANALYSING, COLLECTING, WRITING, Progress, progress_of
from slutrapport.portfolio.blocks import portfolio_model
from slutrapport.portfolio.collect import Collection, PortfolioBundle, PortfolioError, collect_bundles
from slutrapport.portfolio.excel import render_portfolio_excel
from slutrapport.portfolio.render import CSV_FILES, portfolio_csv, render_portfolio_html
from slutrapport.portfolio.tables import TABLE_COLUMNS, portfolio_tables

__all__ = [
    "CSV_FILES",
    "Collection",
    "PortfolioBundle",
    "PortfolioError",
    "collect_bundles",
    "portfolio_tables",
    "portfolio_model",
    "portfolio_outputs",
]

HTML_FILE, EXCEL_FILE = "portfolio.html", "portfolio.xlsx"


def portfolio_outputs(
    paths: list[Path], template: str | None = None, strict: bool = False, *, progress: Progress | None = None
) -> tuple[dict[str, bytes], ValidationReport]:
    """Every output file of the portfolio (name → bytes) and the problems found in the bundles.

    ``progress`` is told each step (:mod:`slutrapport.core.progress`): reading the bundles, comparing, writing.

    Raises
    ------
    PortfolioError
        When no bundle can be used, or with ``strict`` when any bundle has an error.
    """
    progress = progress_of(progress)
    progress(COLLECTING)
    collection = collect_bundles(paths, template)
    if strict and collection.report.errors():
        raise PortfolioError(
            collection.report,
            f"{len(collection.report.errors())} fel i rapportfilerna; portföljen byggs inte (--strict). "
            "Rätta eller ta bort filerna, eller kör utan --strict för att bygga portföljen av de övriga.",
        )
    progress(ANALYSING)
    tables = portfolio_tables(collection.bundles)
    portfolio = portfolio_model(tables, collection)
    progress(WRITING)
    outputs = {
        HTML_FILE: render_portfolio_html(portfolio).encode("utf-8"),
        EXCEL_FILE: render_portfolio_excel(portfolio),
    }
    for name, columns in TABLE_COLUMNS.items():
        outputs[CSV_FILES[name]] = portfolio_csv(tables[name], columns)
    problems = collection.report.to_frame()
    outputs[CSV_FILES["problem"]] = portfolio_csv(problems, list(problems.columns))
    return outputs, collection.report
