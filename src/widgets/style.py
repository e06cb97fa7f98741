"""Shared look of every figure: a colour-blind-safe palette, fonts, and a text description.

The palette is Okabe & Ito's eight colours (Okabe M, Ito K. *Color Universal Design*, 2008),
which stay distinguishable under the common forms of colour blindness; line dashes add a second
channel so that no curve is told apart by colour alone.
"""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["PALETTE", "DASHES", "COLOR", "finish"]

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
    # "Main<br><sup>detail</sup>" becomes Plotly's own title and subtitle, which it lays
    # out as a block (a <br> inside the title text is positioned by its first line only)
    main, _, detail = title.partition("<br>")
    detail = detail.replace("<sup>", "").replace("</sup>", "").strip()
    title_layout = {"text": main, "x": 0.0, "xanchor": "left", "yref": "container",
                    "y": 1.0, "yanchor": "top", "pad": {"t": 12}}
    if detail:
        title_layout["subtitle"] = {"text": detail, "font": {"size": 13}}
    fig.update_layout(
        title=title_layout,
        template="simple_white",
        colorway=PALETTE,
        font={"family": "Arial, Helvetica, sans-serif", "size": 14},
        height=height,
        margin={"l": 70, "r": 20, "t": 70, "b": 60},
        legend={"bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"namelength": -1},
        meta={"description": description.strip()},
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e5e5e5", ticks="outside")
    fig.update_yaxes(showgrid=True, gridcolor="#e5e5e5", ticks="outside")
    for axis in list(fig.select_xaxes()) + list(fig.select_yaxes()):
        if axis.matches and axis.showticklabels is False:
            continue  # a shared axis: its twin carries the title and unit
        text = axis.title.text if axis.title else None
        if not text:
            raise ValueError("every axis of a book figure needs a title with its unit")
    return fig
