"""Find, read and check the bundles (``rapport.json``) of a portfolio.

Each path given is a bundle file, a build output folder or any folder that is
searched recursively for files named ``rapport.json`` (hidden folders such as
``.git`` are skipped, symbolic links to folders are not followed).

Every problem is collected in a :class:`~slutrapport.core.problems.ValidationReport`
(``fil`` = the bundle, ``kolumn`` = ``table.column`` where it applies):

- a file that cannot be read at all (:func:`~slutrapport.render.bundle.load_bundle`:
  malformed, truncated, unknown major schema version) or whose headings are
  malformed is an error and left out;
- a table that is malformed (missing columns, rows of the wrong length, a
  value of the wrong type) is an error and only that table is left out; the
  project stays in the portfolio without it;
- a bundle without ``personalenkat`` (schema 1.0) is migrated: its survey has
  an unknown instrument and is listed separately (warning);
- two bundles for the same project and period (``Projektets namn`` and
  ``Projektperiod``, compared without case and extra spaces): the newer one
  (``skapad``, then the file's modification time) is used (warning);
- with a template id, bundles on other templates are left out (warning).

Only what the portfolio needs is kept of a bundle (:class:`PortfolioBundle`),
so that hundreds of bundles fit in memory. A comparison or participant cell
marked ``undertryckt`` (or with the mark missing) keeps empty numbers even if
the file carries some: nothing hidden in a bundle reaches the portfolio.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InputFileError, SlutrapportError, ValidationError
from slutrapport.core.problems import ERROR, WARNING, Problem, ValidationReport
from slutrapport.render.bundle import load_bundle

__all__ = [
    "BUNDLE_NAME",
    "TABLES",
    "PortfolioBundle",
    "Collection",
    "PortfolioError",
    "find_bundles",
    "read_bundle",
    "collect_bundles",
    "PARALLEL_FROM",
]

BUNDLE_NAME = "rapport.json"
ALL = "Alla"
TOTAL = "Totalt"
NAME_FACT, PERIOD_FACT = "Projektets namn", "Projektperiod"


class PortfolioError(ValidationError):
    """The bundles cannot make a portfolio (none readable, or errors with ``--strict``); ``report`` lists every problem."""

    def __init__(self, report: ValidationReport, headline: str) -> None:
        self.report = report
        SlutrapportError.__init__(self, f"{headline}\n\n{report.to_text()}")


@dataclass(frozen=True)
class _Spec:
    """What the portfolio reads of one bundle table."""

    columns: tuple[str, ...]  # required columns
    numbers: tuple[str, ...] = ()  # int/float or null
    flags: tuple[str, ...] = ()  # true/false
    hidden: tuple[str, ...] = ()  # emptied when undertryckt is not false
    keep: tuple[tuple[str, str], ...] = ()  # (column, value): only matching rows are kept
    optional: tuple[str, ...] = ()  # read when the bundle has them (newer minor versions), else None


#: The tables the portfolio uses, with the columns it needs (extra columns are ignored).
TABLES: dict[str, _Spec] = {
    "jamforelse": _Spec(
        ("niva", "id", "text", "grupp", "enkat", "n", "medel", "andel_positiva", "undertryckt"),
        numbers=("n", "medel", "andel_positiva"),
        hidden=("n", "medel", "andel_positiva"),
        keep=(("niva", "index"), ("grupp", ALL)),
    ),
    "forandringar": _Spec(
        ("niva", "id", "grupp", "fran", "till", "parad", "n_fran", "n_till", "n_par", "diff_medel",
         "diff_andel_positiva", "ci_lag", "ci_hog", "test", "p_corr"),
        numbers=("n_fran", "n_till", "n_par", "diff_medel", "diff_andel_positiva", "ci_lag", "ci_hog", "p_corr"),
        flags=("parad",),
        keep=(("niva", "index"), ("grupp", ALL)),
        optional=("familj", "effekt"),  # familj from 1.2: only the primary family's tests carry conclusions
    ),
    "deltagare_flode": _Spec(
        ("period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"),
        numbers=("inskrivna", "aktiva", "avslutade"),
        hidden=("inskrivna", "aktiva", "avslutade"),
        keep=(("period", TOTAL),),
    ),
    "deltagare_utfall": _Spec(
        ("indelning", "kategori", "kon", "n", "andel", "undertryckt"),
        numbers=("n", "andel"),
        hidden=("n", "andel"),
        keep=(("indelning", "nationell"),),
    ),
    "maluppfyllelse": _Spec(
        ("id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"),
        numbers=("malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog"),
    ),
    "ekonomi": _Spec(
        ("kategori", "period", "budget", "utfall", "avvikelse_kr", "avvikelse_procent"),
        numbers=("budget", "utfall", "avvikelse_kr", "avvikelse_procent"),
        keep=(("period", TOTAL),),
    ),
    "ekonomi_nyckeltal": _Spec(("matt", "varde"), numbers=("varde",)),
}


@dataclass
class PortfolioBundle:
    """What the portfolio uses of one ``rapport.json``.

    ``tables`` maps a name of :data:`TABLES` to its kept rows (dicts with the
    required columns); a table the bundle lacks, or that was malformed, is
    absent. ``instrument`` is ``None`` without a staff survey or when the
    bundle does not name it (``instrument_known`` is then False if the bundle
    still has survey results).
    """

    path: Path
    shown_path: str
    schema_version: str
    created: str
    mtime: float
    name: str
    period: str
    title: str
    facts: dict[str, str | None]
    template_id: str
    template_name: str
    headings: list[dict[str, Any]]
    instrument: dict[str, Any] | None
    instrument_known: bool
    waves: list[str]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """Same project and period: name and period without case and extra spaces."""
        return (" ".join(self.name.split()).casefold(), " ".join(self.period.split()).casefold())

    @property
    def has_survey(self) -> bool:
        return bool(self.tables.get("jamforelse"))


@dataclass
class Collection:
    """The bundles of a portfolio (one per project and period, sorted by name) and every problem found."""

    bundles: list[PortfolioBundle]
    report: ValidationReport
    found: int  # bundle files found
    template: str | None = None


# -- finding -------------------------------------------------------------------


def find_bundles(paths: list[Path], report: ValidationReport) -> list[tuple[Path, str]]:
    """Every bundle file under ``paths`` as ``(path, path as shown)``; each file once, in a stable order."""
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            found.append((path, str(path)))

    for path in map(Path, paths):
        if path.is_file():
            if path.suffix.lower() != ".json":
                report.add(str(path), "rapportfil", f"{path} är inte en rapport.json (JSON-filen som slutrapport build skriver).")
                continue
            add(path)
        elif path.is_dir():
            inside = _walk(path)
            if not inside:
                report.add(str(path), "rapportfil", f"Ingen {BUNDLE_NAME} hittades i mappen {path} eller dess undermappar.")
            for bundle in inside:
                add(bundle)
        else:
            report.add(str(path), "rapportfil", f"Sökvägen {path} finns inte.")
    return found


def _walk(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if BUNDLE_NAME in files:
            found.append(Path(root) / BUNDLE_NAME)
    return found


# -- reading one bundle --------------------------------------------------------


def read_bundle(path: Path, shown: str, report: ValidationReport) -> PortfolioBundle | None:
    """Load and check one bundle; problems go to ``report``; ``None`` when it cannot be used at all."""
    try:
        data = load_bundle(path)
        mtime = path.stat().st_mtime
    except InputFileError as exc:
        report.add(shown, "rapportfil", f"{exc} Filen ingår inte i portföljen.")
        return None
    except OSError as exc:  # pragma: no cover - removed between reading and stat
        report.add(shown, "rapportfil", f"Rapportfilen {shown} kunde inte läsas: {exc.strerror or exc}. Filen ingår inte i portföljen.")
        return None
    problems: list[str] = []
    projekt = data["projekt"] if isinstance(data["projekt"], dict) else {}
    facts = projekt.get("uppgifter") if isinstance(projekt.get("uppgifter"), dict) else None
    if facts is None:
        problems.append("projekt: uppgifter saknas eller har fel typ")
        facts = {}
    mall = data["mall"] if isinstance(data["mall"], dict) else {}
    if not isinstance(mall.get("id"), str):
        problems.append("mallens id (mall: id) saknas")
    headings = _headings(data["rubriker"], problems)
    if problems:
        report.add(shown, "rapportfil", f"Rapportfilen {shown} är skadad: {'; '.join(problems)}. Filen ingår inte i portföljen.")
        return None
    title = projekt.get("titel") if isinstance(projekt.get("titel"), str) else ""
    name = _text(facts.get(NAME_FACT)) or title
    if not name.strip():
        name = path.parent.name or shown
        report.add(shown, "projektnamn", f"Rapportfilen {shown} anger inget projektnamn; mappens namn '{name}' används.", allvar=WARNING)
    bundle = PortfolioBundle(
        path=path,
        shown_path=shown,
        schema_version=str(data["schema_version"]),
        created=_text(data.get("skapad")),
        mtime=mtime,
        name=name.strip(),
        period=_text(facts.get(PERIOD_FACT)).strip(),
        title=title,
        facts={str(k): (None if v is None else str(v)) for k, v in facts.items()},
        template_id=mall["id"],
        template_name=_text(mall.get("namn")) or mall["id"],
        headings=headings,
        instrument=None,
        instrument_known=True,
        waves=[],
    )
    tables = data["tabeller"]
    for name_, spec in TABLES.items():
        if name_ in tables:
            rows = _table(name_, tables[name_], spec, shown, report)
            if rows is not None:
                bundle.tables[name_] = rows
            if rows == [] and spec.keep and tables[name_]["rader"]:  # rows, but none the portfolio uses
                wanted = " och ".join(f"{c} = {v}" for c, v in spec.keep)
                report.add(shown, "tabell", f"Rapportfilen {shown}: tabellen {name_} har inga rader med {wanted}; "
                           "den används inte i portföljen.", kolumn=name_, allvar=WARNING)  # fmt: skip
    _survey(bundle, data, shown, report)
    return bundle


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _headings(raw: list, problems: list[str]) -> list[dict[str, Any]]:
    headings = []
    for number, item in enumerate(raw, start=1):
        where = f"rubrik nr {number}"
        if not isinstance(item, dict):
            problems.append(f"{where} är inte ett objekt")
            continue
        wrong = [key for key, kinds in _HEADING_TYPES.items() if not isinstance(item.get(key), kinds)]
        if item.get("status") not in ("ifylld", "saknas", None):
            wrong.append("status")
        missing = item.get("saknas")
        if isinstance(missing, list) and not all(isinstance(m, str) for m in missing):
            wrong.append("saknas")
        if wrong:
            problems.append(f"{where} har fel eller saknar {', '.join(dict.fromkeys(wrong))}")
            continue
        headings.append({key: item.get(key) for key in ("id", "nummer", "rubrik", "niva", "kravs", "status", "saknas")})
    return headings


_HEADING_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "rubrik": (str,),
    "kravs": (bool,),
    "nummer": (str, type(None)),
    "saknas": (list, type(None)),
}


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _table(name: str, raw: Any, spec: _Spec, shown: str, report: ValidationReport) -> list[dict[str, Any]] | None:
    """The kept rows of one table as dicts, or None (with an error) when the table is malformed."""

    def fail(message: str, row: int | None = None, column: str | None = None, value: Any = None) -> None:
        report.add(shown, "tabell", f"Rapportfilen {shown}: tabellen {name} {message}; tabellen ingår inte i portföljen.",
                   rad=row, kolumn=f"{name}.{column}" if column else name, varde=value)  # fmt: skip

    columns = raw.get("kolumner") if isinstance(raw, dict) else None
    rows = raw.get("rader") if isinstance(raw, dict) else None
    if not isinstance(columns, list) or not isinstance(rows, list) or not all(isinstance(c, str) for c in columns):
        fail("ska ha kolumner och rader")
        return None
    missing = [c for c in spec.columns if c not in columns]
    if missing:
        fail(f"saknar kolumnerna {', '.join(missing)}")
        return None
    width = len(columns)
    bad = next((n for n, r in enumerate(rows, start=1) if not isinstance(r, list) or len(r) != width), None)
    if bad is not None:
        row = rows[bad - 1]
        fail(f"har en rad med {len(row) if isinstance(row, list) else 'fel antal'} värden i stället för {width}", bad)
        return None
    position = {c: columns.index(c) for c in spec.columns}
    kept = enumerate(rows, start=1)
    if spec.keep:  # compare the key columns of all rows at once (tables can have thousands of rows)
        where = itemgetter(*(position[c] for c, _ in spec.keep))
        wanted = tuple(v for _, v in spec.keep) if len(spec.keep) > 1 else spec.keep[0][1]
        kept = ((n, r) for n, r in kept if where(r) == wanted)
    flags = spec.flags + (("undertryckt",) if "undertryckt" in position else ())
    out = []
    for number, row in kept:
        record = {c: row[i] for c, i in position.items()}
        record.update({c: row[columns.index(c)] if c in columns else None for c in spec.optional})
        for column in spec.numbers:
            if not _is_number(record[column]):
                fail(f"har ett värde som inte är ett tal (rad {number}, kolumn {column})", number, column, record[column])
                return None
        for column in flags:
            if record[column] is not None and not isinstance(record[column], bool):
                fail(f"har ett värde som inte är true/false (rad {number}, kolumn {column})", number, column, record[column])
                return None
        if spec.hidden and record.get("undertryckt") is not False:  # a missing mark counts as hidden
            record["undertryckt"] = True
            record.update(dict.fromkeys(spec.hidden))
        out.append(record)
    return out


def _survey(bundle: PortfolioBundle, data: dict[str, Any], shown: str, report: ValidationReport) -> None:
    """The instrument and waves; a bundle that does not name its instrument is migrated (instrument unknown)."""
    info = data.get("personalenkat")
    comparison = bundle.tables.get("jamforelse", [])
    if info is not None:
        instrument = _instrument(info)
        if instrument is None:
            report.add(shown, "personalenkat", f"Rapportfilen {shown}: uppgiften om personalenkätens instrument "
                       "(personalenkat) är skadad; projektets personalenkät jämförs inte med andra projekts.",
                       kolumn="personalenkat", allvar=ERROR)  # fmt: skip
            bundle.instrument_known = False
        else:
            bundle.instrument = instrument
            bundle.waves = [w["etikett"] for w in instrument["enkater"]]
    elif comparison:
        bundle.instrument_known = False
        origin = "schemaversion 1.0" if "personalenkat" not in data else "personalenkat är null"
        report.add(shown, "schemaversion", f"Rapportfilen {shown} ({origin}) anger inte personalenkätens instrument; "
                   "projektets personalenkät redovisas separat och jämförs inte med andra projekts.",
                   varde=bundle.schema_version, allvar=WARNING)  # fmt: skip
    if not bundle.waves:
        bundle.waves = list(dict.fromkeys(str(r["enkat"]) for r in comparison))


def _instrument(info: Any) -> dict[str, Any] | None:
    if not isinstance(info, dict) or not isinstance(info.get("id"), str) or not isinstance(info.get("skala"), dict):
        return None
    scale = info["skala"]
    numbers = [scale.get("min"), scale.get("max")]
    positive = scale.get("positiva")
    waves = info.get("enkater")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in numbers) or not isinstance(positive, list):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in positive) or not isinstance(waves, list):
        return None
    if not all(isinstance(w, dict) and isinstance(w.get("etikett"), str) for w in waves):
        return None
    return {
        "id": info["id"],
        "namn": _text(info.get("namn")) or info["id"],
        "skala": {"min": numbers[0], "max": numbers[1], "positiva": sorted(positive)},
        "enkater": [{"etikett": w["etikett"], "datum": w.get("datum")} for w in waves],
    }


# -- the whole collection ------------------------------------------------------


def _created(bundle: PortfolioBundle) -> date:
    try:
        return date.fromisoformat(bundle.created[:10])
    except ValueError:
        return date.min


def _newest_first(bundle: PortfolioBundle) -> tuple:
    return (-_created(bundle).toordinal(), -bundle.mtime, bundle.shown_path)


def _deduplicate(bundles: list[PortfolioBundle], report: ValidationReport) -> list[PortfolioBundle]:
    groups: dict[tuple[str, str], list[PortfolioBundle]] = {}
    for bundle in bundles:
        groups.setdefault(bundle.key, []).append(bundle)
    kept = []
    for group in groups.values():
        group.sort(key=_newest_first)
        winner = group[0]
        kept.append(winner)
        for older in group[1:]:
            period = f", {winner.period}" if winner.period else ""
            report.add(
                older.shown_path,
                "dubblett",
                f"Rapportfilerna {winner.shown_path} och {older.shown_path} gäller samma projekt och period "
                f"({winner.name}{period}). Den nyare, {winner.shown_path} (skapad {winner.created or 'okänt datum'}), "
                f"används; {older.shown_path} (skapad {older.created or 'okänt datum'}) ingår inte i portföljen.",
                allvar=WARNING,
            )
    return kept


#: From this many files on, bundles are read in parallel processes (JSON parsing dominates).
PARALLEL_FROM = 64


def _read_one(item: tuple[Path, str]) -> tuple[PortfolioBundle | None, list[Problem]]:
    report = ValidationReport()
    return read_bundle(item[0], item[1], report), report.problems


def _read_all(files: list[tuple[Path, str]], report: ValidationReport) -> list[PortfolioBundle]:
    """Read every file (in parallel when there are many and several CPUs), problems in file order."""
    workers = min(os.cpu_count() or 1, 8)
    results = None
    if len(files) >= PARALLEL_FROM and workers > 1:
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(_read_one, files, chunksize=max(1, len(files) // (4 * workers))))
        except (OSError, BrokenProcessPool):  # no processes allowed here: read in this process
            results = None
    if results is None:
        results = [_read_one(item) for item in files]
    bundles = []
    for bundle, problems in results:
        report.problems.extend(problems)
        if bundle is not None:
            bundles.append(bundle)
    return bundles


def collect_bundles(paths: list[Path], template: str | None = None) -> Collection:
    """Find and read every bundle under ``paths``, keep the newest per project and period.

    With ``template``, only bundles on that template (``mall.id``) are kept.

    Raises
    ------
    PortfolioError
        When no bundle can be used (none found, none readable, none on ``template``).
    """
    report = ValidationReport()
    files = find_bundles(paths, report)
    bundles = _read_all(files, report)
    if not bundles:
        raise PortfolioError(report, "Ingen rapportfil (rapport.json) kunde läsas, så portföljen kan inte byggas.")
    bundles = _deduplicate(bundles, report)
    if template is not None:
        used = sorted({b.template_id for b in bundles})
        for other in (b for b in bundles if b.template_id != template):
            report.add(other.shown_path, "mall", f"Rapportfilen {other.shown_path} ({other.name}) använder mallen "
                       f"{other.template_id} och ingår inte i portföljen (--template {template}).",
                       varde=other.template_id, allvar=WARNING)  # fmt: skip
        bundles = [b for b in bundles if b.template_id == template]
        if not bundles:
            raise PortfolioError(report, f"Ingen av rapportfilerna använder mallen {template}. "
                                 f"Mallarna i rapportfilerna: {', '.join(used)}.")  # fmt: skip
    bundles.sort(key=lambda b: (b.name.casefold(), b.period, b.shown_path))
    return Collection(bundles=bundles, report=report, found=len(files), template=template)
