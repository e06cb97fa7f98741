"""Views of the Kuznetsov et al. (1994) tumour–effector model.

* :data:`time_view`: effector and tumour cells against time (log scale), titled with the
  long-run outcome. Good static sliders: the initial tumour size ``T0`` (which side of the
  threshold) and the effector supply ``s`` (which fates exist).
* :data:`phase_view`: the phase plane (tumour cells across, effector cells up, both on log
  scales) with the two nullclines, the equilibria (filled circle: stable; cross: saddle;
  open circle: unstable), the threshold curve through the saddle and a few trajectories.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from ..explorer import View
from ..models import kuznetsov as model
from ..style import COLOR, PALETTE, cells_text, finish

__all__ = ["time_view", "phase_view", "PHASE_STARTS", "draw_time", "draw_phase"]

#: Initial tumour sizes (cells) of the trajectories drawn in the phase plane; every
#: trajectory starts from the chosen E0.
PHASE_STARTS = (1e3, 1e6, 3e7, 1.5e8, 1e9)

_T_RANGE = (0.0, math.log10(2e9))  # log10 cells, x axis of the phase plane
_E_RANGE = (4.0, 8.0)  # log10 cells, y axis of the phase plane


_fmt = cells_text


def _states_text(v: dict) -> str:
    states = model.stable_states(**v)
    if len(states) == 1:
        return f"only {states[0]} is possible"
    return " or ".join(states) + " (depending on the start)"


# ---------------------------------------------------------------------------------------
# time course
# ---------------------------------------------------------------------------------------
def draw_time(v: dict) -> go.Figure:
    df = model.simulate(**v)
    # outcomes() is outcome()'s answer (it falls back on outcome() wherever its faster run
    # is not clear-cut; tests/test_fast_paths.py), without stepping with an event in Python
    fate = model.outcomes([v["T0"]], **v)[0]
    # the traces as dicts and the layout as one dict: one go.Figure call validates each once
    traces = [
        {
            "type": "scatter",
            "x": df["t"],
            "y": df["E"],
            "name": "effector (immune) cells E",
            "mode": "lines",
            "line": {"color": COLOR["immune"], "dash": "solid", "width": 3},
            "hovertemplate": "day %{x:.0f}: %{y:.3s} effector cells<extra></extra>",
        },
        {
            "type": "scatter",
            "x": df["t"],
            "y": df["T"],
            "name": "tumour cells T",
            "mode": "lines",
            "line": {"color": COLOR["tumour"], "dash": "dash", "width": 3},
            "hovertemplate": "day %{x:.0f}: %{y:.3s} tumour cells<extra></extra>",
        },
        {
            "type": "scatter",
            "x": [0, v["days"]],
            "y": [model.EXTINCT, model.EXTINCT],
            "name": "one cell",
            "mode": "lines",
            "line": {"color": COLOR["threshold"], "dash": "dot", "width": 1.5},
            "hoverinfo": "skip",
        },
    ]
    layout = {
        "xaxis": {"title": {"text": "time (days)"}, "range": [0, v["days"]]},
        "yaxis": {
            "title": {"text": "cells (log scale)"},
            "type": "log",
            "range": [-1, 10],
            "exponentformat": "power",
        },
    }
    fig = go.Figure(data=traces, layout=layout)
    end_T, end_E = df["T"].iloc[-1], df["E"].iloc[-1]
    title = f"Outcome: {fate}"
    description = (
        "Illustrative model output, not patient data. Effector cells (solid blue line) and "
        "tumour cells (dashed orange line) over "
        f"{v['days']:g} days on a logarithmic axis, starting from {_fmt(v['E0'])} effector "
        f"cells and {_fmt(v['T0'])} tumour cells with an effector supply of "
        f"{v['s']:g} cells per day. On day {v['days']:g} there are {_fmt(end_T)} tumour "
        f"cells and {_fmt(end_E)} effector cells. The long-run outcome is {fate}; at these "
        f"rates {_states_text(v)}. A dotted line marks one cell."
    )
    return finish(fig, title=title, description=description, height=430)


time_view = View(model.PARAMS, draw_time, key="T0")


# ---------------------------------------------------------------------------------------
# phase plane
# ---------------------------------------------------------------------------------------
def _positive(a):
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, np.nan)


def draw_phase(v: dict) -> go.Figure:
    null = model.nullclines(T_min=1.0, T_max=2e9, points=300, **v)
    eq = model.equilibria(**v)
    sep = model.separatrix(**v)
    # every trace as a plain dict with NumPy arrays, and the figure built in one call:
    # Plotly validates each once (adding traces one by one costs milliseconds apiece)
    traces = [
        {
            "type": "scatter",
            "x": null["T"].to_numpy(),
            "y": _positive(null["E_dE0"]),
            "mode": "lines",
            "name": "effector nullcline (E steady)",
            "line": {"color": COLOR["immune"], "dash": "solid", "width": 2.5},
            "hovertemplate": "E steady: T %{x:.3s}, E %{y:.3s}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": null["T"].to_numpy(),
            "y": _positive(null["E_dT0"]),
            "mode": "lines",
            "name": "tumour nullcline (T steady)",
            "line": {"color": COLOR["tumour"], "dash": "dash", "width": 2.5},
            "hovertemplate": "T steady: T %{x:.3s}, E %{y:.3s}<extra></extra>",
        },
    ]
    # the threshold curve: branches joined with gaps (NaN)
    xs, ys = [], []
    for _, branch in sep.groupby("branch"):
        xs += [branch["T"].to_numpy(), [np.nan]]
        ys += [branch["E"].to_numpy(), [np.nan]]
    traces.append(
        {
            "type": "scatter",
            "x": np.concatenate(xs) if xs else np.empty(0),
            "y": np.concatenate(ys) if ys else np.empty(0),
            "mode": "lines",
            "name": "threshold (separatrix)",
            "line": {"color": COLOR["threshold"], "dash": "dot", "width": 2.5},
            "hoverinfo": "skip",
        }
    )
    days = 2000.0
    fates = model.outcomes(PHASE_STARTS, **v)
    for k, T0 in enumerate(PHASE_STARTS):
        df = model.simulate(points=400, **{**v, "T0": T0, "days": days})
        fate = fates[k]
        traces.append(
            {
                "type": "scatter",
                "x": df["T"].to_numpy(),
                "y": df["E"].to_numpy(),
                "mode": "lines",
                "name": "trajectories (2,000 days)",
                "legendgroup": "traj",
                "showlegend": k == 0,
                "line": {
                    "color": PALETTE[3] if fate == "escape" else PALETTE[2],
                    "dash": "solid" if fate == "escape" else "longdash",
                    "width": 1.5,
                },
                "opacity": 0.85,
                "hovertemplate": (
                    f"start T(0) = {T0:.0e}: {fate}<br>T %{{x:.3s}}, E %{{y:.3s}}<extra></extra>"
                ),
            }
        )
    interior = eq[eq["T"] > 0]
    groups = [
        ("stable state", interior["stable"], "circle", 13, "#000000"),
        ("saddle (threshold)", interior["type"] == "saddle", "x", 13, "#000000"),
        (
            "unstable state",
            (~interior["stable"]) & (interior["type"] != "saddle"),
            "circle-open",
            13,
            "#000000",
        ),
    ]
    for name, mask, symbol, size, colour in groups:
        pts = interior[mask]
        traces.append(
            {
                "type": "scatter",
                "x": list(pts["T"]),
                "y": list(pts["E"]),
                "mode": "markers",
                "name": name,
                "marker": {
                    "symbol": symbol,
                    "size": size,
                    "color": colour,
                    "line": {"width": 2, "color": colour},
                },
                "customdata": list(pts["state"]),
                "hovertemplate": (name + " (%{customdata}): T %{x:.3s}, E %{y:.3s}<extra></extra>"),
            }
        )
    layout = {
        "xaxis": {
            "title": {"text": "tumour cells T (log scale)"},
            "type": "log",
            "range": list(_T_RANGE),
            "exponentformat": "power",
        },
        "yaxis": {
            "title": {"text": "effector cells E (log scale)"},
            "type": "log",
            "range": list(_E_RANGE),
            "exponentformat": "power",
        },
        "legend": {"x": 0.01, "y": 0.99, "font": {"size": 12}},
    }
    fig = go.Figure(data=traces, layout=layout)

    stable = interior[interior["stable"]]
    saddles = interior[interior["type"] == "saddle"]
    parts = [
        f"{r.state} at {_fmt(r.T)} tumour cells and {_fmt(r.E)} effector cells"
        for r in stable.itertuples()
    ]
    sad = [f"a saddle at {_fmt(r.T)} tumour cells" for r in saddles.itertuples()]
    free = eq.iloc[0]
    free_text = (
        "stable, so tumours can be eliminated"
        if free["stable"]
        else "unstable, so a tumour is never cleared by the model's dynamics alone"
    )
    description = (
        "Illustrative model output, not patient data. Phase plane with tumour cells across "
        "and effector cells up, both on logarithmic axes, for an effector supply of "
        f"{v['s']:g} cells per day. The solid blue curve is where effector cells are in "
        "balance and the dashed orange curve where tumour cells are; equilibria sit where "
        "they cross. Stable states (filled circles): "
        + ("; ".join(parts) if parts else "none with a tumour")
        + ". "
        + (
            "Saddles (crosses): " + "; ".join(sad) + ". The dotted curve through the "
            "saddle is the threshold (separatrix): it divides the starting points that "
            "end dormant from those that escape. "
            if sad
            else "There is no saddle, so no threshold. "
        )
        + f"The tumour-free state ({_fmt(free['E'])} effector cells, not shown on the log "
        f"axis) is {free_text}. Thin lines are trajectories over 2,000 days starting from "
        f"{_fmt(v['E0'])} effector cells and tumours of "
        + ", ".join(_fmt(t) for t in PHASE_STARTS)
        + " cells (long-dashed green: ending dormant or eliminated; solid purple: escaping)."
    )
    title = f"Phase plane: {_states_text(v)}"
    return finish(fig, title=title, description=description, height=520)


phase_view = View(model.PARAMS, draw_phase, key="s")
