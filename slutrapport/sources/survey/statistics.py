"""The multiplicity plan of a staff survey: which tests carry the conclusions, and how the rest are adjusted.

Written by users under ``statistik:`` in an instrument file, or in
``projekt.yaml`` under ``personalenkat: statistik:`` (the project's keys win
over the instrument's)::

    statistik:
      primar: index      # index (default) or fragor
      sekundar: bh       # bh (default, Benjamini–Hochberg) or holm

``primar`` names the primary family: for ``Alla``, the ordinal test
(Wilcoxon or Mann–Whitney) of each index (or each question) from the first
to the last wave, Holm-adjusted within the family. An instrument without
indices always uses its questions. ``sekundar`` is the adjustment of the
secondary (exploratory) family: every other test of change in the report.
See :mod:`slutrapport.analysis.families`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["StatisticsPlan", "PRIMARY_CHOICES", "SECONDARY_CHOICES", "parse_statistics"]

#: ``primar:`` value → the ``niva`` of the primary family's rows
PRIMARY_CHOICES = {"index": "index", "fragor": "fraga"}
#: ``sekundar:`` value → adjustment method
SECONDARY_CHOICES = {"bh": "bh", "holm": "holm"}
_KEYS = {"primar": ("primary", PRIMARY_CHOICES), "sekundar": ("secondary", SECONDARY_CHOICES)}


@dataclass(frozen=True)
class StatisticsPlan:
    """``primary``: ``"index"`` or ``"fraga"``; ``secondary``: ``"bh"`` or ``"holm"``."""

    primary: str = "index"
    secondary: str = "bh"


def parse_statistics(raw: Any, problems: list[str], where: str = "statistik") -> dict[str, str]:
    """The settings written under ``statistik:`` as ``{"primary": …, "secondary": …}`` (only the keys given).

    Unknown keys and values are added to ``problems`` as Swedish messages
    naming ``where`` and the allowed values.
    """
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        problems.append(f"'{where}' ska vara nycklar som primar: index och sekundar: bh")
        return {}
    settings: dict[str, str] = {}
    for key, value in raw.items():
        if str(key) not in _KEYS:
            problems.append(f"okänd nyckel '{key}' under '{where}' (tillåtna: {', '.join(_KEYS)})")
            continue
        field_name, choices = _KEYS[str(key)]
        text = str(value).strip().casefold() if value is not None else ""
        if text not in choices:
            allowed = " eller ".join(choices)
            problems.append(f"'{key}' under '{where}' ska vara {allowed}, fick {value!r}")
            continue
        settings[field_name] = choices[text]
    return settings
