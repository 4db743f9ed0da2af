"""Swedish for click's own messages (usage errors, help headings).

click marks its texts with ``gettext`` but ships no translations; we map the
ones a user of this CLI meets. Unknown texts fall through unchanged.
"""

from __future__ import annotations

import importlib

__all__ = ["install"]

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
}


def _gettext(message: str) -> str:
    return _SV.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
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
