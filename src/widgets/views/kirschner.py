"""Views of the Kirschner & Panetta (1998) tumour–effector–IL-2 model.

* :data:`time_view`: effector cells, tumour cells and IL-2 against time (log scale), titled
  with the long-run outcome. Good static sliders: antigenicity ``c``; scenarios over the
  adoptive-cell input ``s1`` and the IL-2 input ``s2`` (:data:`THERAPIES`).
* :func:`supply_figure`: the long-run tumour against the adoptive-cell input ``s1`` for a
  few antigenicities, with the published clearance threshold ``r2 g2 mu2 / a``.
* :data:`tradeoff_view`: the long-run tumour and an ILLUSTRATIVE toxicity index against the
  IL-2 input ``s2``.
* :func:`trials_figure`: published response rates of high-dose IL-2 (from
  ``widgets.data.load("trials")``) with exact 95% confidence intervals.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from .. import evidence
from ..explorer import View
from ..models import kirschner as model
from ..style import COLOR, PALETTE, cells_text, finish, merged
from .layout import subplots_layout

__all__ = [
    "time_view",
    "tradeoff_view",
    "THERAPIES",
    "SUPPLY_C",
    "IL2_INPUTS",
    "draw_time",
    "draw_tradeoff",
    "supply_figure",
    "trials_figure",
    "il2_rates",
]

#: Named treatment scenarios (adoptive-cell input s1, IL-2 input s2) for the time course.
THERAPIES = {
    "no treatment": {"s1": 0.0, "s2": 0.0},
    "cells, 500/day": {"s1": 500.0, "s2": 0.0},
    "cells, 600/day": {"s1": 600.0, "s2": 0.0},
    "IL-2, 1e7/day": {"s1": 0.0, "s2": 1e7},
    "IL-2, 1e8/day": {"s1": 0.0, "s2": 1e8},
    "cells 500 + IL-2 1e7": {"s1": 500.0, "s2": 1e7},
}

#: Antigenicities drawn in :func:`supply_figure`.
SUPPLY_C = (0.0, 0.02, 0.035)
_SUPPLY_S1 = (0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 530.0, 550.0, 600.0, 800.0, 1000.0)

#: IL-2 inputs (units/day) scanned by :data:`tradeoff_view`.
IL2_INPUTS = (0.0, 1e5, 1e6, 3e6, 1e7, 3e7, 5e7, 8e7, 1.2e8, 2e8)

_FLOOR = 0.1  # where a cleared tumour is drawn on a log axis (below the one-cell line)


_fmt = cells_text


# ---------------------------------------------------------------------------------------
# time course
# ---------------------------------------------------------------------------------------
def draw_time(v: dict) -> go.Figure:
    df = model.simulate(**v)
    fate = model.outcome(**v)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=df["t"],
            y=df["E"],
            name="effector cells E",
            mode="lines",
            line={"color": COLOR["immune"], "dash": "solid", "width": 3},
            hovertemplate="day %{x:.0f}: %{y:.3s} effector cells<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=df["t"],
            y=df["T"],
            name="tumour cells T",
            mode="lines",
            line={"color": COLOR["tumour"], "dash": "dash", "width": 3},
            hovertemplate="day %{x:.0f}: %{y:.3s} tumour cells<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=df["t"],
            y=df["I"],
            name="IL-2 I (model units)",
            mode="lines",
            line={"color": COLOR["drug"], "dash": "dot", "width": 2.5},
            hovertemplate="day %{x:.0f}: IL-2 %{y:.3s}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[0, v["days"]],
            y=[model.CLEARED, model.CLEARED],
            name="one tumour cell",
            mode="lines",
            line={"color": COLOR["threshold"], "dash": "longdash", "width": 1.5},
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(title="time (days)", range=[0, v["days"]])
    fig.update_yaxes(
        title="cells, or IL-2 units (log scale)", type="log", range=[-6, 10], exponentformat="power"
    )
    fig.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}, margin={"t": 110}
    )
    low = df["T"].min()
    description = (
        "Illustrative model output, not patient data. Effector cells (solid blue), tumour "
        "cells (dashed orange) and IL-2 (dotted green) over "
        f"{v['days']:g} days on a logarithmic axis, for antigenicity c = {v['c']:g}, an "
        f"adoptive-cell input of {v['s1']:g} cells per day and an IL-2 input of "
        f"{v['s2']:.3g} units per day, starting from {_fmt(v['T0'])} tumour cells. The "
        f"tumour is at its smallest at {low:.2g} cells and ends at "
        f"{_fmt(df['T'].iloc[-1])} cells. A long-dashed line marks one tumour cell. The "
        f"long-run outcome, by the chapter's rules, is: {fate}."
    )
    fig = finish(fig, title=f"Outcome: {fate}", description=description, height=460)
    fig.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}, margin={"t": 110}
    )
    return fig


time_view = View(model.PARAMS, draw_time, key="c")


# ---------------------------------------------------------------------------------------
# long-run tumour against the adoptive-cell input
# ---------------------------------------------------------------------------------------
def _late_tumour(values: dict) -> tuple[float, float, str]:
    """(smallest, largest) long-run tumour, and the outcome; a cleared tumour at _FLOOR."""
    lo, hi, fate = model.late_tumour(**values)
    if fate == "cleared":
        return _FLOOR, _FLOOR, fate
    return max(lo, _FLOOR), max(hi, _FLOOR), fate


def supply_figure(**fixed) -> go.Figure:
    """Long-run tumour (largest and smallest over days 2,000-3,000) against the adoptive
    input ``s1`` for the antigenicities :data:`SUPPLY_C`; other parameters from ``fixed``."""
    base = model.PARAMS.resolve(fixed)
    s1_clear = model.clearance_supply(**base)
    fig = go.Figure()
    parts = []
    for k, c in enumerate(SUPPLY_C):
        lows, highs, fates = [], [], []
        for s1 in _SUPPLY_S1:
            lo, hi, fate = _late_tumour({**base, "c": c, "s1": s1})
            lows.append(lo)
            highs.append(hi)
            fates.append(fate)
        dash = ["solid", "dash", "dot"][k % 3]
        symbol = ["circle", "square", "diamond"][k % 3]
        fig.add_trace(
            go.Scatter(
                x=list(_SUPPLY_S1),
                y=highs,
                mode="lines+markers",
                name=f"c = {c:g}: largest",
                legendgroup=f"c{k}",
                line={"color": PALETTE[k], "dash": dash, "width": 2.5},
                marker={"symbol": symbol, "size": 9},
                customdata=fates,
                hovertemplate="s1 %{x:.0f}/day: up to %{y:.3s} cells (%{customdata})<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=list(_SUPPLY_S1),
                y=lows,
                mode="markers",
                name=f"c = {c:g}: smallest",
                legendgroup=f"c{k}",
                marker={"symbol": symbol + "-open", "size": 9, "color": PALETTE[k]},
                customdata=fates,
                hovertemplate="s1 %{x:.0f}/day: down to %{y:.3s} cells (%{customdata})<extra></extra>",
            )
        )
        first = next((s for s, f in zip(_SUPPLY_S1, fates) if f == "cleared"), None)
        parts.append(
            f"for c = {c:g}, cleared from s1 = {first:g} cells per day"
            if first is not None
            else f"for c = {c:g}, never cleared in this range"
        )
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": s1_clear,
                "x1": s1_clear,
                "y0": 0,
                "y1": 1,
                "line": {"color": COLOR["threshold"], "dash": "dot", "width": 2},
            },
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": 1,
                "y1": 1,
                "line": {"color": "#999999", "dash": "longdash", "width": 1},
            },
        ],
        annotations=[
            {
                "x": s1_clear,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"r2·g2·μ2/a = {s1_clear:g}",
                "showarrow": False,
                "font": {"size": 12},
            },
            {
                "x": 0.99,
                "y": math.log10(_FLOOR),
                "xref": "paper",
                "yref": "y",
                "xanchor": "right",
                "yanchor": "top",
                "text": "cleared",
                "showarrow": False,
                "font": {"size": 12},
            },
        ],
        legend={"x": 1.02, "y": 1, "font": {"size": 12}},
        margin={"r": 170},
    )
    fig.update_xaxes(title="adoptive-cell input s1 (cells/day)", range=[-20, 1020])
    fig.update_yaxes(
        title="long-run tumour cells (log scale)",
        type="log",
        range=[-2, 9.5],
        exponentformat="power",
    )
    description = (
        "Illustrative model output, not patient data. For each adoptive-cell input s1 "
        "(across, 0 to 1,000 cells per day) and three antigenicities c (colours, line styles "
        "and marker shapes), the largest (filled markers, joined) and smallest (open markers) "
        "tumour over days 2,000 to 3,000, starting from one tumour cell, on a logarithmic "
        "axis. Tumours that are cleared are drawn at the bottom, below a dashed line at one "
        f"cell. A dotted vertical line marks the published threshold r2·g2·μ2/a = "
        f"{s1_clear:g} cells per day. Results: " + "; ".join(parts) + "."
    )
    fig = finish(
        fig,
        title="Adoptive cells above a threshold clear the tumour",
        description=description,
        height=480,
    )
    fig.update_layout(margin={"r": 170})
    return fig


# ---------------------------------------------------------------------------------------
# the toxicity trade-off
# ---------------------------------------------------------------------------------------
def draw_tradeoff(v: dict) -> go.Figure:
    xs = [max(s, 3e4) for s in IL2_INPUTS]  # s2 = 0 drawn at the left edge of the log axis
    highs, fates = [], []
    for s2 in IL2_INPUTS:
        _, hi, fate = _late_tumour({**v, "s2": s2})
        highs.append(hi)
        fates.append(fate)
    tox = model.toxicity_indices(IL2_INPUTS, **v)
    runaway = model.runaway_il2(**v)
    layout = subplots_layout(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, row_heights=[0.55, 0.45]
    )
    # both traces as plain dicts on their panels' axes and the whole layout as one dict, made
    # into a figure in one call: Plotly validates each once (adding and updating piece by
    # piece costs milliseconds apiece)
    traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": highs,
            "mode": "lines+markers",
            "name": "long-run tumour (largest)",
            "line": {"color": COLOR["tumour"], "dash": "dash", "width": 2.5},
            "marker": {"size": 9, "symbol": "circle"},
            "customdata": fates,
            "hovertemplate": "IL-2 %{x:.2s}/day: up to %{y:.3s} cells (%{customdata})"
            "<extra></extra>",
            "xaxis": "x",
            "yaxis": "y",
        },
        {
            "type": "scatter",
            "x": xs,
            "y": tox,
            "mode": "lines+markers",
            "name": "toxicity index (ILLUSTRATIVE)",
            "line": {"color": COLOR["occupancy"], "dash": "solid", "width": 2.5},
            "marker": {"size": 9, "symbol": "diamond"},
            "hovertemplate": "IL-2 %{x:.2s}/day: index %{y:.2f} (illustrative)<extra></extra>",
            "xaxis": "x2",
            "yaxis": "y2",
        },
    ]
    shapes = []
    if math.isfinite(runaway):
        for yref in ("y domain", "y2 domain"):
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": yref,
                    "x0": runaway,
                    "x1": runaway,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": COLOR["threshold"], "dash": "dot", "width": 2},
                }
            )
    layout = merged(
        layout,
        dict(
            shapes=shapes,
            annotations=[
                {
                    "x": 0.01,
                    "y": 0.98,
                    "xref": "x2 domain",
                    "yref": "y2 domain",
                    "text": "ILLUSTRATIVE index, not measured toxicity",
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "top",
                    "font": {"size": 12},
                }
            ],
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
            margin={"t": 110},
            xaxis={
                "type": "log",
                "range": [4.3, 8.4],
                "exponentformat": "power",
                "showticklabels": False,
            },
            xaxis2={
                "title": {"text": "IL-2 input s2 (units/day, log scale; 0 drawn at the left edge)"},
                "type": "log",
                "range": [4.3, 8.4],
                "exponentformat": "power",
            },
            yaxis={
                "title": {"text": "tumour cells (log)"},
                "type": "log",
                "range": [-2, 9.5],
                "exponentformat": "power",
            },
            yaxis2={"title": {"text": "index (0 to 1)"}, "range": [0, 1]},
        ),
    )
    fig = go.Figure(data=traces, layout=layout)
    cleared_from = next((s for s, f in zip(IL2_INPUTS, fates) if f == "cleared"), None)
    description = (
        "Illustrative model output, not patient data. Top: the largest tumour over days "
        f"2,000 to 3,000 for antigenicity c = {v['c']:g} and adoptive-cell input "
        f"{v['s1']:g} cells per day, against the IL-2 input (log axis); cleared tumours are "
        "drawn at the bottom. "
        + (
            f"The tumour is cleared from an IL-2 input of {cleared_from:.3g} units per day. "
            if cleared_from is not None
            else "No IL-2 input in this range clears the tumour. "
        )
        + "Bottom: an illustrative toxicity index, not a measured quantity, that rises from 0 "
        "without IL-2 to "
        f"{tox[-1]:.2f} at the highest input. A dotted vertical line marks the input "
        f"({runaway:.3g} units per day) above which IL-2 alone makes effector cells multiply "
        "without limit."
    )
    fig = finish(
        fig,
        title="Tumour control against IL-2 dose, with an illustrative cost",
        description=description,
        height=560,
    )
    fig.update_layout(
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}, margin={"t": 110}
    )
    return fig


tradeoff_view = View(model.PARAMS, draw_tradeoff, key="c")


# ---------------------------------------------------------------------------------------
# published response rates of high-dose IL-2
# ---------------------------------------------------------------------------------------
def il2_rates():
    """The high-dose IL-2 response rows of :func:`widgets.evidence.response_table` (class
    "cytokine", therapy naming interleukin-2): objective and complete responses per series,
    with exact 95% intervals (proportions), in the order of the data file."""
    t = evidence.response_table()
    rows = t[
        (t["class"] == "cytokine")
        & t["therapy"].str.contains("interleukin-2", case=False)
        & t["endpoint"].isin(["objective response", "complete response"])
    ].copy()
    if rows.empty:
        raise LookupError("data/trials.csv has no high-dose interleukin-2 response rows")
    rows["_first"] = rows.groupby("trial", sort=False).ngroup()
    rows["_kind"] = (rows["endpoint"] == "complete response").astype(int)
    return (
        rows.sort_values(["_first", "_kind"])
        .drop(columns=["_first", "_kind"])
        .reset_index(drop=True)
    )


def trials_figure() -> go.Figure:
    df = il2_rates()
    fig = go.Figure()
    for k, kind in enumerate(("objective response", "complete response")):
        sub = df[df["endpoint"] == kind]
        fig.add_trace(
            go.Bar(
                x=[f"{c} ({n} patients)" for c, n in zip(sub["cancer"], sub["n"])],
                y=100 * sub["rate"],
                name=kind,
                marker={"color": PALETTE[k], "pattern": {"shape": ["", "/"][k]}},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": list(100 * (sub["ci_high"] - sub["rate"])),
                    "arrayminus": list(100 * (sub["rate"] - sub["ci_low"])),
                    "color": "#333333",
                },
                customdata=np.stack([sub["k"], 100 * sub["ci_low"], 100 * sub["ci_high"]], axis=-1),
                hovertemplate=(
                    kind + ": %{y:.1f}% (%{customdata[0]} patients; 95% CI "
                    "%{customdata[1]:.1f} to %{customdata[2]:.1f}%)<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="group", legend={"x": 0.99, "xanchor": "right", "y": 0.99})
    fig.update_xaxes(title="cancer (patients assessed)")
    fig.update_yaxes(title="patients responding (%)", range=[0, 30])
    parts = [
        f"{r.cancer}, {r.endpoint}: {100 * r.rate:.1f}% ({r.k} of {r.n}; 95% CI "
        f"{100 * r.ci_low:.1f} to {100 * r.ci_high:.1f}%)"
        for r in df.itertuples()
    ]
    description = (
        "Published results, not model output: the share of patients with an objective "
        "response (solid bars) and a complete response (hatched bars) to high-dose "
        "interleukin-2, with exact 95% confidence intervals as error bars. "
        + "; ".join(parts)
        + "."
    )
    return finish(
        fig,
        title="High-dose IL-2 helps a minority of patients",
        description=description,
        height=420,
    )
