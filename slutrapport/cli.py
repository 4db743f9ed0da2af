"""Command line: thin wrappers that call one library function each.

User errors (:class:`~slutrapport.core.errors.SlutrapportError`) become a Swedish
message on stderr and exit code 1 without a traceback; ``--debug`` shows it
(:mod:`slutrapport._cli_support` holds that error handling, the output helpers
and the options several commands share).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slutrapport import __version__, _click_sv
from slutrapport._cli_process import command_line_process
from slutrapport._cli_support import (
    DEBUG_ENV,
    ErrorGroup,
    check_folder,
    check_out_file,
    completeness_detail,
    debug_option,
    detail_option,
    draft_option,
    force_option,
    interim_option,
    out_option,
    parse_labels,
    print_paths,
    project_reading_conflict,
    reading_options,
    report_build,
    report_outcome,
    strict_option,
    templates_option,
)

if TYPE_CHECKING:  # pragma: no cover
    from slutrapport.sources.readers.options import ReadOptions

_click_sv.install()

__all__ = ["main", "cli"]


@click.group(
    cls=ErrorGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[FLAGGOR]",
    subcommand_metavar="KOMMANDO [ARGUMENT]...",
)
@click.option("--debug", is_flag=True, envvar=DEBUG_ENV, help="Visa hela felspårningen vid fel (för felsökning).")
@click.version_option(__version__, prog_name="slutrapport")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Slutrapporter och personalenkäter för samverkansprojekt.

    Kom igång: slutrapport demo bygger en exempelrapport; slutrapport init MAPP
    skapar ett eget projekt som sedan byggs med slutrapport build MAPP.
    """
    ctx.meta["debug"] = ctx.meta.get("debug", False) or debug


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@out_option(Path("demo-rapport"), "Mapp där rapporten skrivs.")
@draft_option
@detail_option
@force_option
def demo(out: Path, draft: bool, detail: str | None, force: bool) -> None:
    """Bygg exempelrapporten från det medföljande exempelprojektet.

    Skriver rapport.html, rapport.xlsx, rapport.docx, rapport.json,
    jamforelse.csv, forandringar.csv och reliabilitet.csv, bilagan med de
    fullständiga tabellerna (bilaga.html, bilaga.docx) och en
    exempelportfölj (exempelprojektet och två varianter) i MAPP/portfolj.

    Exempel:

        slutrapport demo --out demo-rapport
    """
    from slutrapport.pipeline import build_demo

    report_outcome(build_demo(out, force=force, draft=draft, detail=detail))


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), callback=check_folder, metavar="MAPP")
@click.option("--template", "template_id", default="rar-slutrapport", show_default=True, metavar="MALL", help="Finansiärens mall.")
@templates_option
@click.option("--force", is_flag=True, help="Skriv över filer som redan finns i mappen.")
def init(directory: Path, template_id: str, template_dirs: tuple[Path, ...], force: bool) -> None:
    """Skapa en ny projektmapp med kommenterade filer att fylla i.

    Exempel:

        slutrapport init mitt-projekt
    """
    from slutrapport.project.folder import init_project

    paths = init_project(directory, template_id=template_id, force=force, template_dirs=list(template_dirs))
    print_paths(paths)
    click.echo(f"Fyll i {directory / 'projekt.yaml'} och texterna i {directory / 'texter'}, och bygg sedan rapporten med: slutrapport build {directory}")


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("project_dir", type=click.Path(file_okay=False, path_type=Path), callback=check_folder, metavar="PROJEKTMAPP")
@out_option(None, "Mapp där rapporten skrivs (standard: PROJEKTMAPP/rapport).")
@draft_option
@detail_option
@templates_option
@force_option
@interim_option
@strict_option
@click.option("--pdf", is_flag=True, help="Skriv också rapport.pdf (utskriftsversionen av rapport.html); kräver tillägget: pip install 'slutrapport[pdf]'.")
def build(
    project_dir: Path,
    out: Path | None,
    draft: bool,
    detail: str | None,
    template_dirs: tuple[Path, ...],
    force: bool,
    interim: str | None,
    strict: bool,
    pdf: bool,
) -> None:
    """Bygg rapporten för en projektmapp.

    Skriver rapport.html, rapport.xlsx, rapport.docx, rapport.json,
    jamforelse.csv, forandringar.csv och reliabilitet.csv, och bilagan med de
    fullständiga tabellerna (bilaga.html, bilaga.docx). Stoppar med en lista
    över alla fel om enkätfilerna har fel. Till sist sammanfattas på stderr hur
    många obligatoriska rubriker som har innehåll och vilka som är tomma.

    Med --delrapport PERIOD byggs en lägesrapport för perioden under
    finansiärens rubriker för delrapporter (delrapport_mall: i projekt.yaml,
    standard rar-lagesrapport): delrapport-PERIOD.html, .xlsx, .docx och .json
    med bilagan delrapport-PERIOD-bilaga.html och .docx.

    Exempel:

    \b
        slutrapport build mitt-projekt --out mitt-projekt/rapport
        slutrapport build mitt-projekt --delrapport 2025H1
    """
    from slutrapport.pipeline import build_project

    outcome = build_project(project_dir, out=out, force=force, draft=draft, template_dirs=list(template_dirs), interim=interim, detail=detail, pdf=pdf)
    report_build(outcome, strict)


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("project_dir", type=click.Path(file_okay=False, path_type=Path), callback=check_folder, metavar="PROJEKTMAPP")
@templates_option
@interim_option
def check(project_dir: Path, template_dirs: tuple[Path, ...], interim: str | None) -> None:
    """Kontrollera att varje rubrik som finansiären kräver har innehåll.

    Listar per obligatorisk rubrik om den har text eller beräknat innehåll och
    vad som saknas. Avslutas med kod 1 om någon obligatorisk rubrik är tom.
    Med --delrapport PERIOD kontrolleras lägesrapporten för perioden.

    Exempel:

    \b
        slutrapport check mitt-projekt
        slutrapport check mitt-projekt --delrapport 2025H1
    """
    from slutrapport.pipeline import check_project

    result = check_project(project_dir, list(template_dirs), interim=interim)
    template = result.project.template
    click.echo(f"{result.project.name} – mall: {template.name}")
    required = [h for h in result.headings if h.required]
    for heading in required:
        mark = "✓" if heading.status == "ifylld" else "✗"
        title = f"{heading.number} {heading.title}" if heading.number else heading.title
        detail = completeness_detail(heading)
        click.echo(f"  {mark} {title}: {detail}")
    filled = sum(h.status == "ifylld" for h in required)
    click.echo(f"{filled} av {len(required)} obligatoriska rubriker har innehåll.")
    click.get_current_context().exit(int(not result.complete))


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@templates_option
def templates(template_dirs: tuple[Path, ...]) -> None:
    """Lista finansiärernas mallar (inbyggda och egna).

    Exempel:

        slutrapport templates --templates finansiarens-mallar
    """
    from slutrapport.project.templates import DEFAULT_TEMPLATE, template_summaries

    for item in template_summaries(list(template_dirs)):
        default = " (standard)" if item["id"] == DEFAULT_TEMPLATE else " (delrapport, build --delrapport)" if item["typ"] == "delrapport" else ""
        click.echo(f"{item['id']}{default}: {item['namn']}")
        click.echo(f"    finansiär: {item['finansiar'] or '–'}; rubriker: {item['rubriker']}; mapp: {item['kalla']}")


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.option("--instrument", required=True, metavar="FIL|ID", help="Instrumentfil (YAML) eller inbyggt instrument, t.ex. samverkan.")
@click.argument("wave_files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="ENKÄTFIL...")
@reading_options
@click.option(
    "--min-n",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    metavar="N",
    help="Anonymitetsgräns: grupper med färre svar visas inte.",
)
@out_option(Path("."), "Mapp där resultaten skrivs.")
@force_option
def compare(
    instrument: str,
    wave_files: tuple[Path, ...],
    labels: str | None,
    map_file: Path | None,
    wave_column: str | None,
    read_options: ReadOptions,
    min_n: int,
    out: Path,
    force: bool,
) -> None:
    """Jämför personalenkäter: en fil per enkättillfälle, i tidsordning.

    Skriver jamforelse.csv, jamforelse.xlsx, jamforelse.html, forandringar.csv
    och reliabilitet.csv. Inläsningsvalen (--blad, --rubrikrad, --etiketter,
    --encoding, --behall-dubbletter) gäller alla filerna.

    Exempel:

    \b
        slutrapport compare --instrument samverkan enkat1.csv enkat2.xlsx enkat3.csv \\
            --labels "Enkät 1,Enkät 2,Enkät 3" --out resultat
        slutrapport compare --instrument samverkan enkat1.xlsx enkat2.xlsx --blad Svar --rubrikrad 3
    """
    from slutrapport.pipeline import compare_files, load_column_map

    report_outcome(
        compare_files(
            instrument,
            list(wave_files),
            parse_labels(labels),
            min_n=min_n,
            out=out,
            force=force,
            column_map=load_column_map(map_file),
            wave_column=wave_column,
            options=read_options,
        )
    )


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FIL...|PROJEKTMAPP")
@click.option("--instrument", default=None, metavar="FIL|ID", help="Instrument för enkätfilerna (krävs för filer, inte för en projektmapp).")
@reading_options
@click.option("--json", "as_json", is_flag=True, help="Skriv rapporten som JSON.")
def validate(
    paths: tuple[Path, ...],
    instrument: str | None,
    labels: str | None,
    map_file: Path | None,
    wave_column: str | None,
    read_options: ReadOptions,
    as_json: bool,
) -> None:
    """Kontrollera enkätfiler och lista alla problem (fel och varningar).

    För en projektmapp kontrolleras också självvärderingens ifyllda formulär,
    deltagarregistret och målen, ekonomifilen och parameterfilen för den
    samhällsekonomiska beräkningen.
    Avslutas med kod 1 om det finns fel.

    Exempel:

    \b
        slutrapport validate enkat1.csv enkat2.xlsx --instrument samverkan
        slutrapport validate export.csv --instrument samverkan --encoding cp1252 --behall-dubbletter
        slutrapport validate mitt-projekt --json
    """
    from slutrapport.pipeline import load_column_map, validate_files, validate_project

    if len(paths) == 1 and paths[0].is_dir():
        conflict = project_reading_conflict(read_options)
        if conflict:
            raise click.UsageError(conflict)
        report = validate_project(paths[0])
    elif instrument is None:
        raise click.UsageError("Ange --instrument när du kontrollerar enskilda filer (eller ange en projektmapp).")
    else:
        report = validate_files(instrument, list(paths), parse_labels(labels), load_column_map(map_file), wave_column=wave_column, options=read_options)
    if as_json:
        click.echo(report.to_json())
    else:
        if report.problems:
            click.echo(report.to_table())
        if not report.errors() and not report.warnings():
            click.echo(("\n" if report.problems else "") + "Inga problem hittades.")
    if not report.valid:
        click.echo(f"\n{len(report.errors())} fel måste rättas.", err=True)
    click.get_current_context().exit(int(not report.valid))


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("instrument_id", default="samverkan", metavar="[ID]")
@click.option("--schema", "as_schema", is_flag=True, help="Skriv ut instrumentfilernas JSON-schema i stället (för en editor).")
def instrument(instrument_id: str, as_schema: bool) -> None:
    """Skriv ut ett inbyggt instrument (YAML), som utgångspunkt för ett eget.

    Filens första rad pekar ut schemat, så att en editor med YAML-stöd
    kan föreslå och kontrollera nycklarna.

    Exempel:

        slutrapport instrument samverkan > mitt-instrument.yaml

        slutrapport instrument --schema > instrument.schema.json
    """
    from slutrapport.sources.survey.instrument import builtin_instrument_text
    from slutrapport.sources.survey.schema import schema_text

    click.echo(schema_text() if as_schema else builtin_instrument_text(instrument_id), nl=False)


#: ``slutrapport schema KIND``: the kinds of YAML file users write, each with its JSON Schema (module, name).
_SCHEMAS = {
    "projekt": ("slutrapport.project.schema", "PROJECT_SCHEMA"),
    "mall": ("slutrapport.project.templates", "TEMPLATE_SCHEMA"),
    "instrument": ("slutrapport.sources.survey.schema", "SCHEMA"),
    "formular": ("slutrapport.sources.forms.definition", "FORM_SCHEMA"),
    "socioekonomi": ("slutrapport.sources.economy.parameter_schema", "PARAMETER_SCHEMA"),
    "budget": ("slutrapport.sources.economy.yaml_rows", "ROW_SCHEMA"),
    "kolumnmappning": ("slutrapport.sources.survey.columnmap", "COLUMN_MAP_SCHEMA"),
}


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("kind", type=click.Choice(list(_SCHEMAS)), metavar="FILSORT")
@click.option("--sokvag", "as_uri", is_flag=True, help="Skriv bara var schemat finns (för raden # yaml-language-server: $schema=…).")
def schema(kind: str, as_uri: bool) -> None:
    """Skriv ut JSON-schemat för en sorts YAML-fil, så att en editor kan föreslå och kontrollera nycklarna.

    FILSORT är projekt (projekt.yaml), mall (mall.yaml), instrument,
    formular (formulärdefinitionen), socioekonomi (parameterfilen),
    budget (budgetrader i YAML) eller kolumnmappning (--map FIL). Lägg till raden
    # yaml-language-server: $schema=<sökväg> överst i filen.

    Exempel:

    \b
        slutrapport schema projekt > projekt.schema.json
        slutrapport schema mall --sokvag
    """
    import importlib

    module, name = _SCHEMAS[kind]
    found = getattr(importlib.import_module(module), name)
    click.echo(found.uri() if as_uri else found.text(), nl=as_uri)


@cli.group(cls=ErrorGroup, options_metavar="[FLAGGOR]", subcommand_metavar="FORMULÄR [ARGUMENT]...")
def form() -> None:
    """Skapa ifyllbara formulär (Excel), t.ex. självvärderingen.

    Exempel:

        slutrapport form sjalvvardering --out sjalvvardering.xlsx
    """


@form.command("sjalvvardering", options_metavar="[FLAGGOR]")
@debug_option
@click.option("--out", type=click.Path(path_type=Path), callback=check_out_file, metavar="FIL.xlsx", help="Formulärfilen som skapas.")
@click.option(
    "--definition",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FIL.yaml",
    help="Egen formulärdefinition (standard: den inbyggda självvärderingen).",
)
@click.option("--yaml", "show_yaml", is_flag=True, help="Skriv ut den inbyggda formulärdefinitionen (YAML) som utgångspunkt för en egen.")
@force_option
def form_sjalvvardering(out: Path | None, definition: Path | None, show_yaml: bool, force: bool) -> None:
    """Skapa självvärderingens formulär att fylla i i Excel.

    Formuläret har ett instruktionsblad, listor för roll och tillfälle, betyg
    som listval och celler för fritext; resten av bladet är låst (utan
    lösenord). Varje person fyller i ett eget exemplar vid varje tillfälle.
    Lägg de ifyllda filerna i projektmappens sjalvvardering/ och ange
    sjalvvardering: i projekt.yaml; build och validate läser dem.

    Exempel:

    \b
        slutrapport form sjalvvardering --out sjalvvardering.xlsx
        slutrapport form sjalvvardering --yaml > min-sjalvvardering.yaml
        slutrapport form sjalvvardering --definition min-sjalvvardering.yaml --out formular.xlsx
    """
    if show_yaml:
        from slutrapport.sources.forms.definition import builtin_definition_text

        click.echo(builtin_definition_text(), nl=False)
        return
    if out is None:
        raise click.UsageError("Ange vart formuläret ska sparas med --out FIL.xlsx.")
    from slutrapport.pipeline import write_form

    print_paths([write_form(out, definition, force=force)])


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("project_dir", required=False, type=click.Path(file_okay=False, path_type=Path), callback=check_folder, metavar="[PROJEKTMAPP]")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8765, show_default=True, metavar="N", help="Port att börja på; är den upptagen väljs nästa lediga."
)
@click.option("--no-browser", is_flag=True, help="Öppna inte webbläsaren (adressen skrivs ut).")
@click.option("--max-upload", type=click.IntRange(min=1), default=50, show_default=True, metavar="MB", help="Största tillåtna uppladdning i megabyte.")
def serve(project_dir: Path | None, port: int, no_browser: bool, max_upload: int) -> None:
    """Starta webbsidan på den här datorn och öppna den i webbläsaren.

    Sidan nås bara från den här datorn (127.0.0.1) och kräver nyckeln i
    adressen som skrivs ut. Inget skickas någonstans. Stäng med Ctrl+C.

    Exempel:

        slutrapport serve mitt-projekt
    """
    from slutrapport.web.server import serve as run

    run(project_dir, port=port, open_browser=not no_browser, max_upload=max_upload * 1024 * 1024, echo=click.echo)


@cli.command(options_metavar="[FLAGGOR]")
@debug_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="SÖKVÄG...")
@out_option(Path("portfolj"), "Mapp där portföljen skrivs.")
@click.option(
    "--template", "template_id", default=None, metavar="MALL",
    help="Ta bara med projekt vars rapport följer den här mallen (mallens id, t.ex. rar-slutrapport).",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="Bygg ingenting om någon rapportfil har fel (annars byggs portföljen av de övriga).")
@force_option
def portfolio(paths: tuple[Path, ...], out: Path, template_id: str | None, strict: bool, force: bool) -> None:
    """Jämför många projekts slutrapporter (rapport.json) i en portfölj.

    Varje SÖKVÄG är en rapport.json, en mapp som build har skrivit, eller en
    mapp där rapport.json söks i alla undermappar. Skriver portfolio.html,
    portfolio.xlsx och portfolio_*.csv. Filer som inte kan läsas listas och
    resten av portföljen byggs ändå (utom med --strict).

    Exempel:

    \b
        slutrapport portfolio projekt/ --out portfolj
        slutrapport portfolio a/rapport/rapport.json b/rapport --template rar-slutrapport
    """
    from slutrapport.pipeline import build_portfolio

    outcome = build_portfolio(list(paths), out=out, template=template_id, strict=strict, force=force)
    print_paths(outcome.paths)
    if outcome.warnings:
        from slutrapport.core.problems import ValidationReport

        report = ValidationReport(list(outcome.warnings))
        click.echo(f"\n{len(report.errors())} fel och {len(report.warnings())} varning(ar) i rapportfilerna "
                   "(finns också i portfolio.html):", err=True)  # fmt: skip
        click.echo(report.to_text(), err=True)


def main() -> None:
    """Console-script entry point (its process's collector and ending: :mod:`slutrapport._cli_process`)."""
    with command_line_process():
        cli(prog_name="slutrapport")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
