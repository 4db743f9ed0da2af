"""Find, read and check the bundles (``rapport.json``) of a portfolio.

Each path given is a bundle file, a build output folder or any folder that is
searched recursively for files named ``rapport.json`` (hidden folders such as
``.git`` are skipped, symbolic links to folders are not followed). A folder,
named pipe or device named ``rapport.json`` is handed to the reader, which
refuses it without opening it.

Every problem is collected in a :class:`~slutrapport.core.problems.ValidationReport`
(``fil`` = the bundle, ``kolumn`` = ``table.column`` where it applies):

- a file that is not exactly a bundle (:func:`~.bundlefile.read_bundle_file`:
  not a regular file, too large, malformed, truncated, too deeply nested, a
  key twice, a number that is not finite, an unknown schema version, or
  anything the JSON Schema of ``rapport.json`` does not allow) is an error,
  one row per reason with the JSON path of the value, and the file is left
  out of every table and chart; the other bundles still make the portfolio;
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

from slutrapport.core.errors import SlutrapportError, ValidationError
from slutrapport.core.problems import WARNING, Problem, ValidationReport
from slutrapport.portfolio.bundlefile import BundleFileError, read_bundle_file

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
    hidden: tuple[str, ...] = ()  # emptied when undertryckt is not false
    keep: tuple[tuple[str, str], ...] = ()  # (column, value): only matching rows are kept
    optional: tuple[str, ...] = ()  # read when the bundle has them (newer minor versions), else None


#: The tables the portfolio uses, with the columns it needs (extra columns are ignored).
TABLES: dict[str, _Spec] = {
    "jamforelse": _Spec(
        ("niva", "id", "text", "grupp", "enkat", "n", "medel", "andel_positiva", "undertryckt"),
        hidden=("n", "medel", "andel_positiva"),
        keep=(("niva", "index"), ("grupp", ALL)),
    ),
    "forandringar": _Spec(
        ("niva", "id", "grupp", "fran", "till", "parad", "n_fran", "n_till", "n_par", "diff_medel",
         "diff_andel_positiva", "ci_lag", "ci_hog", "test", "p_corr"),
        keep=(("niva", "index"), ("grupp", ALL)),
        optional=("familj", "effekt"),  # familj from 1.2: only the primary family's tests carry conclusions
    ),
    "deltagare_flode": _Spec(
        ("period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"),
        hidden=("inskrivna", "aktiva", "avslutade"),
        keep=(("period", TOTAL),),
    ),
    "deltagare_utfall": _Spec(
        ("indelning", "kategori", "kon", "n", "andel", "undertryckt"),
        hidden=("n", "andel"),
        keep=(("indelning", "nationell"),),
    ),
    "maluppfyllelse": _Spec(
        ("id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"),
    ),
    "ekonomi": _Spec(
        ("kategori", "period", "budget", "utfall", "avvikelse_kr", "avvikelse_procent"),
        keep=(("period", TOTAL),),
    ),
    "ekonomi_nyckeltal": _Spec(("matt", "varde")),
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
        if path.is_file() or (path.exists() and not path.is_dir()) or (path.is_dir() and path.name == BUNDLE_NAME):
            if path.suffix.lower() != ".json" and path.is_file():
                report.add(str(path), "rapportfil", f"{path} är inte en rapport.json (JSON-filen som slutrapport build skriver).")
                continue
            add(path)  # a pipe, a device or a folder named rapport.json: the reader says why it is not read
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
        if BUNDLE_NAME in files or BUNDLE_NAME in dirs:  # a folder named rapport.json is reported, not searched
            found.append(Path(root) / BUNDLE_NAME)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != BUNDLE_NAME)
    return found


# -- reading one bundle --------------------------------------------------------


def read_bundle(path: Path, shown: str, report: ValidationReport) -> PortfolioBundle | None:
    """Read and check one bundle (strictly: it follows the schema or is left out); problems go to ``report``; ``None`` when it is left out."""
    try:
        data, mtime = read_bundle_file(path, shown)
    except BundleFileError as exc:
        for problem in exc.problems:
            report.add(shown, problem.kontroll, f"{problem.message} Filen ingår inte i portföljen.",
                       rad=problem.rad, kolumn=problem.kolumn, varde=problem.varde)  # fmt: skip
        return None
    projekt, mall = data["projekt"], data["mall"]  # the schema guarantees every type below
    facts, title = projekt["uppgifter"], projekt["titel"]
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
        headings=[{key: h[key] for key in _HEADING_KEYS} for h in data["rubriker"]],
        instrument=None,
        instrument_known=True,
        waves=[],
    )
    tables = data["tabeller"]
    for name_, spec in TABLES.items():
        if name_ in tables:
            rows = bundle.tables[name_] = _table(tables[name_], spec)
            if not rows and spec.keep and tables[name_]["rader"]:  # rows, but none the portfolio uses
                wanted = " och ".join(f"{c} = {v}" for c, v in spec.keep)
                report.add(shown, "tabell", f"Rapportfilen {shown}: tabellen {name_} har inga rader med {wanted}; "
                           "den används inte i portföljen.", kolumn=name_, allvar=WARNING)  # fmt: skip
    _survey(bundle, data, shown, report)
    return bundle


def _text(value: Any) -> str:
    return "" if value is None else str(value)


_HEADING_KEYS = ("id", "nummer", "rubrik", "niva", "kravs", "status", "saknas")


def _table(raw: dict[str, Any], spec: _Spec) -> list[dict[str, Any]]:
    """The kept rows of one table as dicts (the schema guarantees the columns, row widths and value types)."""
    columns, rows = raw["kolumner"], raw["rader"]
    position = {c: columns.index(c) for c in spec.columns}
    if spec.keep:  # compare the key columns of all rows at once (tables can have thousands of rows)
        where = itemgetter(*(position[c] for c, _ in spec.keep))
        wanted = tuple(v for _, v in spec.keep) if len(spec.keep) > 1 else spec.keep[0][1]
        rows = [r for r in rows if where(r) == wanted]
    optional = {c: columns.index(c) for c in spec.optional if c in columns}
    out = []
    for row in rows:
        record = {c: row[i] for c, i in position.items()}
        record.update({c: row[optional[c]] if c in optional else None for c in spec.optional})
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
        bundle.instrument = _instrument(info)
        bundle.waves = [w["etikett"] for w in bundle.instrument["enkater"]]
    elif comparison:
        bundle.instrument_known = False
        origin = "schemaversion 1.0" if "personalenkat" not in data else "personalenkat är null"
        report.add(shown, "schemaversion", f"Rapportfilen {shown} ({origin}) anger inte personalenkätens instrument; "
                   "projektets personalenkät redovisas separat och jämförs inte med andra projekts.",
                   varde=bundle.schema_version, allvar=WARNING)  # fmt: skip
    if not bundle.waves:
        bundle.waves = list(dict.fromkeys(str(r["enkat"]) for r in comparison))


def _instrument(info: dict[str, Any]) -> dict[str, Any]:
    """The instrument as compared across projects; whole numbers written as 1.0 (valid JSON integers) become ints."""
    scale = info["skala"]
    return {
        "id": info["id"],
        "namn": info["namn"] or info["id"],
        "skala": {"min": int(scale["min"]), "max": int(scale["max"]), "positiva": sorted(int(v) for v in scale["positiva"])},
        "enkater": [{"etikett": w["etikett"], "datum": w["datum"]} for w in info["enkater"]],
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
