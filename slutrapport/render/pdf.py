"""The report as a PDF file (``slutrapport build --pdf``): the HTML report's print layout set by WeasyPrint.

WeasyPrint is an optional extra (``pip install 'slutrapport[pdf]'``); it is
imported only when a PDF is asked for, so the program starts without it. The
HTML report is self-contained (styles, charts as ``data:`` images), and the
PDF is made from it without fetching anything: every URL that is not a
``data:`` URL is refused (WeasyPrint's ``URLFetcher`` with only ``data``
allowed, or :func:`refuse_remote` for WeasyPrint before version 66).
"""

from __future__ import annotations

import logging

from slutrapport.core.errors import OutputError

__all__ = ["render_pdf", "refuse_remote", "PdfUnavailableError", "PDF_INSTALL"]

#: How to install what the PDF needs (in the message when it is missing).
PDF_INSTALL = "pip install 'slutrapport[pdf]'"


class PdfUnavailableError(OutputError):
    """A PDF was asked for and WeasyPrint is not installed."""


def refuse_remote(url: str, *args, **kwargs) -> dict:
    """A URL fetcher for WeasyPrint before version 66 (a function): a ``data:`` URL is read by
    WeasyPrint's own fetcher, anything else (``http:``, ``file:`` …) is refused."""
    if not url.startswith("data:"):
        raise ValueError(f"Rapporten hämtar inget utifrån: {url[:80]}")
    from weasyprint.urls import default_url_fetcher

    return default_url_fetcher(url, *args, **kwargs)


def _fetcher(weasyprint):
    """The URL fetcher that reads only ``data:`` URLs: WeasyPrint's own class where it has one (66 and later)."""
    urls = weasyprint.urls
    if hasattr(urls, "URLFetcher"):
        return urls.URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return refuse_remote


def render_pdf(html: str) -> bytes:
    """The HTML report's print layout as PDF bytes; :class:`PdfUnavailableError` when WeasyPrint is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint installed but Pango, its text library, missing
        raise PdfUnavailableError(
            "rapport.pdf kunde inte skrivas: PDF-tillägget WeasyPrint är inte installerat"
            + ("" if isinstance(exc, ImportError) else " (eller saknar sitt textbibliotek Pango)")
            + f". Installera det med: {PDF_INSTALL} (i en utvecklingskopia: pip install -e '.[pdf]')."
        ) from None
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)  # CSS WeasyPrint does not know (screen-only rules) is no news to the user
    try:
        return weasyprint.HTML(string=html, url_fetcher=_fetcher(weasyprint)).write_pdf()
    finally:
        logger.setLevel(level)
