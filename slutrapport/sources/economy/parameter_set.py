"""The dated, sourced parameter set of the typfall method: wage, taxes, fees, indirect tax and benefit levels.

The package ships one file per year (``parametrar-2025.yaml`` beside this
module); every value has its source (``kalla:``)::

    ar: 2025
    giltig_fran: 2025-01-01
    parametrar:
      genomsnittslon_manad: {varde: 38 200, enhet: …, kalla: "SCB, Lönestrukturstatistik …"}
      arbetsgivaravgift: {varde: 0.3142, kalla: "Skatteverket …"}
      …

A project overrides it from its parameter file (``socioekonomi.yaml``) with
``parametrar:``: a file name (a file of the same form, all or some of the
keys) or a mapping of single values, optionally with ``fil:``. A value is a
number, a text such as ``"38 200 kr"`` or ``"31,42 %"``, or ``{varde: …,
kalla: …}``. :data:`PARAMETER_KEYS` lists the keys and whether each is an
amount in kronor or a share (0–1). Errors are Swedish and name the file,
line, key and value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import read_text_limited
from slutrapport.core.oserrors import os_reason
from slutrapport.core.problems import ValidationReport
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.sources.economy.money import MoneyError, parse_money
from slutrapport.sources.economy.parameter_schema import fold_key as _fold
from slutrapport.sources.economy.problems import EconomyValidationError, yaml_lines

__all__ = [
    "PARAMETER_KEYS",
    "AMOUNT",
    "RATE",
    "DEFAULT_PARAMETER_FILE",
    "ParameterSet",
    "default_parameter_set",
    "read_parameter_set",
    "apply_overrides",
]

AMOUNT, RATE = "belopp", "andel"
#: Every key of a parameter set and its kind (amount in kronor, or a share 0–1).
PARAMETER_KEYS = {
    "genomsnittslon_manad": AMOUNT,
    "kommunalskatt_kommun": RATE,
    "kommunalskatt_region": RATE,
    "statlig_skatt": RATE,
    "skiktgrans_ar": AMOUNT,
    "arbetsgivaravgift": RATE,
    "indirekt_skatt": RATE,
    "forsorjningsstod_manad": AMOUNT,
    "sjukpenning_manad": AMOUNT,
    "aktivitetsstod_manad": AMOUNT,
    "aktivitetsersattning_manad": AMOUNT,
    "sjukersattning_manad": AMOUNT,
}
DEFAULT_PARAMETER_FILE = "parametrar-2025.yaml"
_TOP = ("ar", "giltig_fran", "parametrar")
_ENTRY = ("varde", "enhet", "kalla")


@dataclass(frozen=True)
class ParameterSet:
    """The values of a parameter set, each value's source (``kalla``) and the file it was read from."""

    values: dict[str, float]
    sources: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # key → file name the value comes from
    year: int | None = None

    def __getitem__(self, key: str) -> float:
        return self.values[key]

    @property
    def factor(self) -> float:
        """``1 + indirekt_skatt``: what public costs and revenues are multiplied by."""
        return 1.0 + self.values["indirekt_skatt"]


def _rate(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = " ".join(str(value).replace("\u00a0", " ").split())
    percent = text.endswith("%")
    return float(text.rstrip("%").strip().replace(",", ".").replace("−", "-")) / (100 if percent else 1)


def _value(key: str, raw: Any) -> float:
    """One value read as its kind; raises ValueError with a Swedish reason."""
    if PARAMETER_KEYS[key] == AMOUNT:
        try:
            number = parse_money(raw)
        except MoneyError as exc:
            raise ValueError(str(exc)) from exc
        if number < 0:
            raise ValueError("beloppet får inte vara negativt")
        return number
    try:
        number = _rate(raw)
    except ValueError:
        raise ValueError("ska vara en andel mellan 0 och 1 (t.ex. 0,3142) eller en procentsats (31,42 %)") from None
    if not 0 <= number < 1:
        raise ValueError("ska vara en andel från 0 till under 1 (t.ex. 0,3142 eller 31,42 %)")
    return number


def apply_overrides(base: ParameterSet, overrides: dict, source: str, report: ValidationReport,
                    lines: dict[tuple, int], path: tuple = ()) -> ParameterSet:  # fmt: skip
    """``base`` with the values of ``overrides`` (key → value or ``{varde, kalla}``); problems go to ``report``."""
    values, sources, origin = dict(base.values), dict(base.sources), dict(base.origin)
    for raw_key, raw in overrides.items():
        key = _fold(raw_key)
        here = path + (str(raw_key),)
        where = " › ".join([*map(str, path), str(raw_key)])
        line = lines.get(here)
        if key not in PARAMETER_KEYS:
            report.add(source, "parametrar", f"okänd parameter; giltiga är {', '.join(PARAMETER_KEYS)}", rad=line, kolumn=where, varde=raw_key)
            continue
        reference = None
        if isinstance(raw, dict):
            entry = {_fold(k): v for k, v in raw.items()}
            unknown = [k for k in raw if _fold(k) not in _ENTRY]
            if unknown or "varde" not in entry:
                message = f"okänd nyckel {unknown[0]}" if unknown else "varde saknas"
                report.add(source, "parametrar", f"{message}; ange {{varde: …, kalla: …}}", rad=line, kolumn=where, varde=unknown[0] if unknown else None)
                continue
            raw, reference = entry["varde"], entry.get("kalla")
        try:
            values[key] = _value(key, raw)
        except ValueError as exc:
            report.add(source, "parametrar", str(exc), rad=line, kolumn=where, varde=raw)
            continue
        origin[key] = source
        if reference is not None:
            sources[key] = " ".join(str(reference).split())
        elif source != base.origin.get(key):
            sources[key] = f"angivet i {source}"
    return replace(base, values=values, sources=sources, origin=origin)


def _read(text: str, name: str, base: ParameterSet | None) -> ParameterSet:
    data = parse_yaml(text, f"Parameteruppsättningen {name}", InputFileError)
    lines = yaml_lines(text)
    report = ValidationReport()
    if not isinstance(data, dict):
        report.add(name, "parametrar", "filen ska ha nycklarna ar:, giltig_fran: och parametrar:", rad=1)
        raise EconomyValidationError(report, f"Parameteruppsättningen {name}")
    top = {}
    for raw_key, value in data.items():
        if _fold(raw_key) not in _TOP:
            report.add(name, "parametrar", f"okänd nyckel; giltiga är {', '.join(_TOP)}", rad=lines.get((str(raw_key),)), kolumn=str(raw_key), varde=raw_key)
        top[_fold(raw_key)] = (raw_key, value)
    raw_key, values = top.get("parametrar", ("parametrar", None))
    if not isinstance(values, dict):
        report.add(name, "parametrar", "parametrar: saknas eller är inte nycklar med värden", rad=lines.get((str(raw_key),)), kolumn="parametrar")
        values = {}
    start = base if base is not None else ParameterSet({}, {}, {})
    result = apply_overrides(start, values, name, report, lines, (str(raw_key),))
    if base is None:
        missing = [k for k in PARAMETER_KEYS if k not in result.values]
        if missing:
            report.add(name, "parametrar", f"värden saknas för {', '.join(missing)}", kolumn="parametrar")
    if not report.valid:
        raise EconomyValidationError(report, f"Parameteruppsättningen {name}")
    year = top.get("ar", (None, None))[1]
    return replace(result, year=int(year) if isinstance(year, int) and not isinstance(year, bool) else start.year)


@cache
def _default_text() -> str:
    return files(__package__).joinpath(DEFAULT_PARAMETER_FILE).read_text(encoding="utf-8")


def default_parameter_set() -> ParameterSet:
    """The package's parameter set (:data:`DEFAULT_PARAMETER_FILE`)."""
    return _read(_default_text(), DEFAULT_PARAMETER_FILE, None)


def read_parameter_set(path: Path | str, base: ParameterSet | None = None) -> ParameterSet:
    """A user's parameter file over ``base`` (default: the package's set); raises :class:`EconomyValidationError`."""
    path = Path(path)
    try:
        text = read_text_limited(path, "Parameteruppsättningen")
    except OSError as exc:
        raise InputFileError(f"Parameteruppsättningen {path} kunde inte öppnas: {os_reason(exc, reading=True)}") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Parameteruppsättningen {path.name} är inte sparad som UTF-8.") from exc
    return _read(text, path.name, base if base is not None else default_parameter_set())
