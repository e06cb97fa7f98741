"""Shared look of every figure: a colour-blind-safe palette, fonts, and a text description.

The palette is Okabe & Ito's eight colours (Okabe M, Ito K. *Color Universal Design*, 2008),
which stay distinguishable under the common forms of colour blindness; line dashes add a second
channel so that no curve is told apart by colour alone.
"""

from __future__ import annotations

import functools
import re
from contextlib import contextmanager

import plotly.basedatatypes
import plotly.graph_objects as go
import plotly.io as pio

__all__ = [
    "PALETTE",
    "DASHES",
    "COLOR",
    "LABEL_BACKGROUND",
    "BOOK_TEMPLATE",
    "TRACE_TYPES",
    "cells_text",
    "finish",
]

#: Okabe–Ito palette, in the order used for successive traces.
PALETTE = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (only for fills: too light for lines on white)
]

#: Named roles, so that a tumour is the same colour in every chapter.
COLOR = {
    "tumour": PALETTE[1],
    "immune": PALETTE[0],
    "drug": PALETTE[2],
    "occupancy": PALETTE[3],
    "threshold": PALETTE[6],
    "accent": PALETTE[4],
    "second": PALETTE[5],
}

DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


#: The trace types the book draws. The template styles only these, and the partial
#: plotly.js bundle the HTML book loads draws only these: :func:`finish` refuses others.
TRACE_TYPES = ("scatter", "bar", "heatmap")


def _remember_property_paths() -> None:
    """Make Plotly parse each property path string ("xaxis2.title.text", "error_x") once.

    Every ``update_layout``, ``update_xaxes(row=, col=)`` and trace property set goes through
    ``plotly.basedatatypes._str_to_dict_path_full``, a pure function of its string that
    Plotly recomputes on every call (it even defines a class inside each call): a fifth of a
    live redraw. Here its answers are remembered, so the figures are the same
    (``tests/test_fast_paths.py`` compares the two on every path the book's figures use).
    Only a Plotly with that function, and only once."""
    parse = getattr(plotly.basedatatypes, "_str_to_dict_path_full", None)
    if parse is None or getattr(parse, "_remembered", False):
        return

    @functools.lru_cache(maxsize=8192)
    def remembered(path: str):
        keys, starts = parse(path)
        return keys, tuple(starts)

    @functools.wraps(parse)
    def fast(path):
        if not isinstance(path, str):
            return parse(path)
        keys, starts = remembered(path)
        return keys, list(starts)  # a fresh list each time, as Plotly's own returns

    fast._remembered = True
    fast._parse = parse
    plotly.basedatatypes._str_to_dict_path_full = fast


_remember_property_paths()


def _book_template() -> go.layout.Template:
    base = pio.templates["simple_white"]
    template = go.layout.Template()
    template.layout = base.layout
    for kind in TRACE_TYPES:
        template.data[kind] = base.data[kind]
    for unused in ("polar", "ternary", "scene", "geo"):  # no such subplots in the book
        template.layout[unused] = None
    template.layout.colorway = PALETTE
    template.layout.font = {"family": "Arial, Helvetica, sans-serif", "size": 14}
    for axis in (template.layout.xaxis, template.layout.yaxis):
        axis.showgrid = True
        axis.gridcolor = "#e5e5e5"
        axis.ticks = "outside"
    return template


#: The book's Plotly template: Plotly's "simple_white" for the book's trace types, with the
#: Okabe-Ito colours and light grid lines. :func:`finish` gives it to every figure, so the
#: package never changes Plotly's global default (it is also registered as "book").
BOOK_TEMPLATE = _book_template()
pio.templates["book"] = BOOK_TEMPLATE


@contextmanager
def _trusted(fig: go.Figure):
    """Skip Plotly's validation while :func:`finish` applies the book's own, fixed layout (the
    template and the settings below are validated once, by the tests): validating them again
    for every redraw costs several milliseconds of a live slider move. Plotly itself does the
    same for its default template."""
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        yield layout
    finally:
        layout._validate = validate


def cells_text(x: float) -> str:
    """Cell counts for titles and descriptions: "8.19 million", "3,200", "0"."""
    if x == 0:
        return "0"
    if x >= 1e9:
        return f"{x / 1e9:.3g} billion"
    if x >= 1e6:
        return f"{x / 1e6:.3g} million"
    if x >= 1e4:
        return f"{x:,.0f}"
    return f"{x:.3g}"


#: the background of a label placed over data, so that lines and bars do not strike it out
LABEL_BACKGROUND = "rgba(255,255,255,0.85)"


#: settings of :func:`finish` that replace the old value whole (not compound in Plotly)
_REPLACED = ("height", "meta")
_NUMBERED_AXIS = re.compile(r"[xy]axis[0-9]+")


def merged(old, new):
    """``new`` laid over ``old`` as Plotly's ``update`` / ``update_layout`` does it: dicts
    merged key by key (recursively), anything else (lists, numbers, strings) replaced; keys in
    Plotly's order (the old keys, then new nested objects, then new plain values). Used by
    :func:`finish` and by the views that build a figure in one call (``views.layout``)."""
    if not isinstance(new, dict):
        return new
    out = dict(old) if isinstance(old, dict) else {}
    for key, value in new.items():
        if isinstance(value, dict):
            out[key] = merged(out.get(key), value)
    for key, value in new.items():
        if not isinstance(value, dict):
            out[key] = value
    return out


def finish(
    fig: go.Figure,
    *,
    title: str,
    description: str,
    height: int = 440,
) -> go.Figure:
    """Apply the book's layout to ``fig`` and attach its text description.

    ``description`` is a plain-language account of what the figure shows, for readers
    who cannot see it; the book renderer prints it under the figure and links it to the
    plot for screen readers.
    """
    if not description or not description.strip():
        raise ValueError("every figure needs a text description")
    other = {trace.type for trace in fig.data} - set(TRACE_TYPES)
    if other:
        raise ValueError(
            f"the book draws only {', '.join(TRACE_TYPES)} traces (its plotly.js "
            f"bundle has no others); got {', '.join(sorted(other))}"
        )
    # "Main<br><sup>detail</sup>" becomes Plotly's own title and subtitle, which it lays
    # out as a block (a <br> inside the title text is positioned by its first line only)
    main, _, detail = title.partition("<br>")
    detail = detail.replace("<sup>", "").replace("</sup>", "").strip()
    title_layout = {
        "text": main,
        "x": 0.0,
        "xanchor": "left",
        "yref": "container",
        "y": 1.0,
        "yanchor": "top",
        "pad": {"t": 12},
    }
    if detail:
        title_layout["subtitle"] = {"text": detail, "font": {"size": 13}}
    settings = {
        "title": title_layout,
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 70, "b": 60},
        "legend": {"bgcolor": "rgba(255,255,255,0.8)"},
        "hoverlabel": {"namelength": -1},
        "meta": {"description": description.strip()},
    }
    with _trusted(fig) as layout:
        layout.template = BOOK_TEMPLATE
        # what ``layout.update(**settings)`` does, on the layout's own dict: Plotly's update
        # walks its object tree for every key (most of the cost of finishing a figure)
        current = layout._props
        for key, value in settings.items():
            layout[key] = value if key in _REPLACED else merged(current.get(key), value)
    axes = fig._layout
    for name in ("xaxis", "yaxis", *sorted(k for k in axes if _NUMBERED_AXIS.fullmatch(k))):
        axis = axes.get(name) or {}
        if axis.get("matches") and axis.get("showticklabels") is False:
            continue  # a shared axis: its twin carries the title and unit
        if not (axis.get("title") or {}).get("text"):
            raise ValueError("every axis of a book figure needs a title with its unit")
    return fig
