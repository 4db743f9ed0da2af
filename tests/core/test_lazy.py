"""Heavy modules are imported at their first use (issue 20: a command starts at once)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from slutrapport.core.lazy import lazy_exports, lazy_function, lazy_module


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


def test_lazy_function_imports_its_module_at_the_first_call():
    code = (
        "import sys\n"
        "from slutrapport.core.lazy import lazy_function\n"
        "f = lazy_function('colorsys', 'rgb_to_hsv')\n"
        "print('colorsys' in sys.modules)\n"
        "print(f(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0))\n"
        "print('colorsys' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True"]
    assert lazy_function("math", "pow")(2.0, 3) == 8.0 and lazy_function("math", "pow").__name__ == "pow"
    assert lazy_function("textwrap", "shorten")("a b c d", width=5, placeholder="…") == "a b…"


def test_lazy_exports_import_each_name_from_its_module_when_first_asked_for():
    import sys
    import types

    package = types.ModuleType("lazy_package_for_test")
    sys.modules[package.__name__] = package
    try:
        names = ["sqrt", "dumps"]
        package.__getattr__, package.__dir__ = lazy_exports(package.__name__, {"math": ("sqrt",), "json": ("dumps",)}, names)
        assert "sqrt" not in vars(package)
        import json
        import math

        assert package.sqrt is math.sqrt and vars(package)["sqrt"] is math.sqrt  # kept after the first use
        assert package.dumps is json.dumps
        assert {"sqrt", "dumps"} <= set(dir(package))
        with pytest.raises(AttributeError, match="has no attribute 'cbrt'"):
            package.cbrt  # noqa: B018
    finally:
        del sys.modules[package.__name__]
