"""The report a funder reads and its appendix (bilaga): one full report model split in two.

:func:`split_report` takes the full report of :func:`~slutrapport.report.build.project_report`
and, at the detail level ``sammanfattning``, moves every block marked
``appendix`` (:func:`~slutrapport.report.model.for_appendix`) to a second
:class:`~slutrapport.report.model.Report` under the same headings. The
appendix numbers its tables ("Tabell 4. …") and charts ("Diagram 2. …") in
document order, and where blocks left a list of the main report, one sentence
refers to them there ("Se bilagan, tabell 4–9 och diagram 2–3.", "Se bilagan, avsnitt 6 (”Fritextsvar”)."). Both models
are drawn by the same renderers (``bilaga.html``, ``bilaga.docx``).

At the detail level ``full`` the main report is the full report, everything
in the main part as before; the appendix then holds one sentence saying so,
so that ``build`` always writes the same files and an appendix from an
earlier build is never left behind unchanged.

Only blocks move: every tidy table (``Report.tables``), the comparison and
the instrument stay on the full report, which the workbook and ``rapport.json``
are written from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from slutrapport.core.swedish import join_words
from slutrapport.project.templates import DETAIL_LEVELS, FULL, SUMMARY
from slutrapport.report.model import CHARTS, Paragraphs, Report, Section, Subsection, Table

__all__ = ["SUMMARY", "FULL", "DETAIL_LEVELS", "split_report", "APPENDIX_SUBTITLE"]

APPENDIX_SUBTITLE = "Bilaga till slutrapporten: tabeller, diagram och underlag"
_FULL_TEXT = (
    "Rapporten är byggd med detaljnivån full: alla tabeller och diagram står i själva rapporten, "
    "så bilagan har inget eget innehåll."
)
_NOTHING_MOVED = "Rapporten har inga tabeller eller diagram som hör hemma i en bilaga."


@dataclass
class _Numbers:
    """The running numbers of the appendix's tables and charts."""

    tables: int = 0
    charts: int = 0


@dataclass
class _Moved:
    """What left one list of blocks: the appendix's numbers of its tables and charts, and its subsections' titles."""

    tables: list[int] = field(default_factory=list)
    charts: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    text: bool = False  # paragraphs without a heading of their own


def split_report(report: Report, detail: str = SUMMARY) -> tuple[Report, Report]:
    """``(main, appendix)``: the report a funder reads and its appendix (see the module docstring)."""
    if detail == FULL:
        return report, _appendix(report, [_note_section(_FULL_TEXT)])
    numbers = _Numbers()
    main_sections: list[Section] = []
    appendix_sections: list[Section] = []
    for section in report.sections:
        kept, moved = _split(section.blocks, numbers, section)
        main_sections.append(replace(section, blocks=kept))
        if moved:
            appendix_sections.append(
                Section(id=section.id, number=section.number, title=section.title, blocks=moved, expects_text=False, level=section.level)
            )
    main = replace(report, sections=main_sections)
    return main, _appendix(report, appendix_sections or [_note_section(_NOTHING_MOVED)])


def _appendix(report: Report, sections: list[Section]) -> Report:
    return Report(
        title=report.title,
        subtitle=APPENDIX_SUBTITLE,
        facts={},
        sections=sections,
        generated=report.generated,
        template_name=report.template_name,
        template_id=report.template_id,
    )


def _note_section(text: str) -> Section:
    return Section(id="bilaga", number=None, title="Bilaga", blocks=[Paragraphs([text])], expects_text=False)


def _split(blocks: list[Any], numbers: _Numbers, section: Section) -> tuple[list[Any], list[Any]]:
    """``(kept, moved)`` of one list of blocks; ``kept`` has the reference sentence where the first block left."""
    kept: list[Any] = []
    moved: list[Any] = []
    here = _Moved()
    place: int | None = None
    for block in blocks:
        if getattr(block, "appendix", False):
            place = len(kept) if place is None else place
            moved.append(_numbered(block, numbers, here))
        elif isinstance(block, Subsection):
            sub_kept, sub_moved = _split(block.blocks, numbers, section)
            if sub_moved:
                moved.append(Subsection(block.title, sub_moved))
            kept.append(replace(block, blocks=sub_kept))
        else:
            kept.append(block)
    if place is not None:
        kept.insert(place, Paragraphs([_reference(here, section)]))
    return kept, moved


def _numbered(block: Any, numbers: _Numbers, moved: _Moved, top: bool = True) -> Any:
    """A copy of ``block`` for the appendix with its tables and charts numbered (their numbers noted in ``moved``,
    and a moved subsection's title when it has neither)."""
    if isinstance(block, Table):
        numbers.tables += 1
        moved.tables.append(numbers.tables)
        return replace(block, caption=f"Tabell {numbers.tables}. {block.caption}", appendix=False)
    if isinstance(block, CHARTS):
        numbers.charts += 1
        moved.charts.append(numbers.charts)
        return replace(block, title=f"Diagram {numbers.charts}. {block.title}", png=None, appendix=False)
    if isinstance(block, Subsection):
        before = (len(moved.tables), len(moved.charts))
        inner = [_numbered(b, numbers, moved, top=False) for b in block.blocks]
        if top and before == (len(moved.tables), len(moved.charts)):
            moved.titles.append(block.title)
        return replace(block, blocks=inner, appendix=False)
    if top and isinstance(block, Paragraphs):
        moved.text = True
    elif top and getattr(block, "title", None):
        moved.titles.append(block.title)
    return replace(block, appendix=False)


def _reference(moved: _Moved, section: Section) -> str:
    """``'Se bilagan, tabell 4–9 och diagram 2–3.'``; moved subsections without tables or charts and moved text
    are named with the appendix's heading: ``'Se bilagan, tabell 2 och avsnitt 3 (”Fritextsvar” och mer text).'``"""
    parts = []
    if moved.tables:
        parts.append("tabell " + _ranges(moved.tables))
    if moved.charts:
        parts.append("diagram " + _ranges(moved.charts))
    named = [f"”{title}”" for title in dict.fromkeys(moved.titles)] + (["mer text"] if moved.text else [])
    if named:
        where = f"avsnitt {section.number}" if section.number else f"avsnittet ”{section.title}”"
        parts.append(f"{where} ({join_words(named)})")
    return f"Se bilagan, {join_words(parts)}."


def _ranges(numbers: list[int]) -> str:
    """``[4, 5, 6, 9]`` → ``'4–6, 9'``."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in spans)
