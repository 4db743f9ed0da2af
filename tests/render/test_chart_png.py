"""A chart's PNG: at most 256 colours, its white exactly white, its other colours near the drawn ones (issue 20)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from slutrapport.render import charts
from tests.render.test_chart_cache import _line


def test_the_palette_keeps_white_exact_and_the_other_colours_near():
    rng = np.random.default_rng(3)
    rgba = np.full((60, 80, 4), 255, dtype=np.uint8)
    rgba[10:30, 10:70, :3] = rng.integers(0, 256, (20, 60, 3))  # 1,200 colours where something is drawn
    rgba[40:50, 5:25, :3] = (0, 114, 178)  # a flat colour of the palette
    image = charts._palette_image(memoryview(rgba), (80, 60))
    assert image.mode == "P" and image.size == (80, 60) and len(image.getpalette()) <= 3 * 256
    back = np.asarray(image.convert("RGB"), dtype=int)
    white = (rgba[..., :3] == 255).all(axis=2)
    assert (back[white] == 255).all()  # the background stays exactly white
    assert (back[40:50, 5:25] == (0, 114, 178)).all()  # a flat colour kept exactly
    assert np.abs(back - rgba[..., :3]).mean() < 4 and np.abs(back[10:30, 10:70] - rgba[10:30, 10:70, :3]).max() < 64


def test_a_blank_figure_is_one_white_colour():
    image = charts._palette_image(memoryview(np.full((5, 7, 4), 255, dtype=np.uint8)), (7, 5))
    assert image.getcolors() == [(35, 0)] and image.getpalette()[:3] == [255, 255, 255]


def test_a_chart_png_has_its_resolution_and_a_white_background():
    charts.forget_drawings()
    png = charts.chart_png(_line("PNG"))
    image = Image.open(io.BytesIO(png))
    assert image.mode == "P" and round(image.info["dpi"][0]) == 110
    assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)
