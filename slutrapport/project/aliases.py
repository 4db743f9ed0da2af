"""A project's own answer labels (``personalenkat: alias:``) and the scale each one belongs to.

Two forms, which may be mixed::

    personalenkat:
      alias:
        Stämmer helt: 5          # the instrument's default scale (the original form)
        frekvens:                # a scale named under skalor: (or janej, or the default's own name)
          Nästan aldrig: 1
        e01:                     # the options of a question that lists its own (alternativ:)
          Handläggar: 1

A key whose value is a number is an answer label on the default scale; a key
whose value is a mapping names a scale of the instrument or, failing that, a
``enval``/``flerval`` question with its own ``alternativ``, and holds labels
for that scale's values (or the options' codes). :func:`with_answer_aliases`
adds them to the instrument as if they were written under the scale's own
``alias:``; :func:`alias_key` tells which key a question's answers take.
"""

from __future__ import annotations

from dataclasses import replace

from slutrapport.sources.definitions import Scale, alias_conflicts
from slutrapport.sources.survey.instrument import Instrument, Question

__all__ = ["DEFAULT_KEY", "alias_key", "alias_scale", "alias_scale_name", "with_answer_aliases"]

#: The key of the default scale's aliases: they are written at the top of ``alias:``.
DEFAULT_KEY = ""


def alias_key(instrument: Instrument, question: Question) -> str | None:
    """Where an alias for a question's answers goes: :data:`DEFAULT_KEY` for the default scale, the
    scale's name, the question's id for options of its own; None when its answers take no alias
    (numbers, free text)."""
    scale = instrument.scale_for(question)
    if scale is None:
        return None
    if scale is instrument.scale:
        return DEFAULT_KEY
    if question.scale is not None and question.scale in instrument.scales:
        return DEFAULT_KEY if instrument.scales[question.scale] is instrument.scale else question.scale
    if question.choices is not None:
        return question.id
    return None  # the built-in yes/no scale when the instrument does not name it: no key can reach it


def alias_scale(instrument: Instrument, key: str) -> Scale | None:
    """The scale an ``alias:`` key names (see the module); None when it names none."""
    if key == DEFAULT_KEY:
        return instrument.scale
    if key in instrument.scales:
        return instrument.scales[key]
    for question in instrument.questions:
        if question.id == key and question.choices is not None and question.scale is None:
            return question.choices
    return None


def alias_scale_name(instrument: Instrument, key: str) -> str:
    """The scale of an ``alias:`` key in Swedish, for the page: "standardskalan", "skalan frekvens", "alternativen i e01"."""
    if key == DEFAULT_KEY or alias_scale(instrument, key) is instrument.scale:
        return "standardskalan"
    if key in instrument.scales:
        return f"skalan {key}"
    return f"alternativen i {key}"


def with_answer_aliases(
    instrument: Instrument,
    aliases: dict[str, int],
    by_scale: dict[str, dict[str, int]] | None = None,
    lines: dict[tuple[str | int, ...], int] | None = None,
) -> tuple[Instrument, list[str]]:
    """The instrument with the project's answer labels added to their scales, and the problems found
    (a key that names no scale, an alias that clashes with its scale: see
    :func:`~slutrapport.sources.definitions.alias_conflicts`); the instrument is unchanged when there are problems.

    ``aliases`` are for the default scale, ``by_scale`` maps a key (see the
    module) to labels for that scale. Every question on a scale that got
    aliases (by name, or as its options) reads them. ``lines`` (where each
    key of ``projekt.yaml`` is written) puts the line in front of a problem.
    """
    wanted: dict[str, dict[str, int]] = {}
    written: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}  # (key, label) → (its path in projekt.yaml, where)
    for label, value in aliases.items():
        wanted.setdefault(DEFAULT_KEY, {})[label] = value
        written[(DEFAULT_KEY, label)] = (("personalenkat", "alias", label), "personalenkat: alias:")
    for key, labels in (by_scale or {}).items():
        target = DEFAULT_KEY if alias_scale(instrument, key) is instrument.scale else key
        for label, value in labels.items():
            wanted.setdefault(target, {})[label] = value
            written[(target, label)] = (("personalenkat", "alias", key, label), f"personalenkat: alias: {key}:")
    if not wanted:
        return instrument, []
    problems: list[str] = []
    extended: dict[int, Scale] = {}  # id of the scale → the scale with its new aliases
    for key, labels in wanted.items():
        scale = alias_scale(instrument, key)
        if scale is None:
            names = ", ".join(sorted(instrument.scales)) or "–"
            line = (lines or {}).get(("personalenkat", "alias", key))
            problems.append(
                f"{f'rad {line}: ' if line else ''}'{key}' under personalenkat: alias: är varken en skala i instrumentet ({names}) "
                "eller en fråga med egna alternativ"
            )
            continue
        for label, reason in alias_conflicts(scale, labels).items():
            path, where = written[(key, label)]
            line = (lines or {}).get(path)
            problems.append(f"{f'rad {line}: ' if line else ''}aliaset '{label}' under {where} {reason}")
        base = extended.get(id(scale), scale)
        extended[id(scale)] = replace(base, aliases={**base.aliases, **labels})
    if problems:
        return instrument, problems

    def new(scale: Scale | None) -> Scale | None:
        return extended.get(id(scale), scale) if scale is not None else None

    scales = {name: new(scale) for name, scale in instrument.scales.items()}
    questions = tuple(replace(q, choices=new(q.choices)) if q.choices is not None and id(q.choices) in extended else q for q in instrument.questions)
    return replace(instrument, scale=new(instrument.scale), scales=scales, questions=questions), []
