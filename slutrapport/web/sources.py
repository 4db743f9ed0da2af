"""Data sources with their own page: upload the files, see the validation report and the tables.

The self-evaluation (Självvärdering), participant register (Deltagare) and
economy (Ekonomi) pages share one pattern. A source is described by a
:class:`DataSource`; the page then

1. shows each of the source's files (:class:`FileSlot`): the path
   ``projekt.yaml`` names under the slot's key, or the slot's default path;
2. takes an upload for each file and stores it at that path (type checked
   from the content; an existing file is replaced only when the user ticks
   so; the key is added to ``projekt.yaml`` when it was absent);
3. shows the source's validation report (its own ``validate`` function,
   returning a :class:`~slutrapport.core.problems.ValidationReport`);
4. shows the source's blocks exactly as the report builds them
   (:func:`slutrapport.web.workspace.source_blocks`: every block whose builder in
   ``report.build.BlockBuilder.BUILDERS`` names the source);
5. when the source has a :class:`ColumnMapping`, lists the file's columns with
   the field each is read as, and saves the user's choices in ``projekt.yaml``
   (the participant register's ``deltagare: kolumner:``), so a column is pointed
   at a field without renaming its heading in the file.

Switching a source on after its branch is merged is a few lines in
:data:`SOURCES`, e.g.::

    DataSource(
        id="ekonomi",                        # the ProjectResults.problems key its blocks use
        title="Ekonomi",
        intro="Budget och utfall per kategori och period.",
        files=(FileSlot(("ekonomi", "fil"), "Ekonomifil", "ekonomi/ekonomi.xlsx"),),
        validate=validate_economy,           # project folder → ValidationReport
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from slutrapport.core.problems import ValidationReport
from slutrapport.pipeline import validate_source
from slutrapport.project.budget_columns import budget_columns, budget_field_choices, map_budget_columns
from slutrapport.project.register import RegisterColumn, map_register_columns, register_columns, register_field_choices
from slutrapport.project.uploads import YAML
from slutrapport.sources.readers.detect import CSV, XLSX

__all__ = ["FileSlot", "ColumnMapping", "DataSource", "SOURCES"]


@dataclass(frozen=True)
class FileSlot:
    """One file of a data source: where ``projekt.yaml`` names it, a Swedish label, and where it goes by default."""

    key: tuple[str, ...]  # key path in projekt.yaml whose value is the file's path, e.g. ("ekonomi", "fil")
    label: str
    default: str  # relative path used (and written under ``key``) when projekt.yaml names none
    kinds: tuple[str, ...] = (CSV, XLSX)  # accepted content types
    #: a folder of many files (``key`` names the folder): each upload adds files under generated names
    folder: bool = False
    #: the report can do without the file (its status is "valfri", never "saknas")
    optional: bool = False
    #: the blank template the page offers for the file (:data:`slutrapport.pipeline.blanks.BLANKS`), None: none
    blank: str | None = None


@dataclass(frozen=True)
class ColumnMapping:
    """The columns of a source's file pointed at the source's fields, saved under ``key`` in ``projekt.yaml``."""

    key: str  # where the choices are saved, e.g. "deltagare: kolumner:" (for the documentation; the page says "projektfilen")
    #: project folder → the file's columns with the field each is read as now
    columns: Callable[[Path], list[RegisterColumn]]
    #: the fields a column can be read as: (field, Swedish label)
    choices: Callable[[], list[tuple[str, str]]]
    #: (project folder, projekt.yaml version, {heading: field or "" for recognise}) → comments kept
    save: Callable[[Path, str, dict[str, str]], bool]


@dataclass(frozen=True)
class DataSource:
    """A data source page: URL id (also its ``ProjectResults.problems`` key), title, files and validator."""

    id: str
    title: str
    intro: str
    files: tuple[FileSlot, ...]
    validate: Callable[[Path], ValidationReport] | None = None
    mapping: ColumnMapping | None = None


#: The data sources shown in the menu, in order.
SOURCES: tuple[DataSource, ...] = (
    DataSource(
        id="sjalvvardering",
        title="Självvärdering",
        intro=(
            "De ifyllda självvärderingsformulären. Ladda ner ett tomt formulär nedan, låt deltagarna fylla i det "
            "och ladda upp ett eller flera ifyllda formulär här."
        ),
        files=(FileSlot(("sjalvvardering", "mapp"), "Ifyllda formulär", "sjalvvardering", kinds=(XLSX,), folder=True, blank="sjalvvardering"),),
        validate=partial(validate_source, source="sjalvvardering"),
    ),
    DataSource(
        id="deltagare",
        title="Deltagare",
        intro=(
            "Deltagarregistret: en rad per deltagare med ett pseudonymt id (aldrig namn eller personnummer), "
            "kön, ålder, inskrivnings- och avslutsdatum, försörjning före, status vid avslut och antal möten. "
            "Målen (under Projekt) räknas från registret, från deltagarenkäten (svaren och instrumentet med "
            "frågorna) och från aktivitetsloggen (en rad per aktivitet med datum och typ), eller är kvalitativa."
        ),
        files=(
            FileSlot(("deltagare", "fil"), "Deltagarregister", "deltagare.csv", blank="deltagare"),
            FileSlot(("aktiviteter", "fil"), "Aktivitetslogg (frivillig)", "aktiviteter.csv"),
            FileSlot(("deltagarenkat", "fil"), "Deltagarenkät, svaren (frivillig)", "deltagarenkat.csv"),
            FileSlot(("deltagarenkat", "instrument"), "Deltagarenkät, frågorna (YAML)", "deltagarenkat.yaml", kinds=(YAML,)),
        ),
        validate=partial(validate_source, source="deltagare"),
        mapping=ColumnMapping("deltagare: kolumner:", register_columns, register_field_choices, map_register_columns),
    ),
    DataSource(
        id="ekonomi",
        title="Ekonomi",
        intro=(
            "Budget enligt ansökan och utfall per kategori och period, och parameterfilen för en "
            "samhällsekonomisk beräkning (frivillig)."
        ),
        files=(
            FileSlot(("ekonomi", "fil"), "Budget och utfall", "ekonomi.xlsx", blank="budget"),
            FileSlot(("socioekonomi", "fil"), "Samhällsekonomisk beräkning (YAML)", "socioekonomi.yaml", kinds=(YAML,), optional=True, blank="socioekonomi"),
        ),
        validate=partial(validate_source, source="ekonomi"),
        mapping=ColumnMapping("ekonomi: kolumner:", budget_columns, budget_field_choices, map_budget_columns),
    ),
)
