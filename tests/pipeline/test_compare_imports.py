"""``compare`` loads what it uses: the project report's readers and writers stay unimported, and the statistics
and the writers are imported once its files are read (issue 20).

Checked on ``sys.modules`` in a fresh interpreter, never on time.
"""

from __future__ import annotations

import json
import subprocess
import sys

#: Modules only ``build``, ``check``, ``validate``, ``form`` and ``portfolio`` need.
NOT_FOR_COMPARE = (
    "docx",
    "slutrapport.render.docx",
    "slutrapport.render.bundle",
    "slutrapport.pipeline.results",
    "slutrapport.pipeline.status",
    "slutrapport.pipeline.read",
    "slutrapport.pipeline.cache",
    "slutrapport.project.folder",
    "slutrapport.report.build",
    "slutrapport.analysis.selfeval",
    "slutrapport.analysis.socioeconomic",
    "slutrapport.sources.forms.read",
    "slutrapport.portfolio",
)

_PROBE = """
import json, sys
from slutrapport.pipeline import compare_files, load_column_map
print(json.dumps(sorted(n for n in NAMES if any(m == n or m.startswith(n + ".") for m in sys.modules))))
"""


def _loaded(names: tuple[str, ...]) -> list[str]:
    code = f"NAMES = {set(names)!r}\n{_PROBE}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_compare_imports_none_of_the_project_reports_modules():
    assert _loaded(NOT_FOR_COMPARE) == []


#: What compare needs only once its files are read: imported at the first call (core/lazy.py's lazy_function).
AFTER_READING = ("scipy", "openpyxl", "jinja2", "matplotlib", "slutrapport.analysis.survey", "slutrapport.render.excel", "slutrapport.report.comparison")


def test_compare_imports_the_statistics_and_writers_after_reading():
    assert _loaded(AFTER_READING) == []


def test_the_probe_sees_what_compare_does_import():
    # the test can fail: modules compare imports before reading are seen
    assert _loaded(("pandas", "slutrapport.pipeline.build", "slutrapport.sources.survey.ingest")) == [
        "pandas",
        "slutrapport.pipeline.build",
        "slutrapport.sources.survey.ingest",
    ]


_WRITERS_PROBE = """
import json, sys
import slutrapport.report.comparison, slutrapport.render.excel, slutrapport.render.html, slutrapport.render.bundle
print(json.dumps("scipy.stats" in sys.modules))
"""


def test_the_report_and_its_writers_import_no_scipy_stats():
    # scipy.stats takes most of a second to import; the report's blocks and writers (and the worker that
    # draws its charts) use only the statistics' column names, such as analysis.composition's, not the tests
    done = subprocess.run([sys.executable, "-c", _WRITERS_PROBE], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) is False
