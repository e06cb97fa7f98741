"""Layout pieces the views share: a faster ``make_subplots``, and the RECIST lines.

:func:`subplots` is a faster ``plotly.subplots.make_subplots`` for figures redrawn on every
slider move. ``make_subplots`` builds its layout through Plotly's validators each time (tens of
milliseconds, most of a live redraw). :func:`subplots` calls it once per distinct set of
arguments, keeps the layout it made (without the template, which a new figure takes from
the default lazily, as ``make_subplots``'s own figure does) and its grid, and then builds
each new figure straight from that layout. The figure is the same as ``make_subplots``
gives (``tests/test_fast_paths.py`` compares them), and ``add_trace(..., row=, col=)``,
``update_xaxes(row=, col=)`` and ``secondary_y`` work as usual.

:func:`recist_lines`: the RECIST 1.1 reference lines of every tumour-size panel in the book.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..models import recist
from ..style import COLOR, LABEL_BACKGROUND

__all__ = ["subplots", "subplots_layout", "recist_lines"]


@lru_cache(maxsize=64)
def _made(key: str) -> tuple[dict, object, object]:
    fig = make_subplots(**json.loads(key))
    layout = fig.to_dict()["layout"]
    layout.pop("template", None)
    return layout, fig._grid_ref, fig._grid_str


def subplots(**kwargs) -> go.Figure:
    """``make_subplots(**kwargs)``, built from a cached layout (arguments must be JSON:
    numbers, strings, lists, dicts, ``None`` and booleans)."""
    layout, grid_ref, grid_str = _made(json.dumps(kwargs, sort_keys=True))
    fig = go.Figure(layout=copy.deepcopy(layout))
    fig.__dict__["_grid_ref"] = grid_ref
    fig.__dict__["_grid_str"] = grid_str
    return fig


def subplots_layout(**kwargs) -> dict:
    """The layout of ``make_subplots(**kwargs)`` (without the template) as a new dict, for
    a figure built in one call, ``go.Figure(data=traces, layout=...)``: Plotly then
    validates each part once, where adding traces and updating the layout piece by piece
    walks its object tree again for every piece. A trace goes in the subplot of row ``r``
    and column ``c`` with the axes ``make_subplots`` gives it (``"x2"``, ``"y2"``, ...)."""
    layout, _, _ = _made(json.dumps(kwargs, sort_keys=True))
    return copy.deepcopy(layout)


def recist_lines(xref: str, yref: str, *, short: bool = False) -> tuple[list[dict], list[dict]]:
    """The RECIST 1.1 reference lines (−30%: partial response, +20%: progression) across the
    panel ``(xref, yref)`` (``xref`` a ``"x... domain"`` reference), as plain layout shapes,
    and their labels: named, at the right under each line; or, ``short``, the percentage
    alone at the left above it (on a waterfall, where the bars fill the right)."""
    shapes, labels = [], []
    for y, percent, name in (
        (100 * recist.PR_CHANGE, "−30%", "partial response"),
        (100 * recist.PD_CHANGE, "+20%", "progression"),
    ):
        shapes.append(
            {
                "type": "line",
                "xref": xref,
                "yref": yref,
                "x0": 0,
                "x1": 1,
                "y0": y,
                "y1": y,
                "line": {"color": COLOR["threshold"], "dash": "dot", "width": 1},
            }
        )
        label = {
            "text": percent if short else f"{percent}: {name}",
            "xref": xref,
            "yref": yref,
            "x": 0.0 if short else 1,
            "y": y,
            "xanchor": "left" if short else "right",
            "yanchor": "bottom" if short else "top",
            "showarrow": False,
        }
        if short:
            label["font"] = {"size": 11}
        label["bgcolor"] = LABEL_BACKGROUND  # legible where a curve or a bar crosses it
        labels.append(label)
    return shapes, labels
