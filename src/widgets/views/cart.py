"""Figures of the CAR-T models (:mod:`widgets.models.cart`, :mod:`~widgets.models.cart_kinetics`,
:mod:`~widgets.models.crs`).

* :data:`kinetics_view`: tisagenlecleucel transgene level after infusion (Stein et al. 2019),
  with its fast and slow decline components.
* :data:`tumour_view`: effector and memory CAR-T cells against a tumour (CARTmath, Barros et
  al. 2021), with the untreated tumour for comparison.
* :data:`crs_view`: the ILLUSTRATIVE link from peak expansion to severe CRS risk.
* :func:`trials_figure`: response and remission rates of CAR-T trials with exact intervals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..explorer import View
from ..models import cart as model
from ..models import cart_kinetics, crs
from ..style import COLOR, DASHES, PALETTE, finish

__all__ = ["kinetics_view", "tumour_view", "crs_view", "trials_figure", "untreated_tumour"]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _fmt(x: float) -> str:
    """A count or level for titles and descriptions: "2.0 × 10⁶", "350", "0"."""
    if x == 0:
        return "0"
    if x >= 1e4 or x < 0.01:
        mant, exp = f"{x:.1e}".split("e")
        return f"{mant} × 10{str(int(exp)).translate(_SUPERSCRIPT)}"
    return f"{x:,.3g}"


def _positive(a):
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, np.nan)


_LEGEND_TOP = {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}


# ---------------------------------------------------------------------------------------
# cellular kinetics
# ---------------------------------------------------------------------------------------
def _draw_kinetics(p: dict) -> go.Figure:
    df = cart_kinetics.simulate(**p)
    s = cart_kinetics.summary(**p)
    t = df["t"].to_numpy()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=t,
            y=df["total"],
            name="CAR-T level (total)",
            line={"color": COLOR["immune"], "dash": DASHES[0], "width": 3},
            hovertemplate="day %{x:.1f}: %{y:.3s} copies/µg<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=t,
            y=_positive(df["fast"]),
            name="fast-declining part (effector-like)",
            line={"color": COLOR["tumour"], "dash": DASHES[1], "width": 2},
            hovertemplate="day %{x:.1f}: %{y:.3s} copies/µg<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=t,
            y=_positive(df["slow"]),
            name="slowly declining part (memory-like)",
            line={"color": COLOR["drug"], "dash": DASHES[2], "width": 2.5},
            hovertemplate="day %{x:.1f}: %{y:.3s} copies/µg<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[p["tmax"]],
            y=[p["cmax"]],
            mode="markers",
            name="peak",
            marker={"color": PALETTE[6], "size": 11, "symbol": "diamond"},
            hovertemplate="peak: day %{x:.1f}, %{y:.3s} copies/µg<extra></extra>",
        )
    )
    fig.update_xaxes(title="days after infusion", range=[0, p["days"]])
    fig.update_yaxes(
        title="CAR transgene (copies/µg DNA, log scale)",
        type="log",
        range=[-1, 6.3],
        exponentformat="power",
    )
    one_year = s["fraction_one_year_after_peak"]
    title = (
        f"Peak on day {p['tmax']:g}, then two declines"
        f"<br><sup>fast half-life {s['fast_half_life']:.1f} days, slow half-life "
        f"{s['slow_half_life']:.0f} days (model of Stein et al. 2019)</sup>"
    )
    description = (
        "Model curve of the CAR-T level in the blood after one infusion (tisagenlecleucel "
        "typical-patient model; not an individual patient). The level, on a logarithmic axis, "
        f"rises from {_fmt(s['level_at_infusion'])} copies per microgram of DNA at infusion "
        f"by a factor of {p['foldx']:g}, doubling every {s['doubling_time']:.2f} days, to a "
        f"peak of {_fmt(p['cmax'])} on day {p['tmax']:g} (diamond). It then falls in two "
        f"phases: a fast part (dashed) with a half-life of {s['fast_half_life']:.1f} days, and "
        f"a slowly declining part (dotted), {100 * p['fb']:.2g}% of the peak, with a half-life "
        f"of {s['slow_half_life']:.0f} days, which carries the level after the first weeks. "
        f"One year after the peak, {100 * one_year:.2g}% of the peak level remains."
    )
    fig = finish(fig, title=title, description=description, height=470)
    fig.update_layout(legend=_LEGEND_TOP, margin={"t": 130})
    return fig


#: CAR-T cellular kinetics after one infusion (Stein et al. 2019).
kinetics_view = View(cart_kinetics.PARAMS, _draw_kinetics, key="fb")


# ---------------------------------------------------------------------------------------
# CAR-T cells against a tumour
# ---------------------------------------------------------------------------------------
def untreated_tumour(t, **params) -> np.ndarray:
    """The tumour without CAR-T cells: logistic growth from ``T0`` (the rechallenge is left
    out; it adds little to an untreated tumour)."""
    q = model.PARAMS.resolve(params)
    t = np.asarray(t, dtype=float)
    g = np.exp(np.minimum(q["r"] * t, 700.0))
    return q["T0"] * g / (1.0 + q["b"] * q["T0"] * (g - 1.0))


_OUTCOME_TEXT = {
    "cure": "tumour eliminated",
    "control": "tumour held in check",
    "relapse": "tumour returns",
    "progression": "tumour escapes",
}


def _draw_tumour(p: dict) -> go.Figure:
    df = model.simulate(points=301, **p)
    s = model.summary(df, **p)
    t = df["t"].to_numpy()
    traces = []
    traces.append(
        go.Scatter(
            x=t,
            y=_positive(df["tumour"]),
            name="tumour cells",
            line={"color": COLOR["tumour"], "dash": DASHES[0], "width": 3.5},
            hovertemplate="day %{x:.0f}: %{y:.3s} tumour cells<extra></extra>",
        )
    )
    traces.append(
        go.Scatter(
            x=t,
            y=_positive(df["effector"]),
            name="effector CAR-T cells",
            line={"color": COLOR["immune"], "dash": DASHES[1], "width": 2.5},
            hovertemplate="day %{x:.0f}: %{y:.3s} effector cells<extra></extra>",
        )
    )
    traces.append(
        go.Scatter(
            x=t,
            y=_positive(df["memory"]),
            name="memory CAR-T cells",
            line={"color": COLOR["drug"], "dash": DASHES[3], "width": 2.5},
            hovertemplate="day %{x:.0f}: %{y:.3s} memory cells<extra></extra>",
        )
    )
    traces.append(
        go.Scatter(
            x=t,
            y=untreated_tumour(t, **p),
            name="tumour without CAR-T cells",
            line={"color": PALETTE[6], "dash": DASHES[2], "width": 1.5},
            hovertemplate="day %{x:.0f}: %{y:.3s} (untreated)<extra></extra>",
        )
    )
    shapes, annotations = [], []
    marks = [(p["dose_day"], "CAR-T infusion")]
    challenged = p["challenge_cells"] > 0 and p["challenge_day"] < p["days"]
    if challenged:
        marks.append((p["challenge_day"], "tumour rechallenge"))
    for k, (x, text) in enumerate(marks):
        # a label near the one before it (within 40% of the axis, which a label's width
        # can take on a phone) goes one line lower
        lower = k > 0 and abs(x - marks[k - 1][0]) < 0.4 * p["days"]
        if x <= p["days"]:
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "y domain",
                    "x0": x,
                    "x1": x,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": COLOR["threshold"], "dash": "dash", "width": 1},
                }
            )
            annotations.append(
                {
                    "text": text,
                    "xref": "x",
                    "yref": "y domain",
                    "x": x,
                    "y": 1,
                    "yshift": -16 if lower else 0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": 11},
                }
            )
    # one layout, set at once (each plotly update call costs milliseconds per redraw)
    fig = go.Figure(
        data=traces,
        layout={
            "shapes": shapes,
            "annotations": annotations,
            "xaxis": {"title": {"text": "days after tumour injection"}, "range": [0, p["days"]]},
            "yaxis": {
                "title": {"text": "cells (log scale)"},
                "type": "log",
                "range": [0, 12.5],
                "exponentformat": "power",
            },
        },
    )
    what = _OUTCOME_TEXT[s["outcome"]]
    title = (
        f"Outcome: {s['outcome']} ({what})"
        f"<br><sup>{_fmt(p['dose'])} CAR-T cells on day {p['dose_day']:g}; memory "
        f"formation ε = {p['epsilon']:g}/day, memory loss μ = {p['mu']:g}/day "
        f"(CARTmath, illustrative run)</sup>"
    )
    elim = (
        f"the tumour falls below one cell on day {s['eliminated_day']:.0f}"
        if not math.isnan(s["eliminated_day"])
        else "the tumour is never eliminated"
    )
    rech = ""
    if challenged:
        rech = (
            f" On day {p['challenge_day']:g}, {_fmt(p['challenge_cells'])} tumour cells are "
            "injected again; "
            + ("they are rejected." if s["challenge_rejected"] else "they are not rejected.")
        )
    description = (
        "Model output (CARTmath, parameters fitted to mouse experiments), not patient data. "
        f"Tumour cells (thick solid line) start at {_fmt(p['T0'])} and grow; "
        f"{_fmt(p['dose'])} effector CAR-T cells (dashed) are infused on day "
        f"{p['dose_day']:g}; they multiply, kill tumour cells and give rise to memory CAR-T "
        f"cells (dash-dotted). At the infusion the tumour has {_fmt(s['tumour_at_dose'])} "
        f"cells; {elim}.{rech} On day {p['days']:g} there are {_fmt(s['tumour_end'])} tumour "
        f"cells and {_fmt(s['memory_end'])} memory cells; outcome: {s['outcome']} ({what}). "
        "The dotted line is the same tumour without CAR-T cells. Logarithmic axis; values "
        "below one cell are not drawn."
    )
    fig = finish(fig, title=title, description=description, height=500)
    fig.update_layout(legend=_LEGEND_TOP, margin_t=140)
    return fig


#: CAR-T effector and memory cells against a tumour over time (CARTmath).
tumour_view = View(model.PARAMS, _draw_tumour, key="dose")


# ---------------------------------------------------------------------------------------
# illustrative CRS risk
# ---------------------------------------------------------------------------------------
_PEAKS = np.geomspace(1e3, 1e6, 200)


def _draw_crs(p: dict) -> go.Figure:
    risk = 100 * crs.risk(_PEAKS, **p)
    typical = cart_kinetics.PARAMS["cmax"].default
    lo, hi = cart_kinetics.peak_range(0.90, typical)
    r_typ, r_lo, r_hi = (100 * float(crs.risk(x, **p)) for x in (typical, lo, hi))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=_PEAKS,
            y=risk,
            name="illustrative risk",
            line={"color": COLOR["tumour"], "dash": DASHES[0], "width": 3},
            hovertemplate="peak %{x:.3s}: risk %{y:.1f}%<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[lo, typical, hi],
            y=[r_lo, r_typ, r_hi],
            mode="markers",
            name="typical peak and 90% range (Stein 2019)",
            marker={
                "color": COLOR["immune"],
                "size": [9, 13, 9],
                "symbol": ["triangle-right", "diamond", "triangle-left"],
            },
            hovertemplate="peak %{x:.3s}: risk %{y:.1f}%<extra></extra>",
        )
    )
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y domain",
            "x0": lo,
            "x1": hi,
            "y0": 0,
            "y1": 1,
            "fillcolor": PALETTE[5],
            "opacity": 0.15,
            "line": {"width": 0},
            "layer": "below",
        }
    ]
    annotations = [
        {
            "text": "ILLUSTRATIVE: invented curve",
            "xref": "paper",
            "yref": "paper",
            "x": 0.01,
            "y": 0.98,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "font": {"size": 13, "color": "#444"},
        }
    ]
    fig.update_layout(shapes=shapes, annotations=annotations)
    fig.update_xaxes(
        title="peak CAR-T level (copies/µg DNA, log scale)",
        type="log",
        range=[3, 6],
        exponentformat="power",
    )
    fig.update_yaxes(title="risk of grade ≥3 CRS (%)", range=[0, 100])
    title = (
        f"Illustrative: severe CRS risk rises with expansion"
        f"<br><sup>invented curve: 50% at a peak of {_fmt(p['c50'])} copies/µg, "
        f"steepness {p['slope']:g} per tenfold</sup>"
    )
    description = (
        "ILLUSTRATIVE curve, invented to show an idea, not fitted to patients. The risk of "
        "grade 3 or higher cytokine release syndrome (up, 0 to 100%) is drawn as rising with "
        "the peak CAR-T level (across, logarithmic axis): it is one half at a peak of "
        f"{_fmt(p['c50'])} copies per microgram and rises by a steepness of {p['slope']:g} "
        "per tenfold higher peak. The diamond marks the typical tisagenlecleucel peak of "
        f"{_fmt(typical)} (Stein et al. 2019), where this curve gives {r_typ:.0f}%; the "
        f"shaded band marks the range holding 90% of patients' peaks in that model, "
        f"{_fmt(lo)} to {_fmt(hi)}, where the curve gives {r_lo:.0f}% to {r_hi:.0f}%."
    )
    return finish(fig, title=title, description=description, height=440)


#: The illustrative CRS risk curve.
crs_view = View(crs.PARAMS, _draw_crs, key="c50")


# ---------------------------------------------------------------------------------------
# trial results
# ---------------------------------------------------------------------------------------
def trials_figure(table: pd.DataFrame) -> go.Figure:
    """Rates with exact 95% intervals: rows of :func:`widgets.evidence.response_table`."""
    fig = go.Figure()
    labels = [f"{r.trial}: {r.endpoint}" for r in table.itertuples()]
    symbols = {
        "objective response": "circle",
        "complete response": "diamond",
        "remission": "square",
    }
    for k, endpoint in enumerate(["objective response", "remission", "complete response"]):
        sub = table[table["endpoint"] == endpoint]
        idx = [i for i, e in enumerate(table["endpoint"]) if e == endpoint]
        fig.add_trace(
            go.Scatter(
                x=100 * sub["rate"],
                y=[labels[i] for i in idx],
                mode="markers",
                name=endpoint,
                marker={"color": PALETTE[k], "size": 12, "symbol": symbols[endpoint]},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": 100 * (sub["ci_high"] - sub["rate"]),
                    "arrayminus": 100 * (sub["rate"] - sub["ci_low"]),
                    "color": PALETTE[k],
                    "thickness": 2,
                },
                customdata=np.stack(
                    [sub["k"], sub["n"], 100 * sub["ci_low"], 100 * sub["ci_high"]], axis=-1
                )
                if len(sub)
                else None,
                hovertemplate=(
                    "%{y}: %{x:.0f}% (%{customdata[0]} of %{customdata[1]}); "
                    "95% CI %{customdata[2]:.0f} to %{customdata[3]:.0f}%"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(title="patients with the endpoint (%), exact 95% interval", range=[0, 100])
    fig.update_yaxes(title="trial and endpoint", autorange="reversed")
    parts = [
        f"{r.trial} ({r.therapy}, {r.cancer}), {r.endpoint}: {100 * r.rate:.0f}% "
        f"({r.k} of {r.n}; 95% interval {100 * r.ci_low:.0f} to "
        f"{100 * r.ci_high:.0f}%)"
        for r in table.itertuples()
    ]
    description = (
        "Response and remission rates in three trials of CD19-directed CAR-T "
        "cells, each with its exact (Clopper-Pearson) 95% confidence interval: "
        + "; ".join(parts)
        + "."
    )
    fig = finish(
        fig,
        title="CD19 CAR-T trials: responses and remissions",
        description=description,
        height=120 + 55 * len(table),
    )
    fig.update_layout(legend=_LEGEND_TOP, margin={"t": 110, "l": 250})
    return fig
