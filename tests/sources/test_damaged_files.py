"""Damaged workbooks and archives: a Swedish reason, never the reading library's English text (``--debug`` shows that)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from slutrapport.cli import cli
from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import damage_reason
from slutrapport.sources.readers.labels import read_labels
from tests.conftest import SAMPLES

#: Words of the libraries' English messages that must not reach a user.
ENGLISH = re.compile(r"\b(?:syntax|error|found|expected|file|is|not|tag|closed|specification|mandates|attribute|line)\b", re.IGNORECASE)


def _damaged(source: Path, target: Path, part: str) -> Path:
    """``source`` (an xlsx) copied to ``target`` with the zip member ``part`` cut in half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if part in item.filename else data)
    return target


def _swedish(message: str) -> None:
    assert not ENGLISH.search(message), message


def _lxml_error() -> BaseException:
    from lxml import etree

    try:
        etree.fromstring(b"<a><b></a>")
    except etree.XMLSyntaxError as exc:
        return exc
    raise AssertionError("lxml read a broken document")


def _csv_error(text: str) -> csv.Error:
    old = csv.field_size_limit(10)
    try:
        list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        return exc
    finally:
        csv.field_size_limit(old)
    raise AssertionError("csv read it")


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (zipfile.BadZipFile("File is not a zip file"), "inget giltigt zip-arkiv"),
        (EOFError("Compressed file ended before the end-of-stream marker was reached"), "tar slut för tidigt"),
        (zlib.error("Error -3 while decompressing data: invalid stored block lengths"), "packade delarna"),
        (KeyError("There is no item named 'xl/workbook.xml' in the archive"), "en del som filen ska innehålla saknas"),
        (_lxml_error(), "XML-innehåll är skadat"),
        (type("XmlError", (Exception,), {})("syntax error: tag not closed"), "XML-innehåll är skadat"),  # python_calamine's
        (_csv_error("a,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"), "ett fält är längre än det största tillåtna"),
        (csv.Error("unexpected end of data"), "filen tar slut inuti ett fält"),  # the csv module's own words, strict=True
        (csv.Error("new-line character seen in unquoted field - do you need to open the file with newline=''?"), "radbrytning"),
        (ValueError("Value must be either numerical or a string containing a wildcard"), "skadad eller har ett format"),
    ],
)
def test_a_library_exception_becomes_a_swedish_reason(exc, reason):
    said = damage_reason(exc)
    assert reason in said
    _swedish(said)


def _validate(root: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 1, result.output
    assert "oväntat fel" not in result.output
    return [p["meddelande"] for p in json.loads(result.stdout)["problem"] if p["allvar"] == "fel"]


def test_damaged_budget_form_and_survey_workbooks_are_named_in_swedish(tmp_path):
    root = tmp_path / "projekt"
    root.mkdir()
    _damaged(SAMPLES / "ekonomi.xlsx", root / "ekonomi.xlsx", "sheet1.xml")
    for name in ("start-01.xlsx", "slut-01.xlsx"):
        shutil.copy(SAMPLES / "sjalvvardering" / name, root / name)
    (root / "sjalvvardering").mkdir()
    _damaged(SAMPLES / "sjalvvardering" / "slut-01.xlsx", root / "sjalvvardering" / "slut-01.xlsx", "workbook.xml")
    _damaged(SAMPLES / "enkater" / "enkat2_microsoft_forms.xlsx", root / "enkat2.xlsx", "sheet1.xml")
    (root / "projekt.yaml").write_text(
        "projekt:\n  namn: Test\nekonomi:\n  fil: ekonomi.xlsx\nsjalvvardering:\n  mapp: sjalvvardering\n"
        "personalenkat:\n  instrument: samverkan\n  enkater:\n    - fil: enkat2.xlsx\n",
        encoding="utf-8",
    )
    messages = _validate(root)
    budget = next(m for m in messages if "ekonomi.xlsx" in m)
    assert budget == "Kalkylbladet i ekonomi.xlsx kunde inte läsas: filens XML-innehåll är skadat. Öppna filen i Excel och spara den igen."
    form = next(m for m in messages if m.startswith("filen kunde inte läsas som en Excel-arbetsbok"))
    assert form.endswith(": filens XML-innehåll är skadat")
    survey = next(m for m in messages if "enkat2.xlsx" in m)
    assert "kunde inte läsas: filens XML-innehåll är skadat" in survey
    for message in (budget, form, survey):
        _swedish(message.replace("Excel", "").replace("enkat2.xlsx", "").replace("ekonomi.xlsx", ""))


def test_a_damaged_label_archive_is_named_in_swedish(tmp_path):
    path = tmp_path / "halv.lsa"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(InputFileError) as caught:
        read_labels(path)
    message = str(caught.value)
    assert message.startswith("Etikettfilen halv.lsa kunde inte läsas, arkivet är skadat: filen är inget giltigt zip-arkiv")
    _swedish(message.replace("halv.lsa", ""))
