"""Heavy modules are imported at their first use (issue 20: a command starts at once)."""

from __future__ import annotations

import subprocess
import sys

from slutrapport.core.lazy import lazy_module


def test_lazy_module_gives_the_module_attributes():
    math = lazy_module("math")
    import math as real

    assert math.sqrt is real.sqrt
    assert "imported" in repr(math)


def test_lazy_module_imports_only_at_first_attribute():
    code = (
        "import sys\n"
        "from slutrapport.core.lazy import lazy_module\n"
        "m = lazy_module('wave')\n"
        "print('wave' in sys.modules)\n"
        "m.open\n"
        "print('wave' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
