"""Recognise what a file is: first the container (CSV text, a workbook, SPSS), then the export tool.

The container is decided from the first bytes, not the file name, so a
``.csv`` that is really a workbook (or a ``.xls`` that is really tab-separated
text) is read anyway. Workbooks are .xlsx/.xlsm (a zip with
``xl/workbook.xml``), .xlsb (``xl/workbook.bin``), .ods (an OpenDocument
spreadsheet ``mimetype``) and the old binary .xls (an OLE container; an
encrypted .xlsx is an OLE container too, and :mod:`.workbook` tells them
apart). A web page, an Excel 2003 XML file, a PDF, a Word document or any
other zip file gets a clear Swedish message.

The tool is recognised from the header rows, most specific first:
Qualtrics (export tags with ``ResponseId`` or an ``{"ImportId": …}`` row),
SurveyMonkey (``Respondent ID`` and ``Collector ID``), LimeSurvey (``id`` with
``submitdate``/``lastpage``/``startlanguage``), Esmaker (question codes above
question texts, with a respondent-ID column), Netigate (``RespondentID`` with
two of ``Status``, start date, end date, language), Webropol (``Respondent``
with an answer time or matrix headings above statements), Artologik
Survey&Report (``Respondent``/``Inskickad``/``Datum`` with numbered question
headings), Microsoft Forms (``ID`` with
``Start time``/``Starttid``), Google Forms (first column
``Tidstämpel``/``Timestamp``); anything else is plain.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import damage_reason, open_input_file
from slutrapport.sources.readers import artologik, esmaker, google_forms, limesurvey, microsoft_forms, netigate, plain, qualtrics, surveymonkey, webropol
from slutrapport.sources.readers.sheet import CSV, ODS, WORKBOOKS, XLS, XLSB, XLSX, Sheet

__all__ = ["CSV", "XLSX", "XLS", "ODS", "XLSB", "WORKBOOKS", "SPSS", "container", "detect", "DETECTORS"]

SPSS = "sav"

#: Format modules in the order they are tried; ``plain`` matches anything.
DETECTORS = (qualtrics, surveymonkey, limesurvey, esmaker, netigate, webropol, artologik, microsoft_forms, google_forms, plain)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAV = (b"$FL2", b"$FL3")
_MARKUP = re.compile(rb"^<(?:!doctype\s+html|html|head|body|table|meta|title|style|script|div|!--)", re.IGNORECASE)
_SPREADSHEET_XML = b"urn:schemas-microsoft-com:office:spreadsheet"
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")
_SAVE_AGAIN = "Öppna den i Excel och spara som .xlsx eller CSV."


def detect(sheet: Sheet) -> str:
    """The name of the first format whose detector recognises the sheet's header rows."""
    for module in DETECTORS:
        if module.matches(sheet):
            return module.NAME
    return plain.NAME  # pragma: no cover - plain matches everything


def container(path: Path, head: bytes) -> str:
    """``CSV``, ``SPSS`` or one of :data:`WORKBOOKS` judged from the first bytes; raise for anything unreadable."""
    name, suffix = path.name, path.suffix.lower()
    if not head:
        raise InputFileError(f"Filen {name} är tom.")
    if head.startswith(_SAV):
        return SPSS
    if suffix in (".sav", ".zsav"):
        raise InputFileError(
            f"Filen {name} heter {suffix} men är ingen SPSS-fil. Spara den igen från SPSS, eller som .xlsx eller CSV."
        )
    if head.startswith(b"PK"):
        return _zip_kind(path)
    if head.startswith(_OLE):
        return XLS  # or an encrypted .xlsx: the workbook reader tells them apart
    _reject_markup(name, suffix, head)
    if head.startswith(b"%PDF"):
        raise InputFileError(f"Filen {name} är en PDF-fil, inte en enkätexport. Ladda ner svaren som CSV eller .xlsx.")
    if head.startswith(b"\x1f\x8b"):
        raise InputFileError(f"Filen {name} är komprimerad (gzip). Packa upp den först.")
    return CSV


def _reject_markup(name: str, suffix: str, head: bytes) -> None:
    text = head
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if text.startswith(bom):
            text = text[len(bom) :]
            if bom != codecs.BOM_UTF8:
                text = text.replace(b"\x00", b"")
            break
    text = text.lstrip()
    is_xml = text.startswith(b"<?xml")
    if not (_MARKUP.match(text) or is_xml):
        return
    if _SPREADSHEET_XML in head or _SPREADSHEET_XML in text:
        what = "ett XML-kalkylblad (Excel 2003 XML)"
    elif is_xml and b"<html" not in text.lower():
        what = "en XML-fil"
    else:
        what = "en webbsida (HTML)"
    if suffix in _EXCEL_SUFFIXES:
        raise InputFileError(
            f"Filen {name} heter {suffix} men är ingen Excel-arbetsbok utan {what} "
            f"(t.ex. en inloggningssida eller en omdöpt fil). Ladda ner exporten igen, eller {_SAVE_AGAIN[0].lower()}{_SAVE_AGAIN[1:]}"
        )
    raise InputFileError(
        f"Filen {name} är {what}, inte en CSV-fil. Ladda ner exporten igen som CSV eller .xlsx."
    )


def _zip_kind(path: Path) -> str:
    with open_input_file(path, "Filen") as handle:  # only a regular file: never a pipe or a device
        return _archive_kind(path, handle)


def _archive_kind(path: Path, file: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(100)
    except Exception as exc:  # noqa: BLE001 - zipfile raises many kinds of errors on damaged archives
        raise InputFileError(
            f"Filen {path.name} kunde inte läsas som Excel-arbetsbok (.xlsx): {damage_reason(exc)}. {_SAVE_AGAIN}"
        ) from exc
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return XLSB
    if b"opendocument.spreadsheet" in mimetype:
        return ODS
    what = "ett Word-dokument" if "word/document.xml" in names else "ett zip-arkiv utan arbetsbok"
    raise InputFileError(
        f"Filen {path.name} kunde inte läsas som Excel-arbetsbok (.xlsx): den är {what}. {_SAVE_AGAIN}"
    )
