"""The text-caching Agg canvas (issue 20): it draws what matplotlib's own canvas draws, measures text the same,
keeps text sizes and bitmaps across figures, and falls back to matplotlib's drawing when its private font API
is missing."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from slutrapport.core.safetext import chart_text
from slutrapport.render import chart_canvas
from slutrapport.render.chart_canvas import TextCachingCanvas, TextCachingRenderer
from slutrapport.render.chart_style import theme

TEXTS = ["Organisation 01", "Enkät 1\nn = 645", chart_text("Org $A$ och $B$"), "Medelvärde", "ÅÄÖ åäö – 19 847", "x" * 120]


def _figure() -> Figure:
    fig = Figure(figsize=(6, 3), dpi=110)
    fig.text(0.02, 0.9, TEXTS[0], fontsize=11)
    fig.text(0.5, 0.75, TEXTS[1], fontsize=7, ha="center", va="top", color="#333333")
    fig.text(0.02, 0.55, TEXTS[2], fontsize=8.5)
    fig.text(0.95, 0.5, TEXTS[3], rotation=90, fontsize=8, ha="center", va="center")
    fig.text(0.3, 0.3, TEXTS[4], fontsize=9, color="#0072B2")
    fig.text(0.0, 0.1, TEXTS[5], fontsize=7)
    return fig


def _pixels(canvas_class) -> np.ndarray:
    with matplotlib.rc_context(theme("white")):
        canvas = canvas_class(_figure())
        canvas.draw()
        return np.asarray(canvas.buffer_rgba(), dtype=float)[..., :3]


def test_the_caching_canvas_draws_what_matplotlib_draws():
    chart_canvas.forget_text()
    own, cached = _pixels(FigureCanvasAgg), _pixels(TextCachingCanvas)
    again = _pixels(TextCachingCanvas)  # from the caches
    assert own.shape == cached.shape == again.shape
    own, cached, again = own.mean(axis=2), cached.mean(axis=2), again.mean(axis=2)
    ink = (own < 250) | (cached < 250)
    assert (own < 250).sum() > 4000  # the texts were drawn
    assert abs(int((cached < 250).sum()) - int((own < 250).sum())) < 0.1 * (own < 250).sum()
    # whole-pixel positions instead of sub-pixel ones: the same texts where they were, their edges a little
    # different (seen through a 5-pixel blur, the texts 3 pixels away would differ by 20 grey levels, no text by 57)
    assert np.abs(_blurred(own) - _blurred(cached))[ink].mean() < 12
    assert np.abs(_blurred(own) - _blurred(np.full_like(own, 255)))[ink].mean() > 40
    assert np.array_equal(cached, again)
    assert any(key[0] == "Org $A$ och $B$" for key in chart_canvas._bitmaps)  # dollars drawn as written, not as mathtext


def _blurred(image: np.ndarray, size: int = 5) -> np.ndarray:
    """The mean of each pixel's ``size`` × ``size`` square (edges padded with their own values)."""
    padded = np.pad(image, size // 2, mode="edge")
    total = np.zeros_like(image)
    for dy in range(size):
        for dx in range(size):
            total += padded[dy : dy + image.shape[0], dx : dx + image.shape[1]]
    return total / size**2


def test_the_caching_renderer_measures_text_as_matplotlib_does():
    with matplotlib.rc_context(theme("white")):
        own, cached = FigureCanvasAgg(_figure()), TextCachingCanvas(_figure())
        for a, b in zip(own.figure.texts, cached.figure.texts, strict=True):
            assert a.get_window_extent(own.get_renderer()).bounds == pytest.approx(b.get_window_extent(cached.get_renderer()).bounds)


def test_text_is_rendered_and_measured_once_for_many_figures(monkeypatch):
    chart_canvas.forget_text()
    rendered, measured = [], []
    prepare, measure = RendererAgg._prepare_font, RendererAgg.get_text_width_height_descent
    monkeypatch.setattr(TextCachingRenderer, "_prepare_font", lambda self, prop: rendered.append(1) or prepare(self, prop))
    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", lambda self, *a: measured.append(1) or measure(self, *a))
    _pixels(TextCachingCanvas)
    first = (len(rendered), len(measured))
    assert first[0] >= 7  # every line of every text rendered once
    for _ in range(3):
        _pixels(TextCachingCanvas)
    assert (len(rendered), len(measured)) == first  # the next figures' texts all came from the caches


def test_the_caches_are_bounded(monkeypatch):
    chart_canvas.forget_text()
    monkeypatch.setattr(chart_canvas, "TEXT_ENTRIES", 3)
    _pixels(TextCachingCanvas)
    assert len(chart_canvas._bitmaps) <= 3 and len(chart_canvas._sizes) <= 3


def test_without_the_private_font_api_text_is_drawn_by_matplotlib(monkeypatch):
    drawn = []
    own = RendererAgg.draw_text
    monkeypatch.setattr(RendererAgg, "draw_text", lambda self, *a, **k: drawn.append(a[3]) or own(self, *a, **k))
    chart_canvas.forget_text()
    _pixels(TextCachingCanvas)
    assert drawn == []  # the cached way
    monkeypatch.setattr(chart_canvas, "CAN_CACHE_BITMAPS", False)
    assert np.array_equal(_pixels(TextCachingCanvas), _pixels(FigureCanvasAgg))
    assert "Org $A$ och $B$" in drawn  # a name with dollars still drawn literally, not as mathtext


def test_the_private_font_api_is_detected(monkeypatch):
    from matplotlib import ft2font

    assert chart_canvas._has_bitmap_api() is True
    monkeypatch.delattr(RendererAgg, "_prepare_font")
    assert chart_canvas._has_bitmap_api() is False
    assert hasattr(ft2font.FT2Font, "draw_glyphs_to_bitmap")


def test_mathtext_goes_matplotlibs_way(monkeypatch):
    maths = []
    own = RendererAgg.draw_mathtext
    monkeypatch.setattr(RendererAgg, "draw_mathtext", lambda self, gc, x, y, s, *a: maths.append(s) or own(self, gc, x, y, s, *a))
    fig = Figure(figsize=(2, 1), dpi=110)
    fig.text(0.1, 0.5, "$x^2$")
    TextCachingCanvas(fig).draw()
    assert maths == ["$x^2$"]


def test_a_run_of_texts_is_laid_out_once_and_where_matplotlib_puts_it(monkeypatch):
    from matplotlib.text import Text

    from slutrapport.render.chart_canvas import TextRun, add_text

    chart_canvas.forget_text()
    laid_out = []
    own = Text._get_layout
    monkeypatch.setattr(Text, "_get_layout", lambda self, renderer: laid_out.append(self.get_text()) or own(self, renderer))
    extents = []
    for _ in range(3):
        fig = Figure(figsize=(3, 2), dpi=110)
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.set_axis_off()
        add_text(ax, 0.5, 0.5, "Enkät 1\nn = 645", ha="center", va="top", fontsize=7)
        plain = ax.text(0.5, 0.5, "Enkät 1\nn = 645", ha="center", va="top", fontsize=7)
        canvas = TextCachingCanvas(fig)
        canvas.draw()
        (run,) = [child for child in ax.get_children() if isinstance(child, TextRun)]
        assert run.shown() == [("Enkät 1\nn = 645", False)] and not run.get_clip_on()
        extents.append([t.get_window_extent(canvas.get_renderer()).bounds for t in (run, plain)])
    assert extents[0][0] == pytest.approx(extents[0][1]) and extents[0] == extents[1] == extents[2]
    assert laid_out.count("Enkät 1\nn = 645") == 1 + 3 * 2  # the run's text once for all three figures; the plain one at every drawing and measuring


def _texts_drawn(runs: bool, monkeypatch) -> np.ndarray:
    """A panel of texts as a chart writes them (styles interleaved, turned, two lines, mathtext, empty, NaN, a
    plain Text and a line between them), drawn with text runs or with a :class:`LaidOutText` per text."""
    from matplotlib.transforms import offset_copy

    from slutrapport.render.chart_canvas import add_text

    if not runs:
        monkeypatch.setattr(chart_canvas, "_RUN_STYLE", frozenset())
    fig = Figure(figsize=(4, 3), dpi=110)
    ax = fig.add_axes((0.15, 0.15, 0.8, 0.8))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    beside = offset_copy(ax.transData, fig=fig, x=-4, units="points")
    for number in range(12):
        x, y = number % 4 * 2.5, number // 4 * 3
        add_text(ax, x, y + 2, TEXTS[number % len(TEXTS)], ha="left", va="bottom", fontsize=8.5, color="#333333")
        add_text(ax, x + 0.5, y, str(100 + number), ha="center", va="top", fontsize=7, color="#666666")
        add_text(ax, x, y + 1, f"{number},5", ha="right", va="center", fontsize=7.5, transform=beside)
        if number == 5:
            ax.text(x, y + 1.5, "mellan", fontsize=9, color="red")  # at the texts' level: the texts after it are drawn after it
            ax.plot([0, 10], [y + 1.2, y + 1.2], color="blue", linewidth=3)
    add_text(ax, 0.2, 5, "Medelvärde", rotation=90, ha="center", va="center", fontsize=8)
    add_text(ax, 3, 5, "$x^2$ och \\$5", ha="left", va="center", fontsize=8)
    add_text(ax, 5, 5, "", ha="left", va="center", fontsize=8)
    add_text(ax, float("nan"), 5, "syns inte", ha="left", va="center", fontsize=8)
    with matplotlib.rc_context(theme("white")):
        canvas = TextCachingCanvas(fig)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()


def test_text_runs_draw_the_very_pixels_of_a_text_per_text(monkeypatch):
    with_runs = _texts_drawn(True, monkeypatch)
    one_by_one = _texts_drawn(False, monkeypatch)
    assert (with_runs != 255).any()
    np.testing.assert_array_equal(with_runs, one_by_one)


def test_a_change_of_matplotlibs_text_settings_is_a_new_cache_entry():
    chart_canvas.forget_text()
    fig = Figure(figsize=(2, 1), dpi=110)
    fig.text(0.1, 0.5, "Organisation 01")
    canvas = TextCachingCanvas(fig)
    images = []
    for hinting in ("default", "no_hinting"):
        with matplotlib.rc_context({"text.hinting": hinting}):
            canvas.draw()  # the same canvas and renderer, drawn again under other settings
            images.append(np.asarray(canvas.buffer_rgba()).copy())
    assert len([key for key in chart_canvas._bitmaps if key[0] == "Organisation 01"]) == 2
    assert not np.array_equal(images[0], images[1])


def test_a_text_run_takes_a_colour_given_as_a_list():
    from slutrapport.render.chart_canvas import TextRun, add_text

    fig = Figure(figsize=(2, 1), dpi=110)
    ax = fig.add_axes((0, 0, 1, 1))
    add_text(ax, 0.1, 0.5, "a", color=[0.8, 0.1, 0.1])
    add_text(ax, 0.5, 0.5, "b", color=[0.1, 0.1, 0.8])
    TextCachingCanvas(fig).draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())
    (run,) = [child for child in ax.get_children() if isinstance(child, TextRun)]
    assert run.shown() == [("a", False), ("b", False)]
    assert (pixels[..., 0] > pixels[..., 2] + 100).any() and (pixels[..., 2] > pixels[..., 0] + 100).any()  # each in its colour
