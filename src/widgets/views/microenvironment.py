"""Views of the tumour-microenvironment model (:mod:`widgets.models.microenvironment`).

* :data:`arms_view`: one tumour (its suppression, access, PD-L1 and so on taken from the
  parameters) under the four treatment arms of :data:`~widgets.models.microenvironment.TREATMENTS`
  side by side: tumour cells over time (top, log scale) and CD8+ T cells in contact with
  tumour cells (bottom). The treatment switches in the parameters are ignored: every arm is
  always drawn. Good static steps: the three tumour types (``.scenarios(TUMOURS)``), the
  suppressive strength, or the T-cell access.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from ..explorer import View
from ..models import microenvironment as model
from ..style import DASHES, PALETTE, COLOR, finish
from .layout import subplots

__all__ = ["arms_view", "draw_arms", "arm_results"]

_ARM_STYLE = {
    "untreated": (PALETTE[6], DASHES[2]),
    "anti-PD-1": (PALETTE[0], DASHES[1]),
    "microenvironment therapy": (PALETTE[4], DASHES[3]),
    "anti-PD-1 + microenvironment therapy": (PALETTE[2], DASHES[0]),
}
_OFF = {"blockade": False, "deplete": False, "open_stroma": False}


def _fmt(x: float) -> str:
    if x >= 1e9:
        return f"{x / 1e9:.2g} billion"
    if x >= 1e6:
        return f"{x / 1e6:,.0f} million"
    return f"{x:,.0f}"


def arm_results(v: dict) -> dict:
    """``{arm: DataFrame}`` for the four treatment arms at parameters ``v``."""
    return {arm: model.simulate(**{**v, **_OFF, **over})
            for arm, over in model.TREATMENTS.items()}


def _fate(df) -> str:
    gone = df.index[df["T"] == 0]
    if len(gone):
        return f"eliminated by day {df['t'].iloc[gone[0]]:.0f}"
    return f"{_fmt(df['T'].iloc[-1])} tumour cells on day {df['t'].iloc[-1]:.0f}"


def draw_arms(v: dict) -> go.Figure:
    runs = arm_results(v)
    fig = subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                   row_heights=[0.6, 0.4])
    for arm, df in runs.items():
        colour, dash = _ARM_STYLE[arm]
        T = np.where(df["T"] > 0, df["T"], np.nan)
        fig.add_trace(go.Scatter(
            x=df["t"], y=T, name=arm, legendgroup=arm, mode="lines",
            line={"color": colour, "dash": dash, "width": 3},
            hovertemplate=f"{arm}<br>day %{{x:.0f}}: %{{y:.3s}} tumour cells<extra></extra>"),
            row=1, col=1)
        fig.add_trace(go.Scatter(
            x=df["t"], y=np.maximum(df["L_contact"], 1.0), name=arm, legendgroup=arm,
            showlegend=False, mode="lines", line={"color": colour, "dash": dash, "width": 2},
            hovertemplate=(f"{arm}<br>day %{{x:.0f}}: %{{y:.3s}} CD8+ T cells in contact"
                           "<extra></extra>")),
            row=2, col=1)
    fig.add_trace(go.Scatter(
        x=[0, v["days"]], y=[model.EXTINCT, model.EXTINCT], name="one tumour cell",
        mode="lines", line={"color": COLOR["threshold"], "dash": "dot", "width": 1},
        hoverinfo="skip"), row=1, col=1)
    fig.update_yaxes(title="tumour cells (log)", type="log", range=[0, 9.3],
                     exponentformat="power", row=1, col=1)
    fig.update_yaxes(title="CD8+ T cells in contact (log)", type="log", range=[0, 7],
                     exponentformat="power", row=2, col=1)
    fig.update_xaxes(title="time (days)", range=[0, v["days"]], row=2, col=1)
    fig.update_xaxes(range=[0, v["days"]], row=1, col=1)
    fates = {arm: _fate(df) for arm, df in runs.items()}
    title = (f"Anti-PD-1: {fates['anti-PD-1']}<br><sup>suppressive strength "
             f"{v['suppression']:g}, T-cell access {v['access']:g}, PD-L1 brake "
             f"{v['pdl1']:g} (illustrative model)</sup>")
    description = (
        "Illustrative model output, not patient data. Top: tumour cells over "
        f"{v['days']:g} days on a logarithmic axis, starting from {_fmt(v['T0'])} cells, "
        "under four treatment arms: untreated (black dotted), anti-PD-1 (blue dashed), "
        "microenvironment therapy that removes suppression and opens the stroma (orange "
        "dash-dot) and both together (green solid). Bottom: CD8+ T cells in contact with "
        f"tumour cells. The tumour has suppressive strength {v['suppression']:g}, T-cell "
        f"access {v['access']:g} and PD-L1 brake {v['pdl1']:g}. Results: "
        + "; ".join(f"{arm}: {fate}" for arm, fate in fates.items()) + "."
    )
    fig = finish(fig, title=title, description=description, height=560)
    fig.update_layout(margin={"t": 150},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    return fig


#: One tumour under the four treatment arms.
arms_view = View(model.PARAMS, draw_arms, key="suppression")
