"""Charts as PNG bytes (matplotlib's Agg, no display needed, imported when the first chart is drawn).

Every chart takes its colours from one colour-blind-safe palette,
:data:`PALETTE` (Okabe and Ito's eight colours): groups, the options of an
unordered question and the bars in its order, the diverging answer scale from
its vermillion to its blue through light grey (:func:`diverging_colours`), and
black and greys (:data:`NEUTRALS`) for "Alla", the trend and the text. Labels
are Swedish with decimal comma, and every chart shows n.

A line chart draws at most :data:`~slutrapport.report.charting.MAX_SERIES`
lines per panel, as the report layer decided (``Chart.panels``): one panel
names its lines at their ends instead of in a legend; small multiples draw one
small panel per group in one figure, the group in blue with its interval and
the reference group ("Alla") as a grey line, n per wave under each panel
(:mod:`.chart_lines`); the bar charts are in :mod:`.chart_bars`.
Every text a chart draws (title, axis label, tick labels, line labels) goes
through :func:`~slutrapport.core.safetext.chart_text`: control characters are
removed and ``$`` is escaped, so a name such as "Org $A$ och $B$" is drawn as
written, never as mathtext; a very long name is cut with an ellipsis on the
chart (the text alternative keeps it whole). The text alternative is the
chart's own (``alt``, written by the report layer).

Each chart is drawn once per run: :func:`chart_png` keeps the PNG on the chart
(``png``) and in a small cache keyed by the chart's content, so the HTML, the
workbook and the Word document of one run (and a report built again from the
same results) share one drawing.
"""

from __future__ import annotations

import gc
import hashlib
import io
import pickle
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import fields

from slutrapport.render.chart_style import NEUTRALS, PALETTE, diverging_colours, theme
from slutrapport.render.drawing_pool import drawn_ahead
from slutrapport.report.charting import alt_text
from slutrapport.report.model import BarChart, Chart, DivergingChart, GroupedBarChart, StackedChart

__all__ = ["chart_png", "chart_alt_text", "forget_drawings", "PALETTE", "NEUTRALS", "diverging_colours", "CACHE_CHARTS", "CACHE_BYTES"]

#: The most drawings the cache keeps, and the most bytes (the least recently used goes first).
CACHE_CHARTS, CACHE_BYTES = 256, 64_000_000
_cache: OrderedDict[bytes, bytes] = OrderedDict()
_cache_lock = threading.Lock()
_draw_lock = threading.Lock()  # matplotlib's settings are global: one chart is drawn at a time


def chart_png(chart: Chart | DivergingChart | StackedChart | BarChart | GroupedBarChart) -> bytes:
    """The chart as PNG; drawn once and kept on the chart (and in the cache) for the next renderer."""
    if chart.png is None:
        key = _content_key(chart)
        png = _cached(key)
        if png is None:
            png = drawn_ahead(chart) or _draw(chart)  # by the run's worker process, when it has one
            _remember(key, png)
        chart.png = png
    return chart.png


def chart_alt_text(chart: Chart | DivergingChart | StackedChart | BarChart | GroupedBarChart) -> str:
    """The chart's Swedish text alternative (``alt``, from the report layer; built from the chart when a
    chart was made without it)."""
    return chart.alt or alt_text(chart)


def forget_drawings() -> None:
    """Empty the cache of drawings (a chart drawn after it is drawn anew)."""
    with _cache_lock:
        _cache.clear()


def _content_key(chart) -> bytes | None:
    """A digest of everything the chart holds but its drawing (None when it cannot be pickled: not cached)."""
    try:
        content = pickle.dumps((type(chart).__name__, [(f.name, getattr(chart, f.name)) for f in fields(chart) if f.name != "png"]), protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(content).digest()


def _cached(key: bytes | None) -> bytes | None:
    if key is None:
        return None
    with _cache_lock:
        png = _cache.get(key)
        if png is not None:
            _cache.move_to_end(key)
        return png


def _remember(key: bytes | None, png: bytes) -> None:
    if key is None or len(png) > CACHE_BYTES:
        return
    with _cache_lock:
        _cache[key] = png
        while len(_cache) > CACHE_CHARTS or sum(map(len, _cache.values())) > CACHE_BYTES:
            _cache.popitem(last=False)


def _draw(chart) -> bytes:
    import matplotlib

    from slutrapport.render import chart_bars, chart_lines

    if isinstance(chart, DivergingChart):
        draw, style = chart_bars.diverging_figure, "white"
    elif isinstance(chart, StackedChart):
        draw, style = chart_bars.stacked_figure, "white"
    elif isinstance(chart, BarChart):
        draw, style = chart_bars.bars_figure, "whitegrid"
    elif isinstance(chart, GroupedBarChart):
        draw, style = chart_bars.grouped_figure, "whitegrid"
    else:
        draw, style = chart_lines.line_figure, "whitegrid"
    with _draw_lock, _collector_paused(), matplotlib.rc_context(theme(style)):
        return _png(draw(chart))


@contextmanager
def _collector_paused():
    """Python's cycle collector paused while a chart is drawn (under the drawing lock), as it was before
    afterwards: a chart makes thousands of artists, each in reference cycles with its figure, and the
    collector would walk the whole heap (a large comparison's too) several times per chart. The figure's
    cycles are collected at the collector's next run, as they would be anyway."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _draw_lines(chart: Chart) -> bytes:
    """A line chart drawn anew (not cached)."""
    import matplotlib

    from slutrapport.render.chart_lines import line_figure

    with _draw_lock, _collector_paused(), matplotlib.rc_context(theme("whitegrid")):
        return _png(line_figure(chart))


def _png(fig) -> bytes:
    """The figure drawn by Agg as a PNG of at most 256 colours (a chart has flat colours and their
    antialiased edges: a quarter of the bytes of a full-colour PNG and quicker to write), its background
    exactly white; no timestamp or software in the file, its resolution in it."""
    from slutrapport.render.chart_canvas import TextCachingCanvas

    canvas = fig.canvas if isinstance(fig.canvas, TextCachingCanvas) else TextCachingCanvas(fig)
    canvas.draw()
    image = _palette_image(canvas.buffer_rgba(), canvas.get_width_height())
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=6, dpi=(fig.dpi, fig.dpi))
    return buffer.getvalue()


def _palette_image(rgba, size: tuple[int, int]):
    """The opaque RGBA pixels as an image of 256 colours: exact white (most of a chart) and 255 colours for
    the rest, chosen by Pillow's fast octree from the pixels that are not white only (a tenth of a chart's
    pixels: quicker than quantizing them all, and the white stays exactly white)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(rgba).reshape(-1).view(np.uint32)
    drawn = np.flatnonzero(pixels != np.frombuffer(b"\xff\xff\xff\xff", dtype=np.uint32)[0])
    indices = np.zeros(pixels.size, dtype=np.uint8)  # 0: white
    palette = [255, 255, 255]
    if drawn.size:
        colours = Image.frombytes("RGB", (drawn.size, 1), pixels[drawn].tobytes(), "raw", "RGBX").quantize(255, method=Image.Quantize.FASTOCTREE)
        indices[drawn] = np.frombuffer(colours.tobytes(), dtype=np.uint8) + 1
        palette += (colours.getpalette() or [])[: 3 * 255]
    image = Image.frombytes("P", size, indices.tobytes())
    image.putpalette(palette)
    return image
