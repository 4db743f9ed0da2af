"""Text the renderers share: Swedish numbers (decimal comma, percent with a space),
cell texts, the Markdown rules and text an XML file can hold (:func:`xml_text`, on
:func:`slutrapport.core.safetext.clean_text`, the one sanitiser of every writer)."""

from __future__ import annotations

import math
from functools import lru_cache

from markdown_it import MarkdownIt

from slutrapport.core.rounding import largest_remainder
from slutrapport.core.safetext import clean_text, shorten
from slutrapport.core.swedish import format_money, format_number, format_percent
from slutrapport.report.model import (
    COEFFICIENT,
    COUNT,
    DIFF_MEAN,
    DIFF_SHARE,
    EFFECT,
    INTERVAL,
    MEAN,
    MONEY,
    PERCENT,
    PVALUE,
    SHARE,
    SHARE_INTERVAL,
    Hidden,
    Typed,
)
from slutrapport.wording.participants import format_share_interval

__all__ = ["format_value", "format_number", "largest_remainder", "signed_number", "cell_text", "markdown_parser", "xml_text", "property_text", "MAX_PROPERTY"]

#: The longest document property (title, subject) Word accepts (python-docx refuses a longer one); also used for
#: Excel's document and chart titles.
MAX_PROPERTY = 255


def format_value(value: object, kind: str) -> str:
    """Format a model value; ``None`` and NaN become an empty string, a text (e.g. an approximate count, "ca 60*") stays as it is;
    a :class:`~slutrapport.report.model.Typed` value by its own kind, its mark after it ("0,66 *")."""
    if isinstance(value, Typed):
        text = cell_text(value.value, value.kind)
        return f"{text} {value.mark}" if text and value.mark and not isinstance(value.value, Hidden) else text
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    if kind == COUNT:
        return format_number(float(value), 0)
    if kind == MEAN:
        return format_number(float(value), 1)
    if kind == SHARE:
        return format_percent(float(value))
    if kind == PERCENT:
        return f"{int(value)}\u00a0%"
    if kind == DIFF_MEAN:
        return signed_number(float(value), 1)
    if kind == DIFF_SHARE:
        return signed_number(100 * float(value), 0) + "\u00a0p.e."
    if kind == EFFECT:
        return signed_number(float(value), 2)
    if kind == COEFFICIENT:
        return format_number(float(value), 2)
    if kind == PVALUE:
        return "<\u00a00,001" if float(value) < 0.001 else format_number(float(value), 3)
    if kind == INTERVAL:
        low, high = value
        if any(v is None or math.isnan(v) for v in (low, high)):
            return ""
        low_text, high_text = (format_number(100 * v, 0) for v in (low, high))
        return f"{low_text} till {high_text}\u00a0p.e."
    if kind == SHARE_INTERVAL:
        low, high = value
        if any(v is None or math.isnan(v) for v in (low, high)):
            return ""
        return format_share_interval(float(low), float(high))  # "48–79 %", as the participants' goals
    if kind == MONEY:
        return format_money(float(value))
    return str(value)


def signed_number(value: float, decimals: int) -> str:
    """A number with an explicit sign and a real minus sign: +0,4 / −0,4 / 0,0 (no sign when it rounds to zero)."""
    text = format_number(abs(value), decimals)
    if text.strip("0,") == "":
        return text
    return ("+" if value > 0 else "\u2212") + text


def cell_text(value: object, kind: str) -> str:
    """A table cell as text: a hidden value is "–", anything else :func:`format_value`."""
    return "–" if isinstance(value, Hidden) else format_value(value, kind)


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """CommonMark for narratives: raw HTML is shown as text (``html=False``), and links and
    images are switched off so a report never points at or fetches anything outside itself."""
    return MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink"])


def xml_text(text: object, single_line: bool = False) -> str:
    """User text as a string an XML file (docx, xlsx) can hold: control characters, lone surrogates and
    U+FFFE/U+FFFF removed, word separators such as the vertical tab made a space, and the repair noted
    (:func:`~slutrapport.core.safetext.clean_text`); ``single_line`` also makes line breaks spaces."""
    return clean_text(text, single_line=single_line)


def property_text(text: object, limit: int = MAX_PROPERTY) -> str:
    """A text for a document property or a chart title: one clean line (:func:`xml_text`) of at most
    ``limit`` characters, a longer one cut with an ellipsis."""
    return shorten(clean_text(text, single_line=True), limit)
