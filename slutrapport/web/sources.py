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
   returning a :class:`~slutrapport.surveys.validation.ValidationReport`);
4. shows the source's blocks exactly as the report builds them
   (:func:`slutrapport.pipeline.source_blocks`: every block whose builder in
   ``report._Blocks.BUILDERS`` names the source).

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

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..surveys.readers.detect import CSV, XLSX
from ..surveys.validation import ValidationReport

__all__ = ["FileSlot", "DataSource", "SOURCES"]


@dataclass(frozen=True)
class FileSlot:
    """One file of a data source: where ``projekt.yaml`` names it, a Swedish label, and where it goes by default."""

    key: tuple[str, ...]  # key path in projekt.yaml whose value is the file's path, e.g. ("ekonomi", "fil")
    label: str
    default: str  # relative path used (and written under ``key``) when projekt.yaml names none
    kinds: tuple[str, ...] = (CSV, XLSX)  # accepted content types


@dataclass(frozen=True)
class DataSource:
    """A data source page: URL id (also its ``ProjectResults.problems`` key), title, files and validator."""

    id: str
    title: str
    intro: str
    files: tuple[FileSlot, ...]
    validate: Callable[[Path], ValidationReport] | None = None


#: The data sources shown in the menu, in order. Empty until the self-evaluation, participant
#: and economy sources are merged; each is then switched on with one entry (see the module docs).
SOURCES: tuple[DataSource, ...] = ()
