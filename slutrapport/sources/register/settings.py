"""The ``deltagare:`` settings in ``projekt.yaml`` and the standard categories of the participant register.

:func:`parse_settings` checks every key and collects the problems (file
``projekt.yaml``, column ``deltagare: <key>``) in a
:class:`~.validation.ValidationReport`; :mod:`.participants` reads the file
with the result. The standard categories follow the national follow-up:
occupation after the insats as förvärvsarbete / studier / aktivt
arbetssökande / övriga (:data:`NATIONAL_STATUS`), income source as SCB's
ohälsa / arbetsmarknadsstöd / ekonomiskt bistånd / ingen offentlig
försörjning (:data:`NATIONAL_INCOME`). A project replaces the lists under
``kategorier: status:`` and ``kategorier: forsorjning:`` (each category with
its national group) and adds spellings under ``kategorier: alias:``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from slutrapport.core.problems import ValidationReport
from slutrapport.sources.register.values import ValueProblem, category_key, parse_date

__all__ = [
    "Settings",
    "parse_settings",
    "field_for",
    "register_categories",
    "project_dates",
    "FIELDS",
    "NATIONAL_STATUS",
    "NATIONAL_INCOME",
    "DEFAULT_STATUS",
    "DEFAULT_INCOME",
    "PERIODS",
    "PROJECT_FILE",
    "DEFAULT_AGE_BOUNDS",
    "UNUSED",
    "UNUSED_FIELD",
]

PROJECT_FILE = "projekt.yaml"

#: Occupation after the insats, as the national follow-up (SUS) groups it.
NATIONAL_STATUS = ("förvärvsarbete", "studier", "aktivt arbetssökande", "övriga")
#: Income source, as SCB's försörjningsmått groups public support.
NATIONAL_INCOME = ("ohälsa", "arbetsmarknadsstöd", "ekonomiskt bistånd", "ingen offentlig försörjning")

#: Standard statuses at avslut (report order) and their national group.
DEFAULT_STATUS = {
    "arbete": "förvärvsarbete",
    "studier": "studier",
    "arbetssökande": "aktivt arbetssökande",
    "insats hos AF": "aktivt arbetssökande",
    "annat projekt": "övriga",
    "sjukskriven": "övriga",
    "behöver långsiktigt stöd": "övriga",
    "avbrott": "övriga",
}
#: Standard income sources at inskrivning and their national group.
DEFAULT_INCOME = {
    "försörjningsstöd": "ekonomiskt bistånd",
    "sjukpenning": "ohälsa",
    "rehabiliteringspenning": "ohälsa",
    "sjukersättning": "ohälsa",
    "aktivitetsersättning": "ohälsa",
    "a-kassa": "arbetsmarknadsstöd",
    "aktivitetsstöd": "arbetsmarknadsstöd",
    "etableringsersättning": "arbetsmarknadsstöd",
    "lön": "ingen offentlig försörjning",
    "ingen": "ingen offentlig försörjning",
}
#: Built-in spellings (used only while their target category exists).
_BUILTIN_ALIASES = {
    "förvärvsarbete": "arbete", "anställning": "arbete", "jobb": "arbete", "utbildning": "studier",
    "studerar": "studier", "aktivt arbetssökande": "arbetssökande", "insats hos arbetsförmedlingen": "insats hos AF",
    "af insats": "insats hos AF", "sjukskrivning": "sjukskriven", "långsiktigt stöd": "behöver långsiktigt stöd",
    "avbruten": "avbrott", "ekonomiskt bistånd": "försörjningsstöd", "akassa": "a-kassa",
    "arbetslöshetsersättning": "a-kassa", "lönearbete": "lön", "arbetsinkomst": "lön",
    "ingen ersättning": "ingen", "ingen försörjning": "ingen", "saknar försörjning": "ingen",
}  # fmt: skip

#: field → (Swedish name, headings recognised without a ``kolumner:`` mapping)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": ("deltagar-id", ("id", "deltagar id", "deltagarid", "deltagare", "deltagarnummer", "deltagarkod", "löpnummer", "pseudonym", "kod")),
    "kon": ("kön", ("kön", "kon", "juridiskt kön")),
    "alder": ("ålder", ("ålder", "alder", "ålder vid inskrivning")),
    "aldersgrupp": ("åldersgrupp", ("åldersgrupp", "aldersgrupp", "ålderskategori")),
    "inskrivningsdatum": ("inskrivningsdatum", ("inskrivningsdatum", "inskrivning", "inskriven", "startdatum", "datum för inskrivning")),
    "avslutsdatum": ("avslutsdatum", ("avslutsdatum", "avslut", "avslutad", "slutdatum", "utskrivningsdatum", "datum för avslut")),
    "forsorjning": ("försörjning", ("försörjning", "försörjning vid inskrivning", "försörjning före", "försörjningskälla")),
    "status": ("status vid avslut", ("status vid avslut", "status", "avslutsorsak", "sysselsättning vid avslut", "sysselsättning efter")),
    "moten": ("antal möten", ("antal möten", "möten", "moten", "antal träffar")),
    "samtycke": ("samtycke", ("samtycke", "samtycke till registrering")),
}  # fmt: skip

#: The ``kolumner:`` value of a column that is no field (``"Svarsdatum": används inte``), and its mark in ``column_map``.
UNUSED, UNUSED_FIELD = "används inte", "-"
#: ``period:`` values → internal period kind.
PERIODS = {"halvar": "halvar", "halvår": "halvar", "kvartal": "kvartal", "ar": "ar", "år": "ar", "manad": "manad", "månad": "manad"}
#: Lower limits of the age bands after the first: under 25, 25–34, 35–49, 50 and older.
DEFAULT_AGE_BOUNDS = (25, 35, 50)
_CONFIG_KEYS = {"fil", "period", "rapportdatum", "kolumner", "kategorier", "aldersgrupper"}


@dataclass
class Settings:
    """The checked ``deltagare:`` settings."""

    file: Path | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    status_groups: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS))
    income_groups: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_INCOME))
    aliases: dict[str, str] = field(default_factory=dict)
    period: str = "halvar"
    report_date: date | None = None
    age_bounds: tuple[int, ...] = DEFAULT_AGE_BOUNDS


def _config_problem(report: ValidationReport, key: str, message: str, value: object = None) -> None:
    report.add(PROJECT_FILE, "projektfil", message, kolumn=f"deltagare: {key}", varde=value)


def _group_map(raw: Any, key: str, allowed: tuple[str, ...], default: dict[str, str], report: ValidationReport) -> dict[str, str]:
    if raw is None:
        return dict(default)
    if not isinstance(raw, dict) or not raw:
        _config_problem(report, f"kategorier: {key}", f"ska vara rader som kategori: grupp, där grupp är en av {', '.join(allowed)}")
        return dict(default)
    groups: dict[str, str] = {}
    seen: dict[str, str] = {}
    by_key = {category_key(a): a for a in allowed}
    for name, group in raw.items():
        name = " ".join(str(name).split())
        found = by_key.get(category_key(group))
        if found is None:
            _config_problem(report, f"kategorier: {key}: {name}", f"okänd nationell grupp; välj en av {', '.join(allowed)}", group)
            continue
        if category_key(name) in seen:
            _config_problem(report, f"kategorier: {key}", f"kategorin '{name}' står två gånger (som '{seen[category_key(name)]}')", name)
            continue
        seen[category_key(name)] = name
        groups[name] = found
    return groups


def parse_settings(spec: Any, root: Path, report: ValidationReport) -> Settings:
    """The ``deltagare:`` settings (a mapping, or just the file name); every problem goes to ``report``."""
    settings = Settings()
    if isinstance(spec, str):
        spec = {"fil": spec}
    if not isinstance(spec, dict):
        _config_problem(report, "fil", "'deltagare' ska vara nycklar som fil: och kategorier:")
        return settings
    for key in sorted(set(map(str, spec)) - _CONFIG_KEYS):
        _config_problem(report, key, f"okänd nyckel; möjliga nycklar: {', '.join(sorted(_CONFIG_KEYS))}")
    if not spec.get("fil"):
        _config_problem(report, "fil", "ange deltagarregistrets fil, t.ex. fil: deltagare.csv")
    else:
        settings.file = root / str(spec["fil"])
        if not settings.file.exists():  # a pipe, a device or a folder is refused unopened when it is read
            _config_problem(report, "fil", f"filen finns inte i {root}", spec["fil"])
    columns = spec.get("kolumner") or {}
    if not isinstance(columns, dict):
        _config_problem(report, "kolumner", "ska vara rader som \"Rubrik i filen\": fält")
        columns = {}
    for heading, target in columns.items():
        found = UNUSED_FIELD if category_key(str(target)) == category_key(UNUSED) else field_for(str(target))
        if found is None:
            _config_problem(report, f"kolumner: {heading}", f"okänt fält; möjliga fält: {', '.join(FIELDS)}", target)
        else:
            settings.column_map[category_key(heading)] = found
    categories = spec.get("kategorier") or {}
    if not isinstance(categories, dict):
        _config_problem(report, "kategorier", "ska ha nycklarna status:, forsorjning: och alias:")
        categories = {}
    for key in sorted(set(map(str, categories)) - {"status", "forsorjning", "försörjning", "alias"}):
        _config_problem(report, f"kategorier: {key}", "okänd nyckel; möjliga nycklar: status, forsorjning, alias")
    settings.status_groups = _group_map(categories.get("status"), "status", NATIONAL_STATUS, DEFAULT_STATUS, report)
    income = categories.get("forsorjning", categories.get("försörjning"))
    settings.income_groups = _group_map(income, "forsorjning", NATIONAL_INCOME, DEFAULT_INCOME, report)
    settings.aliases = _aliases(categories.get("alias"), settings, report)
    period = category_key(spec.get("period") or "halvar")
    if period not in PERIODS:
        _config_problem(report, "period", "ska vara halvar, kvartal, ar eller manad", spec.get("period"))
    settings.period = PERIODS.get(period, "halvar")
    if spec.get("rapportdatum") is not None:
        settings.report_date = _config_date(spec["rapportdatum"], "rapportdatum", report)
    settings.age_bounds = _age_bounds(spec.get("aldersgrupper"), report)
    return settings


def _aliases(raw: Any, settings: Settings, report: ValidationReport) -> dict[str, str]:
    known = {category_key(c): c for c in [*settings.status_groups, *settings.income_groups]}
    aliases = {alias: target for alias, target in _BUILTIN_ALIASES.items() if category_key(target) in known}
    if raw is None:
        return aliases
    if not isinstance(raw, dict):
        _config_problem(report, "kategorier: alias", "ska vara rader som \"stavning i filen\": kategori")
        return aliases
    for alias, target in raw.items():
        found = known.get(category_key(target))
        if found is None:
            _config_problem(report, f"kategorier: alias: {alias}", f"pekar på en okänd kategori; kända: {', '.join(known.values())}", target)
        else:
            aliases[str(alias)] = found
    return aliases


def _config_date(value: Any, key: str, report: ValidationReport) -> date | None:
    try:  # a YAML date too: its year is checked as a cell's is
        return parse_date(value.isoformat() if isinstance(value, date) else str(value))[0]
    except ValueProblem as exc:
        _config_problem(report, key, str(exc), value)
        return None


def _age_bounds(raw: Any, report: ValidationReport) -> tuple[int, ...]:
    if raw is None:
        return DEFAULT_AGE_BOUNDS
    valid = isinstance(raw, list) and raw and all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < 120 for v in raw)
    if not valid or list(raw) != sorted(set(raw)):
        _config_problem(report, "aldersgrupper", "ska vara stigande åldrar där en ny grupp börjar, t.ex. [25, 35, 50]", raw)
        return DEFAULT_AGE_BOUNDS
    return tuple(raw)


def field_for(text: str) -> str | None:
    """The field a heading (or a ``kolumner:`` target) names, e.g. "Antal möten" → ``moten``."""
    key = category_key(text)
    for name, (label, headings) in FIELDS.items():
        if key in {category_key(name), category_key(label), *map(category_key, headings)}:
            return name
    return None


def register_categories(spec: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The statuses (→ national group) and aliases the ``deltagare:`` settings define, even when the file has errors.

    Goals are checked against these, so their problems are reported together with the register's.
    """
    settings = parse_settings(spec, Path("."), ValidationReport())
    return settings.status_groups, settings.aliases


def project_dates(data: dict[str, Any]) -> tuple[date | None, date | None]:
    """The project's start and end from ``projekt: period:`` in ``projekt.yaml`` (None when absent or unreadable)."""
    info = data.get("projekt") if isinstance(data, dict) else None
    period = info.get("period") if isinstance(info, dict) else None
    if not isinstance(period, dict):
        return None, None
    found = []
    for key in ("start", "slut"):
        value = period.get(key)
        try:
            # a YAML date is checked too: a year such as 9999 would make the periods run past year 9999
            found.append(parse_date(value.isoformat() if isinstance(value, date) else str(value or ""))[0])
        except ValueProblem:
            found.append(None)
    return found[0], found[1]
