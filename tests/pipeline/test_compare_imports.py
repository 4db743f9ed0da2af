"""``compare`` loads what it uses: the project report's readers and writers stay unimported (issue 20).

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
print(json.dumps(sorted(m for m in sys.modules if m in NAMES or m.split(".")[0] in NAMES and m.split(".")[0] != "slutrapport")))
"""


def _loaded(names: tuple[str, ...]) -> list[str]:
    code = f"NAMES = {set(names)!r}\n{_PROBE}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_compare_imports_none_of_the_project_reports_modules():
    assert _loaded(NOT_FOR_COMPARE) == []


def test_the_probe_sees_what_compare_does_import():
    # the test can fail: modules compare does use are seen
    assert _loaded(("openpyxl", "slutrapport.pipeline.build", "slutrapport.render.excel"))[-2:] == ["slutrapport.pipeline.build", "slutrapport.render.excel"]
