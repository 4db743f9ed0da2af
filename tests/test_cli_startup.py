"""The command line starts at once: its help loads none of the heavy libraries (issue 20, part 5).

Checked on ``sys.modules`` in a fresh interpreter, never on time: ``import
slutrapport.cli`` and ``--help`` of the program and of every command (through
click's CliRunner, in that same interpreter) must not import pandas, numpy,
scipy, matplotlib, openpyxl, python-docx, Flask, Jinja2 or statsmodels; the
commands import them when they run.
"""

from __future__ import annotations

import json
import os
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
    import atexit
    import gc

    from slutrapport import cli

    def ended(status):
        raise SystemExit(status)  # instead of ending the test's own process

    before = gc.get_threshold()
    monkeypatch.setattr(sys, "argv", ["slutrapport", "--help"])
    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: None)  # not the test process's own exit handlers
    monkeypatch.setattr(os, "_exit", ended)
    try:
        with pytest.raises(SystemExit) as stop:
            cli.main()
        assert stop.value.code == 0
        assert gc.get_threshold() == (before[0], before[1], 1000)
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize(
    ("arguments", "status", "stream", "text"),
    [
        (["--version"], 0, "stdout", "slutrapport"),
        (["compare", "--instrument", "samverkan", "finns-inte.csv"], 1, "stderr", "Filen finns-inte.csv finns inte"),
        (["validate", "--instrument", "samverkan", "finns-inte.csv"], 1, "stdout", "Filen finns-inte.csv finns inte"),
        (["compare", "--rubrikrad", "x"], 1, "stderr", "Användning"),  # a usage error: 1, as every error here
    ],
)
def test_the_console_script_ends_at_once_with_its_status_and_everything_printed(tmp_path, arguments, status, stream, text):
    """``main`` ends its process with ``os._exit`` (no freeing of every object): the exit status and every
    line printed are as from ``sys.exit``, and nothing more is printed (no leaked semaphore from multiprocessing)."""
    code = "import sys; from slutrapport.cli import main; sys.argv = ['slutrapport', *sys.argv[1:]]; main()"
    done = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == status, done.stderr
    assert text in getattr(done, stream)
    assert "Traceback" not in done.stderr and "leaked" not in done.stderr
