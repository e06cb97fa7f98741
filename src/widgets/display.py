"""How figures are stored in a notebook so that they work everywhere.

A figure displayed in a chapter carries two representations:

* ``application/vnd.plotly.v1+json``, which JupyterLab, Notebook 7 and VS Code draw with
  their own Plotly extension when a student runs the chapter; and
* ``text/html``, which the HTML book shows: a ``<figure>`` holding the plot, drawn by the
  plotly.js that the book serves from its own ``_static/`` folder (no request to another
  site), and a text description for readers who cannot see the plot.

Google Colab understands neither representation offline, so there the package leaves
Plotly's own Colab renderer in place.

The live explorers' figure (:mod:`widgets.livefigure`) prepares its figures the same way
(:func:`figure_parts`): title and subtitle as HTML above the plot, traces stored compactly.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import re
import sys

import numpy as np
import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer, PlotlyRenderer
from plotly.io.json import to_json_plotly

__all__ = ["PlotlyBookRenderer", "figure_html", "figure_parts", "use_book_renderer"]

#: plotly.js options used for every figure: no MathJax typesetting inside plots (MathJax 3
#: on the same page can blank them), no link to an online editor, a responsive width.
PLOT_CONFIG = {
    "typesetMath": False,
    "displaylogo": False,
    "responsive": True,
}


_COUNTER = itertools.count(1)


#: Width (px) of a figure in the book's text column, and the height of one legend row.
_COLUMN_WIDTH, _LEGEND_ROW = 600, 23


def _legend_rows(fig_dict: dict) -> int:
    """Rows a horizontal legend takes in the book's column. Plotly lines the entries up in
    columns as wide as the widest entry, so the count of columns follows from that width."""
    layout = fig_dict.get("layout", {})
    seen, lengths = set(), []
    for trace in fig_dict.get("data", []):
        if trace.get("visible", True) is not True or trace.get("showlegend") is False:
            continue
        name = trace.get("name")
        key = trace.get("legendgroup") or name
        if not name or key in seen:
            continue
        seen.add(key)
        lengths.append(len(str(name)))
    if not lengths:
        return 0
    margin = layout.get("margin") or {}
    available = _COLUMN_WIDTH - margin.get("l", 70) - margin.get("r", 20)
    if any(k.startswith("yaxis") and (v or {}).get("side") == "right" for k, v in layout.items()):
        available -= 55  # a right-hand axis and its title take part of the width
    columns = max(1, int(available // (46 + 6.5 * max(lengths))))
    return -(-len(lengths) // columns)


def _room_for_legend(fig_dict: dict) -> dict:
    """A legend laid out above the plot must not run into the title and subtitle: grow the
    top margin (and the figure, so the plot keeps its size) to fit the legend's rows."""
    layout = dict(fig_dict.get("layout", {}))
    legend = layout.get("legend") or {}
    if legend.get("orientation") != "h" or (legend.get("y") or 0) < 1:
        return layout
    title = layout.get("title") or {}
    title_height = 72 if (title.get("subtitle") or {}).get("text") else 42
    need = title_height + _legend_rows(fig_dict) * _LEGEND_ROW + 14
    margin = dict(layout.get("margin") or {})
    top = margin.get("t", 80)
    if need > top:
        margin["t"] = need
        layout["margin"] = margin
        layout["height"] = layout.get("height", 440) + (need - top)
    return layout


_HIDDEN = "rgba(0,0,0,0)"
#: Least top margin once the title has moved out of the plot (room for subplot titles and
#: labels just above the plot).
_MIN_TOP = 36


def _title_outside(layout: dict) -> tuple[dict, str, str]:
    """Move the title and subtitle out of the plot, into HTML above it, where text wraps to
    the width of the reader's screen (Plotly's title is one line, cut off on a phone). The
    Plotly title stays in the layout, transparent, so a static slider's steps still carry
    their own titles; the loader copies each into the HTML after every redraw."""
    title = dict(layout.get("title") or {})
    text = title.get("text", "") or ""
    subtitle = dict(title.get("subtitle") or {})
    sub_text = subtitle.get("text", "") or ""
    if not text:
        return layout, "", ""
    layout = dict(layout)
    title["font"] = {**(title.get("font") or {}), "color": _HIDDEN}
    if sub_text:
        subtitle["font"] = {**(subtitle.get("font") or {}), "color": _HIDDEN}
        title["subtitle"] = subtitle
    layout["title"] = title
    margin = dict(layout.get("margin") or {})
    top = margin.get("t", 80)
    freed = max(0, top - max(top - (72 if sub_text else 42), _MIN_TOP))
    margin["t"] = top - freed
    layout["margin"] = margin
    layout["height"] = layout.get("height", 440) - freed
    return layout, text, sub_text


def figure_parts(fig_dict: dict) -> tuple[list, dict, str, str]:
    """What a browser draws of a figure: its traces (stored compactly), its layout with room
    for the legend and the title moved out of the plot, and the title and subtitle to show
    as HTML above it. One preparation for the HTML book (:func:`figure_html`) and the live
    explorers (:class:`widgets.livefigure.LiveFigure`)."""
    layout, title, subtitle = _title_outside(_room_for_legend(fig_dict))
    data = _single_precision([_even_x(t) for t in fig_dict.get("data", [])])
    return data, layout, title, subtitle


def figure_html(fig_dict: dict) -> str:
    """The ``text/html`` form of a figure: title, plot, slider, loader script and description.

    The page's ``widgetsFigure`` script (``widgets/static/figure.js``) draws the plot, with a
    phone layout on a narrow screen. A static explorer's Plotly slider becomes an HTML slider
    under the plot with every step's label written out (labels wrap on a phone, where Plotly's
    slider would cut or hide them; the arrow keys step through it)."""
    data, layout, title, subtitle = figure_parts(fig_dict)
    layout, steps, active, label = _slider_outside(layout)
    description = (layout.get("meta") or {}).get("description", "")
    title = title or "Figure"
    height = layout.get("height", 440)
    data = to_json_plotly(data)
    layout_json = to_json_plotly(layout)
    steps_json = to_json_plotly(steps)
    config = json.dumps(PLOT_CONFIG)
    # A deterministic id: re-executing a chapter gives the same HTML.
    digest = hashlib.sha1((data + layout_json + steps_json).encode()).hexdigest()[:10]
    div_id = f"fig-{next(_COUNTER)}-{digest}"
    plain_title = html.escape(_strip_tags(title))
    slider = _slider_html(div_id, steps, active, label) if steps else ""
    # The loader draws with the global Plotly that the book loads (deferred) in <head>, once
    # the page is parsed; on a page where only require.js is present (a notebook viewer), it
    # asks require.js instead.
    # (the JavaScript is full of braces, so %-formatting)
    script = (
        "(function(){var d=document.getElementById('%(id)s');"  # noqa: UP031
        "function $(s){return document.getElementById('%(id)s-'+s);}"
        "var D=%(data)s,L=%(layout)s,C=%(config)s;"
        "function draw(P){var F=window.widgetsFigure;"
        "if(!F){return P.newPlot(d,D,L,C);}"
        "F.mount(d,D,L,C,P,{title:$('title'),subtitle:$('sub'),"
        "steps:%(steps)s,active:%(active)d,range:$('range'),output:$('value'),"
        "labels:$('labels')});}"
        "function go(){if(window.Plotly){draw(window.Plotly);}"
        "else if(window.require){window.require(['plotly'],draw);}"
        "else{d.textContent='This interactive figure needs JavaScript and plotly.js.';}}"
        "if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',go);}"
        "else{go();}})();"
    ) % {
        "id": div_id,
        "data": data,
        "layout": layout_json,
        "config": config,
        "steps": steps_json if steps else "null",
        "active": active,
    }
    return (
        f'<figure class="widgets-figure" aria-labelledby="{div_id}-title" '
        f'aria-describedby="{div_id}-desc">'
        f'<p id="{div_id}-title" class="widgets-fig-title">{plain_title}</p>'
        f'<p id="{div_id}-sub" class="widgets-fig-sub">{html.escape(_sub_text(subtitle))}</p>'
        f'<div id="{div_id}" class="plotly-graph-div" style="height:{int(height)}px;'
        f' width:100%;"></div>'
        f"{slider}"
        f"<script>{script}</script>"
        f"<figcaption><details><summary>Text description of the figure</summary>"
        f'<p id="{div_id}-desc">{html.escape(description)}</p></details></figcaption>'
        "</figure>"
    )


def _slider_outside(layout: dict) -> tuple[dict, list, int, str]:
    """Take a static explorer's slider out of the Plotly layout (the HTML draws its own) and
    give back the room Plotly's slider took (:meth:`widgets.explorer.View._stepped` records
    it in ``meta.slider_room``)."""
    sliders = layout.get("sliders") or []
    if not sliders:
        return layout, [], 0, ""
    slider = sliders[0]
    layout = {k: v for k, v in layout.items() if k != "sliders"}
    meta = dict(layout.get("meta") or {})
    room = meta.pop("slider_room", None) or {}
    layout["meta"] = meta
    if room:
        layout["height"] = layout.get("height", 440) - room.get("height", 0)
        layout["margin"] = {**(layout.get("margin") or {}), "b": room.get("margin_b", 60)}
    steps = [
        {"label": str(s.get("label", "")), "args": s.get("args", [])}
        for s in slider.get("steps") or []
    ]
    active = int(slider.get("active", 0) or 0)
    prefix = ((slider.get("currentvalue") or {}).get("prefix") or "Setting: ").strip()
    return layout, steps, active, prefix.rstrip(":")


CURRENT = ' class="current"'


def _slider_html(div_id: str, steps: list, active: int, label: str) -> str:
    """An HTML slider under the plot: a native range input (arrow keys, screen readers) over a
    row holding every step's label (each a click target), so no step goes unlabelled."""
    n = len(steps)
    current = html.escape(steps[active]["label"])
    labels = "".join(
        f'<span data-step="{k}" style="grid-column:{k + 1}"{CURRENT if k == active else ""}>'
        f"{html.escape(s['label'])}</span>"
        for k, s in enumerate(steps)
    )
    # the input spans from the middle of the first label's cell to the middle of the last,
    # so that each step of the thumb sits over its label
    inset = f"calc(50% / {n} - 8px)"
    return (
        f'<div class="widgets-steps"><label for="{div_id}-range">{html.escape(label)}: '
        f'<output id="{div_id}-value" for="{div_id}-range">{current}</output></label>'
        f'<input type="range" id="{div_id}-range" min="0" max="{n - 1}" step="1" '
        f'value="{active}" aria-valuetext="{current}" '
        f'style="margin-left:{inset};margin-right:{inset};width:calc(100% - 2 * {inset})">'
        f'<div id="{div_id}-labels" class="widgets-step-labels" aria-hidden="true" '
        f'style="grid-template-columns:repeat({n},minmax(0,1fr))">{labels}</div></div>'
    )


def _numbers(value) -> np.ndarray | None:
    """A trace's numeric array (a list or Plotly's typed array), or None."""
    if isinstance(value, dict) and isinstance(value.get("bdata"), str) and value.get("dtype"):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    if (
        isinstance(value, (list, tuple, np.ndarray))
        and len(value)
        and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in value)
    ):
        return np.asarray(value, dtype=float)
    return None


def _even_x(trace: dict) -> dict:
    """A line's time axis is usually evenly spaced: store it as a start and a step (Plotly's
    ``x0`` and ``dx``) rather than as an array repeated in every trace and every slider step.
    Same plot, and a third less to download for a page of time courses."""
    if trace.get("type", "scatter") != "scatter" or "x0" in trace or "dx" in trace:
        return trace
    x = _numbers(trace.get("x"))
    if x is None or len(x) < 3 or not np.all(np.isfinite(x)):
        return trace
    step = (x[-1] - x[0]) / (len(x) - 1)
    even = x[0] + step * np.arange(len(x))
    if step <= 0 or not np.allclose(x, even, rtol=0, atol=1e-9 * max(abs(x[-1]), abs(step))):
        return trace
    trace = {k: v for k, v in trace.items() if k != "x"}
    trace["x0"], trace["dx"] = float(x[0]), float(step)
    return trace


def _single_precision(obj):
    """Store double-precision arrays as single precision (7 significant digits, half the
    bytes): plenty for a figure, and it halves the weight of a page of precomputed steps."""
    if isinstance(obj, dict):
        if obj.get("dtype") == "f8" and isinstance(obj.get("bdata"), str):
            values = np.frombuffer(base64.b64decode(obj["bdata"]), dtype="<f8")
            return {
                **obj,
                "dtype": "f4",
                "bdata": base64.b64encode(values.astype("<f4").tobytes()).decode("ascii"),
            }
        return {k: _single_precision(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_single_precision(v) for v in obj]
    return obj


def _sub_text(text: str) -> str:
    """A subtitle as text, its line breaks kept (the page shows them: white-space pre-line)."""
    lines = re.split(r"<br\s*/?>", text or "", flags=re.I)
    return "\n".join(" ".join(_strip_tags(line).split()) for line in lines).strip()


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text).strip()


class PlotlyBookRenderer(MimetypeRenderer):
    """Plotly renderer giving both the Plotly mime type and the book's HTML."""

    def to_mimebundle(self, fig_dict):
        bundle = PlotlyRenderer(config=PLOT_CONFIG).to_mimebundle(fig_dict)
        bundle["text/html"] = figure_html(fig_dict)
        return bundle


def use_book_renderer() -> None:
    """Make ``PlotlyBookRenderer`` Plotly's default, except on Google Colab."""
    pio.renderers["book"] = PlotlyBookRenderer()
    if "google.colab" in sys.modules:
        pio.renderers.default = "colab"
    else:
        pio.renderers.default = "book"
