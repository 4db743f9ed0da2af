"""Read and validate the parameter file of the socio-economic calculation (``socioekonomi:`` in ``projekt.yaml``).

The file is YAML; amounts are kronor per person and year (read with
:func:`~slutrapport.sources.economy.money.parse_money`, so ``125 000``, ``"125 000 kr"``
and ``125 tkr`` all work)::

    exempel: true                 # the values are examples (the report says so)
    kalla: "Var kostnaderna kommer ifrån"
    projektkostnad: 3 966 250     # optional: else the utfall of ekonomi: is used
    avslutade: 34                 # optional: else the participant register's count
    varaktighet_ar: 5             # optional: years the effects last (default: the whole 5-year horizon)
    diskonteringsranta: 0.035     # optional: 0.035 or "3,5 %" (default 0)
    typfall:
      - namn: Långtidsarbetslös med försörjningsstöd
        andel: 0.7                # share of the finished participants (Σ = 1; may be left out with one typfall)
        fore:                     # FÖRE: one year before the insats
          kommun: 130 000         # a public actor's cost of support and benefits …
          region: {kostnad: 8 000, intakt: 19 000}   # … or cost and revenue (tax) separately
          individen: 110 000      # individen: income (or {inkomst: …, kostnad: …})
        efter:                    # EFTER: one year after, one entry per scenario (Σ andel = 1)
          - {namn: Arbete, andel: 0.25, kommun: {kostnad: 4 000, intakt: 36 000}, individen: 200 000}
          - {namn: Oförändrat, andel: 0.75, som_fore: true}

Actors are kommun, region, Försäkringskassan, Arbetsförmedlingen, övriga
staten and individen (also written kommunen, landsting, FK, AF, staten,
individ …). An actor left out has no amount (0 kr); ``som_fore: true`` copies
the FÖRE amounts. Each amount is stored as a *net* yearly amount: a public
actor's cost minus its revenue, the individual's own costs minus income, so
that the gain is FÖRE − EFTER for every actor alike.

Errors (Swedish, naming file, line, key path and value): unknown keys and
actors, amounts that are not money, negative amounts (revenue and income are
given as positive numbers under ``intakt:``/``inkomst:``), shares outside
0–1 or not summing to 1 (tolerance :data:`SHARE_TOLERANCE`), missing or
duplicate names, an effect duration ≤ 0 or over 100 years, a discount rate
outside 0–1, more than 1 000 000 finished participants and amounts of 10^15
kronor or more. The file's shape is checked first against its JSON Schema
(:mod:`.parameter_schema`): an unknown key with a suggestion, a value of the
wrong type, a yes/no that is not true/false/ja/nej, a number that is not finite.

The project's file (``socioekonomi:``) is found by
:func:`slutrapport.pipeline.read.parameter_file`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import read_text_limited
from slutrapport.core.oserrors import os_reason
from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import format_number
from slutrapport.core.text import normalise
from slutrapport.core.yamlfile import parse_yaml, yaml_flag
from slutrapport.core.yamlschema import INVALID
from slutrapport.sources.economy.basis import CalculationBasis, resolve_basis
from slutrapport.sources.economy.method_settings import read_financing, read_indirect_tax, read_parameter_setting
from slutrapport.sources.economy.money import MoneyError, parse_money
from slutrapport.sources.economy.parameter_schema import (
    ACTORS,
    CASE_KEYS,
    INDIVIDUAL,
    PARTS,
    SCENARIO_KEYS,
    TOP_KEYS,
    actor_name,
    check_parameter_schema,
    fold_key,
    named,
)
from slutrapport.sources.economy.parameter_set import ParameterSet
from slutrapport.sources.economy.problems import EconomyValidationError, yaml_lines
from slutrapport.sources.economy.typfall_input import Situation, is_method_form, read_after, read_before

__all__ = [
    "ACTORS",
    "INDIVIDUAL",
    "BEFORE",
    "SHARE_TOLERANCE",
    "Scenario",
    "TypicalCase",
    "SocioeconomicParameters",
    "CalculationBasis",
    "read_parameters",
    "resolve_basis",
]

BEFORE = "FÖRE"
SHARE_TOLERANCE = 0.001
#: Bounds of ``avslutade:`` and ``varaktighet_ar:`` (as in ``socioekonomi.schema.json``).
MAX_FINISHED, MAX_YEARS = 1_000_000, 100


@dataclass(frozen=True)
class Scenario:
    """An EFTER scenario: its share of the typfall and the net yearly amount per actor (every actor)."""

    name: str
    share: float
    amounts: dict[str, float]  # all 0 until derived (analysis.typfall) when ``situation`` is given
    situation: Situation | None = None  # the method's inputs (forsorjning:, resursforbrukning:)


@dataclass(frozen=True)
class TypicalCase:
    """A typfall: its share of the finished participants, FÖRE amounts and EFTER scenarios."""

    name: str
    share: float
    before: dict[str, float]
    after: tuple[Scenario, ...]
    description: str | None = None
    situation: Situation | None = None  # FÖRE in the method's inputs; ``before`` is then all 0 until derived


@dataclass
class SocioeconomicParameters:
    """A validated parameter file."""

    source: str
    cases: list[TypicalCase]
    project_cost: float | None
    finished: int | None
    duration_years: float | None
    discount_rate: float
    example: bool
    reference: str | None
    report: ValidationReport  # warnings (resolve_basis adds its own)
    parameter_set: ParameterSet | None = None  # the typfall method's wage, taxes and levels (parametrar:)
    financing: dict[str, float] | None = None  # finansiering: each public actor's share of the cost; None: quarters
    indirect_tax: float | None = None  # indirekt_skatt: as given in the file; None: the method's default

    @property
    def method_form(self) -> bool:
        """Whether the typfall use the method's inputs (support mix and levels) instead of kronor per actor."""
        return any(c.situation is not None for c in self.cases)


class _Reader:
    def __init__(self, source: str, lines: dict[tuple, int]) -> None:
        self.source, self.lines = source, lines
        self.report = ValidationReport()

    def line(self, path: tuple) -> int | None:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: tuple, where: str, message: str, value: Any = None) -> None:
        self.report.add(self.source, "parameter", message, rad=self.line(path), kolumn=where or None, varde=value)

    def located(self, path: tuple, line: int | None, where: str, message: str, value: Any = None) -> None:
        """A problem the schema found (:func:`~.parameter_schema.check_parameter_schema`), on its line."""
        self.report.add(self.source, "parameter", message, rad=line or self.line(path), kolumn=where or None, varde=value)

    def mapping(self, value: Any, path: tuple, where: str, what: str) -> dict:
        if isinstance(value, dict) or value is INVALID:  # INVALID: the schema named it
            return value if isinstance(value, dict) else {}
        self.error(path, where, f"ska vara {what}", None if value is None else value)
        return {}

    def keys(self, data: dict, allowed: tuple[str, ...], path: tuple, where: str, actors: bool = False) -> dict[str, tuple[Any, Any]]:
        """Folded key → (raw key, value); unknown keys are errors (actor keys allowed when ``actors``)."""
        found: dict[str, tuple[Any, Any]] = {}
        for raw, value in data.items():
            key = fold_key(raw)
            if key not in allowed and not (actors and actor_name(raw)):
                known = ", ".join(allowed + (ACTORS if actors else ()))
                hint = "okänd aktör eller nyckel" if actors else "okänd nyckel"
                self.error(path + (str(raw),), _join(where, raw), f"{hint}; giltiga är {known}", raw)
                continue
            found[key] = (raw, value)
        return found

    def money(self, value: Any, path: tuple, where: str, allow_zero: bool = True) -> float | None:
        if value is INVALID:
            return None
        try:
            amount = parse_money(value)
        except MoneyError as exc:
            self.error(path, where, str(exc), value)
            return None
        if amount < 0 or (amount == 0 and not allow_zero):
            self.error(path, where, "negativt belopp; intäkter och inkomster anges som positiva belopp under intakt: eller inkomst:"
                       if amount < 0 else "beloppet ska vara större än 0", value)  # fmt: skip
            return None
        return amount

    def share(self, value: Any, path: tuple, where: str) -> float | None:
        if value is INVALID:
            return None
        try:
            share = _fraction(value)
        except ValueError:
            self.error(path, where, "andelen ska vara ett tal mellan 0 och 1 (t.ex. 0,35) eller en procentsats (35 %)", value)
            return None
        if not 0 <= share <= 1:
            self.error(path, where, "andelen ska vara mellan 0 och 1 (t.ex. 0,35 eller 35 %)", value)
            return None
        return share

    def fraction(self, value: Any) -> float:
        return _fraction(value)

    def name(self, entry: dict[str, tuple[Any, Any]], path: tuple, where: str) -> str | None:
        raw = entry.get("namn", (None, None))[1]
        if raw is INVALID:
            return None
        if raw is None or not str(raw).strip():
            self.error(path, where, "namn saknas")
            return None
        return " ".join(str(raw).split())

    def sums_to_one(self, shares: list[float], path: tuple, where: str, what: str) -> None:
        total = sum(shares)
        if abs(total - 1) > SHARE_TOLERANCE:
            self.error(path, where, f"andelarna för {what} summerar till {format_number(total, 3)}; de ska summera till 1 (100 %)",
                       format_number(total, 3))  # fmt: skip


def _join(where: str, key: Any) -> str:
    return f"{where} › {key}" if where else str(key)


def _fraction(value: Any) -> float:
    """A share or rate: 0.35, "0,35" or "35 %"."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = " ".join(str(value).replace("\u00a0", " ").split())
        percent = text.endswith("%")
        number = float(text.rstrip("%").strip().replace(",", ".").replace("−", "-")) / (100 if percent else 1)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _amounts(reader: _Reader, data: dict[str, tuple[Any, Any]], path: tuple, where: str) -> dict[str, float] | None:
    """Net yearly amount per actor from the actor keys of ``data`` (missing actors 0)."""
    amounts = dict.fromkeys(ACTORS, 0.0)
    seen: dict[str, Any] = {}
    ok = True
    for raw, value in data.values():
        actor = actor_name(raw)
        if actor is None:
            continue
        here, at = path + (str(raw),), _join(where, raw)
        if actor in seen:
            reader.error(here, at, f"aktören {actor} anges två gånger ({seen[actor]} och {raw})", raw)
            ok = False
            continue
        seen[actor] = raw
        if isinstance(value, dict):
            allowed = ("inkomst", "kostnad") if actor == INDIVIDUAL else ("kostnad", "intakt")
            parts: dict[str, float] = {}
            for part_raw, part_value in value.items():
                part = PARTS.get(fold_key(part_raw))
                if part not in allowed:
                    reader.error(here + (str(part_raw),), _join(at, part_raw), f"okänd nyckel; för {actor} anges {' och '.join(allowed)}", part_raw)
                    ok = False
                    continue
                amount = reader.money(part_value, here + (str(part_raw),), _join(at, part_raw))
                ok = ok and amount is not None
                parts[part] = amount or 0.0
            amounts[actor] = parts.get("kostnad", 0.0) - parts.get("intakt", 0.0) - parts.get("inkomst", 0.0)
        else:
            amount = reader.money(value, here, at)
            ok = ok and amount is not None
            amounts[actor] = -(amount or 0.0) if actor == INDIVIDUAL else (amount or 0.0)
    return amounts if ok else None


def _scenario(reader: _Reader, raw: Any, before: dict[str, float] | None, path: tuple, where: str,
              before_situation: Situation | None = None, method_case: bool = False) -> Scenario | None:  # fmt: skip
    if raw is INVALID:
        return None
    mapping = reader.mapping(raw, path, where, "nycklar som namn:, andel: och aktörernas belopp")
    where = _join(where.rsplit(" › ", 1)[0], named(mapping)) if named(mapping) else where
    data = reader.keys(mapping, SCENARIO_KEYS, path, where, actors=True)
    name = reader.name(data, path, where)
    share = reader.share(data["andel"][1], path + (str(data["andel"][0]),), _join(where, "andel")) if "andel" in data else None
    if "andel" not in data:
        reader.error(path, where, "andel saknas (andelen av typfallets avslutade deltagare i scenariot)")
    flags: list[str] = []
    same = yaml_flag(data.get("som_fore", (None, False))[1], False, "som_fore", flags)
    for message in flags:  # the schema allows only what yaml_flag reads; a safety net
        reader.error(path + ("som_fore",), _join(where, "som_fore"), message)
    situation = None
    method = "forsorjning" in data or "resursforbrukning" in data
    if same and (method or any(actor_name(raw_key) for raw_key, _ in data.values())):
        reader.error(path, where, "ett scenario med som_fore: true kan inte ange egna belopp, forsorjning eller resursforbrukning")
        return None
    if method_case and before_situation is None:
        return None  # FÖRE has errors, already reported
    if before_situation is not None:
        if any(actor_name(raw_key) for raw_key, _ in data.values()):
            reader.error(path, where, "typfallet anges med forsorjning: och resursforbrukning:, så scenariot kan inte ange belopp per aktör")
            return None
        situation = read_after(reader, {} if same else data, before_situation, path, where)
        amounts = dict.fromkeys(ACTORS, 0.0) if situation is not None else None
    elif method:
        reader.error(path, where, "forsorjning: och resursforbrukning: i ett scenario kräver att fore: anges på samma sätt")
        return None
    elif same:
        amounts = dict(before) if before is not None else None
    else:
        amounts = _amounts(reader, data, path, where)
    if name is None or share is None or amounts is None:
        return None
    return Scenario(name, share, amounts, situation)


def _case(reader: _Reader, raw: Any, number: int, single: bool) -> TypicalCase | None:
    if raw is INVALID:
        return None
    path, where = ("typfall", number - 1), f"typfall {number}"
    mapping = reader.mapping(raw, path, where, "nycklar som namn:, fore: och efter:")
    where = f"typfall {number} ({named(mapping)})" if named(mapping) else where
    data = reader.keys(mapping, CASE_KEYS, path, where)
    name = reader.name(data, path, where)
    if "andel" in data:
        share = reader.share(data["andel"][1], path + (str(data["andel"][0]),), _join(where, "andel"))
    elif single:
        share = 1.0
    else:
        reader.error(path, where, "andel saknas (andelen av de avslutade deltagarna som typfallet gäller; krävs när det finns flera typfall)")
        share = None
    before, situation, method = None, None, "fore" in data and is_method_form(data["fore"][1])
    if "fore" not in data:
        reader.error(path, where, "fore saknas (aktörernas kostnader och individens inkomst ett år före insatsen)")
    elif method:
        situation = read_before(reader, data["fore"][1], path + (str(data["fore"][0]),), _join(where, "fore"))
        before = dict.fromkeys(ACTORS, 0.0) if situation is not None else None
    else:
        raw_key, value = data["fore"]
        here = path + (str(raw_key),)
        before_data = reader.keys(reader.mapping(value, here, _join(where, "fore"), "aktörernas belopp, t.ex. kommun: 120 000"),
                                  (), here, _join(where, "fore"), actors=True)  # fmt: skip
        before = _amounts(reader, before_data, here, _join(where, "fore"))
    scenarios: list[Scenario] = []
    if "efter" not in data:
        reader.error(path, where, "efter saknas (ett eller flera scenarier efter insatsen)")
    else:
        raw_key, value = data["efter"]
        here = path + (str(raw_key),)
        if value is INVALID:
            pass
        elif not isinstance(value, list) or not value:
            reader.error(here, _join(where, "efter"), "efter ska vara en lista med scenarier: - {namn: Arbete, andel: 0.3, …}")
        else:
            found = [_scenario(reader, item, before, here + (i,), _join(where, f"efter › scenario {i + 1}"), situation, method)
                     for i, item in enumerate(value)]  # fmt: skip
            scenarios = [s for s in found if s is not None]
            if len(scenarios) == len(value):
                reader.sums_to_one([s.share for s in scenarios], here, _join(where, "efter"), f"scenarierna i {name or where}")
                _unique(reader, [s.name for s in scenarios], here, _join(where, "efter"), "scenariot")
    if name is None or share is None or before is None or not scenarios:
        return None
    return TypicalCase(name, share, before, tuple(scenarios), str(data["beskrivning"][1]) if "beskrivning" in data else None, situation)


def _unique(reader: _Reader, names: list[str], path: tuple, where: str, what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if normalise(name) in seen:
            reader.error(path, where, f"{what} {name} finns två gånger", name)
        seen.add(normalise(name))


def _optional_number(reader: _Reader, data: dict, key: str, check, message: str) -> Any:
    if key not in data or data[key][1] is None:
        return None
    raw_key, value = data[key]
    if value is INVALID:
        return None
    try:
        number = check(value)
    except (ValueError, TypeError):
        number = None
    if number is None:
        reader.error((str(raw_key),), str(raw_key), message, value)
    return number


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    number = float(str(value).replace(" ", "").replace("\u00a0", "")) if isinstance(value, str) else float(value)
    return int(number) if number.is_integer() and 0 <= number <= MAX_FINISHED else None


def _duration(value: Any) -> float | None:
    number = _fraction(value) if not isinstance(value, str) or "%" not in value else None
    return number if number is not None and 0 < number <= MAX_YEARS else None


def _rate(value: Any) -> float | None:
    number = _fraction(value)
    return number if 0 <= number < 1 else None


def read_parameters(path: Path | str) -> SocioeconomicParameters:
    """Read and validate a parameter file; raises :class:`EconomyValidationError` listing every problem."""
    path = Path(path)
    try:
        text = read_text_limited(path, "Parameterfilen")  # only a regular file, at most TEXT_LIMIT
    except OSError as exc:
        raise InputFileError(f"Parameterfilen {path} kunde inte öppnas: {os_reason(exc, reading=True)}") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Parameterfilen {path.name} är inte sparad som UTF-8.") from exc
    data = parse_yaml(text, f"Parameterfilen {path.name}", InputFileError)
    reader = _Reader(path.name, yaml_lines(text))
    if isinstance(data, dict):
        data = check_parameter_schema(data, text, reader.located)
    top = reader.keys(reader.mapping(data, (), "", "nycklar som typfall:, projektkostnad: och avslutade:"), TOP_KEYS, (), "")
    cost = None
    if "projektkostnad" in top and top["projektkostnad"][1] is not None:
        raw_key, value = top["projektkostnad"]
        cost = reader.money(value, (str(raw_key),), str(raw_key))
    finished = _optional_number(reader, top, "avslutade", _count, f"avslutade ska vara ett heltal från 0 till {MAX_FINISHED} (antal avslutade deltagare)")
    duration = _optional_number(
        reader, top, "varaktighet_ar", _duration, f"varaktighet_ar ska vara ett antal år större än 0 och högst {MAX_YEARS} (t.ex. 3 eller 2,5)"
    )
    rate = _optional_number(
        reader, top, "diskonteringsranta", _rate, "diskonteringsranta ska vara en andel mellan 0 och 1 (t.ex. 0,035 eller 3,5 %)"
    )
    flags: list[str] = []
    example = yaml_flag(top.get("exempel", (None, False))[1], False, "exempel", flags)
    for message in flags:  # the schema allows only what yaml_flag reads; a safety net
        reader.error(("exempel",), "exempel", message)
    cases: list[TypicalCase] = []
    raw_cases = top.get("typfall", (None, None))[1]
    if raw_cases is INVALID:
        pass
    elif not isinstance(raw_cases, list) or not raw_cases:
        reader.error(("typfall",), "typfall", "typfall saknas: ange minst ett typfall med namn:, fore: och efter:")
    else:
        found = [_case(reader, item, number, len(raw_cases) == 1) for number, item in enumerate(raw_cases, start=1)]
        cases = [c for c in found if c is not None]
        if len(cases) == len(raw_cases):
            reader.sums_to_one([c.share for c in cases], ("typfall",), "typfall", "typfallen")
            _unique(reader, [c.name for c in cases], ("typfall",), "typfall", "typfallet")
    if not reader.report.valid:
        raise EconomyValidationError(reader.report, f"Parameterfilen {path.name}")
    parameter_set = read_parameter_setting(reader, top.get("parametrar", (None, None))[1], path.parent, str(top.get("parametrar", ("parametrar",))[0]))
    financing = read_financing(reader, top.get("finansiering", (None, None))[1], str(top.get("finansiering", ("finansiering",))[0]))
    indirect_tax = read_indirect_tax(reader, top.get("indirekt_skatt", (None, None))[1], str(top.get("indirekt_skatt", ("indirekt_skatt",))[0]))
    if not reader.report.valid:
        raise EconomyValidationError(reader.report, f"Parameterfilen {path.name}")
    reference = top.get("kalla", (None, None))[1]
    return SocioeconomicParameters(
        source=path.name,
        cases=cases,
        project_cost=cost,
        finished=finished,
        duration_years=duration,
        discount_rate=rate or 0.0,
        example=example,
        reference=" ".join(str(reference).split()) if reference else None,
        report=reader.report,
        parameter_set=parameter_set,
        financing=financing,
        indirect_tax=indirect_tax,
    )
