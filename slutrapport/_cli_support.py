"""Parts of the command line shared by its commands: error handling, output and repeated options.

:class:`ErrorGroup` turns user errors (:class:`~slutrapport.core.errors.SlutrapportError`)
into a Swedish message on stderr and exit code 1 without a traceback;
``--debug`` (before or after the command name) shows it. The option
decorators here are the ones several commands of :mod:`slutrapport.cli` share,
so their flags and help texts are declared once.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from slutrapport import _click_sv
from slutrapport.core.errors import SlutrapportError

_click_sv.install()  # before the options below are declared: click names a path's kind ("Mappen") then

__all__ = [
    "DEBUG_ENV",
    "UserError",
    "ErrorGroup",
    "print_paths",
    "report_outcome",
    "report_build",
    "build_summary",
    "interim_option",
    "strict_option",
    "completeness_detail",
    "out_option",
    "check_out_folder",
    "check_out_file",
    "check_folder",
    "force_option",
    "templates_option",
    "draft_option",
    "detail_option",
    "debug_option",
    "reading_options",
    "project_reading_conflict",
    "parse_labels",
    "PROGRESS_COMMANDS",
    "PROGRESS_DELAY",
    "TerminalProgress",
    "terminal_progress",
    "stderr_is_terminal",
]

DEBUG_ENV = "SLUTRAPPORT_DEBUG"


class UserError(click.ClickException):
    """A user error shown in Swedish ("Fel: …") with exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"Fel: {self.format_message()}", err=True, file=file)


#: Exit code of every refusal, a wrong option or argument included: 0 is done, 1 is refused (click's own usage
#: errors would exit 2; one code for "not done" is what scripts and the web page test).
REFUSED = 1


class ErrorGroup(click.Group):
    """Runs a command and turns errors into messages instead of tracebacks.

    The long commands (:data:`PROGRESS_COMMANDS`) show their steps on a terminal (:func:`terminal_progress`).
    """

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        if name in PROGRESS_COMMANDS and ctx.parent is None and stderr_is_terminal():
            ctx.with_resource(terminal_progress())
        return name, command, rest

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            exc.exit_code = REFUSED
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            exc.exit_code = REFUSED
            raise
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except SlutrapportError as exc:
            if ctx.meta.get("debug"):
                raise
            raise UserError(str(exc)) from exc
        except OSError as exc:  # the file system refused a path the user gave (a name too long, a loop of links)
            if ctx.meta.get("debug") or exc.filename is None:
                raise
            raise UserError(_os_message(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if ctx.meta.get("debug"):
                raise
            raise UserError(
                f"Ett oväntat fel inträffade ({type(exc).__name__}: {exc}). Kör kommandot igen med --debug för detaljer, och rapportera felet."
            ) from exc


def _os_message(exc: OSError) -> str:
    from slutrapport.core.outputs import os_reason

    parts = str(exc.filename).split("/")  # a long name shortened where it is long, so that the rest stays readable
    shown = "/".join(part if len(part) <= 60 else f"{part[:30]}… ({len(part)} tecken)" for part in parts)
    return f"Sökvägen {shown} kunde inte användas: {os_reason(exc)}."


# ---------------------------------------------------------------- progress

#: The commands that show their steps (reading wave k of n, analysing, writing) on a terminal.
PROGRESS_COMMANDS = ("compare", "build", "portfolio")
#: Seconds the work must take before its steps are shown: a quick run prints nothing extra.
PROGRESS_DELAY = 2.0


def stderr_is_terminal() -> bool:
    """Whether stderr (the test runner's stream under CliRunner) is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class TerminalProgress:
    """A command's steps as lines on stderr, from the moment its work has lasted ``delay`` seconds.

    The step under way then is shown at once (from a timer thread), and every later one as it
    starts; work that ends sooner shows nothing.
    """

    def __init__(self, delay: float = PROGRESS_DELAY) -> None:
        self._lock = threading.Lock()
        self._step: str | None = None
        self._due = delay <= 0
        self._timer = None if self._due else threading.Timer(delay, self._late)
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def __call__(self, step: str) -> None:
        with self._lock:
            self._step = step
            if self._due:
                self._show(step)

    def _late(self) -> None:
        with self._lock:
            self._due = True
            if self._step is not None:
                self._show(self._step)

    @staticmethod
    def _show(step: str) -> None:
        click.echo(f"{step} …", err=True)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


@contextmanager
def terminal_progress(delay: float | None = None) -> Iterator[TerminalProgress]:
    """Within the block, the library's steps (:mod:`slutrapport.core.progress`) go to a :class:`TerminalProgress`."""
    from slutrapport.core.progress import reporting

    shown = TerminalProgress(PROGRESS_DELAY if delay is None else delay)
    try:
        with reporting(shown):
            yield shown
    finally:
        shown.close()


# ---------------------------------------------------------------- output


def print_paths(paths: list[Path]) -> None:
    """One written path per line on stdout."""
    for path in paths:
        click.echo(str(path))


def report_outcome(outcome) -> None:
    """Print the written paths, and the reading warnings on stderr."""
    print_paths(outcome.paths)
    if outcome.warnings:
        from slutrapport.core.problems import ValidationReport

        click.echo(f"\n{len(outcome.warnings)} varning(ar) vid inläsningen (finns också i rapportens metodavsnitt):", err=True)
        click.echo(ValidationReport(list(outcome.warnings)).to_text(), err=True)


def build_summary(outcome) -> list[str]:
    """What ``build`` says at the end: required headings with content, the survey waves read, the warnings,
    and the required headings still empty by their numbers and Swedish titles (the texts' folder named)."""
    required = [h for h in outcome.headings if h.required]
    empty = outcome.empty_required
    waves = outcome.waves
    survey = f"{len(waves)} {'enkät läst' if len(waves) == 1 else 'enkäter lästa'} ({', '.join(waves)})" if waves else "ingen enkät läst"
    warnings = len(outcome.warnings)
    lines = [
        f"Klart: {len(required) - len(empty)} av {len(required)} obligatoriska rubriker har innehåll; "
        f"personalenkät: {survey}; {warnings} varning{'ar' if warnings != 1 else ''}."
    ]
    if empty:
        lines.append(f"Tomma obligatoriska rubriker ({len(empty)}):")
        lines += [f"  ✗ {h.number} {h.title}" if h.number else f"  ✗ {h.title}" for h in empty]
        if outcome.texts is not None:
            lines.append(f"Skriv texterna i {outcome.texts} (en fil per rubrik, <rubrikens id>.md).")
    return lines


def report_build(outcome, strict: bool = False) -> None:
    """``build``: the written paths and warnings (:func:`report_outcome`), then its summary on stderr;
    with ``strict`` (``--strikt``) exit code 1 when a required heading is empty, as ``check``."""
    report_outcome(outcome)
    click.echo("", err=True)
    for line in build_summary(outcome):
        click.echo(line, err=True)
    if strict and outcome.empty_required:
        click.echo(f"--strikt: {len(outcome.empty_required)} obligatoriska rubriker är tomma (filerna skrevs ändå).", err=True)
        click.get_current_context().exit(1)


def completeness_detail(heading) -> str:
    """What ``check`` says about a required heading (:func:`slutrapport.pipeline.status.heading_detail`, as the web page)."""
    from slutrapport.pipeline.status import heading_detail

    return heading_detail(heading, yaml_keys=True)


# ---------------------------------------------------------------- options shared by several commands


def _not_a_folder(path: Path) -> str | None:
    """What ``path`` is when something other than a folder is there ("en fil", "en namngiven pipe"); None otherwise."""
    from slutrapport.core.inputs import file_kind

    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None  # absent (it is created), or unreadable: the writer says why
    kind = file_kind(mode)
    return "en fil" if kind is None else (None if kind == "en mapp" else kind)


def check_out_folder(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """``--out MAPP``: an existing file (or pipe, device) there is a user error (exit 1), before any work."""
    if value is not None and (kind := _not_a_folder(Path(value))) is not None:
        raise UserError(f"--out {value} är {kind}, inte en mapp; ange mappen där resultaten ska skrivas (den skapas om den inte finns).")
    return value


def check_folder(_ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A folder argument (``MAPP``, ``PROJEKTMAPP``): a pipe or device there is a usage error, like a file (click's own check)."""
    if value is not None and (kind := _not_a_folder(Path(value))) is not None:
        raise click.BadParameter(f"{value} är {kind}, inte en mapp.", param=param)
    return value


def check_out_file(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """``--out FIL``: an existing folder there is a user error (exit 1), before any work."""
    if value is not None and Path(value).is_dir():
        raise UserError(f"--out {value} är en mapp, inte en fil; ange filen som ska skapas, t.ex. {Path(value) / 'sjalvvardering.xlsx'}.")
    return value


def out_option(default: Path | None, help_text: str):
    """The ``--out MAPP`` option of the commands that write outputs."""
    return click.option(
        "--out",
        type=click.Path(path_type=Path),
        callback=check_out_folder,
        metavar="MAPP",
        default=default,
        show_default=default is not None,
        help=help_text,
    )


force_option = click.option("--force", is_flag=True, help="Skriv över filer i utmappen även om de har ändrats.")
templates_option = click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    callback=lambda ctx, param, values: tuple(check_folder(ctx, param, value) for value in values),
    metavar="MAPP",
    help="Mapp med finansiärens egna mallar (en undermapp per mall med mall.yaml). Kan anges flera gånger.",
)
draft_option = click.option("--utkast", "draft", is_flag=True, help="Visa en tabell över vad som saknas överst i rapporten.")
strict_option = click.option("--strikt", "strict", is_flag=True, help="Avsluta med kod 1 om någon obligatorisk rubrik är tom (som check); filerna skrivs ändå.")


def _check_period(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--delrapport PERIOD``: a period :mod:`slutrapport.core.periods` reads, or a Swedish usage error naming the value."""
    if value is None:
        return None
    from slutrapport.core.periods import PeriodError, parse_period

    try:
        parse_period(value)
    except PeriodError as exc:
        raise click.BadParameter(f"{exc}.") from exc
    return value.strip()


interim_option = click.option(
    "--delrapport",
    "interim",
    default=None,
    metavar="PERIOD",
    callback=_check_period,
    help="Bygg en lägesrapport (delrapport) för perioden i stället för slutrapporten: 2025, 2025H1, 2025K3, 2025-03 "
    "eller 2025-01-01..2025-06-30. Skriver delrapport-PERIOD.html, .xlsx, .docx och .json; texterna läses från "
    "texter/delrapport-PERIOD/.",
)
#: The detail level (project.templates.DETAIL_LEVELS, written out so that --help loads no library module).
detail_option = click.option(
    "--detaljniva",
    "detail",
    type=click.Choice(["sammanfattning", "full"]),
    default=None,
    metavar="NIVÅ",
    help="sammanfattning: rapporten har sammanfattningen och de fullständiga tabellerna står i bilaga.html och "
    "bilaga.docx; full: alla tabeller i rapporten. Standard: mallens detaljniva (sammanfattning).",
)


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["debug"] = True


def debug_option(command):
    """``--debug`` accepted after the command name too (``slutrapport build X --debug``)."""
    return click.option("--debug", is_flag=True, expose_value=False, callback=_set_debug, help="Visa hela felspårningen vid fel.")(command)


def _format_help() -> str:
    from slutrapport.sources.formats import FORMATS  # the names only: the readers would load pandas

    return "Exportformat om det inte känns igen automatiskt: " + ", ".join(FORMATS) + "."


def _check_encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--encoding``: a text encoding Python knows, or a Swedish usage error."""
    if value is None:
        return None
    from slutrapport.project.reading import encoding_problem

    problem = encoding_problem(value)
    if problem:
        raise click.BadParameter(problem + ".")
    return value.strip()


def reading_options(command):
    """Options shared by compare and validate: how to read the survey files.

    The command gets ``labels``, ``map_file`` and ``wave_column`` as they are,
    and the reading choices ``--format``, ``--blad``, ``--rubrikrad``,
    ``--etiketter``, ``--encoding`` and ``--behall-dubbletter`` gathered in one
    ``read_options`` (:class:`~slutrapport.sources.readers.options.ReadOptions`,
    the same for every file).
    """

    @functools.wraps(command)
    def with_read_options(*args, file_format, sheet, header_row, labels_file, encoding, keep_duplicates, **kwargs):
        from slutrapport.sources.readers.options import ReadOptions

        kwargs["read_options"] = ReadOptions(
            format=file_format,
            sheet=sheet,
            header_row=header_row,
            labels_file=labels_file,
            encoding=encoding,
            keep_duplicates=keep_duplicates,
        )
        return command(*args, **kwargs)

    for option in reversed(
        [
            click.option(
                "--labels",
                default=None,
                metavar="ETIKETTER",
                help='Namn på enkättillfällena i ordning, t.ex. "Enkät 1,Enkät 2" (inte samma sak som --etiketter).',
            ),
            click.option(
                "--map",
                "map_file",
                type=click.Path(dir_okay=False, path_type=Path),
                metavar="FIL",
                help="Kolumnmappning (YAML eller CSV): rubrik i filen → frågans id.",
            ),
            click.option("--format", "file_format", default=None, metavar="FORMAT", help=_format_help()),
            click.option("--wave-column", default=None, metavar="KOLUMN", help="Kolumn som anger enkättillfälle när en fil innehåller flera."),
            click.option(
                "--blad",
                "sheet",
                default=None,
                metavar="NAMN",
                help="Kalkylbladet som ska läsas i Excel-filerna (standard: bladet som passar instrumentet bäst).",
            ),
            click.option(
                "--rubrikrad",
                "header_row",
                type=click.IntRange(min=1),
                default=None,
                metavar="N",
                help="Raden med frågornas rubriker, räknat från 1 som i Excel; raderna ovanför hoppas över (standard: hittas automatiskt).",
            ),
            click.option(
                "--etiketter",
                "labels_file",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                default=None,
                metavar="FIL",
                help="Fil med frågornas och svarens etiketter som hör till exporten (LimeSurvey .lss eller en kodlista).",
            ),
            click.option(
                "--encoding",
                default=None,
                metavar="KODNING",
                callback=_check_encoding,
                help="Teckenkodning för CSV-filerna, t.ex. utf-8, cp1252, mac_roman eller utf-16 (standard: känns igen automatiskt).",
            ),
            click.option(
                "--behall-dubbletter",
                "keep_duplicates",
                is_flag=True,
                help="Behåll alla rader för ett svars-id som förekommer flera gånger i samma fil "
                "(standard: den första raden räknas och de andra listas i en varning).",
            ),
        ]
    ):
        with_read_options = option(with_read_options)
    return with_read_options


def project_reading_conflict(read_options) -> str | None:
    """The Swedish usage message when ``--blad``, ``--rubrikrad`` … are given with a project folder (whose
    projekt.yaml decides how its files are read); None when none is."""
    from dataclasses import replace

    from slutrapport.sources.readers.options import ReadOptions

    if replace(read_options, format=None) == ReadOptions():
        return None
    return (
        "--blad, --rubrikrad, --etiketter, --encoding och --behall-dubbletter gäller enskilda filer. "
        "För en projektmapp anges de i projekt.yaml under personalenkat: (blad:, rubrikrad:, etiketter:, "
        "teckenkodning:, dubbletter:), för alla filer eller per enkät under enkater:."
    )


def parse_labels(value: str | None) -> list[str] | None:
    """The ``--labels`` value split at commas; a usage error when a label is empty."""
    if value is None:
        return None
    labels = [part.strip() for part in value.split(",")]
    if any(not label for label in labels):
        raise click.BadParameter("etiketterna ska separeras med kommatecken och får inte vara tomma.")
    return labels
