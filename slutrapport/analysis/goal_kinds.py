"""The keys of each kind of goal under ``mal:`` besides the common ones (see :mod:`.goals` for the YAML).

:func:`kind_fields` checks the keys that belong to one ``matt:`` and returns
the extra fields of :class:`~.goals.Goal`; a key of another kind is an error
naming the goal and the key, so a typo never silently changes what is counted.

- ``andel``/``antal``: ``kon`` (kvinnor, män, annat) and ``alder`` (``18-29``,
  ``-29``, ``50-`` or ``{fran: 18, till: 29}``, whole years, inclusive);
- ``forandring``: ``falt`` (status or forsorjning), ``fran`` and ``till`` (dates,
  ``fran`` before ``till``) and ``andring`` (minskning or okning);
- ``andel_svar``: ``fraga`` (a question id of the participant survey) and
  ``svar`` (``positiva`` or a list of values or labels);
- ``aktiviteter``: ``typ`` and, optionally, ``fran``/``till`` (the activities of those days);
- ``kvalitativt``: ``bedomning`` (ja, delvis or nej) and ``motivering``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Protocol

from slutrapport.core.problems import WARNING
from slutrapport.sources.register.values import ValueProblem, category_key, parse_date, parse_gender

__all__ = ["kind_fields", "KIND_KEYS", "POSITIVE"]

#: The extra keys each measure allows.
KIND_KEYS = {
    "andel": {"kon", "alder"},
    "antal": {"kon", "alder"},
    "forandring": {"falt", "fran", "till", "andring"},
    "andel_svar": {"fraga", "svar"},
    "aktiviteter": {"typ", "fran", "till"},
    "kvalitativt": {"bedomning", "motivering"},
}
#: ``svar: positiva``: the positive values of the question's scale.
POSITIVE = "positiva"
_NOT_WITH = {"kvalitativt": {"malvarde", "riktning", "kategorier", "population"}, "andel_svar": {"kategorier", "population"},
             "aktiviteter": {"kategorier", "population"}, "forandring": {"population"}}  # fmt: skip
_FOLD = str.maketrans("åäöé", "aaoe")
_AGES = re.compile(r"^(\d{1,3})?\s*[-–]\s*(\d{1,3})?$")
_MAX_AGE = 130


class _Parser(Protocol):
    report: Any

    def problem(self, number: int, key: str, message: str, value: object = None) -> None: ...


def _fold(value: object) -> str:
    return category_key(value).translate(_FOLD)


def _date(parser: _Parser, number: int, key: str, raw: Any) -> dt.date | None:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        found, _ = parse_date(str(raw or ""))
    except ValueProblem as exc:
        parser.problem(number, key, str(exc), raw)
        return None
    if found is None:
        parser.problem(number, key, "ange ett datum, t.ex. 2026-06-30", raw)
    return found


def _ages(parser: _Parser, number: int, raw: Any) -> tuple[int | None, int | None] | None:
    low: Any
    high: Any
    if isinstance(raw, dict):
        unknown = [str(k) for k in raw if _fold(k) not in ("fran", "till")]
        if unknown:
            parser.problem(number, "alder", f"okänd nyckel {', '.join(unknown)}; ange fran: och till: (år)", raw)
            return None
        low, high = raw.get("fran", raw.get("från")), raw.get("till")
    else:
        match = _AGES.match(" ".join(str(raw).split()))
        if not match or not any(match.groups()):
            parser.problem(number, "alder", "ange åldrarna som 18-29, -29 (högst 29 år) eller 50- (minst 50 år)", raw)
            return None
        low, high = match.groups()
    try:
        bounds = tuple(None if v is None else int(str(v)) for v in (low, high))
    except ValueError:
        parser.problem(number, "alder", "åldrarna ska vara hela år, t.ex. 18-29", raw)
        return None
    if all(v is None for v in bounds) or any(v is not None and not 0 <= v <= _MAX_AGE for v in bounds):
        parser.problem(number, "alder", f"åldrarna ska vara hela år från 0 till {_MAX_AGE}", raw)
        return None
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        parser.problem(number, "alder", "den lägsta åldern är högre än den högsta", raw)
        return None
    return bounds  # type: ignore[return-value]


def _text(raw: Any) -> str:
    return " ".join(str(raw).split()) if raw is not None else ""


def kind_fields(parser: _Parser, number: int, measure: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The extra :class:`~.goals.Goal` fields of a goal of ``measure``; problems go to ``parser``."""
    allowed = KIND_KEYS[measure]
    for key in fields:
        if key in set().union(*KIND_KEYS.values()) - allowed or key in _NOT_WITH.get(measure, set()):
            parser.problem(number, key, f"nyckeln gäller inte mål med matt: {measure}", fields[key])
    extra: dict[str, Any] = {}
    if measure in ("andel", "antal"):
        if fields.get("kon") is not None:
            try:
                extra["gender"] = parse_gender(str(fields["kon"])) if _text(fields["kon"]) else None
            except ValueProblem as exc:
                parser.problem(number, "kon", str(exc), fields["kon"])
            if extra.get("gender") is None and "gender" in extra:
                parser.problem(number, "kon", "ange kvinnor, män eller annat", fields["kon"])
        if fields.get("alder") is not None:
            extra["ages"] = _ages(parser, number, fields["alder"])
    elif measure == "forandring":
        field = _fold(fields.get("falt") or "")
        if field not in ("status", "forsorjning"):
            parser.problem(number, "falt", "ange falt: forsorjning (försörjning före inskrivning) eller status (status vid avslut)", fields.get("falt"))
        extra["field"] = field
        change = _fold(fields.get("andring") or "")
        if change not in ("minskning", "okning"):
            parser.problem(number, "andring", "ange andring: minskning (målet är färre) eller okning (målet är fler)", fields.get("andring"))
        extra["change"] = change
        if fields.get("kategorier") is None:
            parser.problem(number, "kategorier", "ett förändringsmål behöver kategorier: (vilka statusar eller försörjningar som räknas)")
        extra["dates"] = _dates(parser, number, fields, required=True)
    elif measure == "andel_svar":
        extra["question"] = _text(fields.get("fraga"))
        if not extra["question"]:
            parser.problem(number, "fraga", "ange frågans id i deltagarenkätens instrument, t.ex. fraga: halsa")
        raw = fields.get("svar")
        answers = raw if isinstance(raw, list) else [] if raw is None else [raw]
        extra["answers"] = tuple(_text(a) for a in answers if _text(a))
        if not extra["answers"]:
            parser.problem(number, "svar", "ange vilka svar som räknas, t.ex. svar: [4, 5] eller svar: positiva", raw)
    elif measure == "aktiviteter":
        extra["activity"] = _text(fields.get("typ"))
        if not extra["activity"]:
            parser.problem(number, "typ", "ange aktivitetens typ som i aktivitetsloggen, t.ex. typ: informationsträff")
        if fields.get("fran") is not None or fields.get("till") is not None:
            extra["dates"] = _dates(parser, number, fields, required=False)
    else:
        verdict = {"ja": "ja", "delvis": "delvis", "nej": "nej"}.get(_fold(fields.get("bedomning") or ""))
        if verdict is None:
            parser.problem(number, "bedomning", "ange projektets bedömning: ja, delvis eller nej", fields.get("bedomning"))
        extra["own_verdict"] = verdict or ""
        extra["motivation"] = _text(fields.get("motivering"))
        if not extra["motivation"]:
            parser.report.add(
                "projekt.yaml", "mål", "ett kvalitativt mål bör ha en motivering: som säger vad bedömningen bygger på",
                kolumn=f"mal nr {number}: motivering", allvar=WARNING,
            )  # fmt: skip
    return extra


def _dates(parser: _Parser, number: int, fields: dict[str, Any], required: bool) -> tuple[dt.date, dt.date] | None:
    given = {key: fields.get(key) for key in ("fran", "till")}
    if required and any(v is None for v in given.values()):
        for key, value in given.items():
            if value is None:
                parser.problem(number, key, "ett förändringsmål behöver datumen fran: och till:, t.ex. fran: 2025-12-31")
        return None
    start = _date(parser, number, "fran", given["fran"]) if given["fran"] is not None else dt.date.min
    end = _date(parser, number, "till", given["till"]) if given["till"] is not None else dt.date.max
    if start is None or end is None:
        return None
    if start >= end:
        parser.problem(number, "till", "till: ska vara ett senare datum än fran:", given["till"])
        return None
    return start, end
