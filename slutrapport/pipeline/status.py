"""One honest status per heading and per input, the same on the command line (``check``) and on the web page.

A heading is ``ifylld`` when it has text or generated content, ``saknas``
when it is required and empty, ``valfri`` when it is optional and empty.
An input (the survey, the self-evaluation forms, the participant register,
the budget, the socio-economic parameters) is ``ifylld`` when it was read,
``fel`` when its files have errors, and otherwise ``saknas`` when a required
heading of the template needs it or ``valfri`` when none does.

:func:`build_refusal` words why a report cannot be built yet; the Rapport
page shows the same words and the page's build refuses with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slutrapport.project.folder import Project
from slutrapport.report.build import FILLED, TEXT_MISSING, BlockBuilder
from slutrapport.report.model import Completeness
from slutrapport.report.results import ProjectResults

__all__ = [
    "FILLED",
    "MISSING",
    "OPTIONAL",
    "ERRORS",
    "INPUTS",
    "YAML_KEYS",
    "heading_status",
    "heading_detail",
    "InputStatus",
    "input_statuses",
    "build_refusal",
]

MISSING, OPTIONAL, ERRORS = "saknas", "valfri", "fel"

#: The inputs of a report: their key (``ProjectResults.problems``, the data sources' blocks) and Swedish name.
INPUTS = {
    "personalenkat": "Personalenkät",
    "sjalvvardering": "Självvärdering",
    "deltagare": "Deltagarregister",
    "ekonomi": "Budget och utfall",
    "socioekonomi": "Samhällsekonomisk beräkning",
}
#: Where in projekt.yaml a missing thing is given, added by the command line for those who edit the file.
YAML_KEYS = {
    "personalenkät saknas": "personalenkat: enkater:",
    "självvärdering saknas": "sjalvvardering: mapp:",
    "deltagarregister saknas": "deltagare: fil:",
    "mål saknas": "mal:",
    "ekonomi saknas": "ekonomi: fil:",
    "samhällsekonomisk beräkning saknas": "socioekonomi: fil:",
    "kategorisering saknas": "kompetenssatsning: kategorisering:",
    "omfattning saknas": "kompetenssatsning: omfattning:",
}
_RUN_VALIDATE = re.compile(r"\s*\(kör slutrapport validate [^)]*\)")


def heading_status(heading: Completeness) -> str:
    """``ifylld``, ``saknas`` (required and empty) or ``valfri`` (optional and empty)."""
    if heading.status == FILLED:
        return FILLED
    return MISSING if heading.required else OPTIONAL


def _with_key(message: str) -> str:
    for start, key in YAML_KEYS.items():
        if message.startswith(start) or message.endswith(start):
            return f"{message} (i projekt.yaml: {key})"
    return message


def heading_detail(heading: Completeness, yaml_keys: bool = False) -> str:
    """What a heading has or lacks, in words: "har text", "har beräknat innehåll, ingen egen text ännu", or what is missing.

    With ``yaml_keys`` (the command line) a missing thing names its key in ``projekt.yaml`` too.
    """
    missing = [_with_key(m) for m in heading.missing] if yaml_keys else list(heading.missing)
    others = [m for m in missing if m != TEXT_MISSING]
    if heading.status == FILLED and not heading.missing:
        return "har text"
    if heading.status == FILLED:
        if TEXT_MISSING not in heading.missing:  # text, but a data source of the heading is missing
            return "har text; " + "; ".join(others)
        return "har beräknat innehåll, ingen egen text ännu" + (f"; {'; '.join(others)}" if others else "")
    if heading_status(heading) == OPTIONAL:
        return "tom (frivillig rubrik)"
    return "; ".join(missing)


@dataclass(frozen=True)
class InputStatus:
    """One input of the report: its key, Swedish name, status (ifylld, fel, saknas, valfri) and what to say about it."""

    id: str
    title: str
    status: str
    detail: str


def _read(results: ProjectResults, source: str) -> bool:
    return {
        "personalenkat": results.survey,
        "sjalvvardering": results.self_evaluation,
        "deltagare": results.participants,
        "ekonomi": results.economy,
        "socioekonomi": results.socioeconomic,
    }[source] is not None


def _needed(project: Project) -> set[str]:
    """The inputs a required heading of the project's template misses without them.

    A block says itself whether it misses its source (the socio-economic
    calculation, e.g., is optional unless the template's settings require it):
    a block built with no data that names nothing missing does not need its source.
    """
    builder = BlockBuilder(project, ProjectResults())
    needed = set()
    for heading in project.template.all_headings():
        for block in heading.blocks if heading.required else ():
            source = BlockBuilder.BUILDERS.get(block, (None, None))[1]
            if source is not None and source not in needed and builder.build(block)[1] is not None:
                needed.add(source)
    return needed


def input_statuses(project: Project, results: ProjectResults) -> list[InputStatus]:
    """Every input of the report with its status (from the tolerant reading of ``check`` and the web page)."""
    needed = _needed(project)
    statuses = []
    for source, title in INPUTS.items():
        if source in results.problems:
            detail = _RUN_VALIDATE.sub("", results.problems[source])
            statuses.append(InputStatus(source, title, ERRORS, detail[:1].upper() + detail[1:]))
        elif _read(results, source):
            statuses.append(InputStatus(source, title, FILLED, "inläst"))
        elif source in needed:
            statuses.append(InputStatus(source, title, MISSING, "behövs för en obligatorisk rubrik i mallen"))
        else:
            statuses.append(InputStatus(source, title, OPTIONAL, "frivillig; ingen obligatorisk rubrik i mallen behöver den"))
    return statuses


def build_refusal(statuses: list[InputStatus]) -> str | None:
    """Why the report cannot be built yet (inputs with errors), in the words the Rapport page shows; None when it can."""
    wrong = [s for s in statuses if s.status == ERRORS]
    if not wrong:
        return None
    which = "; ".join(f"{s.title}: {s.detail[:1].lower() + s.detail[1:]}" for s in wrong)
    return f"Rapporten kan inte byggas förrän felen i indata är rättade. {which}. Felen står på sidan för varje indata."
