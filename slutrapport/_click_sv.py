"""Swedish for click's own messages (usage errors, help headings).

click marks its texts with ``gettext`` but ships no translations; we map the
ones a user of this CLI meets. Unknown texts fall through unchanged.
"""

from __future__ import annotations

import importlib

__all__ = ["install", "PROGRAMMER_TEXTS"]

_SV = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing command.": "Kommando saknas.",
    "Missing {param_type}": "{param_type} saknas",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "Aborted!": "Avbrutet!",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "file": "Filen",
    "directory": "Mappen",
    "path": "Sökvägen",
    "integer": "heltal",
    "integer range": "heltal",
    "Option {name!r} requires an argument.": "Flaggan {name!r} behöver ett värde.",
    "Got unexpected extra argument ({args})": "Oväntat extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Oväntade extra argument ({args})",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du någon av: {possibilities}?)",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte någon av {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} har inte formatet {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} har inte något av formaten {formats}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} är inte ja eller nej. Giltiga värden: {states}",
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan inte läsas (behörighet saknas).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan inte skrivas (behörighet saknas).",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan inte köras.",
    "Could not open file {filename!r}: {message}": "Filen {filename!r} kunde inte öppnas: {message}",
    "unknown error": "okänt fel",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Option {name!r} requires {nargs} arguments.": "Flaggan {name!r} behöver {nargs} värden.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Takes {nargs} values but 1 was given.": "Tar {nargs} värden men 1 angavs.",
    "Takes {nargs} values but {len} were given.": "Tar {nargs} värden men {len} angavs.",
    "{len_type} values are required, but {len_value} was given.": "{len_type} värden krävs, men {len_value} angavs.",
    "{len_type} values are required, but {len_value} were given.": "{len_type} värden krävs, men {len_value} angavs.",
    "Value must be an iterable.": "Värdet ska vara en lista.",
    "Invalid start character for option ({option})": "Ogiltigt första tecken i flaggan ({option})",
    "Positional arguments": "Argument",
    "env var: {var}": "miljövariabel: {var}",
    "(dynamic)": "(beräknas)",
    "deprecated": "utfasad",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "Varning: kommandot {name!r} är utfasat.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "Varning: {param_type} {name!r} är utfasad.{extra_message}",
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltigt värde",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta …",
    "{editor}: Editing failed": "{editor}: redigeringen misslyckades",
    "{editor}: Editing failed: {e}": "{editor}: redigeringen misslyckades: {e}",
    "Windows error: {error}": "Windows-fel: {error}",
    "Unknown color {colour!r}": "Okänd färg {colour!r}",
    "Unknown standard stream '{name}'": "Okänd standardström '{name}'",
    "Shell completion is not supported for Bash versions older than 4.4.": "Komplettering stöds inte i Bash äldre än 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.": "Bash-versionen kunde inte avgöras; komplettering stöds inte.",
}

#: click's texts that only a programmer meets (a command defined wrongly), left in English.
PROGRAMMER_TEXTS = {
    "d",
    "Choice({choices})",
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
}


def _gettext(message: str) -> str:
    return _SV.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Give click's modules the Swedish texts; before any option is declared (a path's kind, "Mappen", is named then)."""
    for name in ("core", "exceptions", "decorators", "types", "formatting", "parser", "termui", "utils"):
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - module layout differs between click versions
            continue
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
    # "'x' is not a valid {number_type}" names the type by its ``name``, which gettext never sees
    types = importlib.import_module("click.types")
    if hasattr(types, "IntRange"):
        types.IntRange.name = _gettext("integer range")
