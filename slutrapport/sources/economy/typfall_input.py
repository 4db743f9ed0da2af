"""The typfall method's inputs in the parameter file: support mix, levels in kr/month, scenarios, resource use.

Instead of kronor per actor and year, a typfall may describe its participants
as the method does::

    fore:
      forsorjning:                      # the support mix FÖRE (Σ andel = 1)
        - {stod: försörjningsstöd, andel: 0.5, belopp_manad: 9 000}
        - {stod: sjukpenning, andel: 0.375, belopp_manad: 14 000}
        - {stod: aktivitetsstöd, andel: 0.125}        # level from the parameter set
      resursforbrukning:                # real resources per person and year: vård, handläggning …
        kommun: 30 000
        region: 45 000
    efter:
      - namn: Arbete
        andel: 0.25
        forsorjning: {stod: lön, tjanstgoringsgrad: 0.75, subvention: 0.5}
        resursforbrukning: −20 %        # change against FÖRE (or per actor: {region: −20 %})
      - {namn: Oförändrat, andel: 0.75, som_fore: true}

:data:`INCOME_KINDS` are the income sources (with the names people write,
:data:`KIND_NAMES`). A scenario without ``forsorjning:`` keeps the FÖRE mix;
without ``resursforbrukning:`` the resource use is unchanged. Turning these
into yearly amounts per actor is the analysis step
(:mod:`slutrapport.analysis.typfall`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slutrapport.core.yamlschema import INVALID
from slutrapport.sources.economy.parameter_schema import ACTORS, INDIVIDUAL, actor_name, fold_key

__all__ = [
    "INCOME_KINDS",
    "KIND_NAMES",
    "KIND_LABELS",
    "INCOME_KEYS",
    "WAGE",
    "NONE",
    "Income",
    "Situation",
    "is_method_form",
    "read_before",
    "read_after",
]

WAGE, NONE = "lon", "ingen"
#: The income sources: the benefits, a wage, or none.
INCOME_KINDS = ("forsorjningsstod", "sjukpenning", "aktivitetsstod", "aktivitetsersattning", "sjukersattning", WAGE, NONE)
#: An income source as written (folded) → the source.
KIND_NAMES = {
    "forsorjningsstod": "forsorjningsstod", "ekonomiskt_bistand": "forsorjningsstod", "fbs": "forsorjningsstod",
    "sjukpenning": "sjukpenning", "sjukforsakring": "sjukpenning",
    "aktivitetsstod": "aktivitetsstod", "aktivitetsersattning": "aktivitetsersattning", "sjukersattning": "sjukersattning",
    "lon": "lon", "arbete": "lon", "lon_fran_arbete": "lon", "ingen": "ingen", "ingen_inkomst": "ingen",
}  # fmt: skip
#: The income sources in Swedish (tables, sentences).
KIND_LABELS = {
    "forsorjningsstod": "försörjningsstöd", "sjukpenning": "sjukpenning", "aktivitetsstod": "aktivitetsstöd",
    "aktivitetsersattning": "aktivitetsersättning", "sjukersattning": "sjukersättning", "lon": "lön", "ingen": "ingen inkomst",
}  # fmt: skip
INCOME_KEYS = ("stod", "andel", "belopp_manad", "tjanstgoringsgrad", "subvention")
_SUBSIDY_NAMES = ("subvention", "lonebidrag")


@dataclass(frozen=True)
class Income:
    """One income source of a situation: its share of the people, level (kr/month; None: the parameter set's)."""

    kind: str
    share: float = 1.0
    monthly: float | None = None  # a benefit's level, or the full-time monthly wage for lön
    workload: float = 1.0  # tjänstgöringsgrad (lön)
    subsidy: float = 0.0  # lönebidrag/subvention: the share of the wage cost the state pays (lön)


@dataclass(frozen=True)
class Situation:
    """FÖRE: the support mix and resource use (kr/year per actor); EFTER: the mix and the change in resource use."""

    incomes: tuple[Income, ...]
    resources: dict[str, float] | None = None  # FÖRE
    change: dict[str, float] | None = None  # EFTER: −0.2 = 20 % less than FÖRE, per actor


def is_method_form(mapping: Any) -> bool:
    """Whether a ``fore:`` or scenario mapping uses the method's inputs (``forsorjning:``/``resursforbrukning:``)."""
    return isinstance(mapping, dict) and any(fold_key(k) in ("forsorjning", "resursforbrukning") for k in mapping)


def _join(where: str, key: Any) -> str:
    return f"{where} › {key}" if where else str(key)


def _income(reader, raw: Any, path: tuple, where: str, single: bool) -> Income | None:
    if raw is INVALID:
        return None
    data = reader.mapping(raw, path, where, "nycklar som stod:, andel: och belopp_manad:")
    values: dict[str, tuple[Any, Any]] = {}
    for key, value in data.items():
        folded = "subvention" if fold_key(key) in _SUBSIDY_NAMES else fold_key(key)
        if folded not in INCOME_KEYS:
            reader.error(path + (str(key),), _join(where, key), f"okänd nyckel; giltiga är {', '.join(INCOME_KEYS)}", key)
            return None
        values[folded] = (key, value)
    kind_raw = values.get("stod", (None, None))[1]
    kind = KIND_NAMES.get(fold_key(kind_raw)) if kind_raw not in (None, INVALID) else None
    if kind is None:
        if kind_raw is not INVALID:
            reader.error(path + ("stod",), _join(where, "stod"), f"okänt eller saknat stöd; giltiga är {', '.join(KIND_LABELS.values())}", kind_raw)
        return None

    def number(key: str, read) -> Any:
        if key not in values:
            return None
        return read(values[key][1], path + (str(values[key][0]),), _join(where, values[key][0]))

    share = number("andel", reader.share)
    if share is None and not single:
        if "andel" not in values:
            reader.error(path, where, "andel saknas (andelen av deltagarna med det här stödet; krävs när det finns flera)")
        return None
    monthly = number("belopp_manad", reader.money)
    if "belopp_manad" in values and monthly is None:
        return None
    workload, subsidy = number("tjanstgoringsgrad", reader.share), number("subvention", reader.share)
    if ("tjanstgoringsgrad" in values and workload is None) or ("subvention" in values and subsidy is None):
        return None
    if kind != WAGE and (workload is not None or subsidy is not None):
        reader.error(path, where, "tjanstgoringsgrad och subvention anges bara för stod: lön")
        return None
    return Income(kind, 1.0 if share is None else share, monthly, 1.0 if workload is None else workload, subsidy or 0.0)


def _incomes(reader, raw: Any, path: tuple, where: str) -> tuple[Income, ...] | None:
    if raw is INVALID:
        return None
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        reader.error(path, where, "forsorjning ska ange minst ett stöd: {stod: försörjningsstöd, belopp_manad: 9 000}")
        return None
    found = [_income(reader, item, path + ((i,) if isinstance(raw, list) else ()), _join(where, f"stöd {i + 1}") if isinstance(raw, list) else where,
                     len(items) == 1) for i, item in enumerate(items)]  # fmt: skip
    if any(f is None for f in found):
        return None
    reader.sums_to_one([f.share for f in found], path, where, "stöden")
    return tuple(found)


def _actor_values(reader, raw: Any, path: tuple, where: str, read) -> dict[str, float] | None:
    data = reader.mapping(raw, path, where, "aktörernas belopp, t.ex. region: 45 000")
    values: dict[str, float] = {}
    ok = True
    for key, value in data.items():
        actor = actor_name(key)
        if actor is None or actor == INDIVIDUAL:
            reader.error(path + (str(key),), _join(where, key), f"okänd aktör; giltiga är {', '.join(a for a in ACTORS if a != INDIVIDUAL)}", key)
            ok = False
            continue
        number = read(value, path + (str(key),), _join(where, key))
        ok = ok and number is not None
        values[actor] = number or 0.0
    return values if ok else None


def _change(reader, value: Any, path: tuple, where: str) -> float | None:
    """A change in resource use: −0.2, "−20 %" (from −100 % up)."""
    if value is INVALID:
        return None
    try:
        number = reader.fraction(value)
    except ValueError:
        number = None
    if number is None or number < -1 or number > 10:
        reader.error(path, where, "förändringen ska vara en andel eller procentsats från −100 %, t.ex. −20 % eller -0,2", value)
        return None
    return number


def _keys(reader, mapping: dict, allowed: tuple[str, ...], path: tuple, where: str) -> dict[str, tuple[Any, Any]] | None:
    found = {}
    for key, value in mapping.items():
        if fold_key(key) not in allowed:
            reader.error(path + (str(key),), _join(where, key), f"okänd nyckel; med forsorjning: anges {', '.join(allowed)}", key)
            return None
        found[fold_key(key)] = (key, value)
    return found


def read_before(reader, mapping: dict, path: tuple, where: str) -> Situation | None:
    """``fore:`` in the method's form: ``forsorjning:`` (required) and ``resursforbrukning:`` (kr per year per actor)."""
    data = _keys(reader, mapping, ("forsorjning", "resursforbrukning"), path, where)
    if data is None:
        return None
    if "forsorjning" not in data:
        reader.error(path, where, "forsorjning saknas (stöden före insatsen, t.ex. - {stod: försörjningsstöd, andel: 0.5, belopp_manad: 9 000})")
        return None
    key, raw = data["forsorjning"]
    incomes = _incomes(reader, raw, path + (str(key),), _join(where, key))
    resources: dict[str, float] | None = {}
    if "resursforbrukning" in data:
        key, raw = data["resursforbrukning"]
        resources = _actor_values(reader, raw, path + (str(key),), _join(where, key), reader.money)
    if incomes is None or resources is None:
        return None
    return Situation(incomes, {a: resources.get(a, 0.0) for a in ACTORS if a != INDIVIDUAL})


def read_after(reader, data: dict[str, tuple[Any, Any]], before: Situation | None, path: tuple, where: str) -> Situation | None:
    """A scenario's ``forsorjning:`` (default: the FÖRE mix) and ``resursforbrukning:`` change (default 0 %)."""
    incomes = before.incomes if before is not None else None
    if "forsorjning" in data:
        key, raw = data["forsorjning"]
        incomes = _incomes(reader, raw, path + (str(key),), _join(where, key))
    change: dict[str, float] | None = dict.fromkeys((a for a in ACTORS if a != INDIVIDUAL), 0.0)
    if "resursforbrukning" in data:
        key, raw = data["resursforbrukning"]
        here, at = path + (str(key),), _join(where, key)
        if isinstance(raw, dict):
            given = _actor_values(reader, raw, here, at, lambda v, p, w: _change(reader, v, p, w))
            change = None if given is None else {**change, **given}
        else:
            one = _change(reader, raw, here, at)
            change = None if one is None else dict.fromkeys(change, one)
    if incomes is None or change is None:
        return None
    return Situation(incomes, None, change)
