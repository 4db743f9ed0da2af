"""Heavy modules imported when first used, not when the package is imported.

``scipy.stats`` alone takes a third of a second to import, and most runs of
``slutrapport compare`` never call it: the statistics of a large survey are
computed from count tables with ``scipy.special``. A module that needs
``scipy.stats`` for its exact small-sample tests writes

>>> from slutrapport.core.lazy import lazy_module
>>> stats = lazy_module("scipy.stats")

and uses ``stats.mannwhitneyu`` as before; the import happens at the first
attribute looked up. :func:`lazy_function` is one function of a module,
imported at its first call (``compare`` reads its files before it imports the
statistics and the writers). :func:`lazy_exports` gives a package the
``__getattr__`` and ``__dir__`` of PEP 562 for names imported from their
module when first asked for.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["lazy_module", "lazy_function", "lazy_exports"]


class _LazyModule:
    """A stand-in for a module that imports it at the first attribute looked up."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str):
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<lazy module {self._name!r} ({state})>"


def lazy_module(name: str):
    """``name`` (e.g. ``"scipy.stats"``) as an object whose attributes are the module's, imported on first use."""
    return _LazyModule(name)


def lazy_function(module: str, name: str):
    """The function ``name`` of ``module``, imported at its first call (each call then goes to it)."""
    found = None

    def call(*args, **kwargs):
        nonlocal found
        if found is None:
            found = getattr(importlib.import_module(module), name)
        return found(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported at its first call."
    return call


def lazy_exports(package: str, homes: dict[str, tuple[str, ...]], names: list[str]):
    """A package's ``__getattr__`` and ``__dir__`` (PEP 562): each public name of ``homes`` (module → its
    names) imported from its module when first asked for and kept in the package; ``names`` is ``__all__``."""
    home_of = {name: module for module, found in homes.items() for name in found}
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str):
        home = home_of.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(importlib.import_module(home), name)
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
