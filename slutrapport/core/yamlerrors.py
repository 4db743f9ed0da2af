"""PyYAML's own (English) reading errors said in Swedish, with the line and column they name.

:func:`yaml_problem` turns any :class:`yaml.YAMLError` into ``(where, problem)``
(:func:`yaml_place` gives the line and column as numbers):
``where`` is ``" rad 3, kolumn 7"`` (or ``""`` when PyYAML names no place) and
``problem`` a Swedish sentence. The messages users meet (a colon inside a
value, a tab for indentation, an unclosed quote or bracket, a control character
pasted into the file) have their own words; anything else gets a general
Swedish message that still names the line.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["yaml_problem", "yaml_place", "StrictYAMLError"]


class StrictYAMLError(yaml.MarkedYAMLError):
    """A problem the strict loader found (a key given twice, an alias, a tag), already in Swedish."""


#: PyYAML's problem text (a regular expression, matched from its start) → the Swedish problem; {0} is the first group.
_PROBLEMS: list[tuple[str, str]] = [
    (r"mapping values are not allowed here",
     "ett kolon (:) står där det inte får stå; sätt värdet inom citattecken om kolonet hör till texten, eller rätta indraget"),
    (r"found character '\\t' that cannot start any token",
     "ett tabbtecken står där det inte får stå; använd mellanslag för indrag"),
    (r"found character (.+) that cannot start any token",
     "tecknet {0} kan inte inleda ett värde; sätt värdet inom citattecken"),
    (r"could not find expected ':'",
     "ett kolon (:) saknas efter en nyckel, eller ett citattecken eller en klammer är inte avslutad"),
    (r"expected <block end>, but found",
     "indraget stämmer inte med raderna ovanför (kontrollera mellanslagen i början av raden), "
     "eller text står efter ett värde inom citattecken"),
    (r"expected '<document start>', but found",
     "raden passar inte in i filen; kontrollera indraget och att raden är skriven som nyckel: värde"),
    (r"expected ',' or '\]', but got", "listan inom [ ] är inte avslutad med ] eller saknar ett kommatecken"),
    (r"expected ',' or '\}', but got", "blocket inom {{ }} är inte avslutat med }} eller saknar ett kommatecken"),
    (r"invalid indentation or unclosed '\[' or '\{'", "fel indrag, eller en [ eller {{ som inte är stängd"),
    (r"found unexpected end of stream", "filen tar slut inuti ett värde; ett citattecken är troligen inte avslutat"),
    (r"found unknown escape character (.+)",
     "okänd kombination med omvänt snedstreck (\\{0}) inom dubbla citattecken; skriv \\\\ eller använd enkla citattecken"),
    (r"expected (?:URI )?escape sequence",
     "ofullständig kombination med omvänt snedstreck inom dubbla citattecken; skriv \\\\ eller använd enkla citattecken"),
    (r"sequence entries are not allowed here", "ett listtecken (-) står där det inte får stå; kontrollera indraget"),
    (r"mapping keys are not allowed here", "ett frågetecken (?) som inleder en nyckel står där det inte får stå; sätt texten inom citattecken"),
    (r"expected the node content, but found", "ett värde saknas här; sätt texten inom citattecken om tecknet hör till texten"),
    (r"found unexpected document separator",
     "raden --- eller ... står mitt i ett värde; ett citattecken eller en klammer är troligen inte avslutad"),
    (r"expected a comment or a line break, but found",
     "oväntad text efter värdet; sätt hela värdet inom citattecken"),
    (r"expected alphabetic or numeric character, but found",
     "efter &, * eller ! ska ett namn följa; sätt värdet inom citattecken om tecknet hör till texten"),
    (r"found duplicate anchor", "samma ankare (&namn) anges två gånger; ta bort ankarna (alias och ankare tillåts inte)"),
    (r"found undefined tag handle (.+)", "taggen {0} är okänd; ta bort den (sätt värdet inom citattecken om ! hör till texten)"),
    (r"(?:expected ' '|expected '!'|expected '>'|expected URI), but found",
     "taggen (ett värde som börjar med !) är felskriven; ta bort den, eller sätt värdet inom citattecken"),
    (r"but found another document", "filen innehåller flera dokument (en rad med ---); en fil ska ha ett enda"),
    (r"found unhashable key", "en nyckel får inte vara en lista eller nycklar med värden"),
    (r"expected (?:chomping or indentation indicators|indentation indicator)",
     "efter | eller > får bara +, - eller en siffra 1–9 stå på raden"),
    (r"expected a digit|found duplicate YAML directive|found incompatible YAML document|duplicate tag handle",
     "raden som börjar med % (ett YAML-direktiv) är felskriven; ta bort den"),
]  # fmt: skip
_COMPILED = [(re.compile(pattern), swedish) for pattern, swedish in _PROBLEMS]
_GENERAL = "filen kan inte läsas här; kontrollera indraget, kolon och citattecken på raden"


def _control(character: int) -> str:
    if character < 0x20 or 0x7F <= character < 0xA0:
        return f"styrtecknet U+{character:04X}"
    return f"tecknet U+{character:04X}"


def yaml_place(exc: yaml.YAMLError, text: str) -> tuple[int, int] | None:
    """``(line, column)`` (1-based) in ``text`` of a PyYAML error, or None when PyYAML names no place."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        return before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return (mark.line + 1, mark.column + 1) if mark else None


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str, str]:
    """``(where, problem)`` in Swedish for a PyYAML error raised while reading ``text``."""
    place = yaml_place(exc, text)
    where = f" rad {place[0]}, kolumn {place[1]}" if place else ""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, e.g. a pasted control character
        what = _control(exc.character) if isinstance(exc.character, int) else "ett tecken"
        return where, f"{what} får inte finnas i en YAML-fil; ta bort det"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or "")
    if isinstance(exc, StrictYAMLError):
        return where, problem
    context = str(getattr(exc, "context", None) or "")
    for pattern, swedish in _COMPILED:
        found = pattern.match(problem) or pattern.match(context)
        if found:
            return where, swedish.format(*found.groups()) + _started(exc, mark)
    return where, _GENERAL + _started(exc, mark)


def _started(exc: yaml.YAMLError, mark: yaml.Mark | None) -> str:
    """`` (värdet börjar på rad 3)`` when PyYAML points at where a quoted value or key began, on another line."""
    context, start = str(getattr(exc, "context", None) or ""), getattr(exc, "context_mark", None)
    if mark is None or start is None or start.line == mark.line or not context.startswith("while scanning"):
        return ""
    return f" (värdet börjar på rad {start.line + 1})"
