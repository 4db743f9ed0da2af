"""What every chart shares: the palette, the theme and the text helpers (no matplotlib imported here).

The theme is seaborn's ``whitegrid`` (line and bar charts) or ``white`` (the
stacked and diverging bars) in its ``notebook`` context, written out as
matplotlib settings so that drawing a chart needs neither seaborn nor a change
of the global settings: :mod:`.charts` draws each chart inside
``matplotlib.rc_context(theme(style))``.
"""

from __future__ import annotations

import textwrap

from slutrapport.core.safetext import chart_text, clean_text, shorten

__all__ = [
    "PALETTE", "NEUTRALS", "REFERENCE", "REFERENCE_GREY", "NOTE", "BAND", "NEUTRAL", "GRID", "TICK_TEXT", "DPI",
    "LABEL", "LINE_LABEL", "AXIS", "ROW_LABEL", "theme", "diverging_colours", "is_dark", "wrapped", "line_label",
]  # fmt: skip

#: Okabe & Ito (2008), "Color Universal Design": told apart with every kind of colour vision. Ordered for
#: use: blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow (lightest last), black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
#: Black for the reference group ("Alla") and the zero line, greys for a reference line, a band and notes, white.
NEUTRALS = ("#000000", "#333333", "#555555", "#767676", "#BBBBBB", "#DDDDDD", "#FFFFFF")
REFERENCE, REFERENCE_GREY, NOTE, BAND, NEUTRAL = "#000000", "#767676", "#555555", "#BBBBBB", "#DDDDDD"
GRID, TICK_TEXT = "#DDDDDD", "#333333"  # the grid of the small multiples and their tick texts (from NEUTRALS)
DPI = 110  # sharp on a screen at the report's width (a 7.4 inch chart is 814 pixels wide)

LABEL = 60  # characters of a wave or a category; longer ones are cut with an ellipsis
LINE_LABEL = 28  # characters of a group named at the end of its line or over its panel
AXIS = 80  # characters of an axis label
ROW_LABEL = 160  # characters of a question beside a bar

#: seaborn 0.13's ``axes_style`` and ``plotting_context("notebook")`` where they differ from matplotlib's defaults
_BASE = {
    "axes.labelcolor": ".15", "xtick.color": ".15", "ytick.color": ".15", "axes.axisbelow": True, "text.color": ".15",
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True, "grid.color": ".8",
    "xtick.bottom": False, "ytick.left": False, "axes.linewidth": 1.25, "grid.linewidth": 1, "xtick.major.width": 1.25,
    "ytick.major.width": 1.25, "xtick.minor.width": 1, "ytick.minor.width": 1, "xtick.major.size": 6, "ytick.major.size": 6,
    "xtick.minor.size": 4, "ytick.minor.size": 4, "font.size": 12, "axes.labelsize": 12, "axes.titlesize": 12,
    "xtick.labelsize": 11, "ytick.labelsize": 11, "legend.fontsize": 11, "legend.title_fontsize": 12,
}  # fmt: skip
_STYLES = {"whitegrid": {"axes.grid": True, "axes.edgecolor": ".8"}, "white": {"axes.grid": False, "axes.edgecolor": ".15"}}


def theme(style: str) -> dict[str, object]:
    """The matplotlib settings of a chart in ``style`` (``whitegrid`` or ``white``)."""
    return _BASE | _STYLES[style]


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def diverging_colours(count: int) -> list[str]:
    """``count`` colours of an ordered scale from :data:`PALETTE`'s vermillion (lowest) through light grey
    (the neutral middle of an odd scale) to its blue (highest), lighter towards the middle."""
    low, high = _rgb(PALETTE[1]), _rgb(PALETTE[0])
    side = count // 2
    lightness = [0.55 * i / max(side - 1, 1) for i in range(side)] if side > 1 else [0.0]
    left = [[c + (1 - c) * t for c in low] for t in lightness[:side]]
    right = [[c + (1 - c) * t for c in high] for t in reversed(lightness[:side])]
    middle = [list(_rgb(NEUTRAL))] if count % 2 else []
    return ["#{:02X}{:02X}{:02X}".format(*(round(255 * c) for c in colour)) for colour in left + middle + right]


def is_dark(colour: str) -> bool:
    """Whether white text reads better on ``colour`` than black (relative luminance below 0.18)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] < 0.18


def wrapped(text: str, width: int, lines: int) -> str:
    """``text`` for the chart (:func:`chart_text`) in lines of at most ``width`` characters, at most
    ``lines`` of them (the last ends with an ellipsis when text is left out)."""
    return chart_text("\n".join(textwrap.wrap(clean_text(text), width, max_lines=lines, placeholder=" …")))


def line_label(group: str, counts: list[int]) -> str:
    """A group's name at the end of its line, with its n per wave."""
    return wrapped(f"{shorten(clean_text(group, single_line=True), LINE_LABEL)} (n {', '.join(map(str, counts))})", 30, 2)
