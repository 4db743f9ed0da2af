"""LibreOffice for tests: how many pages a Word document has when LibreOffice Writer sets it.

:func:`docx_page_count` converts a .docx to PDF with ``soffice --headless
--convert-to pdf`` in a temporary folder (its own LibreOffice profile, so
tests running at the same time do not share one) and counts the PDF's page
objects. The test calling it is skipped when LibreOffice Writer is missing
(``.ci/run`` installs ``libreoffice-writer-nogui``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["soffice", "docx_to_pdf", "docx_page_count", "pdf_page_count"]

#: A page object of a PDF (``/Type /Page``, not the ``/Type /Pages`` tree above the pages).
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def soffice() -> str:
    """The LibreOffice program; the test is skipped when there is none."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) finns inte på den här datorn; testet av sidantalet i Word-rapporten hoppas över")
    return exe


def docx_to_pdf(path: Path, folder: Path) -> Path:
    """``path`` converted to PDF by LibreOffice Writer into ``folder``; skipped when Writer cannot convert it."""
    exe = soffice()
    command = [exe, f"-env:UserInstallation={(folder / 'profil').as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    pdf = folder / (Path(path).stem + ".pdf")
    if not pdf.is_file():
        pytest.skip(f"soffice kunde inte göra en PDF av Word-dokumentet (saknas LibreOffice Writer?): {done.stderr.strip()[:200]}")
    return pdf


def pdf_page_count(data: bytes) -> int:
    """The number of pages of a PDF whose page objects are not packed into object streams (LibreOffice's are not)."""
    return len(_PAGE.findall(data))


def docx_page_count(path: Path) -> int:
    """How many pages LibreOffice Writer sets the Word document ``path`` on."""
    with tempfile.TemporaryDirectory(prefix="docx-sidor-") as folder:
        return pdf_page_count(docx_to_pdf(Path(path), Path(folder)).read_bytes())
