"""Amounts in kronor as people write them: ``1 234 567 kr``, ``1234567,50``, ``12 tkr``.

Excel and YAML numbers are taken as they are; texts may have space, NBSP or
narrow NBSP as thousands separator, decimal comma (or point),
``kr``/``SEK``/``:-`` and ``tkr``/``mkr`` (× 1 000 / × 1 000 000, the words in
:data:`UNITS`, also read from headings such as ``Budget 2025 (tkr)``). A value
that could be read two ways (``1.234``, ``12,345``) is an error, never a guess.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import numpy as np

from slutrapport.core.swedish import format_money

__all__ = ["UNITS", "MAX_AMOUNT", "MoneyError", "parse_money"]

#: Unit words (lower case) → kronor per unit.
UNITS = {"kr": 1.0, "kr.": 1.0, "kronor": 1.0, "sek": 1.0, ":-": 1.0, ",-": 1.0, "tkr": 1e3, "mkr": 1e6,
         "tusen kronor": 1e3, "miljoner kronor": 1e6}  # fmt: skip
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " "})
_AMOUNT = re.compile(
    r"^(?P<sign>[-−–+])?\s*(?:(?:sek|kr)\s*)?(?P<sign2>[-−–])?\s*(?P<number>\d[\d .,]*?)\s*"
    r"(?P<unit>kr\.?|kronor|sek|tkr|mkr|:-|,-)?$",
    re.IGNORECASE,
)


#: The largest amount read (10^15 kronor, a million billion): a larger one is a typing error or
#: hundreds of digits, and sums of such amounts would no longer be finite numbers.
MAX_AMOUNT = 1e15
_TOO_LARGE = "är orimligt stort för ett belopp i kronor (högst 10^15 kr); står det två tal i cellen?"


class MoneyError(ValueError):
    """A value that is not an unambiguous amount in kronor; the message is Swedish."""


def parse_money(value: Any, unit: float = 1.0) -> float:
    """An amount in kronor from a cell, a YAML value or a text.

    ``unit`` multiplies amounts without their own unit (1 000 for a column in
    tkr). Numbers are taken as they are; texts follow the rules in the module
    docstring. Raises :class:`MoneyError` with a Swedish reason.

    >>> parse_money("1 234 567 kr"), parse_money("1234567,50"), parse_money("12 tkr")
    (1234567.0, 1234567.5, 12000.0)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise MoneyError("värde saknas (skriv 0 om det inte fanns något belopp)")
    if isinstance(value, (bool, np.bool_, datetime, date)):
        raise MoneyError("är inte ett belopp i kronor")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise MoneyError("är inte ett belopp i kronor")
        return _bounded(number * unit)
    text = " ".join(str(value).translate(_SPACES).split())
    if not text:
        raise MoneyError("värde saknas (skriv 0 om det inte fanns något belopp)")
    match = _AMOUNT.match(text)
    if match is None:
        raise MoneyError("kan inte läsas som ett belopp i kronor (skriv t.ex. 1 234 567 eller 1 234 567 kr)")
    if match["sign"] and match["sign2"]:
        raise MoneyError("har två tecken framför beloppet")
    negative = match["sign2"] is not None or (match["sign"] is not None and match["sign"] != "+")
    if match["unit"]:
        unit = UNITS[match["unit"].lower()]
    number = _number(match["number"].strip())
    return _bounded((-number if negative else number) * unit)


def _bounded(amount: float) -> float:
    if not abs(amount) < MAX_AMOUNT:  # also infinity and NaN: a float of hundreds of digits
        raise MoneyError(_TOO_LARGE)
    return amount


def _number(text: str) -> float:
    """Digits with thousands separators and at most one decimal separator (see :func:`parse_money`)."""
    decimal = None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif text.count(",") == 1:
        decimal = ","
    elif text.count(".") == 1:
        decimal = "."
    whole, fraction = (text.rsplit(decimal, 1) if decimal else (text, ""))
    whole = whole.strip()
    if decimal and not fraction.isdigit():
        raise MoneyError("kan inte läsas som ett belopp i kronor (skriv t.ex. 1 234 567 eller 1 234 567,50)")
    separators = {c for c in whole if not c.isdigit()}
    if len(separators) > 1:
        raise MoneyError("blandar olika tusentalsavgränsare (skriv t.ex. 1 234 567)")
    groups = re.split(r"[ .,]", whole) if separators else [whole]
    if not all(g.isdigit() for g in groups) or (
        len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]))
    ):
        raise MoneyError("siffrorna är inte grupperade tre och tre; står det två tal i cellen?")
    if decimal and len(fraction) == 3 and len(groups) == 1 and whole != "0":
        raise MoneyError(
            f"kan betyda både {format_money(float(whole + fraction))} och {whole},{fraction} kr; skriv tusental "
            "med mellanslag (1 234) eller belopp med högst två decimaler (1,23)"
        )
    return float("".join(groups) + ("." + fraction if decimal else ""))
