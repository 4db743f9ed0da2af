"""rapport.pdf (``build --pdf``): the HTML print layout through WeasyPrint, never fetching anything; without it a clear message."""

from __future__ import annotations

import base64
import builtins
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from slutrapport.cli import cli
from slutrapport.render.pdf import PdfUnavailableError, render_pdf


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def no_weasyprint(monkeypatch):
    """WeasyPrint not installed: importing it fails as it does then."""
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError(f"No module named '{name}'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_without_weasyprint_the_message_says_how_to_install_it(no_weasyprint):
    with pytest.raises(PdfUnavailableError) as info:
        render_pdf("<p>Hej</p>")
    message = str(info.value)
    assert message.startswith("rapport.pdf kunde inte skrivas: PDF-tillägget WeasyPrint är inte installerat.")
    assert "pip install 'slutrapport[pdf]'" in message and "pip install -e '.[pdf]'" in message


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    result = CliRunner().invoke(cli, ["init", str(project)])
    assert result.exit_code == 0, result.output
    return project


def test_build_pdf_without_weasyprint_writes_the_other_files_then_fails_without_traceback(tmp_path, no_weasyprint):
    project = _project(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(project), "--pdf"])
    assert result.exit_code == 1
    assert "WeasyPrint är inte installerat" in result.output and "De andra filerna skrevs till" in result.output
    assert "Traceback" not in result.output
    written = sorted(p.name for p in (project / "rapport").iterdir() if not p.name.startswith("."))
    assert {"rapport.html", "rapport.docx", "rapport.xlsx", "rapport.json"} <= set(written) and "rapport.pdf" not in written


def test_the_pdf_reads_data_urls_and_refuses_every_other_url(tmp_path):
    pytest.importorskip("weasyprint")
    picture = tmp_path / "bild.png"
    picture.write_bytes(_png())
    data_url = "data:image/png;base64," + base64.b64encode(_png()).decode("ascii")
    inline = render_pdf(f'<p>Hej 12 345 kr</p><img src="{data_url}">')
    assert inline.startswith(b"%PDF") and inline.count(b"/Subtype /Image") == 1
    for url in (picture.as_uri(), "http://127.0.0.1:9/bild.png", "https://example.org/bild.png"):
        refused = render_pdf(f'<p>Hej</p><img src="{url}"><link rel="stylesheet" href="{url}.css">')
        assert refused.startswith(b"%PDF") and b"/Subtype /Image" not in refused, url


def test_build_pdf_writes_rapport_pdf(tmp_path):
    pytest.importorskip("weasyprint")
    project = _project(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(project), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = (project / "rapport" / "rapport.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and "rapport.pdf" in result.output
