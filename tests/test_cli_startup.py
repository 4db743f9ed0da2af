"""The command line starts at once: its help loads none of the heavy libraries (issue 20, part 5).

Checked on ``sys.modules`` in a fresh interpreter, never on time: ``import
slutrapport.cli`` and ``--help`` of the program and of every command (through
click's CliRunner, in that same interpreter) must not import pandas, numpy,
scipy, matplotlib, openpyxl, python-docx, Flask, Jinja2 or statsmodels; the
commands import them when they run.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from slutrapport.sources import formats
from slutrapport.sources.readers import FORMATS

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "openpyxl", "docx", "flask", "jinja2", "statsmodels")

_PROBE = """
import json, sys
import slutrapport.cli
after_import = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
from click.testing import CliRunner
cli = slutrapport.cli.cli
calls = [["--help"], ["--version"]] + [[name, "--help"] for name in cli.commands]
calls += [["form", name, "--help"] for name in cli.commands["form"].commands]
codes = {" ".join(args): CliRunner().invoke(cli, args).exit_code for args in calls}
after_help = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
print(json.dumps({"import": after_import, "help": after_help, "codes": codes}))
"""


def _probe() -> dict:
    code = f"HEAVY = {HEAVY!r}\n{_PROBE}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cli_import_and_help_load_no_heavy_library():
    found = _probe()
    assert found["import"] == []
    assert found["help"] == []
    assert set(found["codes"].values()) == {0}, found["codes"]
    for command in ("compare --help", "build --help", "portfolio --help", "serve --help", "form sjalvvardering --help"):
        assert command in found["codes"]


def test_the_probe_would_see_a_heavy_import():
    # the same probe, with a module that imports pandas: it must be seen (the test can fail)
    code = f"HEAVY = {HEAVY!r}\nimport slutrapport.sources.readers\n{_PROBE}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pandas" in json.loads(done.stdout.strip().splitlines()[-1])["import"]


def test_format_names_without_the_readers_equal_the_readers_own():
    assert formats.FORMATS == FORMATS


def test_the_command_line_makes_full_collections_rarer(monkeypatch):
    """``main`` lets Python's cycle collector walk every object after 1,000 younger collections instead of
    10 (the library itself leaves the collector as it is); the younger thresholds are kept."""
    import gc

    from slutrapport import cli

    before = gc.get_threshold()
    monkeypatch.setattr(sys, "argv", ["slutrapport", "--help"])
    try:
        with pytest.raises(SystemExit) as stop:
            cli.main()
        assert stop.value.code == 0
        assert gc.get_threshold() == (before[0], before[1], 1000)
    finally:
        gc.set_threshold(*before)
