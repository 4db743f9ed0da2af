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

The names below are imported from their module when first asked for, so that
``from slutrapport.pipeline import compare_files`` loads what ``compare`` uses
and not the project report's readers and writers (issue 20: a command starts at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slutrapport.core.lazy import lazy_exports

if TYPE_CHECKING:
    from slutrapport.pipeline.build import CheckResult, Outcome, build_portfolio, build_project, check_project, compare_files, write_form
    from slutrapport.pipeline.cache import SurveyCache
    from slutrapport.pipeline.demo import build_demo, sample_project_dir
    from slutrapport.pipeline.read import budget_spec, parameter_file, read_project_budget, read_project_forms, read_project_register, read_project_survey
    from slutrapport.pipeline.results import analyse_project, project_results, survey_results
    from slutrapport.pipeline.validate import SOURCES, validate_files, validate_project, validate_source
    from slutrapport.sources.survey.columnmap import load_column_map

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

#: The module each public name comes from.
_HOMES = {
    "slutrapport.pipeline.build": ("Outcome", "CheckResult", "check_project", "compare_files", "build_project", "write_form", "build_portfolio"),
    "slutrapport.pipeline.cache": ("SurveyCache",),
    "slutrapport.pipeline.demo": ("build_demo", "sample_project_dir"),
    "slutrapport.pipeline.read": ("read_project_survey", "read_project_forms", "read_project_register", "read_project_budget", "budget_spec", "parameter_file"),
    "slutrapport.pipeline.results": ("analyse_project", "project_results", "survey_results"),
    "slutrapport.pipeline.validate": ("validate_files", "validate_project", "validate_source", "SOURCES"),
    "slutrapport.sources.survey.columnmap": ("load_column_map",),
}
__getattr__, __dir__ = lazy_exports(__name__, _HOMES, __all__)
