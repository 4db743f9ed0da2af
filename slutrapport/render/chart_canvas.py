"""An Agg canvas whose renderer keeps the text it measured and drew for the next chart (matplotlib imported here).

A report draws many charts with the same texts (the organisations' names,
the waves, the scale's numbers, the n's), and drawing text is most of a
chart's drawing: matplotlib 3.11 lays out (FreeType loads and hints every
glyph, about 50 µs a character) and renders every glyph of every text anew,
at its sub-pixel position, and keeps a text's size only for as long as one
renderer lives. :class:`TextCachingCanvas` is a
:class:`~matplotlib.backends.backend_agg.FigureCanvasAgg` whose renderer
(:class:`TextCachingRenderer`) keeps, across figures and for the whole
process (least recently used first out, at most :data:`TEXT_ENTRIES` of each,
:data:`BITMAP_BYTES` of bitmaps):

- a text's width, height and descent (``get_text_width_height_descent``),
- a font's ascent, descent and line gap (``_get_font_height_metrics``, the
  hook matplotlib's :class:`~matplotlib.text.Text` asks a renderer for),
- the bitmap of a plain line of text (not mathtext), laid out once for its
  size and its bitmap together: the whole line rendered at once by FreeType
  (``FT2Font.set_text``, ``draw_glyphs_to_bitmap``, ``get_image``) and put
  at a whole pixel with its colour by ``draw_text_image``, as matplotlib up
  to 3.9 drew text (a text turned by a quarter is its bitmap turned by numpy,
  exactly). A text can land up to half a pixel from where 3.11 puts it;
  nobody sees that at 110 dpi.

:class:`LaidOutText` keeps its layout across figures as well, and
:class:`TextRun` (made by :func:`add_text`) draws many texts of a chart as one
artist: the same pixels as a :class:`LaidOutText` per text, without making and
drawing an artist per text (a third of a 3 × 20,000 comparison's chart drawing).

Why it is safe: every key holds all that decides the result: the text, the
font files matplotlib chose for the font properties (looked up once per
drawing, inside that drawing's ``rc_context``), the size, the resolution,
the angle, antialiasing and the hinting and kerning settings. Mathtext
(``ismath``), TeX, a text at a slant or with font features or a language of
its own, and a matplotlib whose private font API differs (feature-detected:
:data:`CAN_CACHE_BITMAPS`) all go matplotlib's own way. The caches are
filled and read under :mod:`.charts`' drawing lock (one chart at a time), and
a lock of their own besides.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist, allow_rasterization
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.colors import to_rgba
from matplotlib.font_manager import fontManager, get_font
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["add_text", "LaidOutText", "TextRun", "TextCachingCanvas", "TextCachingRenderer", "TEXT_ENTRIES", "BITMAP_BYTES", "CAN_CACHE_BITMAPS", "forget_text"]

#: The most entries each cache keeps, and the most bytes of bitmaps (a text's bitmap is a few hundred bytes
#: to a few kilobytes; the least recently used goes first).
TEXT_ENTRIES, BITMAP_BYTES = 4096, 16_000_000
_bitmap_bytes = 0
_sizes: OrderedDict[tuple, tuple[float, float, float]] = OrderedDict()
_bitmaps: OrderedDict[tuple, tuple[np.ndarray, float, float, float]] = OrderedDict()
_layouts: OrderedDict[tuple, tuple] = OrderedDict()
_heights: OrderedDict[tuple, tuple[float, float, float] | tuple[None, None, None]] = OrderedDict()
_lock = threading.Lock()
_QUARTERS = {0: 0, 90: 1, 270: 3}  # angles whose text is a bitmap turned by whole quarters (exactly, by numpy)


def _has_bitmap_api() -> bool:
    """Whether this matplotlib's FT2Font still renders a whole line into one bitmap (its private API)."""
    from matplotlib.ft2font import FT2Font

    needed = ("set_text", "draw_glyphs_to_bitmap", "get_image", "get_bitmap_offset", "get_descent", "clear", "set_size")
    return all(hasattr(FT2Font, name) for name in needed) and hasattr(RendererAgg, "_prepare_font")


#: Whether plain text can be drawn from cached bitmaps (else every text is drawn by matplotlib's ``draw_text``).
CAN_CACHE_BITMAPS = _has_bitmap_api()


def forget_text() -> None:
    """Empty the caches of text sizes and bitmaps."""
    global _bitmap_bytes
    with _lock:
        _sizes.clear()
        _bitmaps.clear()
        _heights.clear()
        _layouts.clear()
        _bitmap_bytes = 0


def _get(cache: OrderedDict, key):
    with _lock:
        value = cache.get(key)
        if value is not None:
            cache.move_to_end(key)
        return value


def _put(cache: OrderedDict, key, value) -> None:
    global _bitmap_bytes
    with _lock:
        if cache is _bitmaps:
            _bitmap_bytes += value[0].nbytes - (cache[key][0].nbytes if key in cache else 0)
        cache[key] = value
        while len(cache) > TEXT_ENTRIES or (cache is _bitmaps and _bitmap_bytes > BITMAP_BYTES):
            _, old = cache.popitem(last=False)
            if cache is _bitmaps:
                _bitmap_bytes -= old[0].nbytes


class TextCachingRenderer(RendererAgg):
    """Matplotlib's Agg renderer with text sizes and plain text's bitmaps kept across figures (see the module)."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._fonts: dict[tuple, tuple] = {}  # font properties → the font files chosen for them (this drawing)
        self._settings: tuple = ()
        self.settings_changed()

    def settings_changed(self) -> None:
        """Look the fonts and the text settings up anew (at the start of every drawing: they are matplotlib's
        settings of that drawing)."""
        self._fonts.clear()
        self._settings = (get_hinting_flag(), mpl.rcParams["text.kerning_factor"], mpl.rcParams["font.enable_last_resort"])

    def _font_key(self, prop) -> tuple:
        """What decides how ``prop`` draws a text: its font files, its size, this resolution and the hinting."""
        wanted = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
                  prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())  # fmt: skip
        key = self._fonts.get(wanted)
        if key is None:
            files = tuple(map(str, _font_files(prop)))
            key = self._fonts[wanted] = (files, prop.get_size_in_points(), self.dpi, *self._settings)
        return key

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath is not False:
            return super().get_text_width_height_descent(s, prop, ismath)
        font_key = self._font_key(prop)
        size = _get(_sizes, (s, font_key))
        if size is None:
            if CAN_CACHE_BITMAPS:  # the text is measured to be drawn: its bitmap too (laying a text out costs most)
                size = self._shape(s, prop, font_key, bool(mpl.rcParams["text.antialiased"]))[0]
            else:
                size = super().get_text_width_height_descent(s, prop, ismath)
                _put(_sizes, (s, font_key), size)
        return size

    def _shape(self, s, prop, font_key, antialiased: bool):
        """Lay ``s`` out once (as ``get_text_width_height_descent`` does) and keep its size and its bitmap."""
        font = self._prepare_font(prop)
        font.set_text(s, 0.0, flags=self._settings[0])  # angle 0: a turned text is its bitmap turned
        width, height = font.get_width_height()
        descent = font.get_descent()
        size = (width / 64, height / 64, descent / 64)
        font.draw_glyphs_to_bitmap(antialiased=antialiased)
        offset_x, offset_y = font.get_bitmap_offset()
        bitmap = (np.array(font.get_image(), dtype=np.uint8), offset_x / 64, offset_y / 64, descent / 64)
        _put(_sizes, (s, font_key), size)
        _put(_bitmaps, (s, font_key, antialiased), bitmap)
        return size, bitmap

    def _get_font_height_metrics(self, prop):
        """A font's ascent, descent and line gap in pixels, as :meth:`matplotlib.text.Text._get_layout`
        reads them from the font's tables (``(None, None, None)``: it measures them itself)."""
        key = self._font_key(prop)
        metrics = _get(_heights, key)
        if metrics is None:
            metrics = _font_height_metrics(prop, self.dpi)
            _put(_heights, key, metrics)
        return metrics

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        turns = _QUARTERS.get(angle % 360)  # a text across or up (or down) the page, not at a slant
        if ismath or turns is None or not CAN_CACHE_BITMAPS or (mtext is not None and (_features(mtext) or _language(mtext))):
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        antialiased = bool(gc.get_antialiased())
        font_key = self._font_key(prop)
        entry = _get(_bitmaps, (s, font_key, antialiased))
        if entry is None:
            entry = self._shape(s, prop, font_key, antialiased)[1]
        image, offset_x, offset_y, descent = entry
        if not image.size:
            return None
        radians = math.radians(angle)
        left = round(x + offset_x + descent * math.sin(radians))
        bottom = round(y + offset_y + descent * math.cos(radians)) + 1
        # the bitmap's bottom left corner at (left, bottom), y downwards, turned about it by ``angle``
        if turns == 0:
            self._renderer.draw_text_image(image, left, bottom, 0, gc)
        elif turns == 1:
            self._renderer.draw_text_image(np.rot90(image).copy(), left - image.shape[0], bottom, 0, gc)
        else:
            self._renderer.draw_text_image(np.rot90(image, -1).copy(), left, bottom + image.shape[1], 0, gc)
        return None


def _features(mtext):
    getter = getattr(mtext, "get_fontfeatures", None)
    return getter() if getter is not None else None


def _language(mtext):
    getter = getattr(mtext, "get_language", None)
    return getter() if getter is not None else None


def _font_files(prop) -> list:
    """The font files matplotlib draws ``prop`` with (its first choice and the fallbacks after it)."""
    find = getattr(fontManager, "_find_fonts_by_props", None)  # private; findfont names the first file only
    return find(prop) if find is not None else [fontManager.findfont(prop)]


def _font_height_metrics(prop, dpi: float):
    font = get_font(_font_files(prop))
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"), ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = prop.get_size_in_points() * dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


class TextCachingCanvas(FigureCanvasAgg):
    """A figure's Agg canvas drawing with a :class:`TextCachingRenderer` (the fonts it chose are looked up
    anew for every drawing, under that drawing's settings)."""

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if self._lastKey != key or not isinstance(getattr(self, "renderer", None), TextCachingRenderer):
            self.renderer = TextCachingRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer

    def draw(self):
        self.get_renderer().settings_changed()
        super().draw()


def add_text(ax, x: float, y: float, s: str, **style) -> None:
    """``ax.text(x, y, s, **style)`` (data coordinates unless ``transform`` is given), never clipped, drawn
    as :class:`LaidOutText` draws it.

    Texts of the styles a chart writes (:data:`_RUN_STYLE`) are kept together in a :class:`TextRun`: a
    chart writes hundreds of short texts (every panel's n's, names and values), and a
    :class:`~matplotlib.text.Text` costs more to make and to draw than its glyphs. Another style (or a
    matplotlib without the private parts the run uses) gets a :class:`LaidOutText` of its own, without the
    clip path ``Axes.text`` gives every text and a text that is not clipped never uses."""
    style.setdefault("transform", ax.transData)
    run = _run_of(ax) if style.keys() <= _RUN_STYLE else None
    if run is not None:
        run.add(x, y, s, style)
        return
    text = LaidOutText(x, y, s, clip_on=False, **style)
    add = getattr(ax, "_add_text", None)  # Axes.text's own way in (private): no clip path
    if add is None:
        ax.add_artist(text)
    else:
        add(text)


#: The text properties a :class:`TextRun` draws as a :class:`~matplotlib.text.Text` would.
_RUN_STYLE = frozenset({"ha", "va", "horizontalalignment", "verticalalignment", "fontsize", "color", "rotation", "transform"})


def _run_of(ax) -> TextRun | None:
    """The Axes' last :class:`TextRun` when no artist drawn at its level (zorder) came after it, else a new one
    (the texts keep their order among the artists that draw at their level); None without ``Axes._children``."""
    children = getattr(ax, "_children", None)
    if not isinstance(children, list) or not _HAS_TEXT_PARTS:
        return None
    run = getattr(ax, "_slutrapport_text_run", None)
    if (
        run is not None
        and run.at < len(children)
        and children[run.at] is run
        and all(child.get_zorder() != run.get_zorder() for child in children[run.at + 1 :])
    ):
        return run
    run = TextRun()
    ax.add_artist(run)
    run.set_clip_on(False)
    run.at = len(children) - 1
    ax._slutrapport_text_run = run
    return run


def _has_text_parts() -> bool:
    """Whether this matplotlib's :class:`~matplotlib.text.Text` has the private parts :class:`TextRun` draws with."""
    needed = ("_get_layout", "_preprocess_math", "_set_gc_clip", "_fontproperties", "_antialiased", "_url")
    probe = Text(0, 0, "")
    return all(hasattr(probe, name) for name in needed)


_HAS_TEXT_PARTS = _has_text_parts()


class TextRun(Artist):
    """Many plain texts in one Axes, each drawn exactly as ``Text.draw`` draws a :class:`LaidOutText` of its
    text and style (its layout, position, colour and clipping), in the order they were added, without a
    :class:`~matplotlib.text.Text` per text: one text per style (``_protos``) is laid out for each text in
    turn, and each style's positions are transformed at once. Its extent (for ``tight_layout``) is the union
    of its texts'."""

    zorder = Text.zorder

    def __init__(self) -> None:
        super().__init__()
        self.at = -1  # its place among its Axes' children
        self._items: list[tuple[float, float, str, int]] = []  # x, y, text, style
        self._styles: dict[tuple, int] = {}
        self._protos: list[LaidOutText] = []

    def add(self, x: float, y: float, s: str, style: dict) -> None:
        key = tuple(sorted((name, id(value) if name == "transform" else value) for name, value in style.items()))
        try:
            number = self._styles.get(key)
        except TypeError:  # a value that cannot be a key (a colour as a list): a style of its own
            number, key = None, None
        if number is None:
            proto = LaidOutText(0.0, 0.0, "", clip_on=False, **style)
            proto.set_figure(self.get_figure(root=False))
            number = len(self._protos)
            self._protos.append(proto)
            if key is not None:
                self._styles[key] = number
        self._items.append((x, y, "" if s is None else str(s), number))
        self.stale = True

    def texts(self) -> list[tuple[float, float, str]]:
        """Every text's anchor (in its transform's coordinates) and text, in order."""
        return [(x, y, s) for x, y, s, _ in self._items]

    def colours(self) -> list:
        """Every text's colour, in order."""
        return [self._protos[number].get_color() for *_, number in self._items]

    def shown(self) -> list[tuple[str, bool]]:
        """Every non-empty text as drawn, in order: (what is shown, whether matplotlib draws it as mathtext)."""
        return [self._protos[number]._preprocess_math(s) for _, _, s, number in self._items if s]

    def _positions(self) -> np.ndarray:
        """Every text's anchor in display coordinates (NaN where it cannot be placed)."""
        places = np.full((len(self._items), 2), np.nan)
        numbers = np.array([number for *_, number in self._items], dtype=np.intp)
        anchors = np.array([(x, y) for x, y, _, _ in self._items], dtype=float).reshape(-1, 2)
        for number, proto in enumerate(self._protos):
            chosen = np.flatnonzero(numbers == number)
            if chosen.size:
                places[chosen] = proto.get_transform().transform(anchors[chosen])
        return places

    @allow_rasterization
    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._items:
            return
        canvas_height = renderer.get_canvas_width_height()[1]
        places = self._positions()
        contexts: dict[int, object] = {}
        for (_, _, s, number), (posx, posy) in zip(self._items, places.tolist(), strict=True):
            if s == "" or not (math.isfinite(posx) and math.isfinite(posy)):
                continue
            proto = self._protos[number]
            proto.set_text(s)
            proto._renderer = renderer
            renderer.open_group("text", proto.get_gid())
            _, info, _ = proto._get_layout(renderer)
            gc = contexts.get(number)
            if gc is None:
                gc = contexts[number] = renderer.new_gc()
                gc.set_foreground(to_rgba(proto.get_color()), isRGBA=True)
                gc.set_alpha(proto.get_alpha())
                gc.set_url(proto._url)
                gc.set_antialiased(proto._antialiased)
                gc.set_snap(proto.get_snap())
                proto._set_gc_clip(gc)
            angle = proto.get_rotation()
            for line, _, (x, y) in info:
                x, y = x + posx, y + posy
                if renderer.flipy():
                    y = canvas_height - y
                clean_line, ismath = proto._preprocess_math(line)
                renderer.draw_text(gc, x, y, clean_line, proto._fontproperties, angle, ismath=ismath, mtext=proto if len(info) == 1 else None)
            renderer.close_group("text")
        for gc in contexts.values():
            gc.restore()
        self.stale = False

    def get_window_extent(self, renderer=None):
        boxes = []
        for x, y, s, number in self._items:
            proto = self._protos[number]
            proto.set_text(s)
            proto.set_position((x, y))
            if s:
                boxes.append(proto.get_window_extent(renderer))
        return Bbox.union(boxes) if boxes else Bbox.null()


class LaidOutText(Text):
    """A :class:`~matplotlib.text.Text` whose layout (each line's size and place from the text's anchor, which
    ``Text._get_layout`` works out for every drawing) is kept across figures when a
    :class:`TextCachingRenderer` draws it. Matplotlib's own layout is kept, keyed by everything it reads: the
    text, the font (as the renderer chose it), the size, the resolution, the turn, the alignments and the line
    spacing; a wrapped or TeX text, or another renderer, is laid out by matplotlib each time."""

    def _get_layout(self, renderer):
        layout = super()._get_layout
        if not isinstance(renderer, TextCachingRenderer) or self.get_wrap() or self.get_usetex():
            return layout(renderer)
        key = (
            self.get_text(), renderer._font_key(self.get_fontproperties()), self.get_figure(root=True).dpi, self.get_rotation(),
            self.get_rotation_mode(), self.get_horizontalalignment(), self.get_verticalalignment(), getattr(self, "_multialignment", None),
            self.get_linespacing(), self.get_parse_math(), _features(self), _language(self),
        )  # fmt: skip
        found = _get(_layouts, key)
        if found is None:
            found = layout(renderer)
            _put(_layouts, key, found)
        return found
