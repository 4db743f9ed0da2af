"""The parameter file's settings of the typfall method: ``parametrar:``, ``finansiering:`` and ``indirekt_skatt:``.

- ``parametrar:`` a file name (a parameter set of the form of
  ``parametrar-2025.yaml``, beside the parameter file) or a mapping of single
  values (optionally with ``fil:``) over the package's set
  (:mod:`.parameter_set`);
- ``finansiering:`` each public actor's share of the project cost
  (Σ = 1); default a quarter each to kommun, region, Försäkringskassan and
  Arbetsförmedlingen, the usual split of a samordningsförbund;
- ``indirekt_skatt:`` the average indirect tax public costs and revenues are
  raised by (e.g. ``25 %``); default: the parameter set's value when the
  typfall use the method's inputs, 0 when they give kronor per actor (those
  amounts are taken as given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slutrapport.core.errors import InputFileError
from slutrapport.core.yamlschema import INVALID
from slutrapport.sources.economy.parameter_schema import ACTORS, INDIVIDUAL, actor_name, fold_key
from slutrapport.sources.economy.parameter_set import ParameterSet, apply_overrides, default_parameter_set, read_parameter_set
from slutrapport.sources.economy.problems import EconomyValidationError

__all__ = ["DEFAULT_FINANCING", "read_parameter_setting", "read_financing", "read_indirect_tax"]

#: The project cost's split when ``finansiering:`` is not given: a quarter each (samordningsförbund).
DEFAULT_FINANCING = {"kommun": 0.25, "region": 0.25, "Försäkringskassan": 0.25, "Arbetsförmedlingen": 0.25}


def read_parameter_setting(reader, raw: Any, folder: Path, key: str) -> ParameterSet:
    """The parameter set: the package's, a user's file and/or single values (``parametrar:``)."""
    base = default_parameter_set()
    if raw is None or raw is INVALID:
        return base
    overrides: dict = {}
    file_name = None
    if isinstance(raw, dict):
        for k, v in raw.items():
            if fold_key(k) == "fil":
                file_name = v
            else:
                overrides[k] = v
    elif isinstance(raw, str) and raw.strip():
        file_name = raw
    else:
        reader.error((key,), key, "parametrar ska vara ett filnamn eller värden, t.ex. {genomsnittslon_manad: 36 500}", raw)
        return base
    if file_name is not None:
        path = folder / str(file_name)
        inside = not Path(str(file_name)).is_absolute() and ".." not in Path(str(file_name)).parts
        if not inside or not path.is_file() or not path.resolve().is_relative_to(folder.resolve()):
            reader.error((key,), f"{key} › fil", f"filen {file_name} finns inte bredvid parameterfilen", file_name)
            return base
        try:
            base = read_parameter_set(path, base)
        except EconomyValidationError as exc:  # its problems name its own file, line and key
            reader.report.extend(exc.report)
            return base
        except InputFileError as exc:
            reader.error((key,), f"{key} › fil", str(exc), file_name)
            return base
    return apply_overrides(base, overrides, reader.source, reader.report, reader.lines, (key,))


def read_financing(reader, raw: Any, key: str) -> dict[str, float] | None:
    """``finansiering:``: each actor's share of the project cost (Σ = 1); None when not given."""
    if raw is None or raw is INVALID:
        return None
    if not isinstance(raw, dict) or not raw:
        reader.error((key,), key, "finansiering ska vara aktörernas andelar, t.ex. {kommun: 0.5, region: 0.5}", raw)
        return None
    shares: dict[str, float] = {}
    for actor_key, value in raw.items():
        actor = actor_name(actor_key)
        if actor is None or actor == INDIVIDUAL:
            reader.error((key, str(actor_key)), f"{key} › {actor_key}",
                         f"okänd aktör; giltiga är {', '.join(a for a in ACTORS if a != INDIVIDUAL)}", actor_key)  # fmt: skip
            continue
        share = reader.share(value, (key, str(actor_key)), f"{key} › {actor_key}")
        if share is not None:
            shares[actor] = shares.get(actor, 0.0) + share
    if len(shares) != len(raw):
        return None
    reader.sums_to_one(list(shares.values()), (key,), key, "finansieringen")
    return {a: shares.get(a, 0.0) for a in ACTORS if a != INDIVIDUAL}


def read_indirect_tax(reader, raw: Any, key: str) -> float | None:
    """``indirekt_skatt:`` as a share (0,25 or "25 %"); None when not given."""
    if raw is None or raw is INVALID:
        return None
    try:
        value = reader.fraction(raw)
    except ValueError:
        value = None
    if value is None or not 0 <= value < 1:
        reader.error((key,), key, "indirekt_skatt ska vara en andel från 0 till under 1 (t.ex. 0,25 eller 25 %)", raw)
        return None
    return value
