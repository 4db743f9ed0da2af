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


def test_a_laid_out_text_is_laid_out_once_and_where_matplotlib_puts_it(monkeypatch):
    from matplotlib.text import Text

    from slutrapport.render.chart_canvas import LaidOutText, add_text

    chart_canvas.forget_text()
    laid_out = []
    own = Text._get_layout
    monkeypatch.setattr(Text, "_get_layout", lambda self, renderer: laid_out.append(self.get_text()) or own(self, renderer))
    extents = []
    for _ in range(3):
        fig = Figure(figsize=(3, 2), dpi=110)
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.set_axis_off()
        texts = [
            add_text(ax, 0.5, 0.5, "Enkät 1\nn = 645", ha="center", va="top", fontsize=7),
            ax.text(0.5, 0.5, "Enkät 1\nn = 645", ha="center", va="top", fontsize=7),
        ]
        canvas = TextCachingCanvas(fig)
        canvas.draw()
        assert isinstance(texts[0], LaidOutText) and texts[0] in ax.texts and not texts[0].get_clip_on()
        extents.append([t.get_window_extent(canvas.get_renderer()).bounds for t in texts])
    assert extents[0][0] == pytest.approx(extents[0][1]) and extents[0] == extents[1] == extents[2]
    assert laid_out.count("Enkät 1\nn = 645") == 1 + 3 * 2  # the laid-out text once for all three figures; the plain one at every drawing and measuring


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
