"""The library functions behind the CLI: files → tidy table → analysis → report model → outputs.

Each CLI command calls exactly one function here, so scripts and the web page
(``slutrapport serve``, with :mod:`slutrapport.web.workspace`) do the same thing
without the command line. The modules follow what they do:

- :mod:`~slutrapport.pipeline.read`: a project's sources read from its folder;
- :mod:`~slutrapport.pipeline.cache`: the survey's reading kept between calls (the web page);
- :mod:`~slutrapport.pipeline.results`: every source read and analysed into ``ProjectResults``;
- :mod:`~slutrapport.pipeline.validate`: every problem in the files (``validate``);
- :mod:`~slutrapport.pipeline.build`: the documents the commands write (``compare``, ``build``,
  ``check``, ``portfolio``, ``form``);
- :mod:`~slutrapport.pipeline.demo`: the bundled sample project (``demo``).
"""

from __future__ import annotations

from slutrapport.pipeline.build import CheckResult, Outcome, build_portfolio, build_project, check_project, compare_files, write_form
from slutrapport.pipeline.cache import SurveyCache
from slutrapport.pipeline.demo import build_demo, sample_project_dir
from slutrapport.pipeline.read import (
    budget_spec,
    load_column_map,
    parameter_file,
    read_project_budget,
    read_project_forms,
    read_project_register,
    read_project_survey,
)
from slutrapport.pipeline.results import analyse_project, project_results, survey_results
from slutrapport.pipeline.validate import SOURCES, validate_files, validate_project, validate_source

__all__ = [
    "Outcome",
    "SurveyCache",
    "CheckResult",
    "check_project",
    "compare_files",
    "validate_files",
    "validate_project",
    "validate_source",
    "SOURCES",
    "load_column_map",
    "build_project",
    "build_demo",
    "sample_project_dir",
    "write_form",
    "analyse_project",
    "project_results",
    "survey_results",
    "build_portfolio",
    "read_project_survey",
    "read_project_forms",
    "read_project_register",
    "read_project_budget",
    "budget_spec",
    "parameter_file",
]
