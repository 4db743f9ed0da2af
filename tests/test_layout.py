"""The package's layout follows the data path, and stays that way.

Folders are layers: ``core`` → ``sources`` → ``analysis`` → ``wording`` →
``project`` → ``report`` → ``render`` → ``portfolio`` → ``pipeline`` → ``web``
→ the command line. A module may import its own layer and the layers below
it, with three stricter rules: ``core`` imports nothing else of the package,
``sources`` only ``core``, and ``render`` no ``sources`` and only the public
column contracts of ``analysis`` (names in the module's ``__all__``). No
private name (``_x``) is imported from another folder, no module is longer
than :data:`MAX_LINES` lines, and every public module declares ``__all__``.

The checker reads the code with :mod:`ast` (nothing is imported), so the
tests at the bottom can feed it a small package with a wrong import and see
that it is caught.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "slutrapport"

#: Layers from the bottom up; the command line (``cli``, ``_cli_support``, ``_cli_process``, ``_click_sv``, ``__main__``) is on top.
LAYERS = ["core", "sources", "analysis", "wording", "project", "report", "render", "portfolio", "pipeline", "web", "cli"]
TOP_MODULES = {"cli", "_cli_support", "_cli_process", "_click_sv", "__main__"}
#: What a layer may import besides itself, where it is stricter than "any layer below".
ONLY = {
    "core": set(),
    "sources": {"core"},
    "render": {"core", "analysis", "wording", "project", "report"},
}
#: Layers whose imports from ``analysis`` must be public names in that module's ``__all__``.
PUBLIC_ANALYSIS_ONLY = {"render"}
MAX_LINES = 500
#: Folders of package data (templates, styles), not code.
DATA_FOLDERS = {"report_templates"}


@dataclass(frozen=True)
class Module:
    name: str  # dotted, without the package name: "sources.survey.ingest"
    path: Path
    tree: ast.Module

    @property
    def layer(self) -> str:
        first = self.name.split(".")[0]
        return "cli" if first in TOP_MODULES else first

    @property
    def folder(self) -> str:
        parts = self.name.split(".")
        return ".".join(parts if self.path.name == "__init__.py" else parts[:-1])


def _modules(root: Path) -> dict[str, Module]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or parts[0] in DATA_FOLDERS:
            continue
        modules[".".join(parts)] = Module(".".join(parts), path, ast.parse(path.read_text(encoding="utf-8")))
    return modules


def _imports(module: Module, package: str):
    """``(line, imported module, names)`` for every import of the package, relative ones resolved."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.name.split(".") if module.path.name == "__init__.py" else module.name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module == package or (node.module or "").startswith(package + "."):
                target = node.module[len(package) + 1 :]
            else:
                continue
            yield node.lineno, target, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(package + "."):
                    yield node.lineno, alias.name[len(package) + 1 :], []


def _declared_all(module: Module) -> set[str] | None:
    for node in module.tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
            return {elt.value for elt in getattr(node.value, "elts", []) if isinstance(elt, ast.Constant)}
    return None


def layout_problems(root: Path, package: str = "slutrapport") -> list[str]:
    """Every breach of the layout rules in the package at ``root``, one line each (empty when it is clean)."""
    modules = _modules(root)
    problems = []
    for module in modules.values():
        where = f"{module.path.relative_to(root.parent)}"
        lines = len(module.path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            problems.append(f"{where}: {lines} lines (at most {MAX_LINES})")
        public = not any(part.startswith("_") for part in module.name.split(".")) and module.path.name != "__init__.py"
        if public and _declared_all(module) is None:
            problems.append(f"{where}: public module without __all__")
        if module.layer not in LAYERS:
            problems.append(f"{where}: in no layer (folders: {', '.join(LAYERS)})")
            continue
        rank = LAYERS.index(module.layer)
        for line, target, names in _imports(module, package):
            if not target:  # from slutrapport import __version__ (and the command line's own modules)
                if any(name != "__version__" and not (module.layer == "cli" and name in TOP_MODULES) for name in names):
                    problems.append(f"{where}:{line}: imports {names} from the package root")
                continue
            first = target.split(".")[0]
            layer = "cli" if first in TOP_MODULES else first
            if layer not in LAYERS:
                problems.append(f"{where}:{line}: imports {target}, which is in no layer")
                continue
            if layer != module.layer:
                allowed = ONLY.get(module.layer)
                if LAYERS.index(layer) > rank:
                    problems.append(f"{where}:{line}: {module.layer} imports {target} from the layer above ({layer})")
                elif allowed is not None and layer not in allowed:
                    problems.append(f"{where}:{line}: {module.layer} may not import {target}")
                elif module.layer in PUBLIC_ANALYSIS_ONLY and layer == "analysis":
                    exported = _declared_all(modules[target]) if target in modules else None
                    hidden = [n for n in names if exported is None or n not in exported]
                    if hidden:
                        problems.append(f"{where}:{line}: {module.layer} imports {hidden} from {target}, not in its __all__")
            source_folder = target if target in modules and modules[target].path.name == "__init__.py" else target.rsplit(".", 1)[0] if "." in target else ""
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and source_folder != module.folder:
                problems.append(f"{where}:{line}: imports private {private} from {target} in another folder")
    return problems


def test_the_package_follows_the_layout():
    assert layout_problems(PACKAGE) == []


def test_every_layer_is_a_folder():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert set(LAYERS) - {"cli"} <= folders


# ---------------------------------------------------------------- the checker catches what it should


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "slutrapport"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    return root


CLEAN = {
    "core/errors.py": "__all__ = ['Error']\nclass Error(Exception): ...\n",
    "sources/read.py": "from slutrapport.core.errors import Error\n__all__ = ['read']\ndef read(): ...\n",
    "analysis/stats.py": "from ..sources.read import read\n__all__ = ['COLUMNS', '_helper']\nCOLUMNS = []\ndef _helper(): ...\n",
    "report/model.py": "__all__ = ['Report']\nclass Report: ...\n",
    "render/html.py": "from slutrapport.analysis.stats import COLUMNS\nfrom slutrapport.report.model import Report\n__all__ = []\n",
}


def test_a_clean_package_passes(tmp_path):
    assert layout_problems(_package(tmp_path, CLEAN)) == []


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("core/bad.py", "from slutrapport.report.model import Report\n__all__ = []\n", "core imports report.model from the layer above"),
        ("core/bad.py", "from ..sources.read import read\n__all__ = []\n", "core imports sources.read from the layer above"),
        ("sources/bad.py", "from slutrapport.analysis.stats import COLUMNS\n__all__ = []\n", "sources imports analysis.stats from the layer above"),
        ("analysis/bad.py", "from slutrapport.render.html import x\n__all__ = []\n", "analysis imports render.html from the layer above"),
        ("analysis/bad.py", "import slutrapport.web.app\n__all__ = []\n", "analysis imports web.app from the layer above"),
        ("render/bad.py", "from slutrapport.sources.read import read\n__all__ = []\n", "render may not import sources.read"),
        ("render/bad.py", "from slutrapport.analysis.stats import read\n__all__ = []\n", "not in its __all__"),
        ("web/bad.py", "from slutrapport.analysis.stats import _helper\n__all__ = []\n", "imports private ['_helper']"),
        ("sources/no_all.py", "x = 1\n", "public module without __all__"),
        ("sources/long.py", "__all__ = []\n" + "x = 1\n" * MAX_LINES, f"lines (at most {MAX_LINES})"),
        ("stray.py", "__all__ = []\n", "in no layer"),
    ],
)
def test_a_wrong_import_is_caught(tmp_path, name, text, expected):
    problems = layout_problems(_package(tmp_path, {**CLEAN, name: text}))
    assert any(expected in p and name.split("/")[-1] in p for p in problems), problems
