"""How the report names a scale's values: always through :meth:`~slutrapport.sources.definitions.Scale.label`.

A scale may name only some of its values (``varden: {min: 1, max: 7}`` with
``etiketter`` for the end points): an unlabelled value is written as its
number, never as an empty label or ``None``. These helpers turn a scale into
the short phrases the method text and the captions use.
"""

from __future__ import annotations

from slutrapport.core.swedish import join_words
from slutrapport.sources.definitions import Scale

__all__ = ["value_text", "scale_span", "positive_text", "threshold_text", "category_labels"]


def value_text(scale: Scale, value: int) -> str:
    """``'4 (Instämmer i hög grad)'``, or ``'6'`` for a value without a label."""
    label = scale.label(value)
    return f"{value} ({label})" if label and label != str(value) else str(value)


def scale_span(scale: Scale) -> str:
    """``'1 (Instämmer inte alls) till 5 (Instämmer helt)'``; an end without a label is its number."""
    return f"{value_text(scale, scale.min)} till {value_text(scale, scale.max)}"


def positive_text(scale: Scale) -> str:
    """The positive values as the method text lists them: ``'4 (Instämmer i hög grad), 5 (Instämmer helt)'``.

    A run of three or more values of which at most the ends are labelled is
    written as a span: ``'5–7 (7 = Instämmer helt)'``.
    """
    values = sorted(scale.positive)
    inner_labelled = any(scale.values.get(v) for v in values[1:-1])
    if len(values) >= 3 and values == list(range(values[0], values[-1] + 1)) and not inner_labelled:
        named = [f"{v} = {scale.label(v)}" for v in (values[0], values[-1]) if scale.values.get(v)]
        return f"{values[0]}–{values[-1]}" + (f" ({', '.join(named)})" if named else "")
    return ", ".join(value_text(scale, v) for v in values)


def threshold_text(scale: Scale) -> str:
    """When an index score counts as positive (see :meth:`Scale.is_positive`): ``'minst 4'``, ``'högst 3'``,
    or, for positive values in the middle of the scale, ``'avrundat 3 eller 4'``."""
    ordered = sorted(scale.values)
    low, high = min(scale.positive), max(scale.positive)
    if set(scale.positive) == {v for v in ordered if v >= low}:
        return f"minst {low}"
    if set(scale.positive) == {v for v in ordered if v <= high}:
        return f"högst {high}"
    return "avrundat " + join_words([str(v) for v in sorted(scale.positive)]).replace(" och ", " eller ")


def category_labels(scale: Scale, values: list[int]) -> list[str]:
    """The name of each value for a chart's legend or a table's columns: its label when every value has one,
    else the number with any label (``'1 (Instämmer inte alls)'``, ``'2'``, …), so the unlabelled middle
    of a scale reads as the numbers between its named ends."""
    if all(scale.values.get(v) for v in values):
        return [scale.label(v) for v in values]
    return [value_text(scale, v) for v in values]
