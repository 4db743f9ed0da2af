"""Funder templates: the required headings of a report, as data.

Each template is a folder ``report_templates/<id>/`` in the package holding
``mall.yaml``::

    id: rar-slutrapport
    namn: Slutrapport enligt RAR Sörmlands mall
    finansiar: Samordningsförbundet RAR i Sörmland
    rubriker:
      - id: sammanfattning          # also the name of texter/<id>.md
        rubrik: Sammanfattning      # verbatim heading
        kravs: true                 # required by the funder
        hjalp: What the funder expects under the heading.
        block: [personalenkat]      # generated content placed here (optional)
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import yaml

from .errors import ProjectError

__all__ = ["Heading", "ReportTemplate", "load_template", "available_templates", "BLOCKS"]

#: Generated blocks a heading can ask for.
BLOCKS = {
    "personalenkat": "Personalenkätens resultat: tabeller, diagram, test och fritextsvar per index",
    "personalenkat_sammanfattning": "Personalenkäten i korthet: säkerställda förändringar mellan första och sista enkäten",
}


@dataclass(frozen=True)
class Heading:
    id: str
    title: str
    required: bool
    help: str
    blocks: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportTemplate:
    id: str
    name: str
    funder: str
    headings: tuple[Heading, ...]


def _root():
    return files("slutrapport") / "report_templates"


def available_templates() -> list[str]:
    return sorted(p.name for p in _root().iterdir() if p.is_dir() and (p / "mall.yaml").is_file())


def load_template(template_id: str) -> ReportTemplate:
    """Load a shipped template by id; raise :class:`ProjectError` with every problem."""
    if template_id not in available_templates():
        raise ProjectError(
            f"Mallen '{template_id}' finns inte. Tillgängliga mallar: {', '.join(available_templates())}."
        )
    source = f"mallen {template_id} (mall.yaml)"
    data = yaml.safe_load((_root() / template_id / "mall.yaml").read_text(encoding="utf-8"))
    problems: list[str] = []
    headings = []
    for number, item in enumerate(data.get("rubriker") or [], start=1):
        missing = [key for key in ("id", "rubrik") if not item.get(key)]
        if missing:
            problems.append(f"rubrik nr {number} saknar {', '.join(missing)}")
            continue
        blocks = tuple(item.get("block") or ())
        unknown = [b for b in blocks if b not in BLOCKS]
        if unknown:
            problems.append(
                f"rubriken '{item['rubrik']}' har okänt block {', '.join(unknown)} (kända: {', '.join(BLOCKS)})"
            )
        headings.append(
            Heading(
                id=str(item["id"]),
                title=str(item["rubrik"]),
                required=bool(item.get("kravs", False)),
                help=str(item.get("hjalp") or "").strip(),
                blocks=blocks,
            )
        )
    if not headings:
        problems.append("mallen har inga rubriker")
    if problems:
        raise ProjectError(f"{source} har {len(problems)} problem:\n" + "\n".join(f"- {p}" for p in problems))
    return ReportTemplate(
        id=str(data.get("id") or template_id),
        name=str(data.get("namn") or template_id),
        funder=str(data.get("finansiar") or ""),
        headings=tuple(headings),
    )
